"""The command line: outputs, exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import json
import os
import stat

import pytest
from typer.testing import CliRunner

from geomap.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def one_line_error(result):
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("geomap: error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


class TestGeocode:
    @pytest.mark.parametrize(
        "query, pid",
        [
            ("حماة", "C2987"),
            ("ريف حماة الغربي", "geomap:countryside/SY05/west"),
            ("Kafr Nabudah, Hama", "C3209"),
        ],
    )
    def test_json(self, query, pid):
        """--json prints one object per query with the place and its admin fields."""
        result = run("geocode", "--json", query)
        assert result.exit_code == 0, result.output
        rec = json.loads(result.stdout)
        assert rec["gazetteer_id"] == pid and rec["query"] == query
        assert {"lat", "lon", "admin1", "admin1_pcode", "confidence", "kind"} <= set(rec)

    def test_stdin_in_order_and_unresolved(self):
        """- reads one query a line; unresolved ones have null coordinates."""
        result = run("geocode", "--json", "-", input="سراقب\nXqzzv\nIdlib\n")
        recs = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["query"] for r in recs] == ["سراقب", "Xqzzv", "Idlib"]
        assert recs[1]["lat"] is None and recs[1]["gazetteer_id"] is None

    def test_all_lists_candidates(self):
        result = run("geocode", "--json", "--all", "صوران")
        assert len(json.loads(result.stdout)["candidates"]) >= 2


class TestExtract:
    def test_jsonl_records(self, tmp_path):
        """One JSON object per document with mentions and events."""
        src = tmp_path / "a.jsonl"
        src.write_text(
            json.dumps(
                {"id": "x1", "text": "اشتباكات عنيفة على جبهة الكبينة في ريف اللاذقية"}, ensure_ascii=False
            )
            + "\n",
            encoding="utf-8",
        )
        out = tmp_path / "out.jsonl"
        result = run("extract", str(src), "-o", str(out))
        assert result.exit_code == 0, result.output
        (rec,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert rec["id"] == "x1"
        m = rec["mentions"][0]
        for key in (
            "surface",
            "start",
            "end",
            "name_ar",
            "name_en",
            "kind",
            "gazetteer_id",
            "lat",
            "lon",
            "admin1",
            "admin1_pcode",
            "admin2",
            "admin2_pcode",
            "admin3",
            "admin3_pcode",
            "geo_precision",
            "confidence",
        ):
            assert key in m
        e = rec["events"][0]
        assert e["event_class"] == "armed_clash"
        assert {"sentence", "start", "end", "locations"} <= set(e)
        assert {"name_ar", "name_en", "gazetteer_id", "lat", "lon"} <= set(e["locations"][0])

    def test_malformed_line_is_reported_and_skipped(self, tmp_path):
        """A bad JSONL line is reported with its number; the other lines are processed."""
        src = tmp_path / "b.jsonl"
        src.write_text(
            '{"id": "ok1", "text": "قصف على سراقب"}\n{not json\n{"id": "ok2", "text": "قصف على بنش"}\n',
            encoding="utf-8",
        )
        result = run("extract", str(src))
        assert result.exit_code == 0
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok1", "ok2"]
        assert f"{src}:2" in result.stderr


class TestBadInput:
    def test_missing_file(self, tmp_path):
        one_line_error(run("extract", str(tmp_path / "nope.txt")))

    def test_empty_file(self, tmp_path):
        (tmp_path / "e.txt").write_bytes(b"")
        one_line_error(run("extract", str(tmp_path / "e.txt")))

    def test_binary_file(self, tmp_path):
        (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 10)
        one_line_error(run("extract", str(tmp_path / "b.txt")))

    def test_invalid_utf8(self, tmp_path):
        (tmp_path / "c.txt").write_bytes("قصف على سراقب".encode("cp1256"))
        one_line_error(run("extract", str(tmp_path / "c.txt")))

    def test_unknown_format(self, tmp_path):
        (tmp_path / "t.txt").write_text("قصف على سراقب", encoding="utf-8")
        one_line_error(run("extract", "--format", "xml", str(tmp_path / "t.txt")))

    @pytest.mark.skipif(
        os.geteuid() == 0 and not os.environ.get("CI_UNPRIVILEGED"),
        reason="root can write anywhere; checked with a file in the way instead",
    )
    def test_unwritable_output_dir(self, tmp_path, seed_file):
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        one_line_error(run("map", str(seed_file), "--out", str(locked / "sub")))

    def test_output_path_is_a_file(self, tmp_path, seed_file):
        """An output 'directory' that is a file: one-line error, nothing written."""
        blocker = tmp_path / "out"
        blocker.write_text("x")
        one_line_error(run("map", str(seed_file), "--out", str(blocker)))
        assert blocker.read_text() == "x"

    def test_extract_output_in_missing_dir(self, tmp_path, seed_file):
        one_line_error(
            run("extract", str(seed_file), "-o", str(tmp_path / "no" / "such" / "dir" / "x.jsonl"))
        )


@pytest.fixture
def seed_file(seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_map_the_seed(tmp_path, seed_file):
    """map writes map.html and the layers, and prints a summary."""
    out = tmp_path / "maps"
    result = run("map", str(seed_file), "--out", str(out), "--offline")
    assert result.exit_code == 0, result.output
    for name in ("map.html", "events.geojson", "places.geojson", "flows.geojson", "areas.geojson"):
        assert (out / name).is_file(), name
    events = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["event_class"] for f in events["features"]} >= {"armed_clash", "shelling"}
    assert "events" in result.stdout
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".")]
