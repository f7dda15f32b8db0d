"""The batch engine: same output with any number of workers, resumable outputs, parquet layers, progress."""

from __future__ import annotations

import json

import pytest
from geopandas.testing import assert_geodataframe_equal
from typer.testing import CliRunner

from geomap import batch
from geomap.batch import GeoJSONSink, JsonLinesSink, ParquetSink, Progress
from geomap.cli import app
from geomap.io.read import read_documents
from geomap.layers import LAYER_NAMES, results_to_layers

runner = CliRunner()

_SENTENCES = (
    "قصف مدفعي على {a} في ريف إدلب الجنوبي.",
    "اشتباكات عنيفة على جبهة {a} بين الفصائل وقوات النظام.",
    "نزوح عشرات العائلات من {a} إلى {b} بسبب القصف.",
    "غارات جوية استهدفت {a} و{b}.",
    "Shelling hit {e} and clashes were reported near {f}.",
)


def _names(gaz, kind="village", n=40):
    places = [p for p in gaz.places.values() if p.kind in ("city", "town", kind)]
    step = max(1, len(places) // n)
    return places[::step][:n]


def write_corpus(path, gaz, n=24, bad=True):
    """A JSONL corpus of short invented articles on real gazetteer names; one bad line when ``bad``."""
    places = _names(gaz)
    lines = []
    for i in range(n):
        a, b = places[i % len(places)], places[(i * 7 + 3) % len(places)]
        text = " ".join(
            s.format(a=a.name_ar, b=b.name_ar, e=a.name_en, f=b.name_en)
            for s in _SENTENCES[i % 3 : i % 3 + 3]
        )
        lines.append(json.dumps({"id": f"doc{i}", "text": text, "date": "2024-03-01"}, ensure_ascii=False))
        if bad and i == n // 2:
            lines.append('{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path, gaz):
    return write_corpus(tmp_path / "corpus.jsonl", gaz)


def assert_layers_equal(a, b):
    for name in LAYER_NAMES:
        assert_geodataframe_equal(a[name], b[name], check_like=False)


class TestSameOutput:
    def test_merged_batches_equal_one_pass(self, corpus, pipeline):
        """Layers made batch by batch and merged equal the layers of all results at once."""
        results = [pipeline(d) for d in read_documents([str(corpus)])]
        whole = results_to_layers(results, pipeline.gazetteer, merge=False)
        parts = [
            results_to_layers(results[i : i + 5], pipeline.gazetteer, merge=False)
            for i in range(0, len(results), 5)
        ]
        assert_layers_equal(batch._merge_layers(parts), whole)

    def test_iter_results_in_order(self, corpus, pipeline):
        docs = list(read_documents([str(corpus)]))
        got = list(batch.iter_results(docs, chunk_size=5))
        assert [r.document.id for r in got] == [d.id for d in docs]
        assert got == [pipeline(d) for d in docs]

    def test_two_workers_same_jsonl(self, corpus, tmp_path):
        """Two processes write byte for byte what one does, in the same order."""
        one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
        s1 = batch.run([str(corpus)], JsonLinesSink(one, flush_docs=7), chunk_size=4, workers=1)
        s2 = batch.run([str(corpus)], JsonLinesSink(two, flush_docs=7), chunk_size=4, workers=2)
        assert one.read_bytes() == two.read_bytes()
        assert s1.processed == s2.processed == 24 and s1.events == s2.events
        assert dict(s1.skipped) == {"invalid JSON": 1}
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    def test_small_input_runs_in_process(self, tmp_path, gaz):
        """One chunk of documents never starts a pool, whatever --workers says."""
        src = write_corpus(tmp_path / "c.jsonl", gaz, n=3, bad=False)
        out = tmp_path / "o.jsonl"
        summary = batch.run([str(src)], JsonLinesSink(out), workers=8)
        assert summary.processed == 3 and len(out.read_text(encoding="utf-8").splitlines()) == 3


class TestResume:
    @pytest.mark.parametrize("sink_kind", ["jsonl", "geojson", "parquet"])
    def test_killed_run_resumes(self, corpus, tmp_path, sink_kind):  # noqa: C901
        """A run killed after some flushes: the next run does only the rest, and the output is a clean run's."""

        def make(name):
            path = tmp_path / name
            if sink_kind == "jsonl":
                return JsonLinesSink(path, flush_docs=5)
            if sink_kind == "geojson":
                return GeoJSONSink(path, flush_docs=5)
            return ParquetSink(path, flush_docs=5)

        clean = batch.run([str(corpus)], make("clean"), chunk_size=5)

        def kill(p: Progress) -> None:
            if p.processed >= 10:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            batch.run([str(corpus)], make("out"), chunk_size=5, on_progress=kill)
        state = (tmp_path / "out" / ".geomap") if sink_kind == "parquet" else (tmp_path / ".out.geomap")
        assert (state / "manifest.jsonl").is_file()
        if sink_kind != "parquet":
            assert not (tmp_path / "out").exists()  # no partial output
        again = batch.run([str(corpus)], make("out"), chunk_size=5)
        assert again.resumed == 10 and again.processed == clean.processed - 10
        assert not state.exists()
        if sink_kind == "parquet":
            assert_layers_equal(batch.read_layers(tmp_path / "out"), batch.read_layers(tmp_path / "clean"))
        else:
            assert (tmp_path / "out").read_bytes() == (tmp_path / "clean").read_bytes()

    def test_killed_map_resumes(self, corpus, tmp_path):
        """geomap map's state (results without text) resumes too; the layers equal a clean run's."""
        clean = batch.MapSink(tmp_path / "clean", flush_docs=5)
        batch.run([str(corpus)], clean, chunk_size=5)

        def kill(p: Progress) -> None:
            if p.processed >= 10:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            batch.run(
                [str(corpus)], batch.MapSink(tmp_path / "m", flush_docs=5), chunk_size=5, on_progress=kill
            )
        sink = batch.MapSink(tmp_path / "m", flush_docs=5)
        again = batch.run([str(corpus)], sink, chunk_size=5)
        assert again.resumed == 10 and again.processed == 14
        assert sink.results() == clean.results() and sink.results()[0].document.text == ""
        sink.discard()
        assert not (tmp_path / "m" / ".geomap").exists()

    def test_torn_manifest_line_is_ignored(self, corpus, tmp_path):
        out = tmp_path / "o.jsonl"

        def kill(p: Progress) -> None:
            if p.processed >= 10:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            batch.run([str(corpus)], JsonLinesSink(out, flush_docs=5), chunk_size=5, on_progress=kill)
        manifest = tmp_path / ".o.jsonl.geomap" / "manifest.jsonl"
        with open(manifest, "a", encoding="utf-8") as fh:
            fh.write('{"part": 2, "docs": [["doc10", "ab')  # killed while appending
        again = batch.run([str(corpus)], JsonLinesSink(out, flush_docs=5), chunk_size=5)
        assert again.resumed == 10
        assert len(out.read_text(encoding="utf-8").splitlines()) == 24

    def test_fresh_starts_over(self, corpus, tmp_path):
        out = tmp_path / "o.jsonl"

        def kill(p: Progress) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            batch.run([str(corpus)], JsonLinesSink(out, flush_docs=4), chunk_size=4, on_progress=kill)
        again = batch.run([str(corpus)], JsonLinesSink(out), resume=False)
        assert again.resumed == 0 and again.processed == 24

    def test_changed_document_is_redone(self, corpus, tmp_path, gaz):
        out = tmp_path / "o.jsonl"

        def kill(p: Progress) -> None:
            if p.processed >= 10:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            batch.run([str(corpus)], JsonLinesSink(out, flush_docs=5), chunk_size=5, on_progress=kill)
        lines = corpus.read_text(encoding="utf-8").splitlines()
        lines[0] = lines[0].replace("قصف", "قصف عنيف")
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        again = batch.run([str(corpus)], JsonLinesSink(out), chunk_size=5)
        assert again.resumed == 9 and again.processed == 15


class TestParquet:
    def test_dataset_round_trip(self, corpus, tmp_path, pipeline):
        """The partitioned datasets read back as the layers of all the results."""
        out = tmp_path / "pq"
        summary = batch.run([str(corpus)], ParquetSink(out, flush_docs=5), chunk_size=3)
        assert {p.name for p in summary.written} == set(LAYER_NAMES)
        assert len(list((out / "events").glob("*.parquet"))) == 4  # flushed at 6, 12, 18, 24
        assert batch.is_layer_directory(out)
        results = [pipeline(d) for d in read_documents([str(corpus)])]
        assert_layers_equal(
            batch.read_layers(out), results_to_layers(results, pipeline.gazetteer, merge=False)
        )

    def test_cli_extract_parquet_then_map(self, corpus, tmp_path):
        out = tmp_path / "pq"
        result = runner.invoke(
            app, ["extract", str(corpus), "--format", "parquet", "-o", str(out), "-j", "1"]
        )
        assert result.exit_code == 0, result.output
        assert "skipped 1 record(s): 1 invalid JSON" in result.stderr
        maps = tmp_path / "maps"
        result = runner.invoke(app, ["map", str(out), "-o", str(maps), "--format", "csv", "-q"])
        assert result.exit_code == 0, result.output
        assert (maps / "map.html").is_file() and (maps / "events.csv").is_file()

    def test_cli_map_parquet(self, corpus, tmp_path):
        out = tmp_path / "m"
        result = runner.invoke(app, ["map", str(corpus), "-o", str(out), "--format", "parquet", "-j", "1"])
        assert result.exit_code == 0, result.output
        assert {p.name for p in out.iterdir()} == {"map.html", *LAYER_NAMES}
        assert "24 document(s)" in result.stdout

    def test_extract_parquet_needs_a_directory(self, corpus):
        result = runner.invoke(app, ["extract", str(corpus), "--format", "parquet"])
        assert result.exit_code == 1 and result.stderr.startswith("geomap: error: --format parquet")


class TestProgress:
    def test_plain_lines_when_not_a_terminal(self, corpus, tmp_path, monkeypatch):
        monkeypatch.setattr("geomap.cli.PLAIN_PROGRESS_EVERY", 0.0)
        result = runner.invoke(app, ["extract", str(corpus), "-o", str(tmp_path / "o.jsonl"), "-j", "1"])
        assert result.exit_code == 0, result.output
        lines = [line for line in result.stderr.splitlines() if "/s" in line and " of ~" in line]
        assert lines and lines[-1].startswith("geomap: 25 of ~25 documents")

    def test_quiet_prints_nothing(self, corpus, tmp_path):
        result = runner.invoke(
            app, ["extract", str(corpus), "-o", str(tmp_path / "o.jsonl"), "-q", "-j", "1"]
        )
        assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""

    def test_progress_callback(self, corpus, tmp_path):
        seen: list[Progress] = []
        batch.run(
            [str(corpus)],
            JsonLinesSink(tmp_path / "o.jsonl"),
            chunk_size=10,
            count=True,
            on_progress=seen.append,
        )
        assert [p.processed for p in seen] == [10, 20, 24, 24]
        assert seen[-1].total == 25 and seen[-1].skipped == 1 and seen[-1].eta == 0.0

    def test_estimate(self, tmp_path, gaz):
        (tmp_path / "d" / "sub").mkdir(parents=True)
        write_corpus(tmp_path / "d" / "sub" / "a.jsonl", gaz, n=5, bad=False)
        (tmp_path / "d" / "b.txt").write_text("قصف على سراقب", encoding="utf-8")
        (tmp_path / "d" / "c.csv").write_text("id,text\n1,a\n2,b\n", encoding="utf-8")
        (tmp_path / "d" / ".hidden.txt").write_text("x", encoding="utf-8")
        assert batch.estimate_documents([str(tmp_path / "d")]) == 8
        assert batch.estimate_documents(["-"]) is None


def test_skip_reasons_are_grouped():
    assert batch._reason_kind("invalid JSON (Expecting value: line 1 column 2 (char 1))") == "invalid JSON"
    assert batch._reason_kind("no 'text' field (fields: 'a')") == "no 'text' field"
    assert batch._reason_kind("line over 1.0 MB; raise --max-bytes to read it") == "line over 1.0 MB"


def test_bad_workers(corpus):
    result = runner.invoke(app, ["extract", str(corpus), "-j", "0"])
    assert result.exit_code == 1 and "at least 1" in result.stderr


@pytest.mark.slow
def test_dask_local_cluster_equals_one_process(corpus, tmp_path):
    """A real LocalCluster (2 worker processes, 1 thread each) writes what one process writes."""
    pytest.importorskip("dask.distributed")
    pytest.importorskip("dask_geopandas")
    one, dist = tmp_path / "one", tmp_path / "dist"
    batch.run([str(corpus)], ParquetSink(one, flush_docs=6), chunk_size=3, workers=1)
    summary = batch.run([str(corpus)], ParquetSink(dist, flush_docs=6), chunk_size=3, workers=2, dask="local")
    assert summary.processed == 24
    assert_layers_equal(batch.read_layers(dist), batch.read_layers(one))
    j1, j2 = tmp_path / "one.jsonl", tmp_path / "dist.jsonl"
    batch.run([str(corpus)], JsonLinesSink(j1), chunk_size=3, workers=1)
    batch.run([str(corpus)], JsonLinesSink(j2), chunk_size=3, workers=2, dask="local")
    assert j1.read_bytes() == j2.read_bytes()


@pytest.mark.slow
def test_dask_bad_address(corpus):
    """An address nothing listens on: one line after the 10 s connection timeout."""
    pytest.importorskip("dask.distributed")
    result = runner.invoke(app, ["extract", str(corpus), "--dask", "tcp://127.0.0.1:1", "-q"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("geomap: error: cannot connect to the Dask scheduler")
