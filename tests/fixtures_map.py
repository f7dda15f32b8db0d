"""Map fixtures: a fake gazetteer of invented places and hand-made Results.

Used by test_layers, test_write, test_mapview, test_browser and benchmarks/map_size.py.
Every place and sentence here is invented for the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from geomap.model import Count, Document, Event, EventType, Flow, Mention, Place, Result

HOSTILE_SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror="window.__pwned=1">'
HOSTILE_JINJA = "{{ 7*7 }}{% if 1 %}x{% endif %}"

_ADMIN = {
    "admin1": "Zahra",
    "admin1_pcode": "SY90",
    "admin2": "Zahra Centre",
    "admin2_pcode": "SY9000",
}


def _place(pid: str, ar: str, en: str, kind: str, lat: float, lon: float, **kw) -> Place:
    return Place(pid, ar, en, kind, lat, lon, **{**_ADMIN, **kw})


GOV = _place("SY90", "محافظة الزهراء", "Zahra Governorate", "governorate", 35.0, 37.0, has_geometry=True)
DISTRICT = _place(
    "SY9000", "منطقة الزهراء", "Zahra Centre District", "district", 35.0, 37.0, has_geometry=True
)
CITY = _place("SY900000", "الزهراء", "Zahra", "city", 35.0, 37.0)
TELL = _place(
    "C9001", "تل الوردة", "Tell al-Warda", "village", 34.80, 36.90, admin3="Warda", admin3_pcode="SY900001"
)
AIN = _place("C9002", "عين الصفا", "Ain al-Safa", "village", 34.70, 37.20)
QASR = _place("C9003", "قصر النور", "Qasr al-Nour", "town", 35.20, 36.80)
SOUTH = _place(
    "geomap:zahra-south",
    "ريف الزهراء الجنوبي",
    "Southern Zahra countryside",
    "countryside",
    34.75,
    37.0,
    has_geometry=True,
)
PLAIN = _place("geomap:warda-plain", "سهل الوردة", "Warda Plain", "plain", 34.85, 36.75, has_geometry=True)
OPAREA = _place(
    "geomap:op-spring",
    "منطقة عملية الربيع",
    "Operation Spring area",
    "operation-area",
    35.3,
    37.3,
    has_geometry=True,
)
COUNTRY = _place("XX", "بلاد الاختبار", "Testland", "country", 36.5, 38.0, has_geometry=True)
NOPOLY = _place("geomap:north-hills", "تلال الشمال", "Northern hills", "mountain", 35.4, 36.9)

PLACES = (GOV, DISTRICT, CITY, TELL, AIN, QASR, SOUTH, PLAIN, OPAREA, COUNTRY, NOPOLY)

_GEOMETRIES: dict[str, BaseGeometry] = {
    GOV.id: box(36.5, 34.5, 37.5, 35.5),
    DISTRICT.id: box(36.6, 34.6, 37.4, 35.4),
    SOUTH.id: box(36.6, 34.6, 37.4, 34.9),
    PLAIN.id: Polygon([(36.6, 34.8), (36.9, 34.8), (36.9, 34.95), (36.6, 34.95)]),
    OPAREA.id: box(37.1, 35.1, 37.5, 35.5),
    COUNTRY.id: box(37.5, 36.0, 39.0, 37.0),
}


@dataclass
class FakeGazetteer:
    """The duck-typed gazetteer protocol over the places above."""

    places: dict[str, Place] = field(default_factory=lambda: {p.id: p for p in PLACES})
    geometries: dict[str, BaseGeometry] = field(default_factory=lambda: dict(_GEOMETRIES))

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def geometry(self, place_id: str) -> BaseGeometry | None:
        return self.geometries.get(place_id)

    def admin_areas(self, level: int) -> list[tuple[Place, BaseGeometry]]:
        kind = {1: "governorate", 2: "district", 3: "subdistrict"}[level]
        return [
            (p, self.geometries[p.id])
            for p in self.places.values()
            if p.kind == kind and p.id in self.geometries
        ]


def mention(doc: Document, surface: str, place: Place | None, *, occurrence: int = 0, **kw) -> Mention:
    """A mention of ``surface`` in ``doc`` (its ``occurrence``-th appearance) resolved to ``place``."""
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(surface, start + 1)
    defaults = {"confidence": 0.9 if place else 0.0, "geo_precision": 1, "where_prec": 1}
    if place is not None and place.is_area:
        defaults.update(geo_precision=3, where_prec=4)
    return Mention(doc.id, start, start + len(surface), surface, surface, place=place, **{**defaults, **kw})


def event(doc: Document, eid: str, etype: EventType, sentence: str, trigger: str, locations, **kw) -> Event:
    """An event whose sentence is found in ``doc``."""
    start = doc.text.index(sentence)
    t = sentence.index(trigger)
    acled = {
        EventType.ARMED_CLASH: ("Battles", "Armed clash"),
        EventType.SHELLING: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        EventType.AIR_STRIKE: ("Explosions/Remote violence", "Air/drone strike"),
        EventType.DISPLACEMENT: ("Displacement", "Displacement"),
        EventType.CEASEFIRE: ("Strategic developments", "Agreement"),
        EventType.OTHER: ("Strategic developments", "Other"),
    }[etype]
    return Event(
        eid,
        doc.id,
        etype,
        acled[0],
        acled[1],
        sentence,
        start,
        start + len(sentence),
        trigger,
        start + t,
        start + t + len(trigger),
        tuple(locations),
        **kw,
    )


# -- the sample corpus -------------------------------------------------------------------------

_TEXT_1 = (
    "اندلعت اشتباكات عنيفة في تل الوردة وعين الصفا بين قوات الحكومة وفصائل المعارضة. "
    "وقصفت المدفعية قصر النور وريف الزهراء الجنوبي. "
    "ونزح نحو 300 عائلة من سهل الوردة إلى الزهراء. "
    "وفر آخرون من منطقة عملية الربيع. "
    "وأعلنت بلاد الاختبار وقفا لإطلاق النار."
)
_TEXT_2 = (
    "Warplanes struck Qasr al-Nour on Monday, killing 5 civilians. "
    "Clashes were reported in the Northern hills and near Ain al-Safa. "
    "A strike hit an unnamed village."
)
_TEXT_3 = f"قصف مجهول تل الوردة {HOSTILE_SCRIPT} {HOSTILE_ATTR} {HOSTILE_JINJA}."


def sample_results() -> list[Result]:
    """Three documents: Arabic, English, hostile; >= 5 event classes, a flow, an origin-only flow."""
    d1 = Document(
        "doc-ar",
        _TEXT_1,
        url="https://example.org/ar/1",
        source="Example Arabic",
        lang="ar",
        date="2024-03-02",
    )
    s1, s2, s3, s4, s5 = (s + "." for s in _TEXT_1.split(". "))
    s5 = s5.rstrip(".")
    m_tell, m_ain = mention(d1, "تل الوردة", TELL), mention(d1, "عين الصفا", AIN)
    m_qasr, m_south = mention(d1, "قصر النور", QASR), mention(d1, "ريف الزهراء الجنوبي", SOUTH)
    m_plain, m_city = mention(d1, "سهل الوردة", PLAIN), mention(d1, "الزهراء", CITY, occurrence=1)
    m_op, m_country = mention(d1, "منطقة عملية الربيع", OPAREA), mention(d1, "بلاد الاختبار", COUNTRY)
    count = Count(1500, 1200, 1800, "displaced", "نحو 300 عائلة")
    e1 = [
        event(
            d1,
            "doc-ar-e1",
            EventType.ARMED_CLASH,
            s1,
            "اشتباكات",
            [m_tell, m_ain],
            actor1="قوات الحكومة",
            actor2="فصائل المعارضة",
            date="2024-03-01",
            time_precision=1,
            doc_url=d1.url,
        ),
        event(
            d1,
            "doc-ar-e2",
            EventType.SHELLING,
            s2,
            "قصفت",
            [m_qasr, m_south],
            date="2024-03-01",
            time_precision=1,
        ),
        event(
            d1,
            "doc-ar-e3",
            EventType.DISPLACEMENT,
            s3,
            "نزح",
            [m_plain, m_city],
            origins=(m_plain,),
            destinations=(m_city,),
            count=count,
            date="2024-03-02",
            time_precision=1,
        ),
        event(d1, "doc-ar-e4", EventType.DISPLACEMENT, s4, "فر", [m_op], origins=(m_op,), date="2024-03-02"),
        event(
            d1,
            "doc-ar-e5",
            EventType.CEASEFIRE,
            s5,
            "وقفا لإطلاق النار",
            [m_country],
            status="proposed",
            date="2024-03-02",
        ),
    ]
    f1 = [
        Flow("doc-ar-f1", d1.id, "doc-ar-e3", m_plain, m_city, count, s3, e1[2].start, e1[2].end),
        Flow("doc-ar-f2", d1.id, "doc-ar-e4", m_op, None, None, s4, e1[3].start, e1[3].end),
    ]
    r1 = Result(d1, (m_tell, m_ain, m_qasr, m_south, m_plain, m_city, m_op, m_country), tuple(e1), tuple(f1))

    d2 = Document("doc-en", _TEXT_2, url="https://example.org/en/2", source="Example English", lang="en")
    t1, t2, t3 = (s if s.endswith(".") else s + "." for s in _TEXT_2.split(". "))
    m_qasr2, m_hills = mention(d2, "Qasr al-Nour", QASR), mention(d2, "Northern hills", NOPOLY)
    m_ain2 = mention(d2, "Ain al-Safa", AIN, feature="near", geo_precision=2)
    m_unres = mention(d2, "unnamed village", None)
    e2 = [
        event(
            d2,
            "doc-en-e1",
            EventType.AIR_STRIKE,
            t1,
            "struck",
            [m_qasr2],
            count=Count(5, 5, 5, "killed", "5"),
            date="2024-03-04",
            time_precision=1,
        ),
        event(d2, "doc-en-e2", EventType.ARMED_CLASH, t2, "Clashes", [m_hills, m_ain2]),
        event(d2, "doc-en-e3", EventType.AIR_STRIKE, t3, "strike", [m_unres]),
    ]
    r2 = Result(d2, (m_qasr2, m_hills, m_ain2, m_unres), tuple(e2))

    d3 = Document("doc-hostile", _TEXT_3, url='https://example.org/x?a=1&b="2"', source=HOSTILE_SCRIPT)
    m_tell3 = mention(d3, "تل الوردة", TELL)
    e3 = [
        event(
            d3,
            "doc-hostile-e1",
            EventType.OTHER,
            _TEXT_3,
            "قصف",
            [m_tell3],
            actor1=HOSTILE_ATTR,
            date="2024-03-05",
            doc_url=d3.url,
        ),
    ]
    r3 = Result(d3, (m_tell3,), tuple(e3))
    return [r1, r2, r3]
