"""Tests for geomap.io.read: good inputs, whole-file errors, skipped records, stdin, fuzzing."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.errors import InputError
from geomap.io.read import Skipped, _bounded_lines, read_documents
from geomap.model import Document

ARTICLE = "قصف مدفعي على كفرنبل في ريف إدلب الجنوبي.\nShelling hit Kafr Nabl, south of Idlib.\n"


def read(*paths: Path | str, **options) -> tuple[list[Document], list[Skipped]]:
    skipped: list[Skipped] = []
    docs = list(read_documents([str(p) for p in paths], on_skip=skipped.append, **options))
    return docs, skipped


def error(*paths: Path | str, **options) -> str:
    with pytest.raises(InputError) as info:
        list(read_documents([str(p) for p in paths], **options))
    message = str(info.value)
    assert "\n" not in message
    return message


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


class TestText:
    def test_mixed_scripts_read_exactly(self, tmp_path):
        """Arabic and English text comes back unchanged, with the stem as id and no title."""
        docs, skipped = read(write(tmp_path / "kafr-nabl.txt", ARTICLE))
        assert docs == [Document(id="kafr-nabl", text=ARTICLE)]
        assert skipped == []

    def test_crlf_kept(self, tmp_path):
        """Line endings are not translated."""
        (doc,), _ = read(write(tmp_path / "a.txt", "Aleppo\r\nHama\r\n"))
        assert doc.text == "Aleppo\r\nHama\r\n"

    @pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\u00a0\u3000\n".encode()])
    def test_empty_or_blank(self, tmp_path, data):
        """An empty or blank file is an error naming it."""
        path = write(tmp_path / "blank.txt", data)
        assert error(path) == f"{path}: empty input: the file has no text"

    def test_nul_bytes(self, tmp_path):
        path = write(tmp_path / "nul.txt", b"Idlib\x00\x00\x00Hama")
        assert error(path).startswith(f"{path}: binary content (NUL bytes)")

    def test_nul_after_the_sniffed_head(self, tmp_path):
        path = write(tmp_path / "late.txt", b"Idlib " * 3000 + b"\x00")
        assert "binary content (NUL at character 18000)" in error(path)

    def test_binary(self, tmp_path):
        """Control-character noise without NULs is binary too."""
        path = write(tmp_path / "image.txt", bytes(range(1, 32)) * 20 + b"GIF89a")
        assert "binary content (control characters)" in error(path)

    def test_invalid_utf8_gives_offset_and_fix(self, tmp_path):
        """Windows-1256 Arabic: the byte offset of the first bad byte and how to re-encode it."""
        path = write(tmp_path / "cp1256.txt", b"Idlib: " + "إدلب".encode("cp1256"))
        message = error(path)
        assert message.startswith(f"{path}: invalid UTF-8 at byte 7: re-encode the file as UTF-8")
        assert "iconv -f CP1256 -t UTF-8" in message

    @pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
    def test_byte_order_marks_are_decoded(self, tmp_path, codec):
        """UTF-8, UTF-16 and UTF-32 with a byte-order mark decode to the text without the mark."""
        data = ("\ufeff" + ARTICLE).encode(codec) if codec == "utf-16-be" else ARTICLE.encode(codec)
        (doc,), _ = read(write(tmp_path / "bom.txt", data))
        assert doc.text == ARTICLE

    def test_utf16_without_mark(self, tmp_path):
        for text in ("Shelling on Kafr Nabl", "قصف على كفرنبل"):
            path = write(tmp_path / "nomark.txt", text.encode("utf-16-le"))
            assert error(path) == f"{path}: UTF-16 text without a byte-order mark: re-encode it as UTF-8"

    def test_invalid_utf16(self, tmp_path):
        path = write(tmp_path / "odd.txt", "Hama".encode("utf-16") + b"\x00\xd8A\x00")
        assert "invalid UTF-16 at byte 10" in error(path)

    def test_html_page_becomes_visible_text(self, tmp_path):
        """Scripts and styles are dropped, blocks become lines, the <title> becomes the title."""
        page = (
            "<!DOCTYPE html><html><head><title>Idlib &amp; Hama</title><style>p {color: red}</style>"
            "<script>var x = '<p>hidden</p>';</script></head><body><h1>Shelling</h1>"
            "<p>Shelling hit <b>Kafr   Nabl</b>.<br>Families fled.</p><p>قصف على كفرنبل</p></body></html>"
        )
        (doc,), _ = read(write(tmp_path / "page.txt", page))
        assert doc.text == "Shelling\nShelling hit Kafr Nabl.\nFamilies fled.\nقصف على كفرنبل"
        assert doc.title == "Idlib & Hama"

    def test_html_fragment_without_doctype(self, tmp_path):
        (doc,), _ = read(write(tmp_path / "frag.txt", "<div><p>Hama</p><p>Homs</p></div>"))
        assert doc.text == "Hama\nHoms"
        assert doc.title is None

    def test_text_with_an_angle_bracket_is_not_html(self, tmp_path):
        (doc,), _ = read(write(tmp_path / "lt.txt", "Casualties < 10 in Hama <b> reported"))
        assert doc.text == "Casualties < 10 in Hama <b> reported"

    def test_html_without_visible_text(self, tmp_path):
        path = write(tmp_path / "empty.txt", "<html><script>alert(1)</script></html>")
        assert error(path) == f"{path}: empty input: the file has no text (an HTML page with no visible text)"

    def test_malformed_html(self, tmp_path):
        path = write(tmp_path / "bad.txt", "<html><body><![foo[ Hama ]]></body></html>")
        assert error(path).startswith(f"{path}: malformed HTML")

    def test_too_large(self, tmp_path):
        path = write(tmp_path / "big.txt", "Hama " * 400)
        assert error(path, max_bytes=1000) == (
            f"{path}: too large: 2.0 KB > 1.0 KB limit; split it or raise --max-bytes"
        )
        (doc,), _ = read(path, max_bytes=2000)
        assert len(doc.text) == 2000

    @pytest.mark.parametrize("text", ["...!!! ---", "123 456 789", "١٢٣ ، ؟ ٤٥٦", "🙂 ★ §"])
    def test_no_letters(self, tmp_path, text):
        path = write(tmp_path / "nothing.txt", text)
        assert error(path) == f"{path}: no text to read: no letters, only digits, punctuation or symbols"


class TestJsonl:
    def test_records_and_fields(self, tmp_path):
        """Fields are read, ids default to stem:line (blank lines count), dates and langs are loose."""
        path = write(
            tmp_path / "news.jsonl",
            jsonl(
                {
                    "id": 7,
                    "text": "Shelling on Hama",
                    "title": " Hama ",
                    "date": "2024-03-05T10:00:00Z",
                    "url": "https://example.org/1",
                    "source": "SOHR",
                    "lang": "EN-gb",
                },
                "",
                {"text": "قصف على كفرنبل", "date": "2024-02-30", "lang": "ar", "extra": [1, 2]},
                {"id": "", "text": "Clashes in Homs", "date": 20240305, "lang": "fr", "title": None},
            ),
        )
        docs, skipped = read(path)
        assert skipped == []
        assert docs == [
            Document(
                id="7",
                text="Shelling on Hama",
                title="Hama",
                date="2024-03-05",
                url="https://example.org/1",
                source="SOHR",
                lang="en",
            ),
            Document(id="news:3", text="قصف على كفرنبل", lang="ar"),
            Document(id="news:4", text="Clashes in Homs"),
        ]

    def test_bad_lines_are_skipped_with_their_line(self, tmp_path):
        lines = [
            {"text": "Good one in Idlib"},
            '{"text": "unterminated',
            '["text", "an array"]',
            {"title": "no text"},
            {"text": "   "},
            {"text": 42},
            {"text": "Hama", "id": 1.5},
            {"text": "Hama", "id": True},
            {"text": "Hama", "title": ["a"]},
            {"text": "Hama", "url": 3},
            {"text": "!!! 123"},
            "[" * 100_000 + "]" * 100_000,
            '{"text": "bad \\ud800 escape"}',
            {"text": "Good two in Hama"},
        ]
        path = write(tmp_path / "mixed.jsonl", jsonl(*lines))
        docs, skipped = read(path)
        assert [d.text for d in docs] == ["Good one in Idlib", "Good two in Hama"]
        assert [s.line for s in skipped] == list(range(2, 14))
        assert all(s.path == str(path) and "\n" not in s.reason for s in skipped)
        reasons = [s.reason for s in skipped]
        assert reasons[0].startswith("invalid JSON (Unterminated string")
        assert reasons[1:] == [
            "expected a JSON object, found an array",
            "no 'text' field (fields: 'title')",
            "'text' is empty",
            "'text' must be a string, not a number",
            "'id' must be a string or an integer, not a number",
            "'id' must be a string or an integer, not a boolean",
            "'title' must be a string, not an array",
            "'url' must be a string, not a number",
            "'text' has no letters",
            "JSON nested too deeply",
            "'text' contains NUL or unpaired surrogate characters",
        ]

    def test_invalid_utf8_line_is_skipped(self, tmp_path):
        data = b'{"text": "Idlib"}\n{"text": "\xe5\xdf\xc7"}\n{"text": "Hama"}\n'
        docs, skipped = read(write(tmp_path / "enc.jsonl", data))
        assert [d.text for d in docs] == ["Idlib", "Hama"]
        assert skipped == [
            Skipped(str(tmp_path / "enc.jsonl"), 2, "invalid UTF-8 on this line; re-encode the file as UTF-8")
        ]

    def test_huge_line_is_skipped(self, tmp_path):
        """A line over max_bytes is dropped, and the next line still read."""
        big = json.dumps({"text": "Hama " * 200_000})
        path = write(tmp_path / "big.jsonl", jsonl({"text": "Idlib"}, big, {"text": "Homs"}))
        docs, skipped = read(path, max_bytes=10_000)
        assert [d.text for d in docs] == ["Idlib", "Homs"]
        assert skipped == [Skipped(str(path), 2, "line over 10.0 KB; raise --max-bytes to read it")]

    def test_line_limit_counts_utf8_bytes(self, tmp_path):
        path = write(tmp_path / "ar.jsonl", jsonl({"text": "حماة" * 100}))
        assert read(path, max_bytes=500)[1][0].reason.startswith("line over 500 bytes")
        assert len(read(path, max_bytes=1000)[0]) == 1

    def test_lines_are_read_in_bounded_chunks(self):
        """The line reader never asks for an unbounded line."""

        class Spy(io.StringIO):
            sizes: list[int] = []

            def readline(self, size=-1):
                self.sizes.append(size)
                return super().readline(size)

        text = Spy("a\n" + "b" * 5000 + "\nc\n")
        assert list(_bounded_lines(text, 100)) == [(1, "a\n"), (2, None), (3, "c\n")]
        assert all(0 < size for size in Spy.sizes)

    @pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
    def test_empty(self, tmp_path, data):
        path = write(tmp_path / "empty.jsonl", data)
        assert error(path) == f"{path}: empty input: " + (
            "the file has no text" if not data else "the file has no records"
        )

    def test_binary(self, tmp_path):
        path = write(tmp_path / "bin.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        assert "binary content" in error(path)

    def test_utf16_with_mark(self, tmp_path):
        path = write(
            tmp_path / "u16.jsonl", jsonl({"text": "قصف على حماة"}, {"text": "Homs"}).encode("utf-16")
        )
        assert [d.text for d in read(path)[0]] == ["قصف على حماة", "Homs"]

    def test_gzip(self, tmp_path):
        path = write(
            tmp_path / "news.jsonl.gz", gzip.compress(jsonl({"text": "Idlib"}, {"text": "Hama"}).encode())
        )
        docs, _ = read(path)
        assert [(d.id, d.text) for d in docs] == [("news:1", "Idlib"), ("news:2", "Hama")]

    def test_corrupt_gzip(self, tmp_path):
        path = write(tmp_path / "bad.jsonl.gz", b"this is not gzip at all")
        message = error(path)
        assert message.startswith(f"{path}: not a gzip file")

    def test_truncated_gzip(self, tmp_path):
        data = gzip.compress(jsonl(*({"text": f"Hama report {i}"} for i in range(2000))).encode())
        path = write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
        assert error(path).startswith(f"{path}: corrupt or truncated gzip data")


class TestCsv:
    def test_rows(self, tmp_path):
        data = (
            "\ufeffid,title,text,date\n"
            'a1,Hama,"Shelling on Hama, again",2024-03-05\n'
            "\n"
            ',,"Two lines\nin Homs",\n'
        )
        path = write(tmp_path / "news.csv", data)
        docs, skipped = read(path)
        assert skipped == []
        assert docs == [
            Document(id="a1", text="Shelling on Hama, again", title="Hama", date="2024-03-05"),
            Document(id="news:4", text="Two lines\nin Homs"),
        ]

    def test_text_column_option(self, tmp_path):
        path = write(tmp_path / "b.csv", "body,lang\nقصف على حماة,ar\n")
        (doc,), _ = read(path, text_column="body")
        assert (doc.id, doc.text, doc.lang) == ("b:2", "قصف على حماة", "ar")

    def test_missing_text_column(self, tmp_path):
        path = write(tmp_path / "c.csv", "id,body\n1,Hama\n")
        assert error(path) == (
            f"{path}:1: no 'text' column; available columns: 'id', 'body' (choose one with --text-column)"
        )

    def test_semicolon_separated(self, tmp_path):
        path = write(tmp_path / "semi.csv", "id;text\n1;Hama\n")
        assert "looks separated by ';' or tabs" in error(path)

    def test_bad_rows_are_skipped(self, tmp_path):
        path = write(tmp_path / "rows.csv", "id,text\n1,\n2\n3,Homs\n4,\xff\n".encode("latin-1"))
        docs, skipped = read(path)
        assert [d.text for d in docs] == ["Homs"]
        assert [(s.line, s.reason) for s in skipped] == [
            (2, "'text' is empty"),
            (3, "1 fields where the header has 2: check the quoting"),
            (5, "invalid UTF-8 in this row; re-encode as UTF-8"),
        ]

    def test_header_only(self, tmp_path):
        path = write(tmp_path / "h.csv", "id,text\n")
        assert error(path) == f"{path}: empty input: a header row but no records"

    def test_unclosed_quote_over_the_limit(self, tmp_path):
        path = write(tmp_path / "q.csv", 'id,text\n0,Idlib\n1,"never closed\n' + "Hama\n" * 500)
        assert error(path, max_bytes=1000) == (
            f"{path}:3: record starting here (line 200 now) over 1.0 KB: check the quoting or raise --max-bytes"
        )

    def test_long_line(self, tmp_path):
        path = write(tmp_path / "q.csv", "id,text\n1," + "Hama " * 300 + "\n")
        assert error(path, max_bytes=1000) == (
            f"{path}:2: line over 1.0 KB: check the quoting or raise --max-bytes"
        )


class TestPathsAndStdin:
    def test_directory_tree(self, tmp_path):
        """Supported files are read recursively in path order; others and hidden ones are ignored."""
        write(tmp_path / "b" / "report.txt", "Homs")
        write(tmp_path / "a" / "report.txt", "Hama")
        write(tmp_path / "a" / "z.jsonl", jsonl({"text": "Idlib"}))
        write(tmp_path / "c.csv", "text\nDeir ez-Zor\n")
        write(tmp_path / "notes.md", "# not read")
        write(tmp_path / ".cache" / "x.txt", "hidden")
        write(tmp_path / ".hidden.txt", "hidden")
        docs, skipped = read(tmp_path)
        assert [(d.id, d.text) for d in docs] == [
            ("a/report", "Hama"),
            ("a/z:1", "Idlib"),
            ("b/report", "Homs"),
            ("c:2", "Deir ez-Zor"),
        ]
        assert skipped == []

    def test_bad_file_in_directory_is_skipped(self, tmp_path):
        write(tmp_path / "a.txt", b"")
        write(tmp_path / "b.txt", "Hama")
        docs, skipped = read(tmp_path)
        assert [d.text for d in docs] == ["Hama"]
        assert skipped == [Skipped(str(tmp_path / "a.txt"), None, "empty input: the file has no text")]

    def test_directory_without_inputs(self, tmp_path):
        write(tmp_path / "notes.md", "Hama")
        assert error(tmp_path) == f"{tmp_path}: no .csv, .txt, .jsonl, .jsonl.gz files in this directory"

    def test_unsupported_extension(self, tmp_path):
        path = write(tmp_path / "report.pdf", "Hama")
        assert error(path) == (
            f"{path}: unsupported file type: expected one of .csv, .txt, .jsonl, .jsonl.gz, or '-' for stdin"
        )

    def test_missing_path_fails_at_call_time(self, tmp_path):
        with pytest.raises(InputError, match=r"^no such file: .*missing\.txt$"):
            read_documents([str(tmp_path / "missing.txt")])

    def test_no_inputs(self):
        with pytest.raises(InputError, match="no inputs given"):
            read_documents([])

    def test_single_string_is_one_input(self, tmp_path):
        path = write(tmp_path / "one.txt", "Hama")
        assert [d.id for d in read_documents(str(path))] == ["one"]

    def test_stdin_text(self, monkeypatch):
        monkeypatch.setattr(sys, "stdin", io.StringIO(ARTICLE))
        assert read("-")[0] == [Document(id="stdin", text=ARTICLE)]

    def test_stdin_jsonl(self, monkeypatch):
        monkeypatch.setattr(
            sys, "stdin", io.StringIO(jsonl({"text": "Idlib"}, "", "  " + json.dumps({"text": "1 2 3"})))
        )
        docs, skipped = read("-")
        assert [d.id for d in docs] == ["stdin:1"]
        assert skipped == [Skipped("<stdin>", 3, "'text' has no letters")]

    def test_stdin_starting_with_a_brace_but_not_jsonl(self, monkeypatch):
        text = '{"note": 1}\nShelling on Hama\n'
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        assert read("-")[0] == [Document(id="stdin", text=text)]

    def test_stdin_bytes_are_checked(self, monkeypatch):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Hama \xff")))
        assert error("-") == "<stdin>: invalid UTF-8 at byte 5: re-encode the file as UTF-8" + (
            " (Arabic from Windows is often CP1256: iconv -f CP1256 -t UTF-8)"
        )

    def test_stdin_empty(self, monkeypatch):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        assert error("-") == "<stdin>: empty input: the file has no text"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.lists(
            st.sampled_from([b"{", b"}", b'"text"', b":", b'"Hama"', b"\n", b",", b"[", b"\xff", b"\x00"])
        ).map(b"".join),
    ),
    suffix=st.sampled_from([".txt", ".jsonl", ".csv", ".jsonl.gz"]),
    max_bytes=st.sampled_from([8, 100, 50_000_000]),
)
def test_arbitrary_bytes_give_documents_or_input_error(tmp_path, data, suffix, max_bytes):
    """Whatever the bytes, reading yields Documents or raises a one-line InputError, nothing else."""
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(gzip.compress(data) if suffix == ".jsonl.gz" and data[:1] != b"\xff" else data)
    try:
        docs, skipped = read(path, max_bytes=max_bytes)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(isinstance(d, Document) and d.text.strip() for d in docs)
        assert all("\n" not in s.reason for s in skipped)
