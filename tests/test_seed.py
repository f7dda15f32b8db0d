"""The seed article (Al Jazeera) maps with every place it names and exactly its events."""

from __future__ import annotations

import pytest
from geopy.distance import great_circle

from geomap.model import Document


@pytest.fixture(scope="module")
def seed(pipeline, seed_text):
    return pipeline(Document("seed", seed_text))


def ids(result):
    return {m.place.id for m in result.mentions if m.place is not None}


def test_areas(seed):
    """Governorates, countrysides (with the western part of Hama's), the Ghab plain and operation areas."""
    assert {
        "SY05",
        "SY07",
        "geomap:countryside/SY05",
        "geomap:countryside/SY05/west",
        "geomap:countryside/SY06",
        "geomap:countryside/SY07",
        "geomap:plain/ghab",
        "geomap:operation-area/euphrates-shield",
        "geomap:operation-area/olive-branch",
        "geomap:operation-area/idlib-de-escalation-zone",
    } <= ids(seed)


@pytest.mark.parametrize(
    "pcode, lat, lon", [("C7880", 35.48, 36.38), ("C3751", 35.72, 36.23), ("C3159", 35.72, 36.28)]
)
def test_villages(seed, pcode, lat, lon):
    """Karkat, Kabani and Sirmaniyah resolve to their communities."""
    (m, *_) = [m for m in seed.mentions if m.place is not None and m.place.id == pcode]
    assert great_circle((lat, lon), (m.place.lat, m.place.lon)).km < 2


def test_countries(seed):
    """Turkey and Russia are countries, not Syrian points."""
    kinds = {m.place.id: m.place.kind for m in seed.mentions if m.place is not None}
    assert kinds["geomap:country/TR"] == kinds["geomap:country/RU"] == "country"


def test_not_places(seed, seed_text):
    """The National Liberation Front, the civil defence and the people named are not places."""
    for phrase in ("الجبهة الوطنية للتحرير", "الدفاع المدني", "ناجي مصطفى", "مصطفى الحاج يوسف"):
        start = seed_text.index(phrase)
        end = start + len(phrase)
        assert not [m for m in seed.mentions if m.start < end and start < m.end], phrase


def test_every_mention_resolved(seed, seed_text):
    """Every mention is resolved and its surface is the original text."""
    for m in seed.mentions:
        assert m.place is not None
        assert seed_text[m.start : m.end] == m.surface


def test_events(seed):
    """Clashes at Karkat and Kabani, shelling on Sirmaniyah, 180,000 displaced, the truce, reinforcements."""
    got = sorted(
        (e.type.value, tuple(sorted({m.place.id for m in (*e.locations, *e.origins) if m.place})))
        for e in seed.events
    )
    assert got == sorted(
        [
            ("armed_clash", ("C7880",)),
            ("armed_clash", ("C3751",)),
            ("shelling", ("C3159",)),
            ("displacement", ("geomap:countryside/SY05", "geomap:countryside/SY07")),
            (
                "ceasefire",
                tuple(
                    sorted(
                        m.place.id
                        for e in seed.events
                        if e.type.value == "ceasefire"
                        for m in e.locations
                        if m.place
                    )
                ),
            ),
            ("other", ("geomap:operation-area/euphrates-shield", "geomap:operation-area/olive-branch")),
        ]
    )
    (disp,) = [e for e in seed.events if e.type.value == "displacement"]
    assert disp.count.best == 180_000
    (karkat,) = [e for e in seed.events if any(m.place.id == "C7880" for m in e.locations)]
    assert karkat.status in ("failed", "attempted")
