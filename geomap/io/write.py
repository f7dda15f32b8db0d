"""Atomic writers for the map layers (GeoJSON, GeoPackage, ACLED-style CSV) and the HTML map.

Every file is first written to a temporary file in its own directory and then moved into
place with ``os.replace``.  A write of several files writes all the temporary files first and
then renames them; if a rename fails, the files already replaced are restored from hard-link
backups, so the directory holds either all the new files or all the previous ones.  Any
``OSError`` (unwritable directory, disk full …) becomes one ``OutputError`` with a one-line
message, and no temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

import geopandas as gpd
import pandas as pd
import pyogrio.errors
import shapely

from geomap.errors import ConfigError, OutputError
from geomap.layers import LAYER_NAMES, Layers, layer_chunks, layer_geom_types

if TYPE_CHECKING:
    import folium

    from geomap.mapview import Page

__all__ = [
    "ACLED_COLUMNS",
    "FORMATS",
    "acled_frame",
    "geojson_features",
    "geojson_text",
    "ROWS_PER_PART",
    "write_html",
    "publish_dataset",
    "write_layers",
    "write_parquet",
    "write_parquet_layers",
    "write_text",
]

FORMATS = ("geojson", "gpkg", "csv")

#: ACLED's export columns, in ACLED's order (``events.csv`` starts with these).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

#: ACLED columns filled from an events-layer column of another name.
_ACLED_FROM = {"notes": "sentence"}
#: Events-layer columns that the ACLED part already holds (under their ACLED name or another).
_ACLED_TAKEN = frozenset(ACLED_COLUMNS) | {"sentence"}
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_FATAL = frozenset({"killed", "dead", "deaths", "fatalities"})
_SYRIA_PCODE = "SY"


def write_layers(layers: Layers, out_dir: str | os.PathLike[str], fmt: str = "geojson") -> list[Path]:
    """Write the map layers into ``out_dir`` (created if missing); returns the files written.

    ``layers`` are frames, or layers read chunk by chunk (``geomap.store.LayerStore``): each file
    is written a chunk at a time.
    ``geojson``: ``events.geojson``, ``places.geojson``, ``flows.geojson``, ``areas.geojson``
    (RFC 7946: WGS84 lon/lat, no ``crs`` member, UTF-8 with Arabic as is).
    ``gpkg``: one ``layers.gpkg`` holding the four layers (empty ones included).
    ``csv``: ``events.csv``, ACLED's columns first, then geomap's own.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = ensure_dir(out_dir)
    if fmt == "geojson":
        writers = {
            out / f"{name}.geojson": _stream_writer(_geojson_writer(layers, name))
            for name in LAYER_NAMES
            if name in layers
        }
    elif fmt == "gpkg":
        writers = {out / "layers.gpkg": lambda tmp: _write_gpkg(layers, tmp)}
    else:
        writers = {out / "events.csv": _stream_writer(lambda fh: _write_csv(layers, fh))}
    _replace_all(writers)
    return list(writers)


def write_html(
    m: folium.Map | Page | str, path: str | os.PathLike[str], *, offline: bool | None = None
) -> Path:
    """Write a map page atomically.

    ``m`` is a page string, a page rendered with ``geomap.mapview.render_page`` (its payloads
    copied in from their files), or a folium map to render; ``offline`` defaults to the map's
    own ``geomap_offline`` (set by ``build_map``).
    """
    from geomap.mapview import Page, render_page

    if isinstance(m, str):
        return write_text(path, m)
    if not isinstance(m, Page):
        m = render_page(m, bool(getattr(m, "geomap_offline", False)) if offline is None else offline)
    target = Path(path)
    _replace_all({target: _binary_writer(m.write_to)})
    return target


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (JSON Lines, a GeoJSON string …)."""
    target = Path(path)
    _replace_all({target: _text_writer(text)})
    return target


# -- parquet ------------------------------------------------------------------------------------


def write_parquet(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write one GeoParquet file atomically, with a schema that does not depend on the rows.

    Text columns are written as strings even when every value is missing, so the files of one
    layer written from different batches always share one schema (and read as one dataset).
    """
    target = Path(path)
    frame = gdf.copy()
    for col in frame.columns:
        if col != frame.geometry.name and frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
    _replace_all({target: lambda tmp: frame.to_parquet(tmp, index=False, compression="zstd")})
    return target


def publish_dataset(files: Sequence[Path], directory: str | os.PathLike[str]) -> Path:
    """Make ``directory`` a partitioned dataset of ``files`` (``part.0.parquet``, ``part.1.parquet`` …).

    The files are hard-linked (else copied) into a temporary directory beside ``directory``,
    which then replaces it, so readers see the old dataset or the new one, never a mix.
    """
    target = Path(directory)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise _output_error(target, exc) from exc
    old: Path | None = None
    try:
        for i, src in enumerate(files):
            dst = stage / f"part.{i}.parquet"
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(stage, target)
    except OSError as exc:
        if old is not None and not target.exists():
            with contextlib.suppress(OSError):
                os.replace(old / target.name, target)
        raise _output_error(target, exc) from exc
    finally:
        for path in (stage, old):
            if path is not None and path.exists():
                shutil.rmtree(path, ignore_errors=True)
    return target


#: Rows per part file of a layer's dataset (``write_parquet_layers``).
ROWS_PER_PART = 5_000


def write_parquet_layers(
    layers: Layers, out_dir: str | os.PathLike[str], *, rows_per_part: int = ROWS_PER_PART
) -> list[Path]:
    """Write each layer as a GeoParquet dataset ``out_dir/<layer>/part.N.parquet`` of ``rows_per_part`` rows.

    A part is written as its rows are read (``geomap.store.LayerStore`` reads them chunk by chunk).
    """
    out = Path(out_dir)
    written = []
    for name in LAYER_NAMES:
        if name not in layers:
            continue
        try:
            stage = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=out))
        except OSError as exc:
            raise _output_error(out / name, exc) from exc
        try:
            parts = [
                write_parquet(chunk, stage / f"{i}.parquet")
                for i, chunk in enumerate(layer_chunks(layers, name, rows_per_part))
            ]
        except OSError as exc:  # reading the rows failed
            shutil.rmtree(stage, ignore_errors=True)
            raise _output_error(out / name, exc) from exc
        try:
            written.append(publish_dataset(parts, out / name))
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return written


# -- formats ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: NA/NaN -> None, numpy scalars -> Python."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _oriented(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Polygons with counterclockwise exterior rings and clockwise holes (RFC 7946 §3.1.6)."""
    if not len(gdf) or not gdf.geom_type.isin(["Polygon", "MultiPolygon"]).any():
        return gdf
    return gdf.set_geometry(shapely.orient_polygons(gdf.geometry.values, exterior_cw=False), crs=gdf.crs)


def geojson_features(gdf: gpd.GeoDataFrame) -> Iterator[dict[str, Any]]:
    """The RFC 7946 features of ``gdf`` one at a time: lon/lat in WGS84, no ``id`` from the index."""
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    props = gdf.drop(columns=gdf.geometry.name)
    columns = list(props.columns)
    geoms = _oriented(gdf).geometry
    for row, geom in zip(props.itertuples(index=False, name=None), geoms, strict=True):
        yield {
            "type": "Feature",
            "properties": {c: _plain(v) for c, v in zip(columns, row, strict=True)},
            "geometry": None if geom is None or geom.is_empty else geom.__geo_interface__,
        }


def geojson_text(gdf: gpd.GeoDataFrame) -> str:
    """RFC 7946 FeatureCollection: lon/lat in WGS84, no ``crs`` member, no ``id`` from the index."""
    out = io.StringIO()
    _write_geojson([gdf], out)
    return out.getvalue()


def _geojson_writer(layers: Layers, name: str) -> Callable[[TextIO], None]:
    return lambda fh: _write_geojson(layer_chunks(layers, name), fh)


def _write_geojson(chunks: Iterable[gpd.GeoDataFrame], fh: TextIO) -> None:
    """Write the FeatureCollection feature by feature (a layer's text is never whole in memory)."""
    fh.write('{"type": "FeatureCollection", "features": [')
    first = True
    for chunk in chunks:
        for feature in geojson_features(chunk):
            fh.write("" if first else ", ")
            fh.write(json.dumps(feature, ensure_ascii=False, allow_nan=False))
            first = False
    fh.write("]}")


def _write_gpkg(layers: Layers, path: Path) -> None:
    """Each layer a chunk at a time, its geometry type that of the whole layer (as pyogrio infers it)."""
    for name in LAYER_NAMES:
        if name not in layers:
            continue
        geometry_type, promote = _layer_geometry_type(layer_geom_types(layers, name))
        for i, chunk in enumerate(layer_chunks(layers, name)):
            _oriented(chunk).to_file(
                path, layer=name, driver="GPKG", engine="pyogrio", mode="a" if i else "w",
                geometry_type=geometry_type, promote_to_multi=promote,
            )  # fmt: skip


def _layer_geometry_type(types: Sequence[str]) -> tuple[str, bool | None]:
    """The GeoPackage geometry type of a layer with rows of ``types``, and whether to make them multi."""
    if len(types) == 1:
        return types[0], None
    kinds = set(types)
    for single in ("Point", "LineString", "Polygon"):
        if kinds == {single, f"Multi{single}"}:
            return f"Multi{single}", True
    return "Unknown", None


def _write_csv(layers: Layers, fh: TextIO) -> None:
    """``events.csv`` (``acled_frame``), a chunk of rows at a time."""
    for i, chunk in enumerate(layer_chunks(layers, "events")):
        acled_frame(chunk).to_csv(fh, index=False, header=i == 0)


def acled_frame(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """The events layer as an ACLED-style table: ACLED's columns in order, then geomap's extras."""
    ev = pd.DataFrame(events.drop(columns=events.geometry.name))
    blank = pd.Series([None] * len(ev), index=ev.index, dtype=object)
    event_type = ev.get("event_type", blank)
    pcode = ev.get("admin1_pcode", blank).fillna("").astype(str)
    in_syria = pcode.str.startswith(_SYRIA_PCODE)
    what = ev.get("count_what", blank).fillna("").astype(str).str.lower()
    derived = {
        "year": pd.to_datetime(ev.get("event_date", blank), errors="coerce", format="mixed").dt.year.astype(
            "Int64"
        ),
        "disorder_type": event_type.map(_DISORDER),
        "civilian_targeting": event_type.map({"Violence against civilians": "Civilian targeting"}),
        "iso": pd.Series(760, index=ev.index, dtype="Int64").where(in_syria),
        "region": pd.Series("Middle East", index=ev.index, dtype=object).where(in_syria),
        "country": pd.Series("Syria", index=ev.index, dtype=object).where(in_syria),
        "fatalities": ev.get("count_best", blank).where(what.isin(_FATAL)),
    }
    acled = {
        col: derived[col] if col in derived else ev.get(_ACLED_FROM.get(col, col), blank)
        for col in ACLED_COLUMNS
    }
    extras = {col: ev[col] for col in ev.columns if col not in _ACLED_TAKEN}
    return pd.DataFrame({**acled, **extras}, index=ev.index)


# -- atomic replacement -------------------------------------------------------------------------


def _text_writer(text: str) -> Callable[[Path], None]:
    return _stream_writer(lambda fh: fh.write(text))


def _binary_writer(write_to: Callable[[BinaryIO], object]) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            write_to(f)
            f.flush()
            os.fsync(f.fileno())

    return write


def _stream_writer(write_to: Callable[[TextIO], object]) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            write_to(f)
            f.flush()
            os.fsync(f.fileno())

    return write


def ensure_dir(path: str | os.PathLike[str]) -> Path:
    """Create the output directory ``path`` if missing; an ``OutputError`` if it cannot be one."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(out, exc) from exc
    if not out.is_dir():
        raise OutputError(f"cannot write {out}: not a directory")
    return out


def _output_error(path: Path, exc: BaseException) -> OutputError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
    return OutputError(f"cannot write {path}: {reason}")


def _temp_path(target: Path, suffix: str = ".tmp") -> Path:
    """A fresh, unused name beside ``target`` (nothing is left at it)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix + target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(name)  # GDAL wants to create a GeoPackage itself
    return Path(name)


def _replace_all(writers: Mapping[Path, Callable[[Path], None]]) -> None:
    """Write every target through a temp file, then move them all in, or none."""
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    current = next(iter(writers))
    try:
        for current, write in writers.items():
            temps[current] = _temp_path(current)
            write(temps[current])
        for current in temps:
            if current.exists():
                backups[current] = _backup(current)
        for current, tmp in temps.items():
            os.replace(tmp, current)
            done.append(current)
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        for target in reversed(done):  # put the previous files back
            with contextlib.suppress(OSError):
                if target in backups:
                    os.replace(backups.pop(target), target)
                else:
                    target.unlink()
        raise _output_error(current, exc) from exc
    finally:
        for path in (*temps.values(), *backups.values()):
            with contextlib.suppress(OSError):
                path.unlink()


def _backup(target: Path) -> Path:
    """A second name for ``target`` (a hard link, else a copy) to restore it from."""
    backup = _temp_path(target, ".bak")
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup
