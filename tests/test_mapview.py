"""geomap.mapview: the folium map rendered to a string (no browser)."""

from __future__ import annotations

import json
import re

import folium
import pytest

from geomap.errors import OutputError
from geomap.io import assets
from geomap.io.write import write_html
from geomap.layers import results_to_layers
from geomap.mapview import (
    ATTRIBUTION,
    EVENT_STYLES,
    PAYLOAD_TYPE,
    add_area_layer,
    add_event_layers,
    add_flow_layer,
    build_map,
    decode_payload,
    render_html,
)
from tests.fixtures_map import HOSTILE_ATTR, HOSTILE_JINJA, HOSTILE_SCRIPT, FakeGazetteer, sample_results

_PAYLOAD_RE = re.compile(
    rf'<script type="{re.escape(PAYLOAD_TYPE)}" id="(geomap_\w+?)_[0-9a-f]+">(.*?)</script>', re.S
)
_EXTERNAL_RE = re.compile(
    r"""<(?:script|link|img|iframe|source|embed|object|video|audio)\b[^>]*\b(?:src|href)\s*=\s*["']?https?:""",
    re.I,
)


@pytest.fixture(scope="module")
def layers():
    return results_to_layers(sample_results(), FakeGazetteer())


@pytest.fixture(scope="module")
def online_page(layers):
    return render_html(build_map(layers, FakeGazetteer(), title="Test map"), offline=False)


def payloads(page):
    return {name: decode_payload(text) for name, text in _PAYLOAD_RE.findall(page)}


def has_assets():
    try:
        for asset in assets.ASSETS.values():
            assets.find_asset(asset)
    except OutputError:
        return False
    return True


needs_assets = pytest.mark.skipif(not has_assets(), reason="offline assets missing: run `npm ci`")


@pytest.fixture(scope="module")
def offline_page(layers):
    if not has_assets():
        pytest.skip("offline assets missing: run `npm ci`")
    return render_html(build_map(layers, FakeGazetteer(), title="Test map", offline=True), offline=True)


class TestLayers:
    def test_layer_control_names(self, online_page):
        """One overlay per event class (with its marker count), areas, flows and heat."""
        for label in (
            "Armed clash (4)",
            "Shelling (1)",
            "Air strike (1)",
            "Displacement (1)",
            "Ceasefire (0)",
            "Other (1)",
            "Areas (3)",
            "Displacement flows (1)",
            "Heat map (all events)",
        ):
            assert json.dumps(label) in online_page, label
        assert online_page.rindex("L.control.layers") > online_page.rindex("geomap.eventLayer")

    def test_marker_rows_exclude_areas_and_countries(self, online_page, layers):
        events = payloads(online_page)["geomap_events"]
        ev = layers["events"]
        assert len(events["events"]) == int((ev["map_as"] == "marker").sum()) == 8

    def test_heat_is_off_by_default(self, layers):
        m = build_map(layers, None)
        heat = [c for c in m._children.values() if getattr(c, "factory", "") == "heatLayer"]
        assert len(heat) == 1 and heat[0].show is False

    def test_time_slider_only_with_dates(self, layers):
        m = folium.Map()
        add_event_layers(m, layers["events"])
        assert "geomap.timeSlider" in m.get_root().render()
        undated = layers["events"].assign(event_date=None)
        m = folium.Map()
        add_event_layers(m, undated)
        assert "geomap.timeSlider" not in m.get_root().render()

    def test_add_functions_return_layers(self, layers):
        m = folium.Map()
        assert set(add_event_layers(m, layers["events"])) == set(EVENT_STYLES)
        assert add_area_layer(m, layers["areas"]).layer_name == "Areas (3)"
        assert add_flow_layer(m, layers["flows"]).layer_name == "Displacement flows (1)"

    def test_empty_layers_make_a_map(self):
        page = render_html(build_map(results_to_layers([], FakeGazetteer()), None), offline=False)
        assert "Armed clash (0)" in page and "fitBounds" in page

    def test_fits_the_data(self, online_page):
        bounds = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", online_page, re.S).group(1)
        (south, west), (north, east) = json.loads(bounds)
        assert (south, west, north, east) == (34.6, 36.6, 35.5, 37.5)  # the operation area reaches 35.5

    def test_title_and_attribution(self, online_page):
        assert '<div class="gm-title" dir="auto">Test map</div>' in online_page
        assert "<title>Test map</title>" in online_page
        assert json.dumps(ATTRIBUTION, ensure_ascii=False) in online_page

    def test_areas_grouped_by_geometry(self, online_page):
        areas = payloads(online_page)["geomap_areas"]
        assert len(areas["geoms"]) == 3
        assert sorted(it[2] for it in areas["items"]) == [0, 0, 1]  # one origin-only area

    def test_flow_weight_grows_with_count(self, online_page):
        flows = payloads(online_page)["geomap_flows"]
        (flow,) = flows["flows"]
        assert 8 < flow[flows["ff"]["weight"]] < 9  # 2 + 2 log10(1501)


class TestEscaping:
    def test_hostile_text_never_raw(self, online_page):
        """Article text reaches the page only as escaped JSON data."""
        for raw in (HOSTILE_SCRIPT, HOSTILE_ATTR, "<img", "<script>window.__pwned", "{{ 7*7 }}", "{% if"):
            assert raw not in online_page, raw

    def test_hostile_text_survives_as_data(self, online_page):
        """The JSON decodes back to the original text (shown with textContent in the browser)."""
        data = payloads(online_page)["geomap_events"]
        assert any(HOSTILE_SCRIPT in s and HOSTILE_ATTR in s and HOSTILE_JINJA in s for s in data["s"])

    def test_hostile_title(self, layers):
        page = render_html(build_map(layers, None, title=HOSTILE_SCRIPT + HOSTILE_JINJA), offline=False)
        assert HOSTILE_SCRIPT not in page and "{{ 7*7 }}" not in page
        assert "&lt;script&gt;" in page
        assert ">49<" not in page  # Jinja did not run it: the braces stay as entities
        assert "&#123;&#123; 7*7 &#125;&#125;" in page

    def test_only_http_links_are_kept(self, online_page):
        data = payloads(online_page)["geomap_events"]
        urls = [data["s"][r[data["ef"]["url"]]] for r in data["events"] if r[data["ef"]["url"]] >= 0]
        assert urls and all(u.startswith("https://") for u in urls)


class TestOffline:
    def test_online_uses_tiles_and_cdn(self, online_page):
        assert "tile.openstreetmap.org" in online_page
        assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"' in online_page
        assert "jquery" not in online_page.lower() and "bootstrap" not in online_page.lower()
        assert "font-awesome" not in online_page.lower() and "fontawesome" not in online_page.lower()

    @needs_assets
    def test_offline_page_loads_nothing(self, offline_page):
        assert not _EXTERNAL_RE.search(offline_page)
        assert 'src="http' not in offline_page and "<link" not in offline_page
        assert "tile.openstreetmap.org" not in offline_page
        assert "L.markerClusterGroup" in offline_page and "L.heatLayer" in offline_page
        assert "url(images/" not in offline_page and "data:image/png;base64," in offline_page

    @needs_assets
    def test_offline_base_map(self, offline_page):
        assert "Admin boundaries (OCHA)" in offline_page
        admin = payloads(offline_page)["geomap_admin"]
        assert sorted(row[0] for row in admin["admin"]) == [1, 2]

    def test_unknown_external_script_is_refused(self):
        with pytest.raises(OutputError, match="no offline copy"):
            assets.inline_assets('<script src="https://example.org/x.js"></script>')

    def test_missing_node_modules(self, monkeypatch, tmp_path):
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(assets, "_node_modules_dirs", lambda: [tmp_path / "node_modules"])
        assets._inline_content.cache_clear()
        try:
            with pytest.raises(OutputError, match="npm ci"):
                assets.inline_assets(f'<script src="{assets.ASSETS["leaflet"].url}"></script>')
        finally:
            assets._inline_content.cache_clear()

    @needs_assets
    def test_write_html_uses_the_maps_mode(self, layers, tmp_path):
        path = write_html(build_map(layers, FakeGazetteer(), offline=True), tmp_path / "map.html")
        page = path.read_text("utf-8")
        assert 'src="http' not in page and "Admin boundaries (OCHA)" in page
