"""The ``geomap`` command line: the one place that prints, and the one error boundary."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from geomap.errors import ConfigError, GeomapError

if TYPE_CHECKING:
    from geomap.batch import Progress, Sink, Summary
    from geomap.gazetteer import Gazetteer
    from geomap.io.read import Skipped
    from geomap.layers import Layers

app = typer.Typer(
    help="Map places and events in Arabic and English reporting on Syria, offline.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
gazetteer_app = typer.Typer(help="Build or search the bundled gazetteer.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

Inputs = Annotated[
    list[str], typer.Argument(help="Files (.txt, .jsonl, .jsonl.gz, .csv), directories, or - for stdin.")
]


def _errors(command: Callable[..., None]) -> Callable[..., None]:
    """The error boundary: a GeomapError becomes one line on stderr and exit code 1."""

    @functools.wraps(command)
    def run(*args: object, **kwargs: object) -> None:
        try:
            command(*args, **kwargs)
        except GeomapError as exc:
            _fail(str(exc))
        except BrokenPipeError:
            raise typer.Exit(1) from None

    return run


def _fail(message: str) -> None:
    err.print(f"geomap: error: {' '.join(message.split())}", markup=False)
    raise typer.Exit(1)


Workers = Annotated[
    int | None,
    typer.Option(
        "--workers", "-j", help="Processes to use (default: all cores); Dask workers with --dask local."
    ),
]
Dask = Annotated[
    str | None,
    typer.Option(help="Run on a Dask cluster: its scheduler address (tcp://host:8786), or 'local'."),
]
Fresh = Annotated[
    bool,
    typer.Option("--fresh", help="Start over instead of resuming an interrupted run into the same output."),
]
TextColumn = Annotated[str, typer.Option(help="Text column (or JSONL key) of the input records.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]

#: Seconds between progress lines when stderr is not a terminal.
PLAIN_PROGRESS_EVERY = 10.0


class _ProgressView:
    """Progress on stderr: a rich bar on a terminal, a plain line now and then otherwise, or nothing."""

    def __init__(self, quiet: bool) -> None:
        self.mode = "none" if quiet else "bar" if err.is_terminal else "plain"
        self._bar = None
        self._task = None
        self._last = 0.0

    def __enter__(self) -> _ProgressView:
        if self.mode == "bar":
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("documents"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f}/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("documents", total=None, rate=0.0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, p: Progress) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=p.done, total=p.total, rate=p.rate)
        elif self.mode == "plain" and p.elapsed - self._last >= PLAIN_PROGRESS_EVERY:
            self._last = p.elapsed
            of = f" of ~{p.total:,}" if p.total is not None else ""
            eta = f", ETA {_duration(p.eta)}" if p.eta is not None else ""
            err.print(f"geomap: {p.done:,}{of} documents, {p.rate:.1f}/s{eta}", markup=False)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _run(
    inputs: list[str], sink: Sink, *, text_column: str, workers: int | None, dask: str | None,
    fresh: bool, quiet: bool,
) -> Summary:  # fmt: skip
    """Read, process and write with ``geomap.batch.run``; report skipped records and progress."""
    from geomap import batch

    def skipped(s: Skipped) -> None:
        if not quiet:
            where = f"{s.path}:{s.line}" if s.line is not None else s.path
            err.print(f"geomap: skipped {where}: {s.reason}", markup=False)

    with _ProgressView(quiet) as progress:
        return batch.run(
            inputs,
            sink,
            text_column=text_column,
            workers=workers if workers is not None else batch.default_workers(),
            dask=dask,
            resume=not fresh,
            count=progress.mode != "none",
            on_skip=skipped,
            on_progress=progress if progress.mode != "none" else None,
        )


def _need_parquet() -> None:
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise ConfigError("--format parquet needs pyarrow: pip install 'geomap[scale]'")


def _summary_line(s: Summary) -> str:
    line = f"{s.documents:,} document(s)"
    if s.resumed:
        line += f" ({s.resumed:,} done by an earlier run)"
    line += f": {s.mentions:,} place mentions ({s.resolved:,} resolved), {s.events:,} events"
    if s.processed and s.elapsed:
        line += f"; {s.processed / s.elapsed:,.1f} documents/s"
    if s.skipped:
        reasons = ", ".join(f"{n:,} {reason}" for reason, n in s.skipped.most_common())
        line += f"; skipped {sum(s.skipped.values()):,} record(s): {reasons}"
    return line


@app.command("map")
@_errors
def map_(
    inputs: Inputs,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("outputs"),
    offline: Annotated[
        bool, typer.Option("--offline/--online", help="Self-contained HTML with no tiles.")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", help="Layer format: geojson, gpkg, csv or parquet (partitioned datasets)."),
    ] = "geojson",
    title: Annotated[str, typer.Option(help="Map title.")] = "geomap",
    text_column: TextColumn = "text",
    workers: Workers = None,
    dask: Dask = None,
    fresh: Fresh = False,
    quiet: Quiet = False,
) -> None:
    """Map INPUT to DIR/map.html and the layers (events, places, flows, areas).

    INPUT may also be a directory written with --format parquet: the map is drawn from its layers.
    """
    from geomap.batch import MapSink, is_layer_directory, read_layers
    from geomap.gazetteer import load_gazetteer

    if fmt not in ("geojson", "gpkg", "csv", "parquet"):
        raise ConfigError(f"unknown format {fmt!r}; use geojson, gpkg, csv or parquet")
    if fmt == "parquet" or (len(inputs) == 1 and Path(inputs[0], "events").is_dir()):
        _need_parquet()
    from geomap.io.write import ensure_dir

    ensure_dir(out_dir)
    gaz = load_gazetteer()
    if len(inputs) == 1 and is_layer_directory(inputs[0]):
        layers = read_layers(inputs[0])
        line = f"{len(layers['events']):,} event rows, {len(layers['places']):,} places from {inputs[0]}"
        same = Path(inputs[0]).resolve() == out_dir.resolve()
        written = _write_map(layers, out_dir, fmt, offline, title, gaz, parquet=fmt == "parquet" and not same)
    else:
        sink = MapSink(out_dir)
        summary = _run(
            inputs, sink, text_column=text_column, workers=workers, dask=dask, fresh=fresh, quiet=quiet
        )
        if not summary.documents:
            sink.discard()
            _fail("no documents to map" + (" (every record was skipped)" if summary.skipped else ""))
        with sink.layers(gaz) as store:
            written = _write_map(store, out_dir, fmt, offline, title, gaz, parquet=fmt == "parquet")
        sink.discard()
        line = _summary_line(summary)
    if not quiet:
        out.print(line, markup=False)
        for path in written:
            out.print(f"  wrote {path}", markup=False)


def _write_map(
    layers: Layers, out_dir: Path, fmt: str, offline: bool, title: str, gaz: Gazetteer, *, parquet: bool
) -> list[Path]:
    """Write the parquet datasets (if ``parquet``), the layers in ``fmt`` and the map; the paths written."""
    from geomap.io.write import write_parquet_layers
    from geomap.output import render_layers

    written = write_parquet_layers(layers, out_dir) if parquet else []
    return written + render_layers(
        layers, out_dir, offline=offline, fmt=None if fmt == "parquet" else fmt, title=title, gazetteer=gaz
    )


@app.command()
@_errors
def extract(
    inputs: Inputs,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="json (JSON Lines, one document a line), geojson (events) or parquet (-o DIR)."
        ),
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    text_column: TextColumn = "text",
    workers: Workers = None,
    dask: Dask = None,
    fresh: Fresh = False,
    quiet: Quiet = False,
) -> None:
    """Extract place mentions and events as JSON Lines, GeoJSON events or GeoParquet layers.

    Writing to a file or directory (-o) is resumable: after an interruption, the same command
    goes on where it stopped.
    """
    from geomap.batch import GeoJSONSink, JsonLinesSink, ParquetSink

    if fmt not in ("json", "geojson", "parquet"):
        raise ConfigError(f"unknown format {fmt!r}; use json, geojson or parquet")
    if fmt == "parquet":
        if output is None:
            raise ConfigError("--format parquet writes a directory of datasets: give it with -o DIR")
        _need_parquet()
        sink: Sink = ParquetSink(output)
    else:
        kind = JsonLinesSink if fmt == "json" else GeoJSONSink
        sink = kind(output) if output is not None else kind(stream=sys.stdout)
    summary = _run(
        inputs, sink, text_column=text_column, workers=workers, dask=dask, fresh=fresh, quiet=quiet
    )
    if not quiet:
        err.print(f"geomap: {_summary_line(summary)}", markup=False)
        if fmt == "parquet":
            for path in summary.written:
                err.print(f"  wrote {path}", markup=False)


@app.command()
@_errors
def geocode(
    queries: Annotated[
        list[str], typer.Argument(help="Names, optionally with context: 'Kafr Nabudah, Hama'; - reads stdin.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per query.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="List the candidates too.")] = False,
) -> None:
    """Geocode place names with the bundled gazetteer (no network)."""
    from geomap.gazetteer import load_gazetteer
    from geomap.records import place_record
    from geomap.resolve import resolve_query

    gaz = load_gazetteer()
    if queries == ["-"]:
        queries = [line.strip() for line in sys.stdin if line.strip()]
    for q in queries:
        m = resolve_query(q, gaz)
        place = m.place if m else None
        rec = {
            "query": q,
            **place_record(place),
            "confidence": m.confidence if place else 0.0,
            "reason": m.reason if m else "no match",
        }
        if place is not None:
            from geomap.resolve import precision_codes

            rec["geo_precision"], rec["where_prec"] = precision_codes(place, m.feature)
        if all_ and m is not None:
            rec["candidates"] = [
                {**place_record(gaz.get(c.place_id)), "score": c.score} for c in m.candidates
            ]
        if as_json:
            out.print(json.dumps(rec, ensure_ascii=False), markup=False)
            continue
        if place is None:
            out.print(f"{q}\t-\tnot found", markup=False)
        else:
            out.print(
                f"{q}\t{place.lat:.5f}, {place.lon:.5f}\t{place.name_en} / {place.name_ar} "
                f"({place.kind}, {place.id}; {place.admin1 or '-'})\tconfidence {m.confidence:.2f}",
                markup=False,
            )
        if all_ and m is not None:
            for c in m.candidates:
                p = gaz.get(c.place_id)
                if p is not None:
                    out.print(
                        f"    {c.score:7.2f}  {p.name_en} / {p.name_ar} ({p.kind}, {p.id}; {p.admin1 or '-'})",
                        markup=False,
                    )


@gazetteer_app.command("build")
@_errors
def gazetteer_build(
    sources: Annotated[
        Path, typer.Option(help="Directory of the raw gazetteer sources (see PROVENANCE.md).")
    ],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Where to write the built gazetteer.")] = None,
) -> None:
    """Build the bundled gazetteer from the raw sources and gazetteer/curated."""
    from geomap._data import checkout_root

    root = checkout_root()
    if root is None:
        raise ConfigError("building the gazetteer needs a checkout of geomap (gazetteer/build.py)")
    sys.path.insert(0, str(root))
    from gazetteer.build import build, format_report

    meta = build(sources, out_dir or root / "gazetteer" / "dist")
    out.print(format_report(meta), markup=False)


@gazetteer_app.command("search")
@_errors
def gazetteer_search(
    name: Annotated[str, typer.Argument(help="A name in Arabic or English.")],
    limit: Annotated[int, typer.Option(help="How many entries to list.")] = 10,
) -> None:
    """List gazetteer entries matching NAME, best first."""
    from geomap.gazetteer import load_gazetteer

    for p, score in load_gazetteer().search(name, limit=limit):
        out.print(
            f"{score:.2f}  {p.id:<32} {p.kind:<14} {p.name_en} / {p.name_ar}  "
            f"({p.lat:.4f}, {p.lon:.4f}; {p.admin1 or '-'})",
            markup=False,
        )


@app.command()
@_errors
def evaluate(
    directory: Annotated[Path, typer.Argument(help="A gold set laid out like shared/dev-set (ar/, en/).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Measure recognition, resolution and events against a gold set."""
    from geomap.evaluate import evaluate_dir, format_report

    report = evaluate_dir(directory)
    out.print(
        json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_report(report), markup=False
    )


def main() -> None:
    """Entry point: run the app; a GeomapError becomes one line on stderr and exit 1."""
    try:
        app()
    except GeomapError as exc:
        err.print(f"geomap: error: {exc}", markup=False)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("geomap: interrupted", markup=False)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
