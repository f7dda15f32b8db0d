"""Map layers -> a folium map: one layer per event class, flows, heat, time slider.

The layers carry their data as one compact JSON block each (a string table plus rows of numbers),
and a small JavaScript runtime (``_RUNTIME_JS``) turns the rows into Leaflet layers in the
browser: one layer per event class, flow arrows, a heat layer and a time slider.

Every row of the ``events`` layer is drawn in the layer of its event class, and the count in the
layer control is the number of those rows, so no event is silently left off the map:

* a settlement (``map_as == "marker"``): a solid round marker with the class glyph, clustered;
* an area with a polygon (``map_as == "area"``): its polygon from the ``areas`` layer, shaded in
  the class colour (dashed and lighter when it is the origin of a displacement), clickable, with
  every event of that class in the area listed in its popup;
* an area without a polygon, or a country (``map_as == "none"``): a dashed ring marker at the
  area's representative point, so a region-level event never looks like a village.

The time slider (when events have dates) filters markers, area polygons, flows and the heat
layer alike; undated rows always stay.  The first view fits the settlements, flows and the
smaller areas; a broad region (all of northern Syria) sets it only when nothing else is drawn.  Popups are built lazily, on first opening, with DOM calls: article text is only
ever assigned as ``textContent`` (and source links only as ``http(s)`` ``href``), never parsed as
HTML, so hostile text shows as text.  Inside the page the JSON escapes ``<``, ``>``, ``&`` and
Jinja's ``{{``/``{%``/``{#``, so it can close no ``<script>`` and start no template.

This keeps a 100,000-event map small and fast (see ``benchmarks/map_size.py``), where one
folium ``Marker`` with its popup HTML per event would not be.  The payloads are made a chunk of
rows at a time (``build_map`` takes layers read chunk by chunk, ``geomap.store.LayerStore``): with
a ``workdir`` they go gzipped to files and their string tables to SQLite, and ``write_html`` copies
them into the page, so the map of a corpus takes about the same memory as that of a few articles.

Offline (``offline=True``) the map has no tiles: the gazetteer's admin boundaries are its base
layer, and ``render_html(m, offline=True)`` inlines Leaflet and the plugins from installed
packages (``geomap.io.assets``).
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import io
import json
import math
import os
import re
import shutil
import sqlite3
import tempfile
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

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
from geomap.layers import Layers, layer_chunks
from geomap.model import AREA_KINDS, EventType, Place

__all__ = [
    "ATTRIBUTION",
    "EVENT_STYLES",
    "Page",
    "PayloadFile",
    "add_area_layer",
    "add_event_layers",
    "add_flow_layer",
    "build_map",
    "render_html",
    "render_page",
]

ATTRIBUTION = "Gazetteer: OCHA/HDX (CC BY 3.0 IGO), GeoNames (CC BY 4.0), OpenSyria (CC BY 4.0)"

#: Syria, for a map with nothing on it: ((south, west), (north, east)).
_SYRIA_BOUNDS = ((32.3, 35.6), (37.4, 42.4))
_FLOW_COLOR = "#08306b"
#: An area polygon larger than this (square degrees, ~20,000 km2) is "broad": it does not set the
#: first view while there is something smaller to show, and it is drawn below smaller areas.
_BROAD_AREA = 2.0
#: Smaller than this (~3,000 km2): a district or an operation area, drawn above the others.
_SMALL_AREA = 0.3
#: Padding of the first view in pixels (x, y): room for the title, the layer control and legend.
_PAD_TOP_LEFT = (40, 60)
_PAD_BOTTOM_RIGHT = (250, 30)


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

    def region_icon(self, size: int = 26) -> str:
        """A dashed ring in the class colour: an event placed on a whole area, not a settlement."""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 26 26" '
            f'aria-hidden="true"><circle cx="13" cy="13" r="11" fill="{self.color}" fill-opacity="0.18" '
            f'stroke="{self.color}" stroke-width="2.5" stroke-dasharray="4 2.5"/><g transform="translate(2 2)" '
            f'fill="none" stroke="{self.color}" stroke-width="2.2" stroke-linecap="round" '
            f'stroke-linejoin="round">{self.glyph.replace("#fff", self.color)}</g></svg>'
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
#: ``date`` is an ISO date in the string table (-1: undated); ``region`` is 1 for a dashed ring marker.
_EVENT_FIELDS = (
    "lat", "lon", "cls", "date", "name_ar", "name_en", "type", "when", "count", "precision",
    "actors", "status", "source", "sentence", "ms", "me", "rtl", "url", "region", "where", "fatal",
)  # fmt: skip
#: One event inside an area item; ``counted`` is 1 when it stands for a row of the events layer.
_AREA_FIELDS = (
    "type", "when", "count", "status", "sentence", "ms", "me", "rtl", "url", "date", "counted", "fatal",
)  # fmt: skip
#: An area item: one polygon per (geometry, event class, role) with its events.
_ITEM_FIELDS = ("geom", "cls", "origin", "name_ar", "name_en", "kind", "tier", "rows")
_FLOW_FIELDS = (
    "lat1", "lon1", "lat2", "lon2", "weight", "angle", "known", "o_ar", "o_en", "d_ar", "d_en",
    "count", "when", "sentence", "rtl", "url", "date",
)  # fmt: skip


class Gazetteer(Protocol):
    """What the map needs from a gazetteer: the admin boundaries of the offline base map."""

    def admin_areas(self, level: int) -> list[tuple[Place, BaseGeometry]]: ...


# -- public API ---------------------------------------------------------------------------------


def build_map(
    layers: Layers,
    gazetteer: Gazetteer | None,
    *,
    title: str = "geomap",
    offline: bool = False,
    workdir: str | os.PathLike[str] | None = None,
) -> folium.Map:
    """The event map of ``layers`` (as made by ``geomap.layers.results_to_layers``).

    Parameters
    ----------
    layers:
        ``{"events", "flows", "areas"}`` GeoDataFrames in EPSG:4326 (missing keys are empty), or
        layers read chunk by chunk (``geomap.store.LayerStore``).
    gazetteer:
        Gives the admin boundaries (levels 1 and 2) drawn as the base layer when ``offline``.
    title:
        Shown on the map and as the page title.
    offline:
        No tiles, admin boundaries as the base layer, and (in ``render_html``) every script and
        stylesheet inlined, so the saved page makes no network request.
    workdir:
        A directory for the layers' payloads and their string tables while the map is made and
        written (it must outlive the map); None keeps them in memory.

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
    view = _View()
    if "flows" in layers:
        _add_flows(m, lambda: layer_chunks(layers, "flows"), workdir, view)
    areas = (lambda: layer_chunks(layers, "areas")) if "areas" in layers else None
    _add_events(m, lambda: layer_chunks(layers, "events"), areas, workdir=workdir, view=view)
    m.get_root().html.add_child(_Raw(_title_html(title)), name="geomap_title")
    m.get_root().html.add_child(_Raw(_legend_html()), name="geomap_legend")
    m.add_child(_Script(f"{m.get_name()}.attributionControl.addAttribution({_json(ATTRIBUTION)});"))
    m.fit_bounds(
        view.bounds(),
        padding_top_left=_PAD_TOP_LEFT,
        padding_bottom_right=_PAD_BOTTOM_RIGHT,
        max_zoom=12,
    )
    m.add_child(_Script("geomap.settle();"))
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m


def add_event_layers(
    m: folium.Map,
    events: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame | None = None,
    *,
    heat: bool = True,
    time_slider: bool = True,
) -> dict[str, Layer]:
    """One layer per event class holding every events row of the class, a heat layer (off), a slider.

    Settlements are clustered markers; rows drawn as areas (``map_as == "area"``) are their
    polygons from ``areas`` (one per area, class and role, listing its events); an area with no
    polygon in ``areas`` and a country get a dashed ring marker.  The layer's name carries the
    number of events rows of its class.  The heat layer covers settlement events only.  The time
    slider is added when some event has a date and filters every timed layer of the map.
    Returns ``{event class: layer}``.
    """
    return _add_events(
        m,
        lambda: [events],
        (lambda: [areas]) if areas is not None else None,
        heat=heat,
        time_slider=time_slider,
    )


def add_flow_layer(m: folium.Map, flows: gpd.GeoDataFrame) -> Layer:
    """Displacement flows as lines origin -> destination with an arrowhead; weight ~ log(count)."""
    layer = _add_flows(m, lambda: [flows], always=True)
    assert layer is not None
    return layer


def add_area_layer(m: folium.Map, areas: gpd.GeoDataFrame) -> Layer:
    """All areas named by events in one layer of shaded polygons (``build_map`` does not use it).

    ``build_map`` draws each area in the layer of its event class instead (``add_event_layers``
    with ``areas=``); this is for a map that wants the areas apart.  One polygon per (area, event
    class, role); its popup lists the events.  Origin-only displacement areas are dashed and lighter.
    """
    _runtime(m)
    text = _Payload("areas_text")
    data = _Payload("areas")
    with _Tables(None) as tables:
        s, texts = tables.strings("s"), tables.strings("t", cache=1000)
        out = PayloadFile(None)
        out.write(f'{{"af":{_dumps(_fields(_AREA_FIELDS))},"it":{_dumps(_fields(_ITEM_FIELDS))},')
        out.write(f'"classes":{_dumps(_classes())},')
        places = _area_places(lambda: [areas], tables, _View())
        _write_area_items(out, lambda: [areas], places, s, texts, tables, counted=False)
        out.write(',"s":')
        _write_table(out, s)
        out.write(f',"text":{_dumps(text.get_name())}}}')
        text.data = _text_payload(texts, None)
    data.data = out.finish()
    m.add_child(text)
    m.add_child(data)
    n = sum(1 for gid in places if gid is not None)
    return _RuntimeLayer("areaLayer", data, {}, name=f"Areas ({n})").add_to(m)


def render_html(m: folium.Map, offline: bool) -> str:
    """The final page: folium's render, with every script and stylesheet inlined if ``offline``."""
    return render_page(m, offline).text()


@dataclass(frozen=True)
class Page:
    """A rendered map page: text, and the layers' payloads where they go (written, not held, by ``write_to``)."""

    parts: tuple[str | PayloadFile, ...]

    def text(self) -> str:
        """The page as one string."""
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    def write_to(self, fh: BinaryIO) -> None:
        """Write the page in UTF-8, copying the payloads from their files."""
        for part in self.parts:
            if isinstance(part, str):
                fh.write(part.encode("utf-8"))
            else:
                part.copy_to(fh)


def render_page(m: folium.Map, offline: bool) -> Page:
    """folium's render of ``m`` (every script and stylesheet inlined if ``offline``), payloads apart."""
    page = m.get_root().render()
    if offline:
        page = assets.inline_assets(page)
    files = {p.marker: p for p in _payload_files(m)}
    parts: list[str | PayloadFile] = []
    for i, piece in enumerate(_MARKER_RE.split(page)):
        parts.append(files[piece] if i % 2 else piece)
    return Page(tuple(parts))


# -- payloads (the JSON each layer carries) -----------------------------------------------------


class PayloadFile:
    """A payload as it goes into the page: gzipped JSON (no timestamp) in base64, in memory or a file.

    Written piece by piece (``write`` JSON text, then ``finish``), so no payload is ever whole in
    memory as objects or text when it has a ``workdir``.  The same bytes as ``encode_payload``.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.marker = f"@geomap-payload-{uuid.uuid4().hex}@"
        self._out: BinaryIO = open(path, "wb") if path is not None else io.BytesIO()  # noqa: SIM115
        self._zip = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip, as gzip.compress(mtime=0)
        self._carry = b""
        self._text: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._text.append(text)
        self._size += len(text)
        if self._size >= 1 << 16:
            self._compress()

    def finish(self) -> PayloadFile:
        """Write the end of the stream; the payload is complete."""
        self._compress()
        self._emit(self._zip.flush())
        self._out.write(base64.b64encode(self._carry))
        if self.path is not None:
            self._out.close()
        return self

    def text(self) -> str:
        """The payload's base64 text."""
        if self.path is None:
            assert isinstance(self._out, io.BytesIO)
            return self._out.getvalue().decode("ascii")
        return self.path.read_text(encoding="ascii")

    def copy_to(self, fh: BinaryIO) -> None:
        """Copy the base64 text into ``fh``."""
        if self.path is None:
            assert isinstance(self._out, io.BytesIO)
            fh.write(self._out.getvalue())
            return
        with open(self.path, "rb") as src:
            shutil.copyfileobj(src, fh, 1 << 20)

    def _compress(self) -> None:
        self._emit(self._zip.compress("".join(self._text).encode("utf-8")))
        self._text, self._size = [], 0

    def _emit(self, data: bytes) -> None:
        """base64 of whole 3-byte groups; the rest waits for the next bytes."""
        data = self._carry + data
        cut = len(data) - len(data) % 3
        self._out.write(base64.b64encode(data[:cut]))
        self._carry = data[cut:]


_MARKER_RE = re.compile(r"(@geomap-payload-[0-9a-f]{32}@)")


def _payload_files(element: Element) -> Iterator[PayloadFile]:
    for child in element._children.values():
        if isinstance(child, _Payload) and isinstance(child.data, PayloadFile) and child.data.path:
            yield child.data
        yield from _payload_files(child)


class _Tables:
    """The SQLite scratch of a payload: its string tables and what a layer's rows need to know of another's.

    In a file of ``workdir`` (removed on close), or in memory.
    """

    def __init__(self, workdir: str | os.PathLike[str] | None) -> None:
        self._path: Path | None = None
        if workdir is not None:
            fd, name = tempfile.mkstemp(suffix=".db", dir=workdir)
            os.close(fd)
            self._path = Path(name)
        self.db = sqlite3.connect(self._path if self._path is not None else ":memory:")
        self.db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE area_keys (event_id, place, counted INTEGER NOT NULL DEFAULT 0, UNIQUE (event_id, place));"
            "CREATE TABLE item_rows (item INTEGER NOT NULL, row TEXT NOT NULL);"
            "CREATE INDEX item_rows_by_item ON item_rows (item);"
        )

    def __enter__(self) -> _Tables:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()
        if self._path is not None:
            self._path.unlink(missing_ok=True)

    def strings(self, name: str, cache: int = 10_000) -> _Strings:
        return _Strings(self.db, name, cache)

    def add_area_keys(self, keys: Iterable[tuple[Any, Any]]) -> None:
        """Note the (event_id, gazetteer_id) of rows of the areas layer."""
        self.db.executemany("INSERT OR IGNORE INTO area_keys (event_id, place) VALUES (?, ?)", keys)

    def count_area(self, key: tuple[Any, Any]) -> bool:
        """True (and the key noted as counted) when an events row has its polygon in the areas layer."""
        cursor = self.db.execute("UPDATE area_keys SET counted = 1 WHERE event_id IS ? AND place IS ?", key)
        return cursor.rowcount > 0

    def is_counted(self, key: tuple[Any, Any]) -> bool:
        """True when an events row is drawn as the area of this key."""
        row = self.db.execute(
            "SELECT counted FROM area_keys WHERE event_id IS ? AND place IS ?", key
        ).fetchone()
        return bool(row and row[0])

    def add_item_rows(self, rows: Iterable[tuple[int, str]]) -> None:
        self.db.executemany("INSERT INTO item_rows (item, row) VALUES (?, ?)", rows)

    def item_rows(self, item: int) -> Iterator[str]:
        """The JSON rows of an area item, in the order they came."""
        for (row,) in self.db.execute("SELECT row FROM item_rows WHERE item = ? ORDER BY rowid", (item,)):
            yield row


class _Strings:
    """A string table: each distinct text is stored once, rows hold its index (-1: none).

    Kept in SQLite, with the last ``cache`` texts looked up in memory.
    """

    def __init__(self, db: sqlite3.Connection, name: str, cache: int) -> None:
        self._db = db
        self._name = name
        self._limit = cache
        self._cache: dict[str, int] = {}
        db.execute(f"CREATE TABLE {name} (i INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")

    def __call__(self, value: Any) -> int:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == "":
            return -1
        text = str(value)
        i = self._cache.get(text)
        if i is None:
            cursor = self._db.execute(f"INSERT OR IGNORE INTO {self._name} (text) VALUES (?)", (text,))
            if cursor.rowcount == 1:
                assert cursor.lastrowid is not None
                i = cursor.lastrowid - 1
            else:
                i = self._db.execute(f"SELECT i - 1 FROM {self._name} WHERE text = ?", (text,)).fetchone()[0]
            if len(self._cache) >= self._limit:
                self._cache.clear()
            self._cache[text] = i
        return i

    def items(self) -> Iterator[str]:
        """The texts, in the order of their indexes."""
        for (text,) in self._db.execute(f"SELECT text FROM {self._name} ORDER BY i"):
            yield text


#: Frames of a layer, in order, each time it is called.
_Chunks = Callable[[], Iterable[gpd.GeoDataFrame]]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _write_list(out: PayloadFile, items: Iterable[Any], first: bool = True) -> bool:
    """Write JSON values as items of a list already opened; returns whether none was written yet."""
    for item in items:
        out.write(("" if first else ",") + _dumps(item))
        first = False
    return first


def _write_table(out: PayloadFile, strings: _Strings) -> None:
    out.write("[")
    _write_list(out, strings.items())
    out.write("]")


def _text_payload(texts: _Strings, workdir: str | os.PathLike[str] | None) -> PayloadFile:
    """A layer's sentences: ``{"s": [...]}``."""
    out = _new_payload(workdir)
    out.write('{"s":')
    _write_table(out, texts)
    out.write("}")
    return out.finish()


def _new_payload(workdir: str | os.PathLike[str] | None) -> PayloadFile:
    if workdir is None:
        return PayloadFile(None)
    fd, name = tempfile.mkstemp(suffix=".b64", dir=workdir)
    os.close(fd)
    return PayloadFile(Path(name))


def _add_events(
    m: folium.Map,
    events: _Chunks,
    areas: _Chunks | None,
    *,
    heat: bool = True,
    time_slider: bool = True,
    workdir: str | os.PathLike[str] | None = None,
    view: _View | None = None,
) -> dict[str, Layer]:
    _runtime(m)
    text = _Payload("events_text", lazy=True)
    data = _Payload("events")
    summary = _event_payload(events, areas, text.get_name(), workdir, view or _View())
    text.data, data.data = summary.texts, summary.payload
    m.add_child(text)
    m.add_child(data)
    out: dict[str, Layer] = {}
    for (cls, style), meta in zip(EVENT_STYLES.items(), _classes(), strict=True):
        n = summary.counts.get(cls, 0)
        layer = _RuntimeLayer(
            "eventLayer", data, {"cls": _CLASS_INDEX[cls], "n": n, "style": meta}, name=f"{style.label} ({n})",
            js=assets.js_links("markercluster"), css=assets.css_links("markercluster_css"),
        )  # fmt: skip
        out[cls] = layer.add_to(m)
    if heat and summary.settlements:
        _RuntimeLayer(
            "heatLayer",
            data,
            {},
            name="Heat map (settlement events)",
            show=False,
            js=assets.js_links("leaflet_heat"),
        ).add_to(m)
    if time_slider and summary.dated:
        m.add_child(_Script(f"geomap.timeSlider({m.get_name()});"))
    return out


def _add_flows(
    m: folium.Map,
    flows: _Chunks,
    workdir: str | os.PathLike[str] | None = None,
    view: _View | None = None,
    *,
    always: bool = False,
) -> Layer | None:
    """The flow layer, unless there is no flow and not ``always``."""
    payload, n = _flow_payload(flows, workdir, view or _View())
    if not n and not always:
        return None
    _runtime(m)
    data = _Payload("flows", payload)
    m.add_child(data)
    return _RuntimeLayer("flowLayer", data, {}, name=f"Displacement flows ({n})").add_to(m)


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


@functools.lru_cache(maxsize=4096)  # the rows of one event share a sentence; few others do
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


@dataclass(frozen=True, slots=True)
class _EventSummary:
    """The events layer's payloads and what the layer control needs to know of its rows."""

    payload: PayloadFile
    texts: PayloadFile
    counts: dict[str, int]  # events rows per event class
    settlements: int  # marker rows of settlements (the heat layer's points)
    dated: bool


def _event_payload(
    events: _Chunks,
    areas: _Chunks | None,
    text_name: str,
    workdir: str | os.PathLike[str] | None,
    view: _View,
) -> _EventSummary:
    """The events layer's payload and its sentences' payload, written a chunk of rows at a time.

    The payload holds marker rows, area items and the short strings; the sentences (most of
    the bytes) are a payload of their own, decoded when a popup first needs one.  An events row
    drawn as an area whose polygon is not in ``areas`` becomes a ring marker.
    """
    with _Tables(workdir) as tables:
        s, texts = tables.strings("s"), tables.strings("t", cache=1000)
        places = _area_places(areas, tables, view) if areas is not None else {}
        out = _new_payload(workdir)
        out.write(f'{{"ef":{_dumps(_fields(_EVENT_FIELDS))},"af":{_dumps(_fields(_AREA_FIELDS))},')
        out.write(f'"it":{_dumps(_fields(_ITEM_FIELDS))},"classes":{_dumps(_classes())},"events":[')
        counts: Counter[str] = Counter()
        settlements, dated, first = 0, False, True
        for chunk in events():
            rows, n = _event_rows(chunk, s, texts, tables, view)
            first = _write_list(out, rows, first)
            settlements += n
            if len(chunk):
                counts.update(chunk["event_class"].value_counts().to_dict())
                dated = dated or bool(chunk["event_date"].notna().any())
        out.write("],")
        if areas is not None:
            _write_area_items(out, areas, places, s, texts, tables, counted=True)
        else:
            out.write('"geoms":[],"items":[]')
        out.write(',"s":')
        _write_table(out, s)
        out.write(f',"text":{_dumps(text_name)}}}')
        return _EventSummary(out.finish(), _text_payload(texts, workdir), dict(counts), settlements, dated)


def _event_rows(
    events: gpd.GeoDataFrame, s: _Strings, texts: _Strings, tables: _Tables, view: _View
) -> tuple[list[list[Any]], int]:
    """The marker rows of a chunk of the events layer, and how many are settlements.

    A row drawn as an area whose polygon is in the areas layer is no marker: it is counted in
    the area's item (``tables.area_keys``).
    """
    map_as = pd.Series(_column(events, "map_as"), index=events.index, dtype=object).fillna("marker")
    keys = list(zip(_column(events, "event_id"), _column(events, "gazetteer_id"), strict=True))
    as_area = np.array(
        [a == "area" and tables.count_area(k) for a, k in zip(map_as, keys, strict=True)], dtype=bool
    )
    view.add("focus", events[(map_as == "marker").to_numpy()] if len(events) else events)
    markers = events[~as_area] if len(events) else events
    kinds = _column(markers, "place_kind")
    region = [
        int(a != "marker" or k in AREA_KINDS) for a, k in zip(map_as[~as_area].tolist(), kinds, strict=True)
    ]
    xs, ys = (markers.geometry.x.tolist(), markers.geometry.y.tolist()) if len(markers) else ([], [])
    c = {name: _column(markers, name) for name in (
        "event_class", "event_date", "time_precision", "location_ar", "location", "event_type",
        "sub_event_type", "count_best", "count_low", "count_high", "count_what", "geo_precision",
        "feature", "actor1", "actor2", "status", "source", "sentence", "mark_start", "mark_end",
        "source_url", "fatalities",
    )}  # fmt: skip
    rows = []
    for i in range(len(markers)):
        sentence = c["sentence"][i]
        precision = _GEO_PRECISION.get(_int(c["geo_precision"][i]))
        if precision and c["feature"][i]:
            precision += f" ({c['feature'][i]})"
        actors = " — ".join(a for a in (c["actor1"][i], c["actor2"][i]) if a) or None
        row = [
            round(ys[i], 5),
            round(xs[i], 5),
            _CLASS_INDEX.get(c["event_class"][i], _CLASS_INDEX[EventType.OTHER.value]),
            s(c["event_date"][i]),
            s(c["location_ar"][i]),
            s(c["location"][i]),
            s(_type_text(c["event_type"][i], c["sub_event_type"][i])),
            s(_when(c["event_date"][i], c["time_precision"][i])),
            s(_count_text(c["count_best"][i], c["count_low"][i], c["count_high"][i], c["count_what"][i])),
            s(precision),
            s(actors),
            s(c["status"][i]),
            s(c["source"][i]),
            texts(sentence),
            _int(c["mark_start"][i]),
            _int(c["mark_end"][i]),
            _rtl(sentence),
            s(_safe_url(c["source_url"][i])),
            region[i],
            s(_where(kinds[i], region[i])),
            s(_fatal_text(c["fatalities"][i])),
        ]
        rows.append(row)
    return rows, len(region) - sum(region)


def _where(kind: Any, region: int) -> str | None:
    """What a ring marker stands for, in words (None for a settlement)."""
    if not region:
        return None
    if kind == "country":
        return "a whole country: marker at its representative point"
    what = f"the whole {kind}" if kind else "a whole area"
    return f"{what}: no outline in the gazetteer, marker at its representative point"


def _fatal_text(value: Any) -> str | None:
    return None if value is None else f"{int(value):,}"


def _area_places(areas: _Chunks, tables: _Tables, view: _View) -> dict[Any, BaseGeometry]:
    """First pass over the areas layer: its (event, place) keys into ``tables``; the first polygon of each place."""
    first: dict[Any, BaseGeometry] = {}
    for chunk in areas():
        if not len(chunk):
            continue
        gids = _column(chunk, "gazetteer_id")
        tables.add_area_keys(zip(_column(chunk, "event_id"), gids, strict=True))
        for gid, geom in zip(gids, chunk.geometry.tolist(), strict=True):
            first.setdefault(gid, geom)
        wide = shapely.area(np.asarray(chunk.geometry.values)) > _BROAD_AREA
        view.add("focus", chunk[~wide])
        view.add("broad", chunk[wide])
    return first


def _write_area_items(
    out: PayloadFile,
    areas: _Chunks,
    places: dict[Any, BaseGeometry],
    s: _Strings,
    texts: _Strings,
    tables: _Tables,
    *,
    counted: bool,
) -> None:
    """Write ``"geoms"`` (simplified GeoJSON) and ``"items"``: one item per (polygon, event class, role).

    Sentences go to ``texts``, other strings to ``s``.  ``counted``: an item row stands for an
    events row only when that row is drawn as the area (``_event_rows``); else every row counts.
    Geometries are numbered largest first, and each item has a ``tier`` (0 broad, 1 middle,
    2 small) that puts smaller areas above larger ones.
    """
    order = sorted(places, key=lambda gid: -places[gid].area)
    geom_index = {gid: k for k, gid in enumerate(order)}
    out.write('"geoms":[')
    _write_list(out, (_geojson(places[gid], tolerance=0.001) for gid in order))
    tiers = [_tier(places[gid].area) for gid in order]
    items: dict[tuple[int, int, int], int] = {}
    heads: list[list[Any]] = []
    for chunk in areas():
        c = {name: _column(chunk, name) for name in (
            "event_id", "gazetteer_id", "name_ar", "name_en", "place_kind", "event_class", "role",
            "event_type", "sub_event_type", "event_date", "count_best", "count_low", "count_high",
            "count_what", "status", "sentence", "mark_start", "mark_end", "source_url", "fatalities",
        )}  # fmt: skip
        rows = []
        for i in range(len(chunk)):
            g = geom_index[c["gazetteer_id"][i]]
            cls = _CLASS_INDEX.get(c["event_class"][i], _CLASS_INDEX[EventType.OTHER.value])
            key = (g, cls, int(c["role"][i] == "origin"))
            if key not in items:
                items[key] = len(heads)
                heads.append([*key, s(c["name_ar"][i]), s(c["name_en"][i]), s(c["place_kind"][i]), tiers[g]])
            sentence = c["sentence"][i]
            is_counted = not counted or tables.is_counted((c["event_id"][i], c["gazetteer_id"][i]))
            row = [
                s(_type_text(c["event_type"][i], c["sub_event_type"][i])),
                s(_when(c["event_date"][i], None)),
                s(_count_text(c["count_best"][i], c["count_low"][i], c["count_high"][i], c["count_what"][i])),
                s(c["status"][i]),
                texts(sentence),
                _int(c["mark_start"][i]),
                _int(c["mark_end"][i]),
                _rtl(sentence),
                s(_safe_url(c["source_url"][i])),
                s(c["event_date"][i]),
                int(is_counted),
                s(_fatal_text(c["fatalities"][i])),
            ]
            rows.append((items[key], _dumps(row)))
        tables.add_item_rows(rows)
    out.write('],"items":[')
    for n, head in enumerate(heads):
        out.write(("," if n else "") + _dumps(head)[:-1] + ",[")
        first = True
        for row in tables.item_rows(n):
            out.write(row if first else "," + row)
            first = False
        out.write("]]")
    out.write("]")


def _tier(area: float) -> int:
    return 0 if area > _BROAD_AREA else 1 if area > _SMALL_AREA else 2


def _flow_payload(
    flows: _Chunks, workdir: str | os.PathLike[str] | None, view: _View
) -> tuple[PayloadFile, int]:
    """The flows layer's payload, written a chunk of rows at a time, and its number of flows."""
    with _Tables(workdir) as tables:
        s = tables.strings("s")
        out = _new_payload(workdir)
        out.write(f'{{"ff":{_dumps(_fields(_FLOW_FIELDS))},"color":{_dumps(_FLOW_COLOR)},"flows":[')
        n, first = 0, True
        for chunk in flows():
            first = _write_list(out, _flow_rows(chunk, s), first)
            n += len(chunk)
            view.add("focus", chunk)
        out.write('],"s":')
        _write_table(out, s)
        out.write("}")
        return out.finish(), n


def _flow_rows(flows: gpd.GeoDataFrame, s: _Strings) -> Iterator[list[Any]]:
    c = {name: _column(flows, name) for name in (
        "origin_name_ar", "origin_name_en", "destination_name_ar", "destination_name_en", "count_best",
        "count_low", "count_high", "count_what", "event_date", "sentence", "source_url",
    )}  # fmt: skip
    for i, line in enumerate(flows.geometry.tolist()):
        (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[-1]
        best = c["count_best"][i]
        sentence = c["sentence"][i]
        yield [
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
            s(c["event_date"][i]),
        ]


def _admin_payload(gazetteer: Gazetteer) -> dict[str, Any]:
    with _Tables(None) as tables:
        s = tables.strings("s")
        rows = []
        for level, tolerance in ((1, 0.004), (2, 0.004)):  # districts drawn over governorates
            for place, geom in gazetteer.admin_areas(level):
                if geom is None or geom.is_empty:
                    continue
                rows.append(
                    [
                        level,
                        _geojson(geom, tolerance),
                        s(place.name_ar),
                        s(place.name_en),
                        place.lat,
                        place.lon,
                    ]
                )
        return {"admin": rows, "s": list(s.items())}


def _fields(names: Sequence[str]) -> dict[str, int]:
    return {n: i for i, n in enumerate(names)}


def _classes() -> list[dict[str, str]]:
    return [
        {"id": c, "label": st.label, "color": st.color, "icon": st.icon(), "region_icon": st.region_icon()}
        for c, st in EVENT_STYLES.items()
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


class _View:
    """The box of the first view, from the drawn geometries added chunk by chunk.

    It fits the ``focus`` geometries (markers, flows, areas up to ``_BROAD_AREA``); broad areas
    (all of northern Syria) set it only when there is nothing else.  Events far away (talks in
    Geneva or Astana) and countries stay on the map but do not set the view: only the points in
    Syria's box count, unless there are none.
    """

    def __init__(self) -> None:
        # per group: [min, max] of the corners in Syria's box; and of all corners
        self._inside: dict[str, list[np.ndarray]] = {}
        self._all: list[np.ndarray] = []

    def add(self, group: str, gdf: gpd.GeoDataFrame) -> None:
        if not len(gdf):
            return
        b = gdf.geometry.bounds.to_numpy()
        points = np.concatenate([b[:, [0, 1]], b[:, [2, 3]]])
        (s, w), (n, e) = _SYRIA_BOUNDS
        inside = (points[:, 0] >= w) & (points[:, 0] <= e) & (points[:, 1] >= s) & (points[:, 1] <= n)
        _widen(self._all, points)
        if inside.any():
            _widen(self._inside.setdefault(group, []), points[inside])

    def bounds(self) -> list[list[float]]:
        """``[[south, west], [north, east]]`` of the first view."""
        box = self._inside.get("focus") or self._inside.get("broad") or self._all
        if not box:
            (s, w), (n, e) = _SYRIA_BOUNDS
            return [[s, w], [n, e]]
        (w, s), (e, n) = box
        pad = 0.05 if (e - w) < 0.1 and (n - s) < 0.1 else 0.0  # one point: show its surroundings
        return [[float(s - pad), float(w - pad)], [float(n + pad), float(e + pad)]]


def _widen(box: list[np.ndarray], points: np.ndarray) -> None:
    """Grow ``box`` ([min, max], or empty) to hold ``points`` (NaN spreads, as in one min over all)."""
    low, high = points.min(axis=0), points.max(axis=0)
    if not box:
        box += [low, high]
    else:
        box[0], box[1] = np.minimum(box[0], low), np.maximum(box[1], high)


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
    """A layer's data: gzipped JSON in base64 in the page, decoded once into a JS promise.

    ``data`` is a dict, encoded when the page is rendered, or a ``PayloadFile`` written already:
    in memory, it is placed in the page; in a file, its place is marked for ``render_page``.  A ``lazy`` payload (a layer's sentences) is
    only placed in the page; the runtime decodes it when a popup first needs it, or once the map
    is ready (``geomap.text(id)``).
    """

    def __init__(
        self, kind: str, data: dict[str, Any] | PayloadFile | None = None, *, lazy: bool = False
    ) -> None:
        super().__init__()
        self._name = f"geomap_{kind}"
        self.data = data
        self.lazy = lazy

    def render(self, **kwargs: Any) -> None:
        figure, name = self.get_root(), self.get_name()
        assert self.data is not None
        if isinstance(self.data, PayloadFile):  # one in a file stays there until the page is written
            text = self.data.marker if self.data.path is not None else self.data.text()
        else:
            text = encode_payload(self.data)
        figure.html.add_child(_Raw(f'<script type="{PAYLOAD_TYPE}" id="{name}">{text}</script>'), name=name)
        if not self.lazy:
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


def _legend_html() -> str:
    rows = [
        f'<div class="gm-legend-row">{st.icon(16)}<span>{html.escape(st.label)}</span></div>'
        for st in EVENT_STYLES.values()
    ]
    ring = EventStyle("", "#555", "").region_icon(16)
    rows.append(f'<div class="gm-legend-row">{ring}<span>Whole area, no outline (or a country)</span></div>')
    rows.append(
        '<div class="gm-legend-row"><span class="gm-swatch gm-swatch-area"></span><span>Area named by an event '
        "(in its class colour)</span></div>"
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
 padding:4px 14px;border-radius:4px;font:600 17px/1.4 system-ui,sans-serif;box-shadow:0 1px 4px #0004;
 max-width:60%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.gm-legend{position:absolute;bottom:28px;right:10px;z-index:1000;background:#fffe;padding:7px 11px;
 border-radius:4px;font:13px/1.55 system-ui,sans-serif;box-shadow:0 1px 4px #0004}
.gm-legend-row{display:flex;align-items:center;gap:7px}
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
.gm-loading::after{content:"…";color:#888}.gm-more{color:#555;font-style:italic}.gm-area-event{border-top:1px solid #ddd;padding-top:3px;margin-top:3px}
.gm-slider{background:#fff;padding:4px 8px;font:12px system-ui,sans-serif}.gm-slider input{width:220px}
.gm-admin-label{background:none;border:none;color:#555;font:600 12px/1.25 system-ui,sans-serif;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;text-align:center}
.gm-admin-label .gm-admin-ar{font-weight:500;font-size:12px}
.leaflet-control-layers{font:13px/1.5 system-ui,sans-serif}
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
  var loads = [], texts = {}, lazy = [];
  function decode(id) {
    // The whole buffer is written at once and read in a loop: piping a Blob's stream through
    // the DecompressionStream is ten times slower in Chromium (2.7 s against 0.2 s for 12 MB).
    var ds = new DecompressionStream("gzip"), writer = ds.writable.getWriter();
    var none = function () {};
    writer.write(bytes(document.getElementById(id).textContent.trim())).catch(none);
    writer.close().catch(none);
    var reader = ds.readable.getReader(), chunks = [], total = 0;
    function pump() {
      return reader.read().then(function (x) {
        if (!x.done) { chunks.push(x.value); total += x.value.length; return pump(); }
        var all = new Uint8Array(total), at = 0;
        chunks.forEach(function (c) { all.set(c, at); at += c.length; });
        return JSON.parse(new TextDecoder().decode(all));
      });
    }
    return pump();
  }
  api.load = function (id) {
    var data = decode(id);
    pending += 1;  // ready only once every payload is read and its layers are built
    data.then(function () { setTimeout(function () { pending -= 1; check(); }, 0); },
              function (e) { console.error("geomap: cannot read " + id + ": " + e); });
    loads.push(data);
    return data;
  };
  // The sentences of a layer: a payload of their own, decoded on first use or once the map is ready.
  api.texts = texts;  // the cache (a test empties it to see a popup wait for its sentences)
  api.text = function (id) {
    if (!texts[id]) {
      texts[id] = decode(id).then(function (T) { texts[id].s = T.s; return T.s; });
      texts[id].catch(function (e) { console.error("geomap: cannot read " + id + ": " + e); });
    }
    return texts[id];
  };
  function withText(D, popup, fill) {  // fill(strings) now if they are read, else when they are
    var p = api.text(D.text);
    if (p.s) return fill(p.s);
    popup.classList.add("gm-loading");
    p.then(function (s) {
      fill(s);
      popup.classList.remove("gm-loading");
      if (popup.gmPopup) popup.gmPopup.update();
    });
  }

  // -- readiness: every payload read, every shown marker layer has clustered its markers ---------
  function check() {
    if (settled && pending === 0 && !window.geomapReady) {
      setTimeout(function () {  // after the cluster group has put its last markers on the map
        window.geomapReady = true;
        document.dispatchEvent(new Event("geomap:ready"));
        setTimeout(function () { lazy.forEach(api.text); }, 0);  // the sentences, for the popups
      }, 0);
    }
  }
  function track(group) { pending += 1; group.gmPending = true; }
  function loaded(group) {
    if (group.gmPending) { group.gmPending = false; pending -= 1; check(); }
  }
  api.settle = function () { settled = true; check(); };

  // -- time: every layer with dates registers its dates and how to show "up to a date" ----------
  var timed = [];
  api.cut = null;  // the slider's date ("" or null: everything)
  function shown(date) { return !date || api.cut === null || date <= api.cut; }
  function timedLayer(dates, apply) { timed.push({dates: dates, apply: apply}); }

  api.timeSlider = function (map) {
    setTimeout(function () {  // after every layer of the page has asked for its payload
      Promise.all(loads).then(function () {
        var seen = {}, undated = false;
        timed.forEach(function (t) {
          t.dates.forEach(function (d) { if (d) seen[d] = true; else undated = true; });
        });
        var dates = Object.keys(seen).sort(), n = dates.length;
        if (!n) return;
        function apply(i) {
          api.cut = i >= n - 1 ? null : dates[i];
          timed.forEach(function (t) { t.apply(); });
        }
        var control = L.control({position: "bottomleft"});
        control.onAdd = function () {
          var div = el("div", "gm-slider leaflet-bar"), label = el("div"), input = el("input");
          input.type = "range"; input.min = "0"; input.max = String(n - 1); input.step = "1";
          input.value = String(n - 1);
          input.setAttribute("aria-label", "Show events up to this date");
          function show() {
            label.textContent = "Events up to " + dates[+input.value] + (undated ? " (and undated)" : "");
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
        api.slider = {control: control, apply: apply, dates: dates};
      });
    }, 0);
  };

  // -- events -----------------------------------------------------------------------------------
  function eventPopup(D, r) {
    var F = D.ef, S = function (k) { return str(D, r[F[k]]); }, c = D.classes[r[F.cls]];
    var d = el("div", "gm-popup");
    d.appendChild(place(S("name_ar"), S("name_en")));
    d.appendChild(kind(c.label + (S("type") ? " · " + S("type") : ""), c.color));
    d.appendChild(facts([["Date", S("when")], ["Count", S("count")], ["Fatalities", S("fatal")],
                         ["Precision", S("precision")], ["Where", S("where")], ["Actors", S("actors")],
                         ["Status", S("status")], ["Reported by", S("source")]]));
    var slot = d.appendChild(el("div"));
    withText(D, d, function (T) {
      if (r[F.sentence] >= 0) slot.appendChild(sentence(T[r[F.sentence]], r[F.ms], r[F.me], r[F.rtl]));
    });
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
    group.gmAreas = [];
    group.gmClass = c.id;
    group.gmCount = args.n;
    api.layers[c.id] = group;
    api.map = map;
    if (args.show && args.n) track(group);
    P.then(function (D) {
      if (lazy.indexOf(D.text) < 0) lazy.push(D.text);
      var F = D.ef, markers = group.gmMarkers, areas = group.gmAreas;
      var icon = L.divIcon({html: c.icon, className: "gm-icon", iconSize: [22, 22], iconAnchor: [11, 11],
                            popupAnchor: [0, -9]});
      var ring = L.divIcon({html: c.region_icon, className: "gm-icon gm-region", iconSize: [26, 26],
                            iconAnchor: [13, 13], popupAnchor: [0, -11]});
      D.events.forEach(function (r) {
        if (r[F.cls] !== args.cls) return;
        var region = r[F.region] === 1, name = str(D, r[F.name_en]) || str(D, r[F.name_ar]);
        var m = L.marker([r[F.lat], r[F.lon]], {icon: region ? ring : icon, title: region ? name + " (whole area)" : name});
        m.gmRow = r;
        m.gmDate = str(D, r[F.date]);
        markers.push(m);
      });
      D.items.forEach(function (it) { if (it[D.it.cls] === args.cls) areas.push(areaPolygon(map, D, it)); });
      group.on("click", function (e) {  // popups are made on first click, not 100,000 at load
        var m = e.layer;
        if (m.gmRow && !m.getPopup()) {
          m.bindPopup(function (layer) {
            var d = eventPopup(D, m.gmRow);
            d.gmPopup = layer.getPopup();
            return d;
          }, {maxWidth: 380, minWidth: 240});
          m.openPopup();
        }
      });
      function visible() {
        return markers.filter(function (m) { return shown(m.gmDate); })
          .concat(areas.filter(function (a) { return a.gmDates.some(shown); }));
      }
      timedLayer(markers.map(function (m) { return m.gmDate; }).concat(
        [].concat.apply([], areas.map(function (a) { return a.gmDates; }))), function () {
        group.clearLayers();
        group.addLayers(visible());
      });
      group.addLayers(markers.concat(areas));
      if (!group._map || !markers.length) loaded(group);
    });
    return group;
  };

  api.heatLayer = function (map, P, args) {
    var heat = L.heatLayer([], {radius: 18, blur: 22, minOpacity: 0.35, maxZoom: 11});
    heat.gmPoints = []; heat.gmDates = [];
    P.then(function (D) {
      var F = D.ef;
      D.events.forEach(function (r) {
        if (r[F.region] === 1) return;  // a whole area is not a hot spot at its centre
        heat.gmPoints.push([r[F.lat], r[F.lon], 1]);
        heat.gmDates.push(str(D, r[F.date]));
      });
      heat.setLatLngs(heat.gmPoints);
      timedLayer(heat.gmDates, function () {
        heat.setLatLngs(heat.gmPoints.filter(function (p, i) { return shown(heat.gmDates[i]); }));
      });
    });
    api.layers.heat = heat;
    return heat;
  };

  // -- areas ------------------------------------------------------------------------------------
  var TIERS = ["gmAreasBroad", "gmAreasMiddle", "gmAreasSmall"];
  function areaPane(map, tier) {  // smaller areas above larger ones, all below the markers
    var name = TIERS[tier] || TIERS[0];
    if (!map.getPane(name)) map.createPane(name).style.zIndex = String(402 + TIERS.indexOf(name));
    return name;
  }
  function areaPopup(D, it) {
    var A = D.af, I = D.it, c = D.classes[it[I.cls]], limit = 25;
    var rows = it[I.rows].filter(function (r) { return shown(str(D, r[A.date])); });
    var d = el("div", "gm-popup");
    d.appendChild(place(str(D, it[I.name_ar]), str(D, it[I.name_en])));
    var what = (it[I.origin] ? "Origin of displacement" : c.label) + " · " + str(D, it[I.kind]) + " · " +
      rows.length + (rows.length === 1 ? " event" : " events");
    d.appendChild(kind(what, c.color));
    var slots = [];
    rows.slice(0, limit).forEach(function (r) {
      var e = el("div", "gm-area-event"), S = function (k) { return str(D, r[A[k]]); };
      e.appendChild(facts([["Type", S("type")], ["Date", S("when")], ["Count", S("count")],
                           ["Fatalities", S("fatal")], ["Status", S("status")]]));
      slots.push([e.appendChild(el("div")), r]);
      append(e, source(S("url")));
      d.appendChild(e);
    });
    withText(D, d, function (T) {
      slots.forEach(function (x) {
        var r = x[1];
        if (r[A.sentence] >= 0) x[0].appendChild(sentence(T[r[A.sentence]], r[A.ms], r[A.me], r[A.rtl]));
      });
    });
    if (rows.length > limit) d.appendChild(el("div", "gm-more", "… and " + (rows.length - limit) + " more"));
    return d;
  }
  function areaPolygon(map, D, it) {
    var A = D.af, I = D.it, c = D.classes[it[I.cls]], origin = it[I.origin] === 1;
    var style = {color: c.color, weight: origin ? 2 : 1.5, opacity: 0.9, fillColor: c.color,
                 fillOpacity: (origin ? 0.4 : 1) * [0.1, 0.2, 0.26][it[I.tier]], dashArray: origin ? "6 4" : null, pane: areaPane(map, it[I.tier])};
    var layer = L.GeoJSON.geometryToLayer({type: "Feature", properties: {}, geometry: D.geoms[it[I.geom]]}, style);
    layer.gmItem = it;
    layer.gmCount = it[I.rows].filter(function (r) { return r[A.counted] === 1; }).length;
    layer.gmDates = it[I.rows].map(function (r) { return str(D, r[A.date]); });
    layer.bindPopup(function (l) { var d = areaPopup(D, it); d.gmPopup = l.getPopup(); return d; },
                    {maxWidth: 420, maxHeight: 340});
    layer.bindTooltip(function () {
      return el("span", null, (str(D, it[I.name_en]) || str(D, it[I.name_ar])) + " · " +
                (origin ? "origin of displacement" : c.label));
    }, {sticky: true});
    return layer;
  }

  api.areaLayer = function (map, P, args) {
    var group = L.featureGroup(), areas = [];
    P.then(function (D) {
      if (lazy.indexOf(D.text) < 0) lazy.push(D.text);
      D.items.forEach(function (it) { var a = areaPolygon(map, D, it); areas.push(a); group.addLayer(a); });
      timedLayer([].concat.apply([], areas.map(function (a) { return a.gmDates; })), function () {
        group.clearLayers();
        areas.forEach(function (a) { if (a.gmDates.some(shown)) group.addLayer(a); });
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
    var group = L.featureGroup(), parts = [];
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
        line.gmFlow = f;
        parts.push({date: str(D, f[F.date]), line: line, head: head});
        group.addLayer(line);
        group.addLayer(head);
      });
      timedLayer(parts.map(function (p) { return p.date; }), function () {
        group.clearLayers();
        parts.forEach(function (p) { if (shown(p.date)) { group.addLayer(p.line); group.addLayer(p.head); } });
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
        if (level === 1) {  // governorate names in English and Arabic
          var label = el("div"), ar = str(D, a[2]);
          label.appendChild(el("div", null, str(D, a[3])));
          if (ar) { var l2 = el("div", "gm-admin-ar", ar); l2.dir = "rtl"; l2.lang = "ar"; label.appendChild(l2); }
          group.addLayer(L.marker([a[4], a[5]], {interactive: false, keyboard: false, icon: L.divIcon(
            {html: label, className: "gm-admin-label", iconSize: [140, 32], iconAnchor: [70, 16]})}));
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
