"""geomap.mapview: the folium map rendered to a string (no browser)."""

from __future__ import annotations

import json
import re

import folium
import pandas as pd
import pytest
from shapely.geometry import box

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


#: Events rows per class in the fixture events layer (markers, polygons and rings together).
FIXTURE_COUNTS = {
    "armed_clash": 4,  # three villages and the Northern hills (a mountain with no polygon: a ring)
    "shelling": 2,  # a town and the southern countryside (a polygon)
    "air_strike": 1,
    "displacement": 3,  # the city, the Warda plain and the operation area (an origin): two polygons
    "ceasefire": 1,  # Testland, a country: a ring, never a Syrian place
    "other": 1,
}


def drawn_per_class(data):
    """Events rows each class layer draws: marker rows plus area rows that stand for events rows."""
    ef, af, it = data["ef"], data["af"], data["it"]
    out = dict.fromkeys(EVENT_STYLES, 0)
    for r in data["events"]:
        out[data["classes"][r[ef["cls"]]]["id"]] += 1
    for item in data["items"]:
        out[data["classes"][item[it["cls"]]]["id"]] += sum(r[af["counted"]] for r in item[it["rows"]])
    return out


class TestLayers:
    def test_layer_control_names(self, online_page):
        """One overlay per event class with the number of its events rows, flows and heat."""
        labels = [f"{EVENT_STYLES[c].label} ({n})" for c, n in FIXTURE_COUNTS.items()]
        for label in (*labels, "Displacement flows (1)", "Heat map (settlement events)"):
            assert json.dumps(label) in online_page, label
        assert "Areas (" not in online_page  # areas are drawn in the layers of their classes
        assert online_page.rindex("L.control.layers") > online_page.rindex("geomap.eventLayer")

    def test_layer_counts_match_the_events_layer(self, layers):
        counts = layers["events"]["event_class"].value_counts().to_dict()
        assert counts == FIXTURE_COUNTS
        m = build_map(layers, None)
        names = {c.layer_name for c in m._children.values() if getattr(c, "factory", "") == "eventLayer"}
        assert names == {f"{EVENT_STYLES[c].label} ({counts.get(c, 0)})" for c in EVENT_STYLES}

    def test_every_events_row_is_drawn(self, online_page, layers):
        """Each events row is a marker, a ring or (counted once) part of an area polygon."""
        data = payloads(online_page)["geomap_events"]
        assert drawn_per_class(data) == FIXTURE_COUNTS
        ev = layers["events"]
        assert len(data["events"]) == int((ev["map_as"] != "area").sum()) == 9

    def test_areas_are_rings_or_polygons_never_village_markers(self, online_page):
        data = payloads(online_page)["geomap_events"]
        ef, s = data["ef"], data["s"]
        region = {s[r[ef["name_en"]]]: r[ef["region"]] for r in data["events"]}
        assert region["Northern hills"] == 1 and region["Testland"] == 1
        assert region["Tell al-Warda"] == 0 and region["Zahra"] == 0
        where = {s[r[ef["name_en"]]]: s[r[ef["where"]]] for r in data["events"] if r[ef["where"]] >= 0}
        assert set(where) == {"Northern hills", "Testland"}
        assert "whole mountain" in where["Northern hills"] and "country" in where["Testland"]

    def test_area_rows_without_a_polygon_become_rings(self, layers):
        """Without the areas layer, the rows it would have drawn are ring markers, still counted."""
        m = folium.Map()
        add_event_layers(m, layers["events"])
        data = payloads(m.get_root().render())["geomap_events"]
        assert data["items"] == [] and len(data["events"]) == len(layers["events"])
        assert drawn_per_class(data) == FIXTURE_COUNTS

    def test_polygons_per_class_and_role(self, online_page):
        data = payloads(online_page)["geomap_events"]
        it = data["it"]
        assert len(data["geoms"]) == 3
        got = sorted((data["classes"][i[it["cls"]]]["id"], i[it["origin"]]) for i in data["items"])
        assert got == [("displacement", 0), ("displacement", 1), ("shelling", 0)]

    def test_heat_is_off_by_default(self, layers):
        m = build_map(layers, None)
        heat = [c for c in m._children.values() if getattr(c, "factory", "") == "heatLayer"]
        assert len(heat) == 1 and heat[0].show is False

    def test_time_slider_only_with_dates(self, layers):
        m = folium.Map()
        add_event_layers(m, layers["events"], layers["areas"])
        assert "geomap.timeSlider" in m.get_root().render()
        undated = layers["events"].assign(event_date=None)
        m = folium.Map()
        add_event_layers(m, undated)
        assert "geomap.timeSlider" not in m.get_root().render()

    def test_areas_and_flows_carry_dates(self, online_page):
        """What the time slider filters besides markers: area rows and flows have their dates."""
        data = payloads(online_page)
        ev, fl = data["geomap_events"], data["geomap_flows"]
        area_dates = {ev["s"][r[ev["af"]["date"]]] for i in ev["items"] for r in i[ev["it"]["rows"]]}
        assert area_dates == {"2024-03-01", "2024-03-02"}
        assert [fl["s"][f[fl["ff"]["date"]]] for f in fl["flows"]] == ["2024-03-02"]

    def test_fatalities_in_the_popup_data(self, layers):
        """A ``fatalities`` column, when the events layer has one, reaches the popups."""
        events = layers["events"].assign(fatalities=pd.array([5] + [None] * 11, dtype="Int64"))
        m = folium.Map()
        add_event_layers(m, events)
        data = payloads(m.get_root().render())["geomap_events"]
        fatal = [data["s"][r[data["ef"]["fatal"]]] for r in data["events"] if r[data["ef"]["fatal"]] >= 0]
        assert fatal == ["5"]

    def test_add_functions_return_layers(self, layers):
        m = folium.Map()
        assert set(add_event_layers(m, layers["events"], layers["areas"])) == set(EVENT_STYLES)
        assert add_area_layer(m, layers["areas"]).layer_name == "Areas (3)"
        assert add_flow_layer(m, layers["flows"]).layer_name == "Displacement flows (1)"

    def test_empty_layers_make_a_map(self):
        page = render_html(build_map(results_to_layers([], FakeGazetteer()), None), offline=False)
        assert "Armed clash (0)" in page and "fitBounds" in page

    def test_fits_the_data(self, online_page):
        assert fitted(online_page) == (34.6, 36.6, 35.5, 37.5)  # the operation area reaches 35.5

    def test_broad_areas_do_not_set_the_view(self, layers):
        """A region over half the country is drawn, but the view fits the rest of the map."""
        broad = layers["areas"].iloc[[0]].copy()
        broad["gazetteer_id"] = "geomap:big"
        broad = broad.set_geometry([box(36.0, 34.0, 40.0, 37.0)], crs=layers["areas"].crs)
        with_broad = {**layers, "areas": pd.concat([layers["areas"], broad], ignore_index=True)}
        page = render_html(build_map(with_broad, None), offline=False)
        assert fitted(page) == (34.6, 36.6, 35.5, 37.5)
        only_broad = {"events": layers["events"].iloc[:0], "areas": broad}
        assert fitted(render_html(build_map(only_broad, None), offline=False)) == (34.0, 36.0, 37.0, 40.0)

    def test_title_and_attribution(self, online_page):
        assert '<div class="gm-title" dir="auto">Test map</div>' in online_page
        assert "<title>Test map</title>" in online_page
        assert json.dumps(ATTRIBUTION, ensure_ascii=False) in online_page

    def test_flow_weight_grows_with_count(self, online_page):
        flows = payloads(online_page)["geomap_flows"]
        (flow,) = flows["flows"]
        assert 8 < flow[flows["ff"]["weight"]] < 9  # 2 + 2 log10(1501)


def fitted(page):
    bounds = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", page, re.S).group(1)
    (south, west), (north, east) = json.loads(bounds)
    return (south, west, north, east)


class TestEscaping:
    def test_hostile_text_never_raw(self, online_page):
        """Article text reaches the page only as escaped JSON data."""
        for raw in (HOSTILE_SCRIPT, HOSTILE_ATTR, "<img", "<script>window.__pwned", "{{ 7*7 }}", "{% if"):
            assert raw not in online_page, raw

    def test_hostile_text_survives_as_data(self, online_page):
        """The JSON decodes back to the original text (shown with textContent in the browser)."""
        texts = payloads(online_page)["geomap_events_text"]
        assert any(HOSTILE_SCRIPT in s and HOSTILE_ATTR in s and HOSTILE_JINJA in s for s in texts["s"])
        data = payloads(online_page)["geomap_events"]
        assert HOSTILE_SCRIPT in data["s"] and HOSTILE_ATTR in data["s"]  # the source, the actor

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
