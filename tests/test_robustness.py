"""Bad inputs and failing outputs at the command line: one clear error line or a clean skip, never a
traceback, never a partial file; and fuzzing of ``geomap.extract`` on arbitrary text."""

from __future__ import annotations

import builtins
import errno
import gzip
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import geomap
from geomap.cli import app

runner = CliRunner()
ARTICLE = "قصف مدفعي على مدينة سراقب في ريف إدلب الشرقي، ونزوح عشرات العائلات نحو بنش."


def run(*args, input=None):
    result = runner.invoke(app, [*map(str, args), "-j", "1"], input=input)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def error_line(result) -> str:
    """Exit 1 and exactly one ``geomap: error: …`` line on stderr."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("geomap: error: "), result.stderr
    return lines[0]


def no_leftovers(directory, *allowed):
    """Nothing but ``allowed`` in ``directory``: no temporary file, no half-written output, no state."""
    names = sorted(p.name for p in directory.iterdir())
    assert names == sorted(allowed), names


def jsonl(path, *records):
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def src(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    return d


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    return d


class TestBadText:
    @pytest.mark.parametrize(
        "name, data, message",
        [
            ("empty.txt", b"", "empty input"),
            ("blank.txt", b"  \n\t\n", "empty input"),
            ("empty.jsonl", b"", "empty input"),
            ("binary.txt", bytes(range(256)) * 40, "binary content"),
            ("nul.txt", "قصف على سراقب\x00\x00 بعد الظهر".encode(), "binary content"),
            ("cp1256.txt", ARTICLE.encode("cp1256"), "invalid UTF-8"),
            ("utf16-no-bom.txt", ARTICLE.encode("utf-16-le"), "without a byte-order mark"),
            ("punct.txt", "!!! ... ؟؟ ، ; -- *** 123 456 ...".encode(), "no letters"),
            ("html-empty.txt", b"<html><head><script>var a=1;</script></head><body></body></html>", "empty"),
            ("corrupt.jsonl.gz", b"\x1f\x8b\x08\x00garbage", "gzip"),
            ("notes.docx", b"PK\x03\x04", "unsupported file type"),
        ],
    )
    def test_one_line_error(self, src, out, name, data, message):
        path = src / name
        path.write_bytes(data)
        line = error_line(run("extract", path, "-o", out / "x.jsonl"))
        assert message in line and str(path) in line
        no_leftovers(out)

    def test_missing_file(self, src, out):
        assert "no such file" in error_line(run("extract", src / "nope.txt", "-o", out / "x.jsonl"))
        no_leftovers(out)

    def test_empty_stdin(self):
        assert "empty input" in error_line(run("extract", "-", input=""))

    def test_csv_without_text_column(self, src):
        (src / "a.csv").write_text("id,body\n1,قصف على سراقب\n", encoding="utf-8")
        assert "--text-column" in error_line(run("extract", src / "a.csv"))

    def test_too_large_text(self, src, out):
        """A .txt over the reader's limit is refused before it is read (the limit is 50 MB)."""
        with open(src / "big.txt", "wb") as fh:
            fh.write(ARTICLE.encode() * 200)
            fh.truncate(60_000_000)  # sparse: the size is checked before the text is read
        assert "too large" in error_line(run("extract", src / "big.txt", "-o", out / "x.jsonl"))
        no_leftovers(out)


class TestReadableOddText:
    def test_utf16_with_bom(self, src):
        (src / "u.txt").write_bytes(ARTICLE.encode("utf-16"))
        result = run("extract", src / "u.txt")
        assert result.exit_code == 0, result.output
        assert any(
            "سراقب" in m["surface"] and m["gazetteer_id"] for m in json.loads(result.stdout)["mentions"]
        )

    def test_html_page_is_its_visible_text(self, src):
        page = f"<!doctype html><html><head><title>خبر</title><style>p{{}}</style></head><body><p>{ARTICLE}</p></body></html>"
        (src / "page.txt").write_text(page, encoding="utf-8")
        result = run("extract", src / "page.txt")
        rec = json.loads(result.stdout)
        assert rec["title"] == "خبر" and rec["mentions"]

    def test_mixed_scripts(self, src):
        text = f"Reuters 路透社 — {ARTICLE} Привет 🙂 \u200f(Idlib) שלום 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷺ ـــ"
        (src / "mixed.txt").write_text(text, encoding="utf-8")
        result = run("extract", src / "mixed.txt")
        assert result.exit_code == 0, result.output
        rec = json.loads(result.stdout)
        for m in rec["mentions"]:
            assert text[m["start"] : m["end"]] == m["surface"]

    def test_single_long_line(self, src):
        """A 10 MB line that is not JSON is skipped with its line number; the rest is processed."""
        big = '{"id": "big", "text": "' + "x" * 10_000_000 + "\n"
        path = src / "long.jsonl"
        path.write_text(
            big + json.dumps({"id": "ok", "text": ARTICLE}, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        result = run("extract", path)
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok"]
        assert f"{path}:1" in result.stderr and "skipped 1 record(s): 1 invalid JSON" in result.stderr

    @pytest.mark.slow
    def test_single_2mb_article(self, src, out):
        """One 2 MB line that is a valid record is processed, never a crash.

        (A 10 MB article of dense place names takes minutes: recognition is quadratic in the
        number of mentions; see the report of issue 6.)
        """
        filler = "وقال المتحدث إن الاجتماع ناقش عددا من القضايا الاقتصادية دون التوصل إلى نتائج. " * 50
        text = (ARTICLE + " " + filler) * (2_000_000 // len((ARTICLE + filler).encode()))
        jsonl(src / "one.jsonl", json.dumps({"id": "huge", "text": text}, ensure_ascii=False))
        result = run("extract", src / "one.jsonl", "-o", out / "x.jsonl")
        assert result.exit_code == 0, result.output
        no_leftovers(out, "x.jsonl")

    @pytest.mark.slow
    def test_100mb_text_file(self, src, out):
        """A real 100 MB text file is refused with a clear line, not read into memory."""
        line = ("نص طويل جدا بلا معنى " * 50 + "\n").encode()
        with open(src / "huge.txt", "wb") as fh:
            for _ in range(100_000_000 // len(line) + 1):
                fh.write(line)
        assert "too large" in error_line(run("extract", src / "huge.txt", "-o", out / "x.jsonl"))
        no_leftovers(out)

    def test_deeply_nested_json(self, src):
        path = jsonl(src / "deep.jsonl", "[" * 100_000 + "]" * 100_000, {"id": "ok", "text": ARTICLE})
        result = run("extract", path)
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok"]
        assert f"{path}:1" in result.stderr

    def test_wrong_jsonl_fields(self, src):
        path = jsonl(
            src / "fields.jsonl",
            {"id": "a", "body": ARTICLE},
            {"id": "b", "text": 42},
            {"id": ["c"], "text": ARTICLE},
            {"id": "d", "text": ""},
            {"id": "e", "text": "\ud800 قصف"},
            [1, 2, 3],
            "null",
            {"id": "ok", "text": ARTICLE, "date": "yesterday", "url": None},
        )
        result = run("extract", path)
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok"]
        for n in range(1, 8):
            assert f"{path}:{n}:" in result.stderr
        assert "skipped 7 record(s)" in result.stderr

    def test_every_record_bad_is_an_empty_result(self, src, out):
        path = jsonl(src / "bad.jsonl", "{nope", {"x": 1})
        result = run("extract", path, "-o", out / "x.jsonl")
        assert result.exit_code == 0 and (out / "x.jsonl").read_text() == ""
        assert "skipped 2 record(s)" in result.stderr

    def test_map_with_every_record_bad(self, src, out):
        path = jsonl(src / "bad.jsonl", "{nope")
        result = run("map", path, "-o", out / "m")
        assert result.exit_code == 1 and f"{path}:1" in result.stderr
        assert (
            result.stderr.splitlines()[-1] == "geomap: error: no documents to map (every record was skipped)"
        )
        assert not (out / "m").exists() or not list((out / "m").iterdir())

    def test_directory_with_bad_files(self, src):
        (src / "good.txt").write_text(ARTICLE, encoding="utf-8")
        (src / "sub").mkdir()
        (src / "sub" / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
        (src / "sub" / "gz.jsonl.gz").write_bytes(gzip.compress(b'{"id": "z", "text": 5}\n'))
        result = run("extract", src)
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good"]
        assert "bin.txt" in result.stderr and "gz.jsonl.gz:1" in result.stderr


class TestBadOutput:
    @pytest.fixture
    def article(self, src):
        path = src / "a.txt"
        path.write_text(ARTICLE, encoding="utf-8")
        return path

    def test_file_in_the_way_of_map_dir(self, article, out):
        (out / "m").write_text("keep")
        error_line(run("map", article, "-o", out / "m"))
        assert (out / "m").read_text() == "keep"

    def test_file_in_the_way_of_output_parent(self, article, out):
        (out / "f").write_text("keep")
        error_line(run("extract", article, "-o", out / "f" / "x.jsonl"))
        no_leftovers(out, "f")

    def test_output_is_a_directory(self, article, out):
        (out / "d").mkdir()
        assert "directory" in error_line(run("extract", article, "-o", out / "d"))
        no_leftovers(out, "d")

    def test_parquet_output_is_a_file(self, article, out):
        (out / "p").write_text("keep")
        error_line(run("extract", article, "--format", "parquet", "-o", out / "p"))
        assert (out / "p").read_text() == "keep"

    @pytest.mark.parametrize("fmt", ["json", "geojson"])
    def test_replace_denied(self, article, out, monkeypatch, fmt):
        def denied(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(os, "replace", denied)
        assert "Permission denied" in error_line(run("extract", article, "--format", fmt, "-o", out / "x"))
        no_leftovers(out)

    def test_open_denied(self, article, out, monkeypatch):
        real_open = builtins.open

        def guarded(file, mode="r", *args, **kwargs):
            if str(out) in str(file) and any(c in mode for c in "wax"):
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded)
        error_line(run("extract", article, "-o", out / "x.jsonl"))
        no_leftovers(out)

    @pytest.mark.parametrize(
        "command",
        [("extract", "-o", "x.jsonl"), ("map", "-o", "m"), ("extract", "--format", "parquet", "-o", "p")],
    )
    def test_disk_full(self, article, out, monkeypatch, command):
        """ENOSPC while writing: one line, and nothing half-written left behind."""

        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        *args, target = command
        assert "No space left on device" in error_line(run(*args[:1], article, *args[1:], out / target))
        leftovers = [p for p in out.rglob("*") if p.is_file()]
        assert not leftovers, leftovers

    def test_unknown_dask_scheduler(self, article):
        pytest.importorskip("dask.distributed")
        assert "Dask scheduler" in error_line(run("extract", article, "--dask", "not-a-scheduler-address"))


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300) | st.lists(
    st.sampled_from(
        ["قصف", "على", "سراقب", "و", "ريف", "إدلب", "ب", "ال", "حماة", " ", "،", "Idlib", "\u0651", "ـ", "ﻻ"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_extract_never_raises(text):
    """Any text: no exception, and every mention's span is its surface."""
    result = geomap.extract(text)
    for m in result.mentions:
        assert text[m.start : m.end] == m.surface
        assert 0 <= m.start < m.end <= len(text)
    for e in result.events:
        assert 0 <= e.start <= e.end <= len(text)
