"""The ``geomap`` command line: the one place that prints, and the one error boundary."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from geomap.errors import ConfigError, GeomapError, OutputError

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


def _documents(inputs: list[str], quiet: bool, text_column: str = "text") -> Iterator:
    from geomap.io.read import Skipped, read_documents

    def skipped(s: Skipped) -> None:
        where = f"{s.path}:{s.line}" if s.line is not None else s.path
        if not quiet:
            err.print(f"geomap: skipped {where}: {s.reason}", markup=False)

    return read_documents(inputs, text_column=text_column, on_skip=skipped)


@app.command("map")
@_errors
def map_(
    inputs: Inputs,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("outputs"),
    offline: Annotated[
        bool, typer.Option("--offline/--online", help="Self-contained HTML with no tiles.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="Layer format: geojson, gpkg or csv.")] = "geojson",
    title: Annotated[str, typer.Option(help="Map title.")] = "geomap",
    text_column: Annotated[str, typer.Option(help="Text column of CSV input.")] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Map INPUT to DIR/map.html and the layers (events, places, flows, areas)."""
    from geomap.io.write import write_html, write_layers
    from geomap.layers import results_to_layers
    from geomap.mapview import build_map, render_html
    from geomap.pipeline import Pipeline

    if fmt not in ("geojson", "gpkg", "csv"):
        raise ConfigError(f"unknown format {fmt!r}; use geojson, gpkg or csv")
    _check_writable(out_dir)
    pipeline = Pipeline()
    results = list(pipeline.pipe(_documents(inputs, quiet, text_column)))
    if not results:
        _fail("no documents to map")
    layers = results_to_layers(results, pipeline.gazetteer)
    m = build_map(layers, pipeline.gazetteer, title=title, offline=offline)
    html = render_html(m, offline=offline)
    written = write_layers(layers, out_dir, fmt)
    write_html(html, out_dir / "map.html")
    if not quiet:
        n_mentions = sum(len(r.mentions) for r in results)
        n_resolved = sum(1 for r in results for m in r.mentions if m.place is not None)
        n_events = sum(len(r.events) for r in results)
        out.print(
            f"{len(results)} document(s): {n_mentions} place mentions ({n_resolved} resolved), "
            f"{n_events} events",
            markup=False,
        )
        for path in [*written, out_dir / "map.html"]:
            out.print(f"  wrote {path}", markup=False)


@app.command()
@_errors
def extract(
    inputs: Inputs,
    fmt: Annotated[
        str, typer.Option("--format", help="json (JSON Lines, one document a line) or geojson.")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    text_column: Annotated[str, typer.Option(help="Text column of CSV input.")] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Extract place mentions and events as JSON Lines (or GeoJSON events)."""
    from geomap.io.write import write_text
    from geomap.pipeline import Pipeline
    from geomap.records import result_record

    if fmt not in ("json", "geojson"):
        raise ConfigError(f"unknown format {fmt!r}; use json or geojson")
    pipeline = Pipeline()
    docs = _documents(inputs, quiet, text_column)
    if fmt == "json":
        lines = (json.dumps(result_record(r), ensure_ascii=False) + "\n" for r in pipeline.pipe(docs))
        if output is None:
            for line in lines:
                sys.stdout.write(line)
        else:
            write_text(output, "".join(lines))
        return
    from geomap.layers import results_to_layers

    layers = results_to_layers(list(pipeline.pipe(docs)), pipeline.gazetteer)
    text = layers["events"].to_json(ensure_ascii=False, drop_id=True)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        write_text(output, text + "\n")


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


def _check_writable(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {directory}: {exc.strerror or exc}") from exc
    if not directory.is_dir():
        raise OutputError(f"output path {directory} is not a directory")


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
