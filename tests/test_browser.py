"""The offline map in headless Chromium: no network, no errors, layers, toggles, popups, escaping.

Run with ``pytest -m browser`` (CI runs ``pytest -m ""``); needs /usr/bin/chromium (Debian's
``chromium``) and the Python package ``playwright`` (no browser download), plus ``npm ci`` for
the offline assets.

Most tests run on the real seed map, made the way a user makes it: ``geomap map
examples/aljazeera-north-syria.txt --out DIR --offline``.  The hostile test maps an article with
``<script>`` and an ``onerror`` attribute next to a real place through ``geomap.render``.  The
time-slider test uses the fixture map of ``tests/fixtures_map.py``, whose events have dates.

How events are drawn (see ``geomap.mapview``): every row of ``events.geojson`` is in the layer of
its class; settlements are markers, areas with a polygon are polygons in that layer (counted once
per events row), areas without one and countries are dashed ring markers.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import geomap
from geomap.cli import app
from geomap.io.write import write_html
from geomap.layers import results_to_layers
from geomap.mapview import EVENT_STYLES, build_map
from geomap.model import SETTLEMENT_KINDS
from tests.conftest import SEED
from tests.fixtures_map import FakeGazetteer, sample_results

pytestmark = pytest.mark.browser

screenshot = pytest.importorskip("benchmarks.screenshot", reason="benchmarks/screenshot.py not importable")
pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not os.path.exists(screenshot.CHROMIUM):
    pytest.skip(f"{screenshot.CHROMIUM} is absent: apt-get install chromium", allow_module_level=True)

HOSTILE_TEXT = (
    "قصف على سراقب <script>window.__pwned=1</script> "
    'و"><img src=x onerror="window.__pwned=2;alert(2)"> في ريف إدلب صباح اليوم.'
)

#: An open popup with its sentences in (they are decoded on first use).
POPUP = ".leaflet-popup-content .gm-popup:not(.gm-loading)"

#: What each drawn layer holds, read from the live Leaflet layers: markers (settlements and rings)
#: and the events rows that its area polygons stand for.
_DRAWN_JS = """() => Object.fromEntries(Object.keys(geomap.layers).filter(k => geomap.layers[k].gmMarkers).map(k => {
    const g = geomap.layers[k], live = g.getLayers();
    return [k, {markers: live.filter(l => l.gmRow).length,
                rings: live.filter(l => l.gmRow && l.gmRow[geomap.ef.region] === 1).length,
                areaEvents: live.filter(l => l.gmItem).reduce((n, l) => n + l.gmCount, 0),
                polygons: live.filter(l => l.gmItem).length,
                pathsInPage: g.gmAreas.filter(a => a._path && a._path.isConnected).length,
                onMap: geomap.map.hasLayer(g)}];
}))"""


@pytest.fixture(scope="module")
def browser():
    with screenshot.browser() as b:
        yield b


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    result = CliRunner().invoke(app, ["map", str(SEED), "--out", str(out), "--offline"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def seed_events(seed_dir) -> list[dict]:
    doc = json.loads((seed_dir / "events.geojson").read_text("utf-8"))
    return [f["properties"] for f in doc["features"]]


@pytest.fixture
def seed(browser, seed_dir):
    page, stats = open_map(browser, seed_dir / "map.html")
    yield page, stats
    page.close()


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    geomap.render([geomap.extract(HOSTILE_TEXT)], out, offline=True)
    return out


@pytest.fixture(scope="module")
def fixture_map(tmp_path_factory) -> Path:
    layers = results_to_layers(sample_results(), FakeGazetteer())
    return write_html(
        build_map(layers, FakeGazetteer(), title="Browser test", offline=True),
        tmp_path_factory.mktemp("map") / "map.html",
    )


def open_map(browser, path):
    """Open a map; expose the events payload's field table as ``geomap.ef`` for the probes."""
    page, stats = screenshot.open_map(browser, path)
    page.evaluate(
        """async () => { const d = await window[Object.keys(window).find(k => /^geomap_events_/.test(k))];
                         geomap.ef = d.ef; }"""
    )
    return page, stats


def drawn(page) -> dict[str, dict]:
    return page.evaluate(_DRAWN_JS)


def control_labels(page) -> list[str]:
    return [t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]


def click_marker(page, cls: str, name: str) -> str:
    """Show only ``cls``, zoom until the marker of ``name`` leaves its cluster, click it; the popup."""
    box = page.evaluate(
        """([cls, name]) => new Promise(done => {
            Object.entries(geomap.layers).forEach(([k, l]) => k !== cls && geomap.map.removeLayer(l));
            const g = geomap.layers[cls], m = g.getLayers().find(l => l.gmRow && l.options.title.startsWith(name));
            g.zoomToShowLayer(m, () => setTimeout(() => {
                const r = m._icon.getBoundingClientRect();
                done([r.x + r.width / 2, r.y + r.height / 2]);
            }, 400));
        })""",
        [cls, name],
    )
    page.mouse.click(*box)
    page.wait_for_selector(POPUP, timeout=5000)
    return page.inner_text(".leaflet-popup-content")


def toggle(page, label: str) -> None:
    page.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input").click()


# -- the seed map --------------------------------------------------------------------------------


def test_seed_loads_offline_with_no_errors_and_no_requests(seed):
    page, stats = seed
    assert stats["errors"] == []
    assert stats["blocked"] == []  # every request that was not file:/data:/blob: would be listed here
    assert page.evaluate("window.geomapReady") is True


def test_seed_every_event_is_drawn_in_its_class_layer(seed, seed_events):
    """Per class: markers + the events rows its polygons stand for == rows in events.geojson."""
    page, _ = seed
    expected = Counter(e["event_class"] for e in seed_events)
    got = drawn(page)
    assert {c: d["markers"] + d["areaEvents"] for c, d in got.items()} == {
        c: expected[c] for c in EVENT_STYLES
    }
    assert all(d["onMap"] for d in got.values())
    assert sum(d["pathsInPage"] for d in got.values()) == sum(d["polygons"] for d in got.values()) > 0


def test_seed_layer_control_counts_equal_events_geojson(seed, seed_events):
    page, _ = seed
    expected = Counter(e["event_class"] for e in seed_events)
    labels = control_labels(page)
    for cls, style in EVENT_STYLES.items():
        assert f"{style.label} ({expected[cls]})" in labels
    assert "Displacement (0)" not in labels and "Ceasefire (0)" not in labels


def test_seed_region_events_are_polygons_not_village_markers(seed, seed_events):
    """Area events (the ceasefire over northern Syria, the displacement from two countrysides) are
    polygons; a plain marker only ever stands on a settlement."""
    page, _ = seed
    plain = page.evaluate(
        """() => Object.values(geomap.layers).filter(g => g.gmMarkers).flatMap(g => g.gmMarkers)
                 .filter(m => m.gmRow[geomap.ef.region] === 0).map(m => m.options.title)"""
    )
    settlements = {e["location"] for e in seed_events if e["place_kind"] in SETTLEMENT_KINDS}
    assert plain and set(plain) <= settlements
    got = drawn(page)
    assert got["ceasefire"]["polygons"] == 1 and got["ceasefire"]["markers"] == 0
    assert got["displacement"]["areaEvents"] == 2


def test_seed_toggling_a_layer_hides_its_markers_and_polygons(seed):
    page, _ = seed
    before = page.locator(".leaflet-marker-pane > *").count()
    toggle(page, "Armed clash")
    assert not page.evaluate("geomap.map.hasLayer(geomap.layers.armed_clash)")
    assert page.locator(".leaflet-marker-pane > *").count() < before
    assert drawn(page)["displacement"]["pathsInPage"] == 2
    toggle(page, "Displacement")
    got = drawn(page)
    assert not got["displacement"]["onMap"] and got["displacement"]["pathsInPage"] == 0
    assert got["ceasefire"]["pathsInPage"] == 1  # the others stay
    toggle(page, "Displacement")
    assert drawn(page)["displacement"]["pathsInPage"] == 2


def test_seed_marker_popup_shows_the_arabic_sentence(seed, seed_events):
    page, _ = seed
    (row,) = [e for e in seed_events if e["event_class"] == "shelling"]
    text = click_marker(page, "shelling", row["location"])
    assert row["sentence"] in text
    assert row["location_ar"] in text
    assert page.inner_text(".leaflet-popup-content .gm-sentence mark") == row["surface"]
    assert page.get_attribute(".leaflet-popup-content .gm-sentence", "dir") == "rtl"


def test_seed_popup_waits_for_sentences_not_yet_read(seed, seed_events):
    """Sentences are a payload of their own, read on first use: a popup opened before shows them too."""
    page, _ = seed
    page.evaluate("Object.keys(geomap.texts).forEach(k => delete geomap.texts[k])")
    (row,) = [e for e in seed_events if e["event_class"] == "shelling"]
    assert row["sentence"] in click_marker(page, "shelling", row["location"])


def test_seed_area_polygon_is_clickable(seed, seed_events):
    """A click inside the northern Syria polygon opens the ceasefire with its Arabic sentence."""
    page, _ = seed
    (row,) = [e for e in seed_events if e["event_class"] == "ceasefire"]
    x, y = page.evaluate(
        """([lat, lon]) => { const p = geomap.map.latLngToContainerPoint([lat, lon]),
                                   r = geomap.map.getContainer().getBoundingClientRect();
                             return [r.x + p.x, r.y + p.y]; }""",
        [row["latitude"], row["longitude"]],
    )
    assert 0 < x < 1000 and 0 < y < 800  # inside the view, clear of the layer control
    page.mouse.click(x, y)
    page.wait_for_selector(POPUP, timeout=5000)
    text = page.inner_text(".leaflet-popup-content")
    assert row["sentence"] in text and "Ceasefire" in text


def test_seed_view_fits_the_events_not_the_broad_region(seed, seed_events):
    page, _ = seed
    south, west, north, east = page.evaluate(
        "(() => { const b = geomap.map.getBounds(); return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
    )
    for e in seed_events:
        if e["map_as"] == "marker":
            assert south < e["latitude"] < north and west < e["longitude"] < east, e["location"]
    assert page.evaluate("geomap.map.getZoom()") >= 8  # not all of northern Syria (zoom 7)


# -- hostile text --------------------------------------------------------------------------------


def test_hostile_text_runs_nothing(browser, hostile_dir):
    page, stats = open_map(browser, hostile_dir / "map.html")
    try:
        assert stats["errors"] == [] and stats["blocked"] == []
        events = json.loads((hostile_dir / "events.geojson").read_text("utf-8"))["features"]
        saraqib = [f["properties"] for f in events if "<script>" in f["properties"]["sentence"]]
        assert saraqib, "the hostile sentence made no event"
        row = saraqib[0]
        text = click_marker(page, row["event_class"], row["location"])
        assert "<script>window.__pwned=1</script>" in text and 'onerror="window.__pwned=2' in text
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
        assert stats["dialogs"] == []
    finally:
        page.close()


# -- the time slider (fixture map: its events have dates) ---------------------------------------


def test_time_slider_filters_markers_areas_and_flows(browser, fixture_map):
    page, stats = open_map(browser, fixture_map)
    try:
        assert stats["errors"] == [] and stats["blocked"] == []
        page.wait_for_function("geomap.slider !== undefined")
        assert page.evaluate("geomap.slider.dates") == [
            "2024-03-01",
            "2024-03-02",
            "2024-03-04",
            "2024-03-05",
        ]
        full = drawn(page)
        flows = "geomap.layers.flows.getLayers().length"
        assert page.evaluate(flows) == 2  # a line and its arrowhead
        page.evaluate("geomap.slider.apply(0)")  # up to 2024-03-01 (undated events stay)
        cut = drawn(page)
        assert cut["armed_clash"]["markers"] == full["armed_clash"]["markers"] == 4  # 01 or undated
        assert cut["air_strike"]["markers"] == 0 and cut["other"]["markers"] == 0
        assert cut["shelling"]["polygons"] == 1  # the southern countryside, 2024-03-01
        assert cut["displacement"]["polygons"] == 0 and cut["displacement"]["pathsInPage"] == 0
        assert page.evaluate(flows) == 0
        page.evaluate("geomap.slider.apply(geomap.slider.dates.length - 1)")
        assert drawn(page) == full and page.evaluate(flows) == 2
    finally:
        page.close()
