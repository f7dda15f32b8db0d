"""The map layers of a corpus kept in SQLite: rows, merged reports and place tallies on disk.

``LayerStore`` takes results document by document as ``geomap.layers.LayerBuilder`` does and
gives the same layers, read back a frame of rows at a time (``chunks``), so that the layers of
any number of documents are made and written in about the same memory.  Tables:

``reports``
    One per event kept: its sources, count and deaths; the events that several documents
    report are merged into the first one's report as ``geomap.events.EventMerger`` does, found
    by an index on the merge key (class, places, day).
``events``, ``areas``, ``flows``
    The rows in layer order (pickled tuples of the layer columns), each event or area row with
    its report, whose merged sources and count it takes when read.
``places``, ``place_docs``, ``place_surfaces``
    The tally of the ``places`` layer: one row per place, and its documents and surfaces.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd

from geomap.events import Report, first_other, joined, merge_key, own_report
from geomap.layers import (
    AREAS_COLUMNS,
    LAYER_NAMES,
    Gazetteer,
    PlaceTally,
    PolygonCache,
    area_frame,
    document_rows,
    empty_layer,
    event_frame,
    flow_frame,
    place_frame,
)
from geomap.model import Event, Result

__all__ = ["CHUNK_ROWS", "LayerStore"]

#: Rows per frame read back, by default: a few MB of Python objects.
CHUNK_ROWS = 5000

_SCHEMA = """
CREATE TABLE reports (id INTEGER PRIMARY KEY, key TEXT, sources TEXT NOT NULL, count BLOB, fatalities INTEGER);
CREATE INDEX reports_by_key ON reports (key) WHERE key IS NOT NULL;
CREATE TABLE events (seq INTEGER PRIMARY KEY, report INTEGER NOT NULL, row BLOB NOT NULL);
CREATE TABLE areas (
    seq INTEGER PRIMARY KEY, report INTEGER, takes_count INTEGER NOT NULL, place TEXT NOT NULL, row BLOB NOT NULL
);
CREATE TABLE flows (seq INTEGER PRIMARY KEY, row BLOB NOT NULL);
CREATE TABLE places (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, row BLOB NOT NULL,
    n_mentions INTEGER NOT NULL, geo_precision INTEGER, confidence REAL
);
CREATE TABLE place_docs (place TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (place, doc));
CREATE TABLE place_surfaces (place TEXT NOT NULL, surface TEXT NOT NULL, UNIQUE (place, surface));
"""

_READ = {
    "events": "SELECT e.row, r.sources, r.count, r.fatalities FROM events e "
    "JOIN reports r ON r.id = e.report ORDER BY e.seq",
    "areas": "SELECT a.row, a.place, a.takes_count, r.sources, r.count, r.fatalities FROM areas a "
    "LEFT JOIN reports r ON r.id = a.report ORDER BY a.seq",
    "flows": "SELECT row FROM flows ORDER BY seq",
    "places": "SELECT id, row, n_mentions, geo_precision, confidence FROM places ORDER BY seq",
}

_PLACE_TOTALS = (
    "INSERT INTO places (id, row, n_mentions, geo_precision, confidence) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET n_mentions = n_mentions + excluded.n_mentions, "
    "geo_precision = min(geo_precision, excluded.geo_precision), "
    "confidence = max(confidence, excluded.confidence)"
)
_GEOM_TYPES = {"events": "Point", "places": "Point", "flows": "LineString"}
_AREA_PLACE = [c for c, _ in AREAS_COLUMNS].index("gazetteer_id")
#: The columns of a places row that do not add up (the rest is tallied in the ``places`` table).
_PLACE_TALLIED = frozenset({"n_mentions", "surfaces", "docs", "geo_precision", "confidence"})


class LayerStore:
    """The four map layers of a corpus, made document by document in a SQLite file.

    Parameters
    ----------
    path:
        The database file (replaced if it exists), or None for one in memory (tests).
    gazetteer:
        Anything with ``geometry(place_id)`` (the polygons of areas).

    Examples
    --------
    >>> with LayerStore(work_dir / "layers.db", gazetteer) as store:  # doctest: +SKIP
    ...     for batch in batches:
    ...         store.add(batch)
    ...     for frame in store.chunks("events"):
    ...         ...
    """

    def __init__(self, path: str | os.PathLike[str] | None, gazetteer: Gazetteer) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        self._db = sqlite3.connect(self.path if self.path is not None else ":memory:")
        self._db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        self._polygons = PolygonCache(gazetteer)

    def __enter__(self) -> LayerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (the file stays, for its owner to remove)."""
        self._db.close()

    def __contains__(self, name: object) -> bool:
        return name in LAYER_NAMES

    def add(self, results: Iterable[Result]) -> None:
        """Add the rows of ``results`` (documents in reading order, after those added before)."""
        events: list[tuple[int, bytes]] = []
        areas: list[tuple[int | None, bool, str, bytes]] = []
        flows: list[tuple[bytes]] = []
        tally = PlaceTally()
        with self._db:
            for result in results:
                rows = document_rows(result, self._report, self._polygons)
                events += [(report, _dump(row)) for row, report in rows.events]
                areas += [(report, own, row[_AREA_PLACE], _dump(row)) for row, report, _, own in rows.areas]
                flows += [(_dump(item),) for item in rows.flows]
                tally.add_result(result)
            self._db.executemany("INSERT INTO events (report, row) VALUES (?, ?)", events)
            self._db.executemany(
                "INSERT INTO areas (report, takes_count, place, row) VALUES (?, ?, ?, ?)", areas
            )
            self._db.executemany("INSERT INTO flows (row) VALUES (?)", flows)
            self._add_places(tally)

    def chunks(self, name: str, rows: int | None = None) -> Iterator[gpd.GeoDataFrame]:
        """Layer ``name`` as frames of at most ``rows`` rows (``CHUNK_ROWS``), in order; at least one."""
        size = rows or CHUNK_ROWS
        cursor = self._db.execute(_READ[name])
        empty = True
        while batch := cursor.fetchmany(size):
            empty = False
            yield self._frame(name, batch)
        if empty:
            yield empty_layer(name)

    def frames(self) -> dict[str, gpd.GeoDataFrame]:
        """Every layer whole, as ``LayerBuilder.frames`` gives them (for tests and small corpora)."""
        return {name: next(self.chunks(name, rows=(1 << 31) - 1)) for name in LAYER_NAMES}

    def geom_types(self, name: str) -> list[str]:
        """The geometry types of layer ``name``'s rows, in order of first use (for GeoPackage)."""
        if name == "areas":
            first = self._db.execute("SELECT place FROM areas GROUP BY place ORDER BY min(seq)")
            return list(dict.fromkeys(self._polygons.get(place).geom_type for (place,) in first))
        return [_GEOM_TYPES[name]] if self._db.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone() else []

    # -- the merge of one event across documents (the rule of geomap.events: merge_key, joined)

    def _report(self, e: Event) -> int | None:
        """The report of ``e`` when it is a new event, or None when it joined an earlier one."""
        mine = own_report(e)
        key = merge_key(e)
        if key is None:
            return self._new_report(None, mine)
        text = json.dumps([key[0], key[2], sorted(key[1])], ensure_ascii=False)
        found = self._db.execute(
            "SELECT id, sources, count, fatalities FROM reports WHERE key = ? ORDER BY id", (text,)
        ).fetchall()
        reports = [_stored_report(sources, count, fatalities) for _, sources, count, fatalities in found]
        i = first_other(reports, mine)
        if i is None:
            return self._new_report(text, mine)
        merged = joined(reports[i], mine)
        self._db.execute(
            "UPDATE reports SET sources = ?, count = ?, fatalities = ? WHERE id = ?",
            (json.dumps(merged.sources), _dump(merged.count), merged.fatalities, found[i][0]),
        )
        return None

    def _new_report(self, key: str | None, report: Report) -> int:
        cursor = self._db.execute(
            "INSERT INTO reports (key, sources, count, fatalities) VALUES (?, ?, ?, ?)",
            (key, json.dumps(report.sources), _dump(report.count), report.fatalities),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    # -- places

    def _add_places(self, tally: PlaceTally) -> None:
        """Add a batch's tally: mentions add up, documents and surfaces unite in order of first mention."""
        totals, docs, surfaces = [], [], []
        for row in tally.rows():
            place = row["gazetteer_id"]
            fixed = {k: v for k, v in row.items() if k not in _PLACE_TALLIED}
            totals.append((place, _dump(fixed), row["n_mentions"], row["geo_precision"], row["confidence"]))
            docs += [(place, doc) for doc in row["docs"]]
            surfaces += [(place, surface) for surface in row["surfaces"]]
        self._db.executemany(_PLACE_TOTALS, totals)
        self._db.executemany("INSERT OR IGNORE INTO place_docs (place, doc) VALUES (?, ?)", docs)
        self._db.executemany("INSERT OR IGNORE INTO place_surfaces (place, surface) VALUES (?, ?)", surfaces)

    def _place_rows(self, batch: list[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
        for place, fixed, n_mentions, geo_precision, confidence in batch:
            docs = self._db.execute("SELECT doc FROM place_docs WHERE place = ? ORDER BY rowid", (place,))
            surfaces = self._db.execute(
                "SELECT surface FROM place_surfaces WHERE place = ? ORDER BY rowid", (place,)
            )
            yield {
                **_load(fixed),
                "n_mentions": n_mentions,
                "surfaces": [s for (s,) in surfaces],
                "geo_precision": geo_precision,
                "confidence": confidence,
                "docs": [d for (d,) in docs],
            }

    # -- frames

    def _frame(self, name: str, batch: list[tuple[Any, ...]]) -> gpd.GeoDataFrame:
        if name == "events":
            return event_frame((_load(row), _stored_report(*report)) for row, *report in batch)
        if name == "areas":
            return area_frame(
                (
                    _load(row),
                    _stored_report(*report) if report[0] is not None else None,
                    self._polygons.get(place),
                    bool(takes_count),
                )
                for row, place, takes_count, *report in batch
            )
        if name == "flows":
            return flow_frame(_load(row) for (row,) in batch)
        return place_frame(self._place_rows(batch))


def _dump(value: Any) -> bytes | None:
    return None if value is None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _load(data: bytes | None) -> Any:
    return None if data is None else pickle.loads(data)


def _stored_report(sources: str, count: bytes | None, fatalities: int | None) -> Report:
    return Report(tuple(json.loads(sources)), _load(count), fatalities)
