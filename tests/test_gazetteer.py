"""The bundled gazetteer: coverage, lookups and a reproducible build."""

from __future__ import annotations

import json
import time

import pytest

from geomap.gazetteer import Gazetteer
from tests.conftest import ROOT, SOURCES


def test_coverage(gaz):
    """Every admin unit with a polygon, every community as a point, Arabic names everywhere."""
    kinds = gaz.meta["counts"]
    assert kinds["governorate"] == 14 and kinds["district"] == 62 and kinds["subdistrict"] == 272
    communities = [p for p in gaz.places.values() if p.id.startswith("C")]
    assert len(communities) == 7593
    assert all(p.name_ar for p in gaz.places.values())
    assert all(gaz.geometry(p.id) is not None for p in gaz.places.values() if p.kind == "subdistrict")
    assert all(gaz.geometry(p.id).is_valid for p in gaz.places.values() if p.has_geometry)


def test_curated_regions(gaz):
    """Countrysides and their parts, named regions, operation areas and countries are there."""
    for pid in (
        "geomap:countryside/SY05",
        "geomap:countryside/SY05/west",
        "geomap:plain/ghab",
        "geomap:operation-area/euphrates-shield",
        "geomap:country/TR",
    ):
        assert pid in gaz
    ghab = gaz.geometry("geomap:plain/ghab")
    assert gaz.contains("geomap:plain/ghab", 35.7223, 36.2779)  # Sirmaniyah
    assert ghab.area < gaz.geometry("SY05").area


def test_press_spellings(gaz):
    """Curated press spellings are keys of the OCHA entry."""
    assert "C3751" in [p.id for p in gaz.lookup("كبينه")]
    assert "C7880" in [p.id for p in gaz.lookup("كركات")]


def test_loads_fast():
    """Loading the built gazetteer takes well under a second."""
    t0 = time.perf_counter()
    Gazetteer(ROOT / "gazetteer" / "dist")
    assert time.perf_counter() - t0 < 1.0


def test_size():
    """The committed build stays compact."""
    size = sum(p.stat().st_size for p in (ROOT / "gazetteer" / "dist").iterdir())
    assert size <= 30 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.skipif(not SOURCES.is_dir(), reason="raw sources not beside the checkout")
def test_build_reproduces_the_bundled_gazetteer(tmp_path):
    """Building from the raw sources gives exactly the committed files."""
    from gazetteer.build import build

    meta = build(SOURCES, tmp_path)
    dist = ROOT / "gazetteer" / "dist"
    assert meta["version"] == json.loads((dist / "meta.json").read_text())["version"]
    for name in ("places.json", "shapes.geojson", "fold_table.json"):
        assert (tmp_path / name).read_bytes() == (dist / name).read_bytes(), name


def test_a_part_that_names_the_places_own_district_is_no_name(gaz):
    """«جب الخفي_منبج»: OCHA's «منبج» tells the village from its namesakes; it is not Manbij."""
    assert "C1703" not in {p.id for p in gaz.lookup("منبج")}
    assert "C1933" in {p.id for p in gaz.lookup("مسكنه")}  # «مسكنة_عنيزة»: the seat itself
