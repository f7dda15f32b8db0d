"""Results -> files: the layers (GeoJSON, GeoPackage or CSV) and the HTML map, written atomically."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.gazetteer import Gazetteer, load_gazetteer
from geomap.model import Result

if TYPE_CHECKING:
    from geomap.layers import Layers

FORMATS = ("geojson", "gpkg", "csv")


def render(
    results: Sequence[Result],
    out_dir: str | Path = "outputs",
    *,
    offline: bool = False,
    fmt: str = "geojson",
    title: str = "geomap",
    gazetteer: Gazetteer | None = None,
) -> list[Path]:
    """Write ``out_dir/map.html`` and the layers of ``results``; return the paths written.

    Parameters
    ----------
    results:
        What ``Pipeline`` or ``extract`` returned, one per document.
    out_dir:
        Directory for ``map.html`` and ``events``/``places``/``flows``/``areas`` layers.
    offline:
        A self-contained HTML file: no tiles, admin boundaries as the base map, scripts inlined.
    fmt:
        ``geojson`` (one file per layer), ``gpkg`` (one GeoPackage) or ``csv`` (ACLED columns).

    Examples
    --------
    >>> import geomap  # doctest: +SKIP
    >>> geomap.render([geomap.extract(text)], "outputs", offline=True)  # doctest: +SKIP
    """
    from geomap.layers import results_to_layers

    gaz = gazetteer or load_gazetteer()
    return render_layers(
        results_to_layers(results, gaz), out_dir, offline=offline, fmt=fmt, title=title, gazetteer=gaz
    )


def render_layers(
    layers: Layers,
    out_dir: str | Path = "outputs",
    *,
    offline: bool = False,
    fmt: str | None = "geojson",
    title: str = "geomap",
    gazetteer: Gazetteer | None = None,
) -> list[Path]:
    """Write ``out_dir/map.html`` and (unless ``fmt`` is None) the ``layers``; return the paths written.

    The same as ``render`` for layers already made, e.g. read back from a parquet output directory
    (``geomap.batch.read_layers``) or kept on disk (``geomap.store.LayerStore``, read a chunk at a
    time); ``fmt=None`` writes the map only.  The map's payloads are made in a temporary directory
    in ``out_dir`` and copied into the page as it is written.
    """
    from geomap.errors import ConfigError, OutputError
    from geomap.io.write import ensure_dir, write_html, write_layers
    from geomap.mapview import build_map, render_page

    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = ensure_dir(out_dir)
    gaz = gazetteer or load_gazetteer()
    try:
        scratch = tempfile.TemporaryDirectory(prefix=".map.", dir=out)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    with scratch as work:
        try:
            m = build_map(layers, gaz, title=title, offline=offline, workdir=work)
        except (OSError, sqlite3.Error) as exc:  # disk full while the payloads are written
            raise OutputError(f"cannot write the map's data in {out}: {exc}") from exc
        page = render_page(m, offline=offline)
        written = list(write_layers(layers, out, fmt)) if fmt is not None else []
        written.append(write_html(page, out / "map.html"))
    return written
