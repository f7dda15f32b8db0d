"""Corpus scale: documents in chunks, on one core, all cores or a Dask cluster, into resumable outputs.

``run(inputs, sink)`` streams documents from files and directories (``geomap.io.read``), processes
them in chunks (``workers`` processes, or a Dask cluster with ``dask=ADDRESS``), and hands the
results, in input order, to a *sink* that writes them:

``JsonLinesSink``
    ``geomap extract``: one JSON record a line, to a stream or a file.
``GeoJSONSink``
    ``geomap extract --format geojson``: the events as one FeatureCollection.
``ParquetSink``
    ``--format parquet`` and ``geomap map``: the layers (events, places, flows, areas) as
    partitioned GeoParquet datasets, one ``part.N.parquet`` per flush, read back by
    ``read_layers`` (geopandas, or dask-geopandas when installed).

The output is the same with any number of workers: every chunk is processed by the same function
and results come back in input order.  Nothing holds more than a few chunks of results at once.

A sink writing to a path keeps its state in a hidden work directory beside the output (``.NAME.geomap``,
or ``DIR/.geomap`` for a directory): one part file per flush and a manifest of the documents done
(id and a fingerprint of the document), appended after each part is in place.  A run that is killed
leaves that state behind, and the next run with the same output skips the documents already done;
the finished output is the same as a clean run's.  A completed run removes the state.

Library code: nothing here prints; ``on_progress`` receives a ``Progress`` after every chunk.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import itertools
import json
import os
import re
import shutil
import time
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from geomap.errors import ConfigError, OutputError
from geomap.model import Document, Result

if TYPE_CHECKING:
    import geopandas as gpd

    from geomap.io.read import Skipped
    from geomap.pipeline import Pipeline
    from geomap.store import LayerStore

__all__ = [
    "CHUNK_SIZE",
    "FLUSH_DOCS",
    "GeoJSONSink",
    "JsonLinesSink",
    "MapSink",
    "ParquetSink",
    "Progress",
    "Sink",
    "Summary",
    "default_workers",
    "estimate_documents",
    "is_layer_directory",
    "iter_results",
    "read_layers",
    "run",
]

CHUNK_SIZE = 32  #: documents sent to a worker at a time
FLUSH_DOCS = 1000  #: documents per part file (and per manifest entry), at most
FLUSH_CHARS = 4_000_000  #: or this much buffered JSON text, whichever comes first
LAYERS = ("events", "places", "flows", "areas")
_STATE_VERSION = 1
_MANIFEST = "manifest.jsonl"


# -- progress and summary -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a run is: documents processed now, resumed (done before), skipped, and the estimate."""

    processed: int
    resumed: int
    skipped: int
    total: int | None
    elapsed: float

    @property
    def done(self) -> int:
        """Documents accounted for (processed, resumed or skipped), comparable with ``total``."""
        return self.processed + self.resumed + self.skipped

    @property
    def rate(self) -> float:
        """Documents processed per second in this run."""
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, from the rate and the estimated total (None when unknown)."""
        if self.total is None or self.rate <= 0:
            return None
        return max(0.0, (self.total - self.done) / self.rate)


@dataclass(slots=True)
class Summary:
    """What a run did: documents, mentions and events, skipped records by reason, files written."""

    processed: int = 0
    resumed: int = 0
    mentions: int = 0
    resolved: int = 0
    events: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    written: list[Path] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def documents(self) -> int:
        return self.processed + self.resumed


def _reason_kind(reason: str) -> str:
    """The reason of a skip without its particulars: ``invalid JSON (Expecting …)`` -> ``invalid JSON``."""
    return " ".join(reason.split(";")[0].split(" (")[0].split()) or "unreadable"


# -- the work done on one chunk (in a worker process, a Dask worker, or here) --------------------


@dataclass(frozen=True, slots=True)
class Chunk:
    keys: tuple[tuple[str, str], ...]  # (document id, fingerprint) in order
    mentions: int
    resolved: int
    events: int
    payload: Any


_PIPELINES: dict[str | None, Pipeline] = {}


def _pipeline(gazetteer: str | None) -> Pipeline:
    """One Pipeline per process and gazetteer, built on first use."""
    if gazetteer not in _PIPELINES:
        from geomap.pipeline import Pipeline

        _PIPELINES[gazetteer] = Pipeline(gazetteer)
    return _PIPELINES[gazetteer]


def _init_worker(gazetteer: str | None) -> None:
    """Process pool initializer: load the gazetteer and build the pipeline once per worker."""
    _pipeline(gazetteer)


def doc_key(doc: Document) -> tuple[str, str]:
    """``(id, fingerprint)`` of a document: a changed text, title, date or url is a new document."""
    h = hashlib.blake2b(digest_size=10)
    for value in (doc.text, doc.title, doc.date, doc.url, doc.source, doc.lang):
        h.update(b"\x00" if value is None else value.encode("utf-8", "surrogatepass") + b"\x01")
    return doc.id, h.hexdigest()


def _work(kind: str, gazetteer: str | None, docs: list[Document]) -> Chunk:
    """Process one chunk and shape the results for the sink (``kind``)."""
    pipeline = _pipeline(gazetteer)
    results = [pipeline(doc) for doc in docs]
    return Chunk(
        keys=tuple(doc_key(doc) for doc in docs),
        mentions=sum(len(r.mentions) for r in results),
        resolved=sum(1 for r in results for m in r.mentions if m.place is not None),
        events=sum(len(r.events) for r in results),
        payload=_PAYLOADS[kind](results, pipeline),
    )


def _payload_results(results: list[Result], pipeline: Pipeline) -> list[Result]:
    return results


def _payload_jsonl(results: list[Result], pipeline: Pipeline) -> str:
    from geomap.records import result_record

    return "".join(json.dumps(result_record(r), ensure_ascii=False) + "\n" for r in results)


def _payload_geojson(results: list[Result], pipeline: Pipeline) -> list[str]:
    from geomap.io.write import geojson_features
    from geomap.layers import results_to_layers

    events = results_to_layers(results, pipeline.gazetteer)["events"]
    return [json.dumps(f, ensure_ascii=False, allow_nan=False) for f in geojson_features(events)]


def _payload_layers(results: list[Result], pipeline: Pipeline) -> dict[str, gpd.GeoDataFrame]:
    from geomap.layers import results_to_layers

    return results_to_layers(results, pipeline.gazetteer, merge=False)


def _payload_compact(results: list[Result], pipeline: Pipeline) -> bytes:
    """Results without the article text (the layers need only the events, mentions and metadata), pickled."""
    import pickle

    compact = [replace(r, document=replace(r.document, text="")) for r in results]
    return pickle.dumps(compact, protocol=pickle.HIGHEST_PROTOCOL)


_PAYLOADS: dict[str, Callable[[list[Result], Pipeline], Any]] = {
    "results": _payload_results,
    "compact": _payload_compact,
    "jsonl": _payload_jsonl,
    "geojson": _payload_geojson,
    "layers": _payload_layers,
}


# -- running chunks: here, on a process pool, or on a Dask cluster ------------------------------


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def _engine(
    kind: str, workers: int, dask: str | None, gazetteer: str | None
) -> Iterator[Callable[[Iterable[list[Document]]], Iterator[Chunk]]]:
    """A function from chunks to processed chunks, in order, with a few chunks in flight at most."""
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}")
    if dask is not None:
        with _dask_client(dask, workers) as client:

            def on_dask(chunks: Iterable[list[Document]]) -> Iterator[Chunk]:
                window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
                return _ordered(
                    lambda c: client.submit(_work, kind, gazetteer, c, pure=False), chunks, window
                )

            yield on_dask
        return
    if workers == 1:
        yield lambda chunks: (_work(kind, gazetteer, c) for c in chunks)
        return
    pools: list[Any] = []

    def pooled(chunks: Iterable[list[Document]]) -> Iterator[Chunk]:
        it = iter(chunks)
        head = list(itertools.islice(it, 2))
        if len(head) < 2:  # one chunk: not worth starting processes
            yield from (_work(kind, gazetteer, c) for c in head)
            return
        pools.append(_process_pool(workers, gazetteer))
        submit = functools.partial(pools[-1].submit, _work, kind, gazetteer)
        yield from _ordered(submit, itertools.chain(head, it), 2 * workers)

    try:
        yield pooled
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


def _process_pool(workers: int, gazetteer: str | None) -> Any:
    """Worker processes from a fork server (safe with threads here), each with its Pipeline built once."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["geomap.batch", "geomap.pipeline"])
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(gazetteer,))


def _ordered(
    submit: Callable[[list[Document]], Any], chunks: Iterable[list[Document]], window: int
) -> Iterator[Chunk]:
    """Submit chunks with at most ``window`` in flight; yield their results in submission order."""
    pending: deque[Any] = deque()
    try:
        for chunk in chunks:
            pending.append(submit(chunk))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


@contextlib.contextmanager
def _dask_client(address: str, workers: int) -> Iterator[Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(f"--dask needs dask.distributed ({exc}): pip install 'geomap[scale]'") from None
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(
            f"cannot connect to the Dask scheduler at {address!r} ({exc}); "
            "give its address (tcp://host:8786) or 'local'"
        ) from None
    with client:
        yield client


def iter_results(
    docs: Iterable[Document],
    *,
    workers: int = 1,
    dask: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    gazetteer: str | os.PathLike[str] | None = None,
) -> Iterator[Result]:
    """Process documents on ``workers`` processes (or a Dask cluster), yielding Results in input order.

    Examples:
        >>> docs = read_documents(["corpus/"])  # doctest: +SKIP
        >>> for result in iter_results(docs, workers=4): ...  # doctest: +SKIP
    """
    gaz = os.fspath(gazetteer) if gazetteer is not None else None
    with _engine("results", workers, dask, gaz) as process:
        for chunk in process(_chunks(docs, chunk_size)):
            yield from chunk.payload


# -- the run ------------------------------------------------------------------------------------


def run(
    inputs: Sequence[str],
    sink: Sink,
    *,
    text_column: str = "text",
    workers: int = 1,
    dask: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    gazetteer: str | os.PathLike[str] | None = None,
    resume: bool = True,
    count: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Summary:
    """Read ``inputs``, process the documents not done yet and write them with ``sink``.

    Parameters
    ----------
    inputs
        Files, directories (recursively) and ``"-"``, as for ``geomap.io.read.read_documents``.
    sink
        Where results go: ``JsonLinesSink``, ``GeoJSONSink`` or ``ParquetSink``.
    workers
        Processes on this machine (1: in this process), or Dask workers for ``dask="local"``.
    dask
        ``None``; the address of a running Dask scheduler; or ``"local"`` for a LocalCluster.
    resume
        Skip the documents a killed run with the same output has done (False: start over).
    count
        Estimate the number of documents first (a quick scan), for ``Progress.total``.
    on_skip, on_progress
        Called for each unreadable record and after each chunk.

    Returns
    -------
    Summary
        Counts, skipped records by reason, and the paths written.
    """
    from geomap.io.read import read_documents

    started = time.perf_counter()
    summary = Summary()

    def skipped(s: Skipped) -> None:
        summary.skipped[_reason_kind(s.reason)] += 1
        if on_skip is not None:
            on_skip(s)

    docs = read_documents(inputs, text_column=text_column, on_skip=skipped)
    total = estimate_documents(inputs) if count else None
    gaz = os.fspath(gazetteer) if gazetteer is not None else None
    done = sink.open(_settings(sink.kind, gaz), resume=resume)

    def todo() -> Iterator[Document]:
        for doc in docs:
            key = doc_key(doc)
            if done[key] > 0:
                done[key] -= 1
                summary.resumed += 1
                continue
            yield doc

    def report() -> None:
        if on_progress is not None:
            n_skipped = sum(summary.skipped.values())
            elapsed = time.perf_counter() - started
            on_progress(Progress(summary.processed, summary.resumed, n_skipped, total, elapsed))

    try:
        with _engine(sink.kind, workers, dask, gaz) as process:
            for chunk in process(_chunks(todo(), chunk_size)):
                sink.write(chunk)
                summary.processed += len(chunk.keys)
                summary.mentions += chunk.mentions
                summary.resolved += chunk.resolved
                summary.events += chunk.events
                report()
        summary.written = sink.close()
    except BaseException:
        sink.abort()
        raise
    summary.elapsed = time.perf_counter() - started
    report()
    return summary


def _settings(kind: str, gazetteer: str | None) -> str:
    """What must match for a run to resume another: geomap, the gazetteer and the output kind."""
    from geomap import __version__
    from geomap._data import data_dir

    meta = Path(gazetteer or data_dir()) / "meta.json"
    try:
        gaz = hashlib.blake2b(meta.read_bytes(), digest_size=8).hexdigest()
    except OSError:
        gaz = "none"
    return f"{_STATE_VERSION}/{__version__}/{kind}/{gaz}"


def estimate_documents(inputs: Sequence[str]) -> int | None:
    """A quick estimate of how many documents ``inputs`` hold (None with stdin or unreadable files).

    One per .txt file, one per non-blank line of .jsonl (.gz), one per line of .csv after the header.
    """
    from geomap.io.read import STDIN, SUPPORTED_SUFFIXES

    total = 0
    for item in inputs:
        if item == STDIN:
            return None
        paths = [Path(item)]
        if paths[0].is_dir():
            paths = [
                p
                for p in Path(item).rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(item).parts)
            ]
        for path in paths:
            name = path.name.lower()
            kind = next((s for s in SUPPORTED_SUFFIXES if name.endswith(s)), None)
            try:
                if kind == ".txt":
                    total += 1
                elif kind is not None:
                    total += max(0, _count_lines(path, gz=kind == ".jsonl.gz") - (kind == ".csv"))
            except (OSError, EOFError, gzip.BadGzipFile):
                continue
    return total


def _count_lines(path: Path, *, gz: bool) -> int:
    n, last = 0, b"\n"
    with (gzip.open if gz else open)(path, "rb") as fh:
        while block := fh.read(1 << 20):
            n += block.count(b"\n") - block.count(b"\n\n")
            last = block[-1:]
    return n + (last != b"\n")


# -- sinks --------------------------------------------------------------------------------------


class Sink:
    """Writes processed chunks; with a ``path``, resumable through a work directory and a manifest."""

    kind = "results"

    def __init__(self, path: Path | None, work_dir: Path | None, flush_docs: int = FLUSH_DOCS) -> None:
        self.path = path
        self.work_dir = work_dir
        self.flush_docs = flush_docs
        self._buffer: list[Chunk] = []
        self._parts = 0
        self._settings = ""
        self._manifest_fd: int | None = None

    # -- state

    def open(self, settings: str, *, resume: bool = True) -> Counter[tuple[str, str]]:
        """Check the output can be written; return the documents a previous run finished."""
        self._settings = settings
        self._check_output()
        done: Counter[tuple[str, str]] = Counter()
        if self.work_dir is None or not self.work_dir.exists():
            return done
        parts, keys = self._read_manifest() if resume else (0, [])
        if parts == 0:
            self._remove_state()
            return done
        self._parts = parts
        self._prune_parts()
        done.update(map(tuple, keys))
        return done

    def _check_output(self) -> None:
        if self.path is None:
            return
        parent = self.path.parent
        if not parent.is_dir():
            raise OutputError(f"cannot write {self.path}: no such directory {parent}")
        if self.path.is_dir() and not isinstance(self, ParquetSink):
            raise OutputError(f"cannot write {self.path}: it is a directory")

    def _read_manifest(self) -> tuple[int, list[list[str]]]:
        assert self.work_dir is not None
        keys: list[list[str]] = []
        parts = 0
        try:
            with open(self.work_dir / _MANIFEST, encoding="utf-8") as fh:
                header = json.loads(fh.readline() or "{}")
                if header.get("settings") != self._settings:
                    return 0, []
                for line in fh:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        break  # a torn last line: that part was not finished
                    if entry.get("part") != parts:
                        break
                    keys.extend(entry["docs"])
                    parts += 1
        except (OSError, ValueError, KeyError, TypeError):
            return 0, []
        return parts, keys

    def _start_state(self) -> None:
        assert self.work_dir is not None
        try:
            if self._parts == 0:
                self._remove_state()
                self.work_dir.mkdir()
                header = json.dumps({"settings": self._settings}) + "\n"
                (self.work_dir / _MANIFEST).write_text(header, encoding="utf-8")
            self._manifest_fd = os.open(self.work_dir / _MANIFEST, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise OutputError(f"cannot write {self.work_dir}: {exc.strerror or exc}") from exc

    def _append_manifest(self, keys: list[tuple[str, str]]) -> None:
        """One line per part, written with one ``write`` and synced: a kill leaves it whole or torn."""
        line = json.dumps({"part": self._parts, "docs": keys}, ensure_ascii=False) + "\n"
        assert self._manifest_fd is not None
        try:
            os.write(self._manifest_fd, line.encode("utf-8", "surrogatepass"))
            os.fsync(self._manifest_fd)
        except OSError as exc:
            raise OutputError(f"cannot write {self.work_dir}: {exc.strerror or exc}") from exc

    def _remove_state(self) -> None:
        if self._manifest_fd is not None:
            os.close(self._manifest_fd)
            self._manifest_fd = None
        if self.work_dir is not None and self.work_dir.exists():
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def _prune_parts(self) -> None:
        """Remove part files a killed run wrote but did not enter in the manifest."""

    # -- writing

    def write(self, chunk: Chunk) -> None:
        self._buffer.append(chunk)
        docs = sum(len(c.keys) for c in self._buffer)
        if docs >= self.flush_docs or sum(_weight(c.payload) for c in self._buffer) >= FLUSH_CHARS:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self.work_dir is not None:
            if self._manifest_fd is None:
                self._start_state()
            self._write_part(self._parts, self._buffer)
            self._append_manifest([k for c in self._buffer for k in c.keys])
        else:
            self._write_part(self._parts, self._buffer)
        self._parts += 1
        self._buffer = []

    def close(self) -> list[Path]:
        """Flush, assemble the output from the parts, remove the state; return the paths written."""
        self._flush()
        written = self._finish()
        self._remove_state()
        return written

    def abort(self) -> None:
        """After an error or an interrupt: keep finished parts for a resume, or no state at all."""
        if self._manifest_fd is not None:
            os.close(self._manifest_fd)
            self._manifest_fd = None
        if self._parts == 0:
            self._remove_state()

    def _write_part(self, n: int, chunks: list[Chunk]) -> None:
        raise NotImplementedError

    def _finish(self) -> list[Path]:
        raise NotImplementedError

    def _part_files(self, pattern: str) -> list[Path]:
        assert self.work_dir is not None
        return [self.work_dir / pattern.format(n=n) for n in range(self._parts)]


def _weight(payload: Any) -> int:
    """Characters of buffered text (JSON Lines, GeoJSON features); 0 for other payloads."""
    if isinstance(payload, str):
        return len(payload)
    if isinstance(payload, list) and payload and isinstance(payload[0], str):
        return sum(map(len, payload))
    return 0


def _beside(path: Path) -> Path:
    return path.parent / f".{path.name}.geomap"


class JsonLinesSink(Sink):
    """One JSON record per document (``geomap.records.result_record``), to ``path`` or ``stream``."""

    kind = "jsonl"

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, stream: TextIO | None = None,
        flush_docs: int = FLUSH_DOCS,
    ) -> None:  # fmt: skip
        if (path is None) == (stream is None):
            raise ConfigError("give a path or a stream to write JSON Lines to")
        target = Path(path) if path is not None else None
        super().__init__(target, _beside(target) if target else None, flush_docs)
        self.stream = stream

    def write(self, chunk: Chunk) -> None:
        if self.stream is not None:
            self.stream.write(chunk.payload)
            return
        super().write(chunk)

    def _write_part(self, n: int, chunks: list[Chunk]) -> None:
        assert self.work_dir is not None
        _write_bytes(self.work_dir / f"part.{n}.jsonl", "".join(c.payload for c in chunks).encode())

    def _finish(self) -> list[Path]:
        if self.path is None:
            return []
        return [_concatenate(self.path, self._part_files("part.{n}.jsonl"))]


class GeoJSONSink(Sink):
    """The events of all documents as one RFC 7946 FeatureCollection, to ``path`` or ``stream``."""

    kind = "geojson"
    _HEAD = '{"type": "FeatureCollection", "features": ['
    _TAIL = "]}\n"

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, stream: TextIO | None = None,
        flush_docs: int = FLUSH_DOCS,
    ) -> None:  # fmt: skip
        if (path is None) == (stream is None):
            raise ConfigError("give a path or a stream to write GeoJSON to")
        target = Path(path) if path is not None else None
        super().__init__(target, _beside(target) if target else None, flush_docs)
        self.stream = stream
        self._first = True

    def write(self, chunk: Chunk) -> None:
        if self.stream is None:
            super().write(chunk)
            return
        if self._first:
            self.stream.write(self._HEAD)
        for feature in chunk.payload:
            self.stream.write(("\n" if self._first else ",\n") + feature)
            self._first = False

    def close(self) -> list[Path]:
        if self.stream is not None:
            self.stream.write((self._HEAD if self._first else "\n") + self._TAIL)
            return []
        return super().close()

    def _write_part(self, n: int, chunks: list[Chunk]) -> None:
        assert self.work_dir is not None
        _write_bytes(
            self.work_dir / f"part.{n}.geojson", ",\n".join(f for c in chunks for f in c.payload).encode()
        )

    def _finish(self) -> list[Path]:
        assert self.path is not None
        parts = [p for p in self._part_files("part.{n}.geojson") if p.stat().st_size]
        return [
            _concatenate(
                self.path,
                parts,
                head=(self._HEAD + "\n").encode(),
                sep=b",\n",
                tail=("\n" + self._TAIL).encode(),
            )
        ]


class ParquetSink(Sink):
    """The layers as partitioned GeoParquet datasets in ``directory`` (``events/part.0.parquet`` …).

    One partition per flush for ``events``, ``flows`` and ``areas``, each event as its document
    reports it (no merging across documents, as in the JSON Lines); ``places`` is one partition,
    tallied over all documents.  Read them with ``read_layers`` or ``dask_geopandas.read_parquet``.
    """

    kind = "layers"

    def __init__(self, directory: str | os.PathLike[str], *, flush_docs: int = FLUSH_DOCS) -> None:
        target = Path(directory)
        super().__init__(target, target / ".geomap", flush_docs)

    def _check_output(self) -> None:
        assert self.path is not None
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create output directory {self.path}: {exc.strerror or exc}") from exc
        if not self.path.is_dir():
            raise OutputError(f"output path {self.path} is not a directory")

    def _prune_parts(self) -> None:
        assert self.work_dir is not None
        for name in LAYERS:
            for path in (self.work_dir / name).glob("part.*.parquet"):
                if int(path.name.split(".")[1]) >= self._parts:
                    path.unlink()

    def _write_part(self, n: int, chunks: list[Chunk]) -> None:
        from geomap.io.write import write_parquet

        assert self.work_dir is not None
        merged = _merge_layers([c.payload for c in chunks])
        for name in LAYERS:
            folder = self.work_dir / name
            try:
                folder.mkdir(exist_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from exc
            write_parquet(merged[name], folder / f"part.{n}.parquet")

    def _finish(self) -> list[Path]:
        from geomap.io.write import publish_dataset, write_parquet
        from geomap.layers import empty_layer

        assert self.path is not None and self.work_dir is not None
        if self._parts == 0:  # no documents: one empty partition per layer
            self._buffer = [Chunk((), 0, 0, 0, {name: empty_layer(name) for name in LAYERS})]
            self._flush()
        written = []
        for name in ("events", "flows", "areas"):
            written.append(publish_dataset(self._part_files(name + "/part.{n}.parquet"), self.path / name))
        from geomap.layers import merge_place_layers

        places = merge_place_layers(
            _read_part("places", p) for p in self._part_files("places/part.{n}.parquet")
        )
        stage = self.work_dir / "places-merged.parquet"
        write_parquet(places, stage)
        written.append(publish_dataset([stage], self.path / "places"))
        return written


class MapSink(Sink):
    """What ``geomap map`` needs: the results of every document without its text, for the layers.

    The map merges the reports of one event across documents, so its layers are made once all
    documents are done (``layers(gazetteer)`` after ``close``), into a ``geomap.store.LayerStore``
    on disk.  Workers pickle each chunk of results; a part file in ``DIR/.geomap`` is the pickles
    of a flush, read back one chunk at a time.  The state is removed once the caller has
    written the map (``discard``).
    """

    kind = "compact"

    def __init__(self, directory: str | os.PathLike[str], *, flush_docs: int = FLUSH_DOCS) -> None:
        target = Path(directory)
        super().__init__(target, target / ".geomap", flush_docs)
        self._closed = False

    _check_output = ParquetSink._check_output

    def _write_part(self, n: int, chunks: list[Chunk]) -> None:
        assert self.work_dir is not None
        _write_bytes(self.work_dir / f"part.{n}.pkl", b"".join(c.payload for c in chunks))

    def _finish(self) -> list[Path]:
        self._closed = True
        return []

    def close(self) -> list[Path]:
        """Flush; the state stays until ``discard`` (after the map is written)."""
        self._flush()
        return self._finish()

    def discard(self) -> None:
        """Remove the state: the map and its layers are written."""
        self._remove_state()

    def results(self) -> _StoredResults:
        """Every document's result (text dropped), in input order, after ``close``.

        Read from the parts as it is iterated, one chunk at a time.
        """
        if not self._closed:
            raise RuntimeError("MapSink.results() before close()")
        return _StoredResults(self._part_files("part.{n}.pkl"))

    def layers(self, gazetteer: Any) -> LayerStore:
        """The map layers of every document (events merged across documents), after ``close``.

        A ``LayerStore`` in ``DIR/.geomap/layers.db``, filled chunk by chunk; close it when done.
        """
        import sqlite3

        from geomap.store import LayerStore

        assert self.work_dir is not None
        path = self.work_dir / "layers.db"
        try:
            store = LayerStore(path, gazetteer)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot write {path}: {exc}") from exc
        try:
            for chunk in self.results().chunks():
                store.add(chunk)
        except (OSError, sqlite3.Error) as exc:  # disk full
            store.close()
            raise OutputError(f"cannot write {path}: {exc}") from exc
        except BaseException:
            store.close()
            raise
        return store


class _StoredResults(Sequence[Result]):
    """The results in ``MapSink``'s part files, read a chunk at a time when iterated.

    ``len`` and indexing read every part (for tests and small runs); iterate to stay flat.
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = list(paths)

    def chunks(self) -> Iterator[list[Result]]:
        """The results of each chunk in turn."""
        import pickle

        for path in self._paths:
            with open(path, "rb") as fh:
                while fh.peek(1):
                    yield pickle.load(fh)

    def __iter__(self) -> Iterator[Result]:
        return itertools.chain.from_iterable(self.chunks())

    def __len__(self) -> int:
        return sum(len(p) for p in self.chunks())

    def __getitem__(self, index: Any) -> Any:
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it (no geopandas import, unlike io.write)."""
    _write_atomic(path, lambda fh: fh.write(data))


def _concatenate(
    path: Path, parts: Sequence[Path], *, head: bytes = b"", sep: bytes = b"", tail: bytes = b""
) -> Path:
    """Write ``head``, the ``parts`` joined by ``sep`` and ``tail`` to ``path`` atomically, block by block."""

    def copy(out: BinaryIO) -> None:
        out.write(head)
        for i, part in enumerate(parts):
            if i and sep:
                out.write(sep)
            with open(part, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
        out.write(tail)

    _write_atomic(path, copy)
    return path


def _write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


# -- layers: merging batches, reading datasets ----------------------------------------------------


def _concat_layer(frames: list[gpd.GeoDataFrame], name: str) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    from geomap.layers import empty_layer

    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_layer(name)
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return gpd.GeoDataFrame(
        pd.concat(frames, ignore_index=True), geometry=frames[0].geometry.name, crs=frames[0].crs
    )


def _merge_layers(batches: list[dict[str, gpd.GeoDataFrame]]) -> dict[str, gpd.GeoDataFrame]:
    """The layers of consecutive batches as the layers of all their documents together."""
    from geomap.layers import merge_place_layers

    return {
        name: merge_place_layers(b[name] for b in batches)
        if name == "places"
        else _concat_layer([b[name] for b in batches], name)
        for name in LAYERS
    }


def _conform(name: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A layer read from parquet with the dtypes of ``geomap.layers`` (text as objects, None for missing)."""
    import pandas as pd

    from geomap.layers import empty_layer

    template = empty_layer(name)
    geom = gdf.geometry.name
    for col in template.columns:
        if col == template.geometry.name or col not in gdf.columns:
            continue
        dtype = template[col].dtype
        if pd.api.types.is_object_dtype(dtype):
            values = gdf[col].astype(object)
            gdf[col] = values.where(pd.notna(values), None)
        elif gdf[col].dtype != dtype:
            gdf[col] = gdf[col].astype(dtype)
    if geom != template.geometry.name:
        gdf = gdf.rename_geometry(template.geometry.name)
    return gdf.reset_index(drop=True)


def _read_part(name: str, path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd

    return _conform(name, gpd.read_parquet(path))


def is_layer_directory(path: str | os.PathLike[str]) -> bool:
    """True for a directory written by ``--format parquet`` (an ``events`` dataset of .parquet files)."""
    events = Path(path) / "events"
    return events.is_dir() and any(events.glob("*.parquet"))


def read_layers(directory: str | os.PathLike[str]) -> dict[str, gpd.GeoDataFrame]:
    """Read the layers of a ``--format parquet`` output directory (dask-geopandas when installed).

    Raises:
        InputError: when ``directory`` holds no events dataset or a dataset cannot be read.
    """
    from geomap.errors import InputError
    from geomap.layers import empty_layer

    root = Path(directory)
    if not is_layer_directory(root):
        raise InputError("not a geomap parquet output (no events/*.parquet)", path=str(root))
    layers = {}
    for name in LAYERS:
        folder = root / name
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            layers[name] = empty_layer(name)
            continue
        try:
            layers[name] = _conform(name, _read_dataset(folder))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the {name} dataset ({exc})", path=str(folder)) from None
    return layers


def _read_dataset(folder: Path) -> gpd.GeoDataFrame:
    """A partitioned GeoParquet dataset, partitions in order (part.0, part.1 … part.10)."""
    files = sorted(
        folder.glob("*.parquet"),
        key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)],
    )
    try:
        import dask_geopandas
    except ImportError:
        import geopandas as gpd
        import pandas as pd

        frames = [gpd.read_parquet(p) for p in files]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    import dask

    with dask.config.set(scheduler="synchronous"), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # dask's own pandas deprecations
        warnings.simplefilter("ignore", DeprecationWarning)
        return dask_geopandas.read_parquet([str(p) for p in files]).compute()
