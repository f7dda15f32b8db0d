"""The offline map in headless Chromium: no network, no errors, markers, toggles, popups, escaping.

Run with ``pytest -m browser``; needs /usr/bin/chromium (Debian's ``chromium``) and the Python
package ``playwright`` (no browser download), plus ``npm ci`` for the offline assets.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geomap.io.write import write_html
from geomap.layers import results_to_layers
from geomap.mapview import EVENT_STYLES, build_map
from tests.fixtures_map import HOSTILE_ATTR, HOSTILE_SCRIPT, FakeGazetteer, sample_results

pytestmark = pytest.mark.browser

screenshot = pytest.importorskip("benchmarks.screenshot", reason="benchmarks/screenshot.py not importable")
pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not os.path.exists(screenshot.CHROMIUM):
    pytest.skip(f"{screenshot.CHROMIUM} is absent: apt-get install chromium", allow_module_level=True)


@pytest.fixture(scope="module")
def layers():
    return results_to_layers(sample_results(), FakeGazetteer())


@pytest.fixture(scope="module")
def map_file(layers, tmp_path_factory) -> Path:
    return write_html(
        build_map(layers, FakeGazetteer(), title="Browser test", offline=True),
        tmp_path_factory.mktemp("map") / "map.html",
    )


@pytest.fixture(scope="module")
def browser():
    with screenshot.browser() as b:
        yield b


@pytest.fixture
def page(browser, map_file):
    page, stats = screenshot.open_map(browser, map_file)
    yield page, stats
    page.close()


def marker_counts(page) -> dict[str, int]:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(geomap.layers).filter(k => geomap.layers[k].gmMarkers)"
        ".map(k => [k, geomap.layers[k].getLayers().length]))"
    )


def open_marker_popup(page, cls: str) -> str:
    """Show only ``cls``, zoom until its first marker leaves its cluster, click it; the popup text."""
    page.evaluate(
        """cls => new Promise(done => {
            Object.entries(geomap.layers).forEach(([k, l]) => k !== cls && geomap.map.removeLayer(l));
            const g = geomap.layers[cls], m = g.getLayers()[0];
            g.zoomToShowLayer(m, () => setTimeout(done, 400));
        })""",
        cls,
    )
    box = page.evaluate(
        """cls => { const r = geomap.layers[cls].getLayers()[0]._icon.getBoundingClientRect();
                    return [r.x + r.width / 2, r.y + r.height / 2]; }""",
        cls,
    )
    page.mouse.click(*box)
    page.wait_for_selector(".leaflet-popup-content .gm-popup", timeout=5000)
    return page.inner_text(".leaflet-popup-content")


def test_no_network_and_no_errors(page):
    _, stats = page
    assert stats["blocked"] == []
    assert stats["errors"] == []


def test_markers_per_layer_match_the_events_layer(page, layers):
    page, _ = page
    ev = layers["events"]
    expected = ev[ev["map_as"] == "marker"]["event_class"].value_counts().to_dict()
    assert marker_counts(page) == {cls: expected.get(cls, 0) for cls in EVENT_STYLES}


def test_toggling_a_layer_hides_its_markers(page):
    page, _ = page
    assert page.evaluate("geomap.map.hasLayer(geomap.layers.armed_clash)")
    before = page.locator(".leaflet-marker-pane > *").count()
    page.locator(".leaflet-control-layers label", has_text="Armed clash").locator("input").click()
    assert not page.evaluate("geomap.map.hasLayer(geomap.layers.armed_clash)")
    assert page.locator(".leaflet-marker-pane > *").count() < before


def test_popup_shows_the_arabic_sentence_with_the_place_marked(page):
    page, _ = page
    text = open_marker_popup(page, "shelling")
    assert "وقصفت المدفعية قصر النور وريف الزهراء الجنوبي." in text
    assert "قصر النور" in text and "Qasr al-Nour" in text
    assert page.inner_text(".leaflet-popup-content .gm-sentence mark") == "قصر النور"
    assert page.get_attribute(".leaflet-popup-content .gm-sentence", "dir") == "rtl"


def test_hostile_text_runs_nothing(page):
    page, stats = page
    text = open_marker_popup(page, "other")
    assert HOSTILE_SCRIPT in text and HOSTILE_ATTR in text
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
    assert stats["dialogs"] == []


def test_time_slider_filters_markers(page):
    page, _ = page
    total = sum(marker_counts(page).values())
    page.evaluate("geomap.slider.apply(0)")  # up to the first date only (undated stay)
    assert sum(marker_counts(page).values()) < total
