"""Events, places and flows -> GeoDataFrames (EPSG:4326), one per map layer.

This is the one place where a ``(lat, lon)`` pair becomes a shapely ``(x, y)`` point.
Every layer has a fixed column order (``*_COLUMNS`` below, documented in ``docs/schema.md``),
and an empty input gives an empty frame with the same columns and CRS.

Layers:

``events``
    One row per (event x resolved location).  An event with no resolved location has no row:
    it cannot be placed on a map.  With ``merge=True`` (the default) an event that several
    documents report (same class, places and day: ``geomap.events.merge_events``) is one event,
    with ``num_sources`` and ``sources``; the copies' rows, areas and flows are left out.  ``map_as`` says how the map draws the row: ``marker`` (a
    settlement, or an area without a polygon), ``area`` (an area whose polygon is in the
    ``areas`` layer) or ``none`` (a country: never drawn as a Syrian place).
``places``
    One row per distinct resolved place mentioned in any document.
``flows``
    One LineString per displacement flow with a resolved origin and destination.
``areas``
    One polygon row per (event x area location), and per (displacement event x origin area)
    for origin-only flows, for areas the gazetteer has a polygon for.  Countries are skipped.

Gazetteer protocol (duck-typed): ``geometry(place_id) -> shapely geometry | None`` (WGS84
polygons of areas); places come resolved on the mentions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geomap.events import EventMerger, Report
from geomap.model import Count, Event, Flow, Mention, Place, Result
from geomap.records import admin_record

__all__ = [
    "AREAS_COLUMNS",
    "CRS",
    "EVENTS_COLUMNS",
    "FLOWS_COLUMNS",
    "LAYER_NAMES",
    "ChunkedLayers",
    "DocumentRows",
    "LayerBuilder",
    "Layers",
    "PLACES_COLUMNS",
    "PlaceTally",
    "PolygonCache",
    "area_frame",
    "place_frame",
    "document_rows",
    "empty_layer",
    "event_frame",
    "flow_frame",
    "layer_chunks",
    "layer_geom_types",
    "merge_place_layers",
    "results_to_layers",
]

CRS = "EPSG:4326"
LAYER_NAMES = ("events", "places", "flows", "areas")

#: Separator for multi-valued text properties (GeoPackage and CSV have no list type).
LIST_SEP = " | "

_STR = "object"
_INT = "Int64"  # nullable: a missing count stays missing, it is never 0
_FLOAT = "float64"

_ADMIN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("admin1", _STR),
    ("admin1_pcode", _STR),
    ("admin2", _STR),
    ("admin2_pcode", _STR),
    ("admin3", _STR),
    ("admin3_pcode", _STR),
)
_COUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("count_best", _INT),
    ("count_low", _INT),
    ("count_high", _INT),
    ("count_what", _STR),
)

EVENTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", _STR),
    ("event_id_cnty", _STR),
    ("doc_id", _STR),
    ("event_date", _STR),
    ("time_precision", _INT),
    ("event_type", _STR),
    ("sub_event_type", _STR),
    ("event_class", _STR),
    ("actor1", _STR),
    ("actor2", _STR),
    ("location", _STR),
    ("location_ar", _STR),
    ("surface", _STR),
    ("gazetteer_id", _STR),
    ("place_kind", _STR),
    *_ADMIN_COLUMNS,
    ("latitude", _FLOAT),
    ("longitude", _FLOAT),
    ("geo_precision", _INT),
    ("where_prec", _INT),
    ("confidence", _FLOAT),
    ("feature", _STR),
    *_COUNT_COLUMNS,
    ("fatalities", _INT),
    ("status", _STR),
    ("sentence", _STR),
    ("mark_start", _INT),
    ("mark_end", _INT),
    ("start", _INT),
    ("end", _INT),
    ("trigger", _STR),
    ("source", _STR),
    ("source_url", _STR),
    ("num_sources", _INT),
    ("sources", _STR),
    ("map_as", _STR),
)

PLACES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("gazetteer_id", _STR),
    ("name_ar", _STR),
    ("name_en", _STR),
    ("kind", _STR),
    *_ADMIN_COLUMNS,
    ("latitude", _FLOAT),
    ("longitude", _FLOAT),
    ("n_mentions", _INT),
    ("n_docs", _INT),
    ("surfaces", _STR),
    ("geo_precision", _INT),
    ("confidence", _FLOAT),
    ("docs", _STR),
)

FLOWS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("flow_id", _STR),
    ("event_id", _STR),
    ("doc_id", _STR),
    ("event_date", _STR),
    ("origin_id", _STR),
    ("origin_name_en", _STR),
    ("origin_name_ar", _STR),
    ("origin_kind", _STR),
    ("destination_id", _STR),
    ("destination_name_en", _STR),
    ("destination_name_ar", _STR),
    ("destination_kind", _STR),
    *_COUNT_COLUMNS,
    ("sentence", _STR),
    ("source_url", _STR),
)

AREAS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", _STR),
    ("doc_id", _STR),
    ("role", _STR),
    ("gazetteer_id", _STR),
    ("name_en", _STR),
    ("name_ar", _STR),
    ("surface", _STR),
    ("place_kind", _STR),
    ("event_class", _STR),
    ("event_type", _STR),
    ("sub_event_type", _STR),
    ("event_date", _STR),
    ("geo_precision", _INT),
    *_COUNT_COLUMNS,
    ("status", _STR),
    ("sentence", _STR),
    ("mark_start", _INT),
    ("mark_end", _INT),
    ("source_url", _STR),
)

_SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    "events": EVENTS_COLUMNS,
    "places": PLACES_COLUMNS,
    "flows": FLOWS_COLUMNS,
    "areas": AREAS_COLUMNS,
}

#: Area kinds that are not drawn: a country is not a Syrian area.
_UNDRAWN_KINDS = frozenset({"country"})


class Gazetteer(Protocol):
    """What this module needs from a gazetteer."""

    def geometry(self, place_id: str) -> BaseGeometry | None: ...


class ChunkedLayers(Protocol):
    """Layers too big to hold at once, read a frame of rows at a time (``geomap.store.LayerStore``)."""

    def __contains__(self, name: object) -> bool: ...

    def chunks(self, name: str, rows: int | None = None) -> Iterator[gpd.GeoDataFrame]: ...

    def geom_types(self, name: str) -> list[str]: ...


#: The layers as frames (``results_to_layers``), or read chunk by chunk.
Layers = Mapping[str, gpd.GeoDataFrame] | ChunkedLayers


def empty_layer(name: str) -> gpd.GeoDataFrame:
    """An empty layer with the columns, dtypes and CRS of layer ``name``."""
    return _frame(name, [], [])


def layer_chunks(layers: Layers, name: str, rows: int | None = None) -> Iterator[gpd.GeoDataFrame]:
    """Layer ``name`` as frames of at most ``rows`` rows (all at once for None), in order.

    There is always at least one frame: an absent or empty layer is one empty frame.
    """
    if not isinstance(layers, Mapping):
        yield from layers.chunks(name, rows)
        return
    gdf = layers.get(name)
    if gdf is None:
        gdf = empty_layer(name)
    if rows is None or len(gdf) <= rows:
        yield gdf
        return
    for start in range(0, len(gdf), rows):
        yield gdf.iloc[start : start + rows]


def layer_geom_types(layers: Layers, name: str) -> list[str]:
    """The geometry types of layer ``name``'s rows (``Point``, ``Polygon`` …), in order of first use."""
    if not isinstance(layers, Mapping):
        return layers.geom_types(name)
    gdf = layers.get(name)
    return [] if gdf is None else [str(t) for t in gdf.geom_type.dropna().unique()]


def results_to_layers(
    results: Iterable[Result], gazetteer: Gazetteer, *, merge: bool = True
) -> dict[str, gpd.GeoDataFrame]:
    """Turn pipeline results into the four map layers.

    Parameters
    ----------
    results:
        One ``Result`` per document, read once, in order (a generator will do).
    gazetteer:
        Anything with ``geometry(place_id)`` (the polygons of areas).
    merge:
        Merge the events that several documents report (same class, places and day) into one,
        with ``num_sources`` and ``sources`` (``geomap.events.merge_events``).  ``False`` keeps one
        event per document.

    Returns
    -------
    dict
        ``{"events", "places", "flows", "areas"}`` -> GeoDataFrame in EPSG:4326.
    """
    builder = LayerBuilder(gazetteer, merge=merge)
    builder.add(results)
    return builder.frames()


#: How a row refers to the report of its event: a ``Report``, or a key to one.
R = TypeVar("R")


@dataclass(slots=True)
class DocumentRows(Generic[R]):
    """The rows one document adds to the layers, each as a tuple in its layer's column order.

    ``events``: (row, report).  ``areas``: (row, report or None, polygon, ``takes_count``): with
    ``takes_count`` the row's count is its event's merged count (``area_frame``).  ``flows``:
    (row, (lon0, lat0, lon1, lat1)).
    """

    events: list[tuple[tuple[Any, ...], R]] = field(default_factory=list)
    areas: list[tuple[tuple[Any, ...], R | None, BaseGeometry, bool]] = field(default_factory=list)
    flows: list[tuple[tuple[Any, ...], tuple[float, float, float, float]]] = field(default_factory=list)


def document_rows(
    result: Result, report: Callable[[Event], R | None], polygons: PolygonCache
) -> DocumentRows[R]:
    """The layer rows of one document; ``report(event)`` is None for an event merged into an earlier one.

    A merged copy adds no event, area or flow row: its report went to the first document's event.
    """
    doc = result.document
    rows: DocumentRows[R] = DocumentRows()
    kept = {}
    for event in result.events:
        handle = report(event)
        if handle is not None:
            kept[event.id] = handle
    # origin-only displacement: the origin area is drawn shaded, with the flow's count
    origin_only = {
        (f.event_id, f.origin.place.id): f
        for f in result.flows
        if f.destination is None and f.origin.place and f.event_id in kept
    }
    for event in result.events:
        if event.id not in kept:
            continue  # merged into the same event of an earlier document
        handle = kept[event.id]
        url = event.doc_url or doc.url
        resolved = _distinct_resolved(event.locations)
        for k, mention in enumerate(resolved, start=1):
            place = mention.place
            assert place is not None
            polygon = _area_polygon(place, polygons)
            map_as = "none" if place.kind in _UNDRAWN_KINDS else "area" if polygon is not None else "marker"
            row = _event_row(event, mention, place, doc.source, url, k if len(resolved) > 1 else 0, map_as)
            rows.events.append((_values("events", row), handle))
            if polygon is not None:
                flow = origin_only.pop((event.id, place.id), None)
                role = "origin" if flow else "location"
                own = flow.count if flow and flow.count else None
                values = _values("areas", _area_row(event, mention, place, role, own, url))
                rows.areas.append((values, handle, polygon, own is None))
    events_by_id = {e.id: e for e in result.events}
    for flow in origin_only.values():
        event, place = events_by_id.get(flow.event_id), flow.origin.place
        polygon = _area_polygon(place, polygons) if place else None
        if event is not None and polygon is not None:
            url = event.doc_url or doc.url
            row = _area_row(event, flow.origin, place, "origin", flow.count or event.count, url)
            rows.areas.append((_values("areas", row), None, polygon, False))
    for flow in result.flows:
        origin, destination = flow.origin.place, flow.destination.place if flow.destination else None
        if origin is None or destination is None or flow.event_id not in kept:
            continue  # unresolved, origin-only (drawn as an area above), or a merged copy
        event = events_by_id.get(flow.event_id)
        url = (event.doc_url if event else None) or doc.url
        line = (origin.lon, origin.lat, destination.lon, destination.lat)
        rows.flows.append((_values("flows", _flow_row(flow, origin, destination, event, url)), line))
    return rows


class LayerBuilder:
    """The four map layers, built document by document in memory that grows with the rows only.

    ``add`` turns results into compact rows (tuples of the layer columns) and drops the results;
    the merge of one event across documents (``geomap.events.merge_events``) is done as the
    documents come, so ``add`` in batches gives the same layers as one ``add`` of everything.
    ``frames`` makes the GeoDataFrames (``results_to_layers`` is ``add`` then ``frames``).
    ``geomap.store.LayerStore`` does the same with the rows on disk, for a corpus.

    Parameters
    ----------
    gazetteer:
        Anything with ``geometry(place_id)`` (the polygons of areas).
    merge:
        As in ``results_to_layers``.

    Examples
    --------
    >>> builder = LayerBuilder(gazetteer)  # doctest: +SKIP
    >>> for batch in batches:  # doctest: +SKIP
    ...     builder.add(batch)
    >>> layers = builder.frames()  # doctest: +SKIP
    """

    def __init__(self, gazetteer: Gazetteer, *, merge: bool = True) -> None:
        self._merge = merge
        self._polygons = PolygonCache(gazetteer)
        self._merger = EventMerger()
        self._rows: DocumentRows[Report] = DocumentRows()
        self._places = PlaceTally()

    def add(self, results: Iterable[Result]) -> None:
        """Add the rows of ``results`` (documents in reading order, after those added before)."""
        for result in results:
            rows = document_rows(result, self._report, self._polygons)
            self._rows.events += rows.events
            self._rows.areas += rows.areas
            self._rows.flows += rows.flows
            self._places.add_result(result)

    def frames(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers of every document added so far: ``{"events", "places", "flows", "areas"}``."""
        return {
            "events": event_frame(self._rows.events),
            "places": self._places.frame(),
            "flows": flow_frame(self._rows.flows),
            "areas": area_frame(self._rows.areas),
        }

    def _report(self, event: Event) -> Report | None:
        """The report of ``event`` when it is new, or None when it joined an earlier document's."""
        if not self._merge:
            return Report(event.sources or (event.doc_id,), event.count, event.fatalities)
        return self._merger.add(event)


def event_frame(rows: Iterable[tuple[tuple[Any, ...], Report]]) -> gpd.GeoDataFrame:
    """The ``events`` layer of rows, each with the sources, count and deaths of its merged report."""
    values = [_with_report(row, report) for row, report in rows]
    return _frame("events", values, [Point(row[_EV_LON], row[_EV_LAT]) for row in values])


def area_frame(rows: Iterable[tuple[tuple[Any, ...], Report | None, BaseGeometry, bool]]) -> gpd.GeoDataFrame:
    """The ``areas`` layer of rows; a row that ``takes_count`` gets its event's merged count."""
    values, geoms = [], []
    for row, report, polygon, takes_count in rows:
        if takes_count:
            assert report is not None
            row = (*row[:_AREA_COUNT], *_count(report.count).values(), *row[_AREA_COUNT + 4 :])
        values.append(row)
        geoms.append(polygon)
    return _frame("areas", values, geoms)


def flow_frame(rows: Iterable[tuple[tuple[Any, ...], tuple[float, float, float, float]]]) -> gpd.GeoDataFrame:
    """The ``flows`` layer of rows, each a line from (lon0, lat0) to (lon1, lat1)."""
    values, lines = [], []
    for row, (x0, y0, x1, y1) in rows:
        values.append(row)
        lines.append(LineString([(x0, y0), (x1, y1)]))
    return _frame("flows", values, lines)


def _values(name: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """``row`` as a tuple in the column order of layer ``name``."""
    return tuple(row[c] for c, _ in _SCHEMAS[name])


def _column(name: str, column: str) -> int:
    return [c for c, _ in _SCHEMAS[name]].index(column)


_EV_LAT, _EV_LON = _column("events", "latitude"), _column("events", "longitude")
_EV_COUNT = _column("events", "count_best")  # count_best, count_low, count_high, count_what
_EV_FATALITIES = _column("events", "fatalities")
_EV_NUM_SOURCES, _EV_SOURCES = _column("events", "num_sources"), _column("events", "sources")
_AREA_COUNT = _column("areas", "count_best")
_PL_LAT, _PL_LON = _column("places", "latitude"), _column("places", "longitude")


def _with_report(row: tuple[Any, ...], report: Report) -> tuple[Any, ...]:
    """An event row with the sources, count and fatalities of every report of its event."""
    values = list(row)
    values[_EV_COUNT : _EV_COUNT + 4] = _count(report.count).values()
    values[_EV_FATALITIES] = report.fatalities
    values[_EV_NUM_SOURCES] = len(report.sources)
    values[_EV_SOURCES] = LIST_SEP.join(report.sources)
    return tuple(values)


def merge_place_layers(frames: Iterable[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """``places`` layers of consecutive batches as one row per place, in order of first mention.

    Mentions add up; surfaces and documents are united in order (their count is ``n_docs``); the
    best precision (lowest) and highest confidence are kept, as in one ``results_to_layers``.
    """
    tally = PlaceTally()
    for frame in frames:
        geom = frame.geometry.name
        for row, point in zip(frame.drop(columns=geom).to_dict("records"), frame.geometry, strict=True):
            tally.add_row(row, point)
    return tally.frame()


def _area_polygon(place: Place, polygons: PolygonCache) -> BaseGeometry | None:
    """The polygon an area place is drawn with, or None (settlements, countries, no polygon)."""
    if not place.is_area or place.kind in _UNDRAWN_KINDS:
        return None
    return polygons.get(place.id)


# -- rows ---------------------------------------------------------------------------------------


def _count(count: Count | None) -> dict[str, Any]:
    if count is None:
        return {"count_best": None, "count_low": None, "count_high": None, "count_what": None}
    return {
        "count_best": count.best,
        "count_low": count.low,
        "count_high": count.high,
        "count_what": count.what or None,
    }


def _mark(event: Event, mention: Mention) -> tuple[int | None, int | None]:
    """Offsets of the mention inside the event sentence, when it lies there."""
    start, end = mention.start - event.start, mention.end - event.start
    if 0 <= start < end <= len(event.sentence) and event.sentence[start:end] == mention.surface:
        return start, end
    found = event.sentence.find(mention.surface) if mention.surface else -1
    if found < 0:
        return None, None
    return found, found + len(mention.surface)


def _event_row(
    event: Event, mention: Mention, place: Place, source: str | None, url: str | None, k: int, map_as: str
) -> dict[str, Any]:
    mark_start, mark_end = _mark(event, mention)
    sources = event.sources or (event.doc_id,)
    return {
        "event_id": event.id,
        "event_id_cnty": f"{event.id}-{k}" if k else event.id,
        "doc_id": event.doc_id,
        "event_date": event.date,
        "time_precision": event.time_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "event_class": event.type.value,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "location": place.name_en,
        "location_ar": place.name_ar,
        "surface": mention.surface,
        "gazetteer_id": place.id,
        "place_kind": place.kind,
        **admin_record(place),
        "latitude": place.lat,
        "longitude": place.lon,
        "geo_precision": mention.geo_precision,
        "where_prec": mention.where_prec,
        "confidence": mention.confidence,
        "feature": mention.feature or None,
        **_count(event.count),
        "fatalities": event.fatalities,
        "status": event.status,
        "sentence": event.sentence,
        "mark_start": mark_start,
        "mark_end": mark_end,
        "start": event.start,
        "end": event.end,
        "trigger": event.trigger,
        "source": source,
        "source_url": url,
        "num_sources": len(sources),
        "sources": LIST_SEP.join(sources),
        "map_as": map_as,
    }


def _area_row(
    event: Event, mention: Mention, place: Place, role: str, count: Count | None, url: str | None
) -> dict[str, Any]:
    mark_start, mark_end = _mark(event, mention)
    return {
        "event_id": event.id,
        "doc_id": event.doc_id,
        "role": role,
        "gazetteer_id": place.id,
        "name_en": place.name_en,
        "name_ar": place.name_ar,
        "surface": mention.surface,
        "place_kind": place.kind,
        "event_class": event.type.value,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "event_date": event.date,
        "geo_precision": mention.geo_precision,
        **_count(count),
        "status": event.status,
        "sentence": event.sentence,
        "mark_start": mark_start,
        "mark_end": mark_end,
        "source_url": url,
    }


def _flow_row(
    flow: Flow, origin: Place, destination: Place, event: Event | None, url: str | None
) -> dict[str, Any]:
    return {
        "flow_id": flow.id,
        "event_id": flow.event_id,
        "doc_id": flow.doc_id,
        "event_date": event.date if event else None,
        "origin_id": origin.id,
        "origin_name_en": origin.name_en,
        "origin_name_ar": origin.name_ar,
        "origin_kind": origin.kind,
        "destination_id": destination.id,
        "destination_name_en": destination.name_en,
        "destination_name_ar": destination.name_ar,
        "destination_kind": destination.kind,
        **_count(flow.count),
        "sentence": flow.sentence,
        "source_url": url,
    }


def _distinct_resolved(mentions: Iterable[Mention]) -> list[Mention]:
    """Resolved mentions, one per place (the first, which is the one in the sentence order)."""
    seen: set[str] = set()
    out: list[Mention] = []
    for m in mentions:
        if m.place is not None and m.place.id not in seen:
            seen.add(m.place.id)
            out.append(m)
    return out


def _all_mentions(result: Result) -> Iterable[Mention]:
    """Every resolved mention of a result once: its own list plus those only events or flows hold."""
    seen: set[tuple[str, int, int, str]] = set()
    pools: list[Iterable[Mention]] = [result.mentions]
    pools += [(*e.locations, *e.origins, *e.destinations) for e in result.events]
    pools += [(f.origin,) if f.destination is None else (f.origin, f.destination) for f in result.flows]
    for pool in pools:
        for m in pool:
            if m.place is None:
                continue
            key = (m.doc_id, m.start, m.end, m.place.id)
            if key not in seen:
                seen.add(key)
                yield m


class PlaceTally:
    """Aggregates mentions per place for the ``places`` layer (a few values per place, no mentions).

    ``rows()`` gives one dict per place in order of first mention: the ``places`` columns but
    ``n_docs``, with ``surfaces`` and ``docs`` as ordered dicts of their distinct values.
    """

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}  # place id -> row

    def add_result(self, result: Result) -> None:
        """Count every resolved mention of a document once."""
        for mention in _all_mentions(result):
            self.add(mention)

    def add(self, mention: Mention) -> None:
        place = mention.place
        assert place is not None
        row = self._rows.get(place.id)
        if row is None:
            self._rows[place.id] = {
                "gazetteer_id": place.id,
                "name_ar": place.name_ar,
                "name_en": place.name_en,
                "kind": place.kind,
                **admin_record(place),
                "latitude": place.lat,
                "longitude": place.lon,
                "n_mentions": 1,
                "surfaces": {mention.surface: None},
                "geo_precision": mention.geo_precision,
                "confidence": mention.confidence,
                "docs": {mention.doc_id: None},
            }
            return
        row["n_mentions"] += 1
        row["surfaces"].setdefault(mention.surface)
        row["docs"].setdefault(mention.doc_id)
        row["geo_precision"] = min(row["geo_precision"], mention.geo_precision)
        row["confidence"] = max(row["confidence"], mention.confidence)

    def add_row(self, row: dict[str, Any], geom: BaseGeometry | None = None) -> None:
        """Add a row of a ``places`` layer (the tally of some other documents); its point is its lat/lon."""
        surfaces = dict.fromkeys(row["surfaces"].split(LIST_SEP))
        docs = dict.fromkeys(row["docs"].split(LIST_SEP))
        seen = self._rows.get(row["gazetteer_id"])
        if seen is None:
            self._rows[row["gazetteer_id"]] = {**row, "surfaces": surfaces, "docs": docs}
            return
        seen["n_mentions"] += row["n_mentions"]
        seen["surfaces"].update(surfaces)
        seen["docs"].update(docs)
        seen["geo_precision"] = min(seen["geo_precision"], row["geo_precision"])
        seen["confidence"] = max(seen["confidence"], row["confidence"])

    def rows(self) -> Iterable[dict[str, Any]]:
        """The tallied rows, in order of first mention."""
        return self._rows.values()

    def frame(self) -> gpd.GeoDataFrame:
        """The ``places`` layer of the documents tallied."""
        return place_frame(self.rows())


def place_frame(rows: Iterable[dict[str, Any]]) -> gpd.GeoDataFrame:
    """The ``places`` layer of tallied rows (as ``PlaceTally.rows`` gives them), a point per place."""
    values = [
        _values(
            "places",
            {
                **row,
                "n_docs": len(row["docs"]),
                "surfaces": LIST_SEP.join(row["surfaces"]),
                "docs": LIST_SEP.join(row["docs"]),
            },
        )
        for row in rows
    ]
    return _frame("places", values, [Point(row[_PL_LON], row[_PL_LAT]) for row in values])


class PolygonCache:
    """``gazetteer.geometry`` memoised per place id (areas repeat across events)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._cache: dict[str, BaseGeometry | None] = {}

    def get(self, place_id: str) -> BaseGeometry | None:
        if place_id not in self._cache:
            geom = self._gazetteer.geometry(place_id)
            self._cache[place_id] = None if geom is None or geom.is_empty else geom
        return self._cache[place_id]


# -- frames -------------------------------------------------------------------------------------


def _frame(name: str, rows: list[tuple[Any, ...]], geoms: list[BaseGeometry]) -> gpd.GeoDataFrame:
    """Layer ``name`` from rows of values in its column order."""
    schema = _SCHEMAS[name]
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    data = {
        col: pd.Series(list(values), dtype=dtype)
        for (col, dtype), values in zip(schema, columns, strict=True)
    }
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=CRS))
