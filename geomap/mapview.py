"""GeoDataFrames -> a folium map: one layer per event class, areas, flows, heat, time slider.

The layers carry their data as one compact JSON block each (a string table plus rows of numbers),
and a small JavaScript runtime (``_RUNTIME_JS``) turns the rows into Leaflet layers in the
browser: clustered markers per event class, shaded area polygons, flow arrows, a heat layer and
a time slider.  Popups are built lazily, on first opening, with DOM calls: article text is only
ever assigned as ``textContent`` (and source links only as ``http(s)`` ``href``), never parsed as
HTML, so hostile text shows as text.  Inside the page the JSON escapes ``<``, ``>``, ``&`` and
Jinja's ``{{``/``{%``/``{#``, so it can close no ``<script>`` and start no template.

This keeps a 100,000-event map small and fast (see ``benchmarks/map_size.py``), where one
folium ``Marker`` with its popup HTML per event would not be.

Offline (``offline=True``) the map has no tiles: the gazetteer's admin boundaries are its base
layer, and ``render_html(m, offline=True)`` inlines Leaflet and the plugins from installed
packages (``geomap.io.assets``).
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geomap.io import assets
from geomap.model import EventType, Place

__all__ = [
    "ATTRIBUTION",
    "EVENT_STYLES",
    "add_area_layer",
    "add_event_layers",
    "add_flow_layer",
    "build_map",
    "render_html",
]

ATTRIBUTION = "Gazetteer: OCHA/HDX (CC BY 3.0 IGO), GeoNames (CC BY 4.0), OpenSyria (CC BY 4.0)"

#: Syria, for a map with nothing on it: ((south, west), (north, east)).
_SYRIA_BOUNDS = ((32.3, 35.6), (37.4, 42.4))
_FLOW_COLOR = "#08306b"


@dataclass(frozen=True, slots=True)
class EventStyle:
    """How one event class looks: legend label, colour and an SVG glyph (white on the colour)."""

    label: str
    color: str
    glyph: str  # SVG elements drawn in a 22x22 box

    def icon(self, size: int = 22) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 22 22" '
            f'aria-hidden="true"><circle cx="11" cy="11" r="10" fill="{self.color}" stroke="#fff" '
            f'stroke-width="1.5"/><g fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" '
            f'stroke-linejoin="round">{self.glyph}</g></svg>'
        )


EVENT_STYLES: dict[str, EventStyle] = {
    EventType.ARMED_CLASH.value: EventStyle("Armed clash", "#d7301f", '<path d="M7 7l8 8M15 7l-8 8"/>'),
    EventType.SHELLING.value: EventStyle(
        "Shelling",
        "#ec7014",
        '<path d="M11 5v3M11 14v3M5 11h3M14 11h3M7 7l2 2M13 13l2 2M15 7l-2 2M9 13l-2 2"/>',
    ),
    EventType.AIR_STRIKE.value: EventStyle("Air strike", "#6a51a3", '<path d="M6.5 7.5h9L11 16z"/>'),
    EventType.DISPLACEMENT.value: EventStyle(
        "Displacement", "#2171b5", '<path d="M5.5 11h10M12 7.5l3.5 3.5-3.5 3.5"/>'
    ),
    EventType.CEASEFIRE.value: EventStyle("Ceasefire", "#238b45", '<path d="M6.5 9h9M6.5 13h9"/>'),
    EventType.OTHER.value: EventStyle("Other", "#636363", '<circle cx="11" cy="11" r="2" fill="#fff"/>'),
}
_CLASS_IDS = tuple(EVENT_STYLES)
#: The type of the <script> elements that hold a layer's data (not run by the browser).
PAYLOAD_TYPE = "application/geomap+gzip+base64"
_CLASS_INDEX = {c: i for i, c in enumerate(_CLASS_IDS)}

#: ACLED geo_precision, in words.
_GEO_PRECISION = {1: "1 · the place itself", 2: "2 · near it, or part of a region", 3: "3 · region only"}
#: ACLED time_precision, in words.
_TIME_PRECISION = {1: "day", 2: "week", 3: "month or less precise"}

_STRONG_RE = re.compile(r"[A-Za-z\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_HTTP_RE = re.compile(r"^https?://", re.IGNORECASE)
#: What must not appear raw in JSON placed in a page: closing tags, entities, Jinja openers.
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("{{", "{\\u007b"),
    ("{%", "{\\u0025"),
    ("{#", "{\\u0023"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)

#: Column order of one event row in the page's JSON (``ef`` maps the names to positions in JS).
_EVENT_FIELDS = (
    "lat", "lon", "cls", "date", "name_ar", "name_en", "type", "when", "count", "precision",
    "actors", "status", "source", "sentence", "ms", "me", "rtl", "url",
)  # fmt: skip
_AREA_FIELDS = ("type", "when", "count", "status", "sentence", "ms", "me", "rtl", "url")
_FLOW_FIELDS = (
    "lat1", "lon1", "lat2", "lon2", "weight", "angle", "known", "o_ar", "o_en", "d_ar", "d_en",
    "count", "when", "sentence", "rtl", "url",
)  # fmt: skip


class Gazetteer(Protocol):
    """What the map needs from a gazetteer: the admin boundaries of the offline base map."""

    def admin_areas(self, level: int) -> list[tuple[Place, BaseGeometry]]: ...


# -- public API ---------------------------------------------------------------------------------


def build_map(
    layers: Mapping[str, gpd.GeoDataFrame],
    gazetteer: Gazetteer | None,
    *,
    title: str = "geomap",
    offline: bool = False,
) -> folium.Map:
    """The event map of ``layers`` (as made by ``geomap.layers.results_to_layers``).

    Parameters
    ----------
    layers:
        ``{"events", "flows", "areas"}`` GeoDataFrames in EPSG:4326 (missing keys are empty).
    gazetteer:
        Gives the admin boundaries (levels 1 and 2) drawn as the base layer when ``offline``.
    title:
        Shown on the map and as the page title.
    offline:
        No tiles, admin boundaries as the base layer, and (in ``render_html``) every script and
        stylesheet inlined, so the saved page makes no network request.

    Returns
    -------
    folium.Map
        With ``geomap_offline`` set, which ``geomap.io.write.write_html`` reads.
    """
    m = folium.Map(
        location=[35.0, 38.5],
        zoom_start=7,
        tiles=None if offline else "OpenStreetMap",
        control_scale=True,
    )
    m.options.update(max_zoom=18, min_zoom=3)  # clustering needs a max zoom even without tiles
    m.geomap_offline = offline
    m.default_js = assets.js_links("leaflet")  # this map's own lists: folium's are shared
    m.default_css = assets.css_links("leaflet_css")
    m.get_root().title = _neutral(html.escape(title))
    _runtime(m, offline)
    if offline and gazetteer is not None:
        _add_admin_base(m, gazetteer)
    events, flows, areas = (layers.get(k) for k in ("events", "flows", "areas"))
    if areas is not None and len(areas):
        add_area_layer(m, areas)
    if flows is not None and len(flows):
        add_flow_layer(m, flows)
    add_event_layers(m, events if events is not None else _empty_events())
    m.get_root().html.add_child(_Raw(_title_html(title)), name="geomap_title")
    m.get_root().html.add_child(_Raw(_legend_html(events, flows, areas)), name="geomap_legend")
    m.add_child(_Script(f"{m.get_name()}.attributionControl.addAttribution({_json(ATTRIBUTION)});"))
    m.fit_bounds(_bounds(events, flows, areas))
    m.add_child(_Script("geomap.settle();"))
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m


def add_event_layers(
    m: folium.Map, events: gpd.GeoDataFrame, *, heat: bool = True, time_slider: bool = True
) -> dict[str, Layer]:
    """One clustered marker layer per event class, a heat layer (off) and a time slider.

    Rows whose ``map_as`` is not ``marker`` (areas, countries) get no marker.  The time slider
    is added when some event has a date.  Returns ``{event class: layer}``.
    """
    _runtime(m)
    marker_rows = events if "map_as" not in events else events[events["map_as"].fillna("marker") == "marker"]
    data = _Payload("events", _event_payload(marker_rows))
    m.add_child(data)
    counts = marker_rows["event_class"].value_counts() if len(marker_rows) else pd.Series(dtype=int)
    out: dict[str, Layer] = {}
    for (cls, style), meta in zip(EVENT_STYLES.items(), _classes(), strict=True):
        n = int(counts.get(cls, 0))
        layer = _RuntimeLayer(
            "eventLayer", data, {"cls": _CLASS_INDEX[cls], "n": n, "style": meta}, name=f"{style.label} ({n})",
            js=assets.js_links("markercluster"), css=assets.css_links("markercluster_css"),
        )  # fmt: skip
        out[cls] = layer.add_to(m)
    heat_layer = None
    if heat and len(marker_rows):
        heat_layer = _RuntimeLayer(
            "heatLayer",
            data,
            {},
            name="Heat map (all events)",
            show=False,
            js=assets.js_links("leaflet_heat"),
        ).add_to(m)
    if time_slider and marker_rows["event_date"].notna().any():
        groups = ", ".join(layer.get_name() for layer in out.values())
        heat_name = heat_layer.get_name() if heat_layer is not None else "null"
        m.add_child(
            _Script(f"geomap.timeSlider({m.get_name()}, {data.get_name()}, [{groups}], {heat_name});")
        )
    return out


def add_flow_layer(m: folium.Map, flows: gpd.GeoDataFrame) -> Layer:
    """Displacement flows as lines origin -> destination with an arrowhead; weight ~ log(count)."""
    _runtime(m)
    data = _Payload("flows", _flow_payload(flows))
    m.add_child(data)
    return _RuntimeLayer("flowLayer", data, {}, name=f"Displacement flows ({len(flows)})").add_to(m)


def add_area_layer(m: folium.Map, areas: gpd.GeoDataFrame) -> Layer:
    """Areas named by events (countrysides, plains, operation areas …) as shaded polygons.

    One polygon per (area, event class, role); its popup lists the events.  Origin-only
    displacement areas are dashed and lighter.
    """
    _runtime(m)
    data = _Payload("areas", _area_payload(areas))
    m.add_child(data)
    n = areas["gazetteer_id"].nunique() if len(areas) else 0
    return _RuntimeLayer("areaLayer", data, {}, name=f"Areas ({n})").add_to(m)


def render_html(m: folium.Map, offline: bool) -> str:
    """The final page: folium's render, with every script and stylesheet inlined if ``offline``."""
    page = m.get_root().render()
    return assets.inline_assets(page) if offline else page


# -- payloads (the JSON each layer carries) -----------------------------------------------------


class _Strings:
    """A string table: each distinct text is stored once, rows hold its index (-1: none)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, value: Any) -> int:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == "":
            return -1
        text = str(value)
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self.items)
            self.items.append(text)
        return i


def _column(gdf: gpd.GeoDataFrame, name: str) -> list[Any]:
    """A column as Python values, missing values as None, an absent column as all None."""
    if name not in gdf:
        return [None] * len(gdf)
    col = gdf[name]
    return [
        None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v
        for v in col.tolist()
    ]


def _int(value: Any, default: int = -1) -> int:
    return default if value is None else int(value)


@functools.lru_cache(maxsize=65536)
def _rtl(text: str | None) -> int:
    """1 when the first strongly directional letter is Arabic (what ``dir="auto"`` would decide)."""
    m = _STRONG_RE.search(text) if text else None
    return int(bool(m) and not m.group().isascii())


def _safe_url(url: Any) -> str | None:
    return url if isinstance(url, str) and _HTTP_RE.match(url) else None


def _count_text(best: Any, low: Any, high: Any, what: Any) -> str | None:
    if best is None:
        return None
    text = f"{int(best):,}"
    if low is not None and high is not None and (low != best or high != best):
        text += f" ({int(low):,}–{int(high):,})"
    return f"{text} {what}" if what else text


def _when(date: Any, precision: Any) -> str | None:
    if date is None:
        return None
    words = _TIME_PRECISION.get(_int(precision))
    return f"{date} ({words})" if words else str(date)


def _type_text(event_type: Any, sub_event_type: Any) -> str | None:
    parts = [p for p in (event_type, sub_event_type) if p]
    return " · ".join(dict.fromkeys(parts)) or None


def _event_payload(events: gpd.GeoDataFrame) -> dict[str, Any]:
    s = _Strings()
    dates = sorted({d for d in _column(events, "event_date") if d is not None})
    date_index = {d: i for i, d in enumerate(dates)}
    xs, ys = (events.geometry.x.tolist(), events.geometry.y.tolist()) if len(events) else ([], [])
    c = {name: _column(events, name) for name in (
        "event_class", "event_date", "time_precision", "location_ar", "location", "event_type",
        "sub_event_type", "count_best", "count_low", "count_high", "count_what", "geo_precision",
        "feature", "actor1", "actor2", "status", "source", "sentence", "mark_start", "mark_end",
        "source_url",
    )}  # fmt: skip
    rows = []
    for i in range(len(events)):
        sentence = c["sentence"][i]
        precision = _GEO_PRECISION.get(_int(c["geo_precision"][i]))
        if precision and c["feature"][i]:
            precision += f" ({c['feature'][i]})"
        actors = " — ".join(a for a in (c["actor1"][i], c["actor2"][i]) if a) or None
        row = [
            round(ys[i], 5),
            round(xs[i], 5),
            _CLASS_INDEX.get(c["event_class"][i], _CLASS_INDEX[EventType.OTHER.value]),
            date_index.get(c["event_date"][i], -1),
            s(c["location_ar"][i]),
            s(c["location"][i]),
            s(_type_text(c["event_type"][i], c["sub_event_type"][i])),
            s(_when(c["event_date"][i], c["time_precision"][i])),
            s(_count_text(c["count_best"][i], c["count_low"][i], c["count_high"][i], c["count_what"][i])),
            s(precision),
            s(actors),
            s(c["status"][i]),
            s(c["source"][i]),
            s(sentence),
            _int(c["mark_start"][i]),
            _int(c["mark_end"][i]),
            _rtl(sentence),
            s(_safe_url(c["source_url"][i])),
        ]
        rows.append(row)
    return {"ef": _fields(_EVENT_FIELDS), "classes": _classes(), "dates": dates, "events": rows, "s": s.items}


def _area_payload(areas: gpd.GeoDataFrame) -> dict[str, Any]:
    s = _Strings()
    geoms: list[dict[str, Any]] = []
    geom_index: dict[str, int] = {}
    items: dict[tuple[int, int, int], list[Any]] = {}
    c = {name: _column(areas, name) for name in (
        "gazetteer_id", "name_ar", "name_en", "place_kind", "event_class", "role", "event_type",
        "sub_event_type", "event_date", "count_best", "count_low", "count_high", "count_what",
        "status", "sentence", "mark_start", "mark_end", "source_url",
    )}  # fmt: skip
    geometries = areas.geometry.tolist()
    for i in range(len(areas)):
        gid = c["gazetteer_id"][i]
        if gid not in geom_index:
            geom_index[gid] = len(geoms)
            geoms.append(_geojson(geometries[i], tolerance=0.001))
        cls = _CLASS_INDEX.get(c["event_class"][i], _CLASS_INDEX[EventType.OTHER.value])
        role = int(c["role"][i] == "origin")
        key = (geom_index[gid], cls, role)
        if key not in items:
            items[key] = [*key, s(c["name_ar"][i]), s(c["name_en"][i]), s(c["place_kind"][i]), []]
        sentence = c["sentence"][i]
        items[key][-1].append(
            [
                s(_type_text(c["event_type"][i], c["sub_event_type"][i])),
                s(_when(c["event_date"][i], None)),
                s(_count_text(c["count_best"][i], c["count_low"][i], c["count_high"][i], c["count_what"][i])),
                s(c["status"][i]),
                s(sentence),
                _int(c["mark_start"][i]),
                _int(c["mark_end"][i]),
                _rtl(sentence),
                s(_safe_url(c["source_url"][i])),
            ]
        )
    return {
        "af": _fields(_AREA_FIELDS),
        "classes": _classes(),
        "geoms": geoms,
        "items": list(items.values()),
        "s": s.items,
    }


def _flow_payload(flows: gpd.GeoDataFrame) -> dict[str, Any]:
    s = _Strings()
    c = {name: _column(flows, name) for name in (
        "origin_name_ar", "origin_name_en", "destination_name_ar", "destination_name_en", "count_best",
        "count_low", "count_high", "count_what", "event_date", "sentence", "source_url",
    )}  # fmt: skip
    rows = []
    for i, line in enumerate(flows.geometry.tolist()):
        (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[-1]
        best = c["count_best"][i]
        sentence = c["sentence"][i]
        rows.append(
            [
                round(lat1, 5),
                round(lon1, 5),
                round(lat2, 5),
                round(lon2, 5),
                _flow_weight(best),
                _screen_angle(lat1, lon1, lat2, lon2),
                int(best is not None),
                s(c["origin_name_ar"][i]),
                s(c["origin_name_en"][i]),
                s(c["destination_name_ar"][i]),
                s(c["destination_name_en"][i]),
                s(_count_text(best, c["count_low"][i], c["count_high"][i], c["count_what"][i])),
                s(_when(c["event_date"][i], None)),
                s(sentence),
                _rtl(sentence),
                s(_safe_url(c["source_url"][i])),
            ]
        )
    return {"ff": _fields(_FLOW_FIELDS), "color": _FLOW_COLOR, "flows": rows, "s": s.items}


def _admin_payload(gazetteer: Gazetteer) -> dict[str, Any]:
    s = _Strings()
    rows = []
    for level, tolerance in ((1, 0.004), (2, 0.004)):  # districts drawn over governorates
        for place, geom in gazetteer.admin_areas(level):
            if geom is None or geom.is_empty:
                continue
            rows.append(
                [level, _geojson(geom, tolerance), s(place.name_ar), s(place.name_en), place.lat, place.lon]
            )
    return {"admin": rows, "s": s.items}


def _fields(names: Sequence[str]) -> dict[str, int]:
    return {n: i for i, n in enumerate(names)}


def _classes() -> list[dict[str, str]]:
    return [
        {"id": c, "label": st.label, "color": st.color, "icon": st.icon()} for c, st in EVENT_STYLES.items()
    ]


def _geojson(geom: BaseGeometry, tolerance: float) -> dict[str, Any]:
    """A geometry for the page: simplified, coordinates rounded to ~10 m."""
    simple = geom.simplify(tolerance, preserve_topology=True)
    rounded = shapely.transform(simple if not simple.is_empty else geom, lambda xy: np.round(xy, 4))
    return mapping(rounded)


def _flow_weight(count: Any) -> float:
    """Line weight in pixels: 2 for an unknown count, growing with log10(count)."""
    if count is None:
        return 2.0
    return round(min(14.0, 2.0 + 2.0 * math.log10(1 + max(0, int(count)))), 1)


def _screen_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Clockwise angle in degrees of the line on a Web Mercator screen (x right, y down)."""

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))

    dx = math.radians(lon2 - lon1)
    dy = -(merc_y(lat2) - merc_y(lat1))
    return round(math.degrees(math.atan2(dy, dx)), 1)


def _bounds(*frames: gpd.GeoDataFrame | None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of what is drawn; Syria's part of it when there is one.

    Events far away (talks in Geneva or Astana) stay on the map but do not set its first view.
    """
    xy = [np.empty((0, 2))]
    for gdf in frames:
        if gdf is None or not len(gdf):
            continue
        if "map_as" in gdf:
            gdf = gdf[gdf["map_as"] != "none"]
        b = gdf.geometry.bounds.to_numpy()
        xy += [b[:, [0, 1]], b[:, [2, 3]]]
    points = np.concatenate(xy)
    (s, w), (n, e) = _SYRIA_BOUNDS
    inside = (points[:, 0] >= w) & (points[:, 0] <= e) & (points[:, 1] >= s) & (points[:, 1] <= n)
    if inside.any():
        points = points[inside]
    if not len(points):
        return [[s, w], [n, e]]
    (w, s), (e, n) = points.min(axis=0), points.max(axis=0)
    pad = 0.05 if (e - w) < 0.1 and (n - s) < 0.1 else 0.0  # one point: show its surroundings
    return [[float(s - pad), float(w - pad)], [float(n + pad), float(e + pad)]]


def _empty_events() -> gpd.GeoDataFrame:
    from geomap.layers import empty_layer

    return empty_layer("events")


# -- page elements ------------------------------------------------------------------------------


def _json(obj: Any) -> str:
    """JSON that is safe inside a page: it closes no element and opens no Jinja block."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JSON_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _neutral(text: str) -> str:
    """Escaped HTML text that also opens no Jinja block when folium renders it again."""
    return text.replace("{", "&#123;").replace("}", "&#125;")


class _Raw(Element):
    """Text placed in the page as it is, with no Jinja pass (data and code hold braces)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _Script(MacroElement):
    """A line of JavaScript run in order with the map's other scripts."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "GeomapScript"
        self.code = code

    def render(self, **kwargs: Any) -> None:
        self.get_root().script.add_child(_Raw(self.code), name=self.get_name())


class _Payload(MacroElement):
    """A layer's data: gzipped JSON in base64 in the page, decoded once into a JS promise."""

    def __init__(self, kind: str, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = f"geomap_{kind}"
        self.payload = payload

    def render(self, **kwargs: Any) -> None:
        figure, name = self.get_root(), self.get_name()
        figure.html.add_child(
            _Raw(f'<script type="{PAYLOAD_TYPE}" id="{name}">{encode_payload(self.payload)}</script>'),
            name=name,
        )
        figure.script.add_child(_Raw(f'var {name} = geomap.load("{name}");'), name=name)


def encode_payload(payload: dict[str, Any]) -> str:
    """JSON -> gzip (reproducible: no timestamp) -> base64: what a ``_Payload`` puts in the page."""
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def decode_payload(text: str) -> dict[str, Any]:
    """The inverse of ``encode_payload`` (for tests and tools reading a saved map)."""
    return json.loads(gzip.decompress(base64.b64decode(text)))


class _RuntimeLayer(JSCSSMixin, Layer):
    """A layer the geomap runtime builds from a payload: ``geomap.<factory>(map, data, args)``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geomap.{{ this.factory }}(
            {{ this._parent.get_name() }}, {{ this.data.get_name() }}, {{ this.args|tojson }}
        );
        {% endmacro %}
        """
    )

    def __init__(
        self,
        factory: str,
        data: _Payload,
        args: dict[str, Any],
        *,
        name: str,
        overlay: bool = True,
        show: bool = True,
        js: list[tuple[str, str]] | None = None,
        css: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=overlay, control=True, show=show)
        self._name = "GeomapLayer"
        self.factory = factory
        self.data = data
        self.args = {**args, "show": show}
        self.default_js = js or []
        self.default_css = css or []


class _Runtime(MacroElement):
    """The geomap JavaScript runtime and stylesheet, once per map."""

    def __init__(self, offline: bool) -> None:
        super().__init__()
        self._name = "geomap_runtime"
        self.offline = offline

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        css = _CSS + (_OFFLINE_CSS if self.offline else "")
        figure.header.add_child(_Raw(f"<style>{css}</style>"), name="geomap_css")
        figure.script.add_child(_Raw(_RUNTIME_JS), name="geomap_runtime")


def _runtime(m: folium.Map, offline: bool | None = None) -> None:
    """Add the runtime to ``m`` once, before the first layer that needs it."""
    if "geomap_runtime" not in m._children:
        m.add_child(_Runtime(bool(offline if offline is not None else getattr(m, "geomap_offline", False))),
                    name="geomap_runtime")  # fmt: skip


def _add_admin_base(m: folium.Map, gazetteer: Gazetteer) -> Layer:
    data = _Payload("admin", _admin_payload(gazetteer))
    m.add_child(data)
    return _RuntimeLayer("adminLayer", data, {}, name="Admin boundaries (OCHA)", overlay=False).add_to(m)


def _title_html(title: str) -> str:
    return f'<div class="gm-title" dir="auto">{_neutral(html.escape(title))}</div>'


def _legend_html(*frames: gpd.GeoDataFrame | None) -> str:
    events, flows, areas = frames
    rows = [
        f'<div class="gm-legend-row">{st.icon(16)}<span>{html.escape(st.label)}</span></div>'
        for st in EVENT_STYLES.values()
    ]
    rows.append(
        '<div class="gm-legend-row"><span class="gm-swatch gm-swatch-area"></span><span>Area named by an event'
        "</span></div>"
    )
    rows.append(
        '<div class="gm-legend-row"><span class="gm-swatch gm-swatch-origin"></span><span>Origin area of '
        "displacement</span></div>"
    )
    rows.append(
        f'<div class="gm-legend-row"><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path '
        f'd="M1 8h10" stroke="{_FLOW_COLOR}" stroke-width="3"/><path d="M9 3l6 5-6 5z" fill="{_FLOW_COLOR}"/>'
        "</svg><span>Displacement flow (width ~ log count)</span></div>"
    )
    return f'<div class="gm-legend" role="region" aria-label="Legend"><b>Events</b>{"".join(rows)}</div>'


_CSS = """
.gm-title{position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;background:#fffe;
 padding:4px 12px;border-radius:4px;font:600 16px/1.4 system-ui,sans-serif;box-shadow:0 1px 4px #0004}
.gm-legend{position:absolute;bottom:28px;right:10px;z-index:1000;background:#fffe;padding:6px 10px;
 border-radius:4px;font:12px/1.5 system-ui,sans-serif;box-shadow:0 1px 4px #0004}
.gm-legend-row{display:flex;align-items:center;gap:6px}
.gm-swatch{display:inline-block;width:14px;height:10px;border:1.5px solid #555}
.gm-swatch-area{background:#5556}.gm-swatch-origin{background:#2171b522;border:1.5px dashed #2171b5}
.gm-icon{background:none;border:none}.gm-arrow{background:none;border:none}
.gm-cluster{background:none;border:none}
.gm-cluster div{width:100%;height:100%;box-sizing:border-box;border-radius:50%;display:flex;align-items:center;
 justify-content:center;color:#fff;font:600 12px system-ui,sans-serif;border:2px solid #fff;opacity:.9;
 box-shadow:0 0 4px #0007}
.gm-popup{font:13px/1.45 system-ui,sans-serif}
.gm-place{font-weight:600;font-size:14px}.gm-place .gm-ar{font-size:15px}
.gm-type{border-left:4px solid #999;padding-left:6px;margin:3px 0}
.gm-facts th{text-align:left;color:#555;font-weight:500;padding-right:8px;vertical-align:top}
.gm-sentence{background:#f6f6f6;border-radius:3px;padding:4px 6px;margin:4px 0}
.gm-sentence[dir=rtl]{font-size:14px}.gm-sentence mark{background:#ffe066;padding:0 1px}
.gm-more{color:#555;font-style:italic}.gm-area-event{border-top:1px solid #ddd;padding-top:3px;margin-top:3px}
.gm-slider{background:#fff;padding:4px 8px;font:12px system-ui,sans-serif}.gm-slider input{width:220px}
.gm-admin-label{background:none;border:none;color:#555;font:600 11px system-ui,sans-serif;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff;text-align:center}
"""

_OFFLINE_CSS = ".leaflet-container{background:#eef1f4}"

_RUNTIME_JS = r"""
var geomap = (function () {
  "use strict";
  var pending = 0, settled = false, api = {layers: {}, map: null};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null && text !== "") e.textContent = text;
    return e;
  }
  function str(D, i) { return i >= 0 ? D.s[i] : ""; }
  function httpUrl(u) { return /^https?:\/\//i.test(u) ? u : ""; }
  function sentence(text, ms, me, rtl) {
    var d = el("div", "gm-sentence");
    d.dir = rtl ? "rtl" : "ltr";
    if (ms >= 0 && me > ms && me <= text.length) {
      d.appendChild(document.createTextNode(text.slice(0, ms)));
      d.appendChild(el("mark", null, text.slice(ms, me)));
      d.appendChild(document.createTextNode(text.slice(me)));
    } else {
      d.textContent = text;
    }
    return d;
  }
  function facts(pairs) {
    var t = el("table", "gm-facts");
    pairs.forEach(function (p) {
      if (!p[1]) return;
      var tr = el("tr");
      tr.appendChild(el("th", null, p[0]));
      tr.appendChild(el("td", null, p[1]));
      t.appendChild(tr);
    });
    return t;
  }
  function source(url) {
    var u = httpUrl(url);
    if (!u) return null;
    var a = el("a", "gm-source", "Source");
    a.href = u; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  function place(ar, en) {
    var h = el("div", "gm-place");
    if (ar) { var a = el("span", "gm-ar", ar); a.dir = "rtl"; a.lang = "ar"; h.appendChild(a); }
    if (ar && en) h.appendChild(document.createTextNode(" · "));
    if (en) h.appendChild(el("span", "gm-en", en));
    return h;
  }
  function kind(text, color) {
    var t = el("div", "gm-type", text);
    t.style.borderLeftColor = color;
    return t;
  }
  function append(parent, child) { if (child) parent.appendChild(child); }

  // -- data: gzip + base64 JSON blocks, decoded once each ---------------------------------------
  function bytes(b64) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  api.load = function (id) {
    var node = document.getElementById(id);
    var stream = new Blob([bytes(node.textContent.trim())]).stream().pipeThrough(new DecompressionStream("gzip"));
    var data = new Response(stream).text().then(JSON.parse);
    data.catch(function (e) { console.error("geomap: cannot read " + id + ": " + e); });
    return data;
  };

  // -- readiness: every shown marker layer has clustered its markers ----------------------------
  function check() {
    if (settled && pending === 0 && !window.geomapReady) {
      setTimeout(function () {  // after the cluster group has put its last markers on the map
        window.geomapReady = true;
        document.dispatchEvent(new Event("geomap:ready"));
      }, 0);
    }
  }
  function track(group) { pending += 1; group.gmPending = true; }
  function loaded(group) {
    if (group.gmPending) { group.gmPending = false; pending -= 1; check(); }
  }
  api.settle = function () { settled = true; check(); };

  // -- events -----------------------------------------------------------------------------------
  function eventPopup(D, r) {
    var F = D.ef, S = function (k) { return str(D, r[F[k]]); }, c = D.classes[r[F.cls]];
    var d = el("div", "gm-popup");
    d.appendChild(place(S("name_ar"), S("name_en")));
    d.appendChild(kind(c.label + (S("type") ? " · " + S("type") : ""), c.color));
    d.appendChild(facts([["Date", S("when")], ["Count", S("count")], ["Precision", S("precision")],
                         ["Actors", S("actors")], ["Status", S("status")], ["Reported by", S("source")]]));
    if (S("sentence")) d.appendChild(sentence(S("sentence"), r[F.ms], r[F.me], r[F.rtl]));
    append(d, source(S("url")));
    return d;
  }

  api.eventLayer = function (map, P, args) {
    var c = args.style;
    var group = L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 150, chunkDelay: 1, maxClusterRadius: 45, showCoverageOnHover: false,
      disableClusteringAtZoom: 15,  // village scale: every marker on its own, and 4 fewer levels to build
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount(), size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
        var div = el("div"), span = el("span", null, String(n));
        div.style.background = c.color;
        div.appendChild(span);
        return L.divIcon({html: div, className: "gm-cluster", iconSize: L.point(size, size)});
      },
      chunkProgress: function (done, total) { if (done >= total) loaded(group); }
    });
    group.gmMarkers = [];
    group.gmClass = c.id;
    api.layers[c.id] = group;
    api.map = map;
    if (args.show && args.n) track(group);
    P.then(function (D) {
      var F = D.ef, icon = L.divIcon({html: c.icon, className: "gm-icon", iconSize: [22, 22], iconAnchor: [11, 11],
                                      popupAnchor: [0, -9]});
      var markers = group.gmMarkers;
      D.events.forEach(function (r) {
        if (r[F.cls] !== args.cls) return;
        var m = L.marker([r[F.lat], r[F.lon]], {icon: icon, title: str(D, r[F.name_en]) || str(D, r[F.name_ar])});
        m.gmRow = r;
        m.gmDate = r[F.date];
        markers.push(m);
      });
      group.on("click", function (e) {  // popups are made on first click, not 100,000 at load
        var m = e.layer;
        if (m.gmRow && !m.getPopup()) {
          m.bindPopup(function () { return eventPopup(D, m.gmRow); }, {maxWidth: 380, minWidth: 240});
          m.openPopup();
        }
      });
      group.addLayers(markers);
      if (!group._map || !markers.length) loaded(group);
    });
    return group;
  };

  api.heatLayer = function (map, P, args) {
    var heat = L.heatLayer([], {radius: 18, blur: 22, minOpacity: 0.35, maxZoom: 11});
    heat.gmPoints = []; heat.gmDates = [];
    P.then(function (D) {
      var F = D.ef;
      heat.gmPoints = D.events.map(function (r) { return [r[F.lat], r[F.lon], 1]; });
      heat.gmDates = D.events.map(function (r) { return r[F.date]; });
      heat.setLatLngs(heat.gmPoints);
    });
    api.layers.heat = heat;
    return heat;
  };

  api.timeSlider = function (map, P, groups, heat) {
    P.then(function (D) {
      var n = D.dates.length;
      if (!n) return;
      var undated = D.events.some(function (r) { return r[D.ef.date] < 0; });
      function apply(cut) {
        groups.forEach(function (g) {
          g.clearLayers();
          g.addLayers(g.gmMarkers.filter(function (m) { return m.gmDate <= cut; }));
        });
        if (heat) heat.setLatLngs(heat.gmPoints.filter(function (p, i) { return heat.gmDates[i] <= cut; }));
      }
      var control = L.control({position: "bottomleft"});
      control.onAdd = function () {
        var div = el("div", "gm-slider leaflet-bar"), label = el("div"), input = el("input");
        input.type = "range"; input.min = "0"; input.max = String(n - 1); input.step = "1";
        input.value = String(n - 1);
        input.setAttribute("aria-label", "Show events up to this date");
        function show() {
          label.textContent = "Events up to " + D.dates[+input.value] + (undated ? " (and undated)" : "");
        }
        input.addEventListener("input", show);
        input.addEventListener("change", function () { show(); apply(+input.value); });
        show();
        div.appendChild(label);
        div.appendChild(input);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      };
      control.addTo(map);
      api.slider = {control: control, apply: apply};
    });
  };

  // -- areas ------------------------------------------------------------------------------------
  function areaPopup(D, it) {
    var A = D.af, c = D.classes[it[1]], rows = it[6], limit = 25;
    var d = el("div", "gm-popup");
    d.appendChild(place(str(D, it[3]), str(D, it[4])));
    var what = (it[2] ? "Origin of displacement" : c.label) + " · " + str(D, it[5]) + " · " +
      rows.length + (rows.length === 1 ? " event" : " events");
    d.appendChild(kind(what, c.color));
    rows.slice(0, limit).forEach(function (r) {
      var e = el("div", "gm-area-event"), S = function (k) { return str(D, r[A[k]]); };
      e.appendChild(facts([["Type", S("type")], ["Date", S("when")], ["Count", S("count")], ["Status", S("status")]]));
      if (S("sentence")) e.appendChild(sentence(S("sentence"), r[A.ms], r[A.me], r[A.rtl]));
      append(e, source(S("url")));
      d.appendChild(e);
    });
    if (rows.length > limit) d.appendChild(el("div", "gm-more", "… and " + (rows.length - limit) + " more"));
    return d;
  }

  api.areaLayer = function (map, P, args) {
    var group = L.featureGroup();
    P.then(function (D) {
      D.items.forEach(function (it) {
        var c = D.classes[it[1]], origin = it[2] === 1;
        var style = {color: c.color, weight: 1.5, opacity: 0.9, fillColor: c.color, fillOpacity: origin ? 0.1 : 0.22,
                     dashArray: origin ? "6 4" : null};
        var layer = L.geoJSON(D.geoms[it[0]], {style: function () { return style; }});
        layer.bindPopup(function () { return areaPopup(D, it); }, {maxWidth: 420, maxHeight: 340});
        layer.bindTooltip(function () { return el("span", null, str(D, it[4]) || str(D, it[3])); }, {sticky: true});
        group.addLayer(layer);
      });
    });
    api.layers.areas = group;
    return group;
  };

  // -- flows ------------------------------------------------------------------------------------
  function flowPopup(D, f) {
    var F = D.ff, S = function (k) { return str(D, f[F[k]]); };
    var d = el("div", "gm-popup"), h = el("div", "gm-place");
    h.appendChild(place(S("o_ar"), S("o_en")));
    h.appendChild(el("div", null, "→"));
    h.appendChild(place(S("d_ar"), S("d_en")));
    d.appendChild(h);
    d.appendChild(kind("Displacement flow", D.color));
    d.appendChild(facts([["Count", S("count")], ["Date", S("when")]]));
    if (S("sentence")) d.appendChild(sentence(S("sentence"), -1, -1, f[F.rtl]));
    append(d, source(S("url")));
    return d;
  }
  function arrow(color, size, angle) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("width", size); svg.setAttribute("height", size); svg.setAttribute("viewBox", "0 0 16 16");
    svg.style.transform = "rotate(" + Number(angle) + "deg)";
    path.setAttribute("d", "M2 2L15 8L2 14L5 8Z"); path.setAttribute("fill", color);
    svg.appendChild(path);
    return svg;
  }

  api.flowLayer = function (map, P, args) {
    var group = L.featureGroup();
    P.then(function (D) {
      var F = D.ff;
      D.flows.forEach(function (f) {
        var a = [f[F.lat1], f[F.lon1]], b = [f[F.lat2], f[F.lon2]], w = f[F.weight], size = Math.round(10 + w * 1.5);
        var line = L.polyline([a, b], {color: D.color, weight: w, opacity: 0.7, dashArray: f[F.known] ? null : "4 6"});
        var head = L.marker([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], {keyboard: false, icon: L.divIcon(
          {html: arrow(D.color, size, f[F.angle]), className: "gm-arrow", iconSize: [size, size],
           iconAnchor: [size / 2, size / 2]})});
        var popup = function () { return flowPopup(D, f); };
        line.bindPopup(popup, {maxWidth: 380});
        head.bindPopup(popup, {maxWidth: 380});
        group.addLayer(line);
        group.addLayer(head);
      });
    });
    api.layers.flows = group;
    return group;
  };

  // -- offline base map -------------------------------------------------------------------------
  api.adminLayer = function (map, P, args) {
    var group = L.featureGroup();
    P.then(function (D) {
      D.admin.forEach(function (a) {
        var level = a[0], name = str(D, a[3]) || str(D, a[2]);
        var style = level === 1 ? {color: "#555", weight: 1.6, opacity: 0.8, fillColor: "#fbfaf7", fillOpacity: 1}
                                : {color: "#999", weight: 0.7, opacity: 0.8, fill: false};
        var layer = L.geoJSON(a[1], {style: function () { return style; }, interactive: level === 2});
        if (level === 2) layer.bindTooltip(function () { return el("span", null, name); }, {sticky: true});
        group.addLayer(layer);
        if (level === 1) {
          group.addLayer(L.marker([a[4], a[5]], {interactive: false, keyboard: false, icon: L.divIcon(
            {html: el("div", null, name), className: "gm-admin-label", iconSize: [120, 16], iconAnchor: [60, 8]})}));
        }
      });
      if (group._map) group.bringToBack();
    });
    group.on("add", function () { group.bringToBack(); });
    return group;
  };

  return api;
})();
"""
