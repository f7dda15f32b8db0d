"""Read articles from .txt, .jsonl, .jsonl.gz and .csv files, directories or stdin, streaming, as Documents."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import BinaryIO, TextIO

from geomap.errors import InputError
from geomap.model import Document

__all__ = ["STDIN", "SUPPORTED_SUFFIXES", "Skipped", "read_documents"]

#: File name endings read by ``read_documents`` (case-insensitive); longest first.
SUPPORTED_SUFFIXES = (".jsonl.gz", ".jsonl", ".txt", ".csv")

STDIN = "-"  #: the input name that means standard input
_STDIN_NAME = "<stdin>"
_HEAD_BYTES = 8192
_DRAIN_CHARS = 1 << 20
_SPOOL_MEMORY = 8 << 20
_CONTROL_SHARE = 0.1  # more control characters than this in the head: binary
_MARK = "geomap.read.mark"  # decode error handler: undecodable bytes become lone surrogates


def _mark_undecodable(exc: UnicodeError) -> tuple[str, int]:
    # Valid UTF-8/16/32 never decodes to a lone surrogate, so one marks the bad bytes of a line.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "\udfff", exc.end


codecs.register_error(_MARK, _mark_undecodable)

_BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HTML_START_RE = re.compile(
    r"\s*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|span|table|h[1-6]|ul|ol)\b",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[!/?a-zA-Z][^<>]{0,1000}>")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record (``line`` set) or a file in a directory (``line`` None) that could not be read."""

    path: str
    line: int | None
    reason: str


class _Unreadable(Exception):
    """A whole-file problem; raised as ``InputError`` for a named file, skipped inside a directory."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True, slots=True)
class _Source:
    path: str  # "-" for stdin
    display: str  # the name used in messages and Skipped records
    kind: str  # one of SUPPORTED_SUFFIXES, or "" for stdin (decided by its content)
    stem: str  # default id, or id prefix
    in_directory: bool = False


def read_documents(
    inputs: Sequence[str] | str,
    *,
    text_column: str = "text",
    on_skip: Callable[[Skipped], None] | None = None,
    max_bytes: int = 50_000_000,
) -> Iterator[Document]:
    """Stream Documents from files, directories and stdin (``"-"``), in the order given.

    Parameters
    ----------
    inputs
        Paths to ``.txt``, ``.jsonl``, ``.jsonl.gz`` or ``.csv`` files, directories (searched
        recursively, in path order, skipping hidden entries and other file types), or ``"-"`` for
        stdin. Stdin is JSONL when every non-blank line starts with ``{``, else one text document.
    text_column
        The JSONL key or CSV column holding the article text.
    on_skip
        Called with a ``Skipped`` for each record that cannot be read (bad JSON, missing text,
        invalid UTF-8 on that line, a line over ``max_bytes`` …) and for each unreadable file
        found inside a directory. Reading goes on after it.
    max_bytes
        Largest .txt file (or text on stdin), JSONL line and CSV record, in bytes. A longer JSONL
        line is skipped; a longer CSV record stops the file, as its quoting cannot be trusted.

    Returns
    -------
    An iterator of Documents. Files are opened one at a time and JSONL/CSV are read line by line.

    Raises
    ------
    InputError
        With a one-line ``path: message`` for a missing path, an unsupported extension or a
        directory without inputs (at call time), and for a named file that is empty, binary,
        undecodable, too large, has no letters, or is corrupt gzip (while iterating).

    Notes
    -----
    Text is UTF-8; a UTF-8 byte-order mark is dropped, and UTF-16/UTF-32 files with a byte-order
    mark are decoded (without one they are rejected). A .txt that is an HTML page becomes its
    visible text (no script or style, one block per line) with the ``<title>`` as title. Ids are
    the file stem for .txt, and a record's ``id`` field or ``stem:line`` for JSONL and CSV (the
    line where the record starts); inside a directory the stem is the path relative to it. JSONL
    ``id`` may be a string or integer; ``title``, ``url`` and ``source`` must be strings or null;
    ``date`` keeps a valid ``YYYY-MM-DD`` prefix, and ``lang`` keeps ``ar``/``en`` (any region
    subtag dropped); otherwise they become None. CSV raises ``csv.field_size_limit`` to
    ``max_bytes`` if it is lower.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    if not inputs:
        raise InputError("no inputs given: pass a file, a directory or '-' for stdin")
    if max_bytes < 1:
        raise InputError(f"max_bytes must be positive, not {max_bytes}")
    sources = [source for item in inputs for source in _sources(os.fspath(item))]
    return _iter_documents(sources, text_column=text_column, on_skip=on_skip, max_bytes=max_bytes)


def _iter_documents(
    sources: list[_Source], *, text_column: str, on_skip: Callable[[Skipped], None] | None, max_bytes: int
) -> Iterator[Document]:
    for source in sources:
        try:
            for item in _read_source(source, text_column, max_bytes):
                if isinstance(item, Document):
                    yield item
                elif on_skip is not None:
                    on_skip(item)
        except _Unreadable as exc:
            if not source.in_directory:
                raise InputError(exc.reason, path=source.display, line=exc.line) from None
            if on_skip is not None:
                on_skip(Skipped(source.display, exc.line, exc.reason))


# --- finding the files -------------------------------------------------------------------------


def _kind(name: str) -> str | None:
    lower = name.lower()
    return next((suffix for suffix in SUPPORTED_SUFFIXES if lower.endswith(suffix)), None)


def _strip_kind(name: str, kind: str) -> str:
    return name[: -len(kind)] or name


def _supported() -> str:
    return ", ".join(SUPPORTED_SUFFIXES[::-1])


def _sources(path: str) -> list[_Source]:
    if path == STDIN:
        return [_Source(STDIN, _STDIN_NAME, "", "stdin")]
    if os.path.isdir(path):
        return _directory_sources(path)
    if not os.path.exists(path):
        raise InputError(f"no such file: {path}")
    kind = _kind(path)
    if kind is None:
        raise InputError(
            f"unsupported file type: expected one of {_supported()}, or '-' for stdin", path=path
        )
    return [_Source(path, path, kind, _strip_kind(os.path.basename(path), kind))]


def _directory_sources(root: str) -> list[_Source]:
    found: list[tuple[tuple[str, ...], _Source]] = []
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            kind = _kind(name)
            if kind is None or name.startswith("."):
                continue
            path = os.path.join(here, name)
            parts = tuple(os.path.relpath(path, root).split(os.sep))
            stem = _strip_kind("/".join(parts), kind)
            found.append((parts, _Source(path, path, kind, stem, in_directory=True)))
    if not found:
        raise InputError(f"no {_supported()} files in this directory", path=root)
    return [source for _, source in sorted(found, key=lambda pair: pair[0])]


# --- opening and sniffing ----------------------------------------------------------------------


def _read_source(source: _Source, text_column: str, max_bytes: int) -> Iterator[Document | Skipped]:
    gz = source.kind == ".jsonl.gz"
    try:
        if source.path == STDIN:
            with _spool_stdin() as spool:
                kind = ".jsonl" if _looks_like_jsonl(spool) else ".txt"
                yield from _read_stream(spool, kind, source, text_column, max_bytes)
            return
        opener = gzip.open if gz else open
        with opener(source.path, "rb") as raw:
            yield from _read_stream(raw, source.kind, source, text_column, max_bytes)
    except FileNotFoundError:
        raise _Unreadable(f"no such file: {source.path}") from None
    except PermissionError:
        raise _Unreadable("permission denied: make the file readable") from None
    except gzip.BadGzipFile as exc:
        raise _Unreadable(f"not a gzip file ({exc}): name it .jsonl if it is not compressed") from None
    except (EOFError, zlib.error) as exc:
        raise _Unreadable(f"corrupt or truncated gzip data ({exc}): download or compress it again") from None
    except OSError as exc:
        raise _Unreadable(
            f"cannot read the file ({exc.strerror or exc}): check the disk or the path"
        ) from None


def _spool_stdin() -> tempfile.SpooledTemporaryFile[bytes]:
    """Copy stdin into a seekable file (on disk past a few MB), so it can be sniffed and then read."""
    spool: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY)
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        shutil.copyfileobj(buffer, spool)
    else:  # a text-only stream (a replaced sys.stdin): it is already decoded
        while chunk := sys.stdin.read(_DRAIN_CHARS):
            spool.write(chunk.encode("utf-8", "surrogatepass"))
    spool.seek(0)
    return spool


def _looks_like_jsonl(raw: BinaryIO) -> bool:
    """True when every non-blank line starts with ``{`` (and there is one); rewinds ``raw``."""
    codec, bom = _encoding(raw.read(_HEAD_BYTES))
    raw.seek(bom)
    text = io.TextIOWrapper(raw, encoding=codec, errors=_MARK, newline="\n")
    seen, at_line_start = False, True
    try:
        while chunk := text.readline(_DRAIN_CHARS):
            if at_line_start and (content := chunk.lstrip()):
                if content[0] != "{":
                    return False
                seen = True
            at_line_start = chunk.endswith("\n") or (at_line_start and not chunk.strip())
        return seen
    finally:
        text.detach()
        raw.seek(0)


def _encoding(head: bytes) -> tuple[str, int]:
    """The codec and byte-order-mark length of a file starting with ``head`` (UTF-8 when unmarked)."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    return "utf-8", 0


def _check_head(head: bytes, codec: str, bom: int) -> None:
    """Raise for content that is not text: NUL bytes, many control characters, UTF-16 without a mark."""
    if not bom and _looks_like_unmarked_utf16(head):
        raise _Unreadable("UTF-16 text without a byte-order mark: re-encode it as UTF-8")
    sample = head[bom:].decode(codec, "replace")
    if "\x00" in sample:
        raise _Unreadable("binary content (NUL bytes), not text: expected UTF-8 text")
    if len(_CONTROL_RE.findall(sample)) > _CONTROL_SHARE * len(sample):
        raise _Unreadable("binary content (control characters), not text: expected UTF-8 text")


def _looks_like_unmarked_utf16(head: bytes) -> bool:
    # Latin, Cyrillic, Hebrew and Arabic text in UTF-16 has a high byte of 0x00-0x06 in every other byte.
    head = head[: len(head) // 2 * 2]
    if len(head) < 8:
        return False
    for high, low in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if sum(b <= 6 for b in high) >= 0.9 * len(high) and sum(b <= 6 for b in low) < 0.5 * len(low):
            return True
    return False


def _read_stream(
    raw: BinaryIO, kind: str, source: _Source, text_column: str, max_bytes: int
) -> Iterator[Document | Skipped]:
    head = raw.read(_HEAD_BYTES)
    if not head:
        raise _Unreadable("empty input: the file has no text")
    codec, bom = _encoding(head)
    _check_head(head, codec, bom)
    raw.seek(bom)
    if kind == ".txt":
        yield _read_txt(raw, codec, bom, source, max_bytes)
        return
    newline = "" if kind == ".csv" else "\n"
    text = io.TextIOWrapper(raw, encoding=codec, errors=_MARK, newline=newline)
    try:
        if kind == ".csv":
            yield from _read_csv(text, source, text_column, max_bytes)
        else:
            yield from _read_jsonl(text, source, text_column, max_bytes)
    finally:
        text.detach()  # the caller closes raw


# --- .txt --------------------------------------------------------------------------------------


def _read_txt(raw: BinaryIO, codec: str, bom: int, source: _Source, max_bytes: int) -> Document:
    start = raw.tell()
    size = raw.seek(0, io.SEEK_END)
    raw.seek(start)
    if size > max_bytes:
        raise _Unreadable(
            f"too large: {_human(size)} > {_human(max_bytes)} limit; split it or raise --max-bytes"
        )
    data = raw.read(max_bytes + 1)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        name = _codec_name(codec)
        hint = " (Arabic from Windows is often CP1256: iconv -f CP1256 -t UTF-8)" if name == "UTF-8" else ""
        raise _Unreadable(
            f"invalid {name} at byte {exc.start + bom}: re-encode the file as UTF-8{hint}"
        ) from None
    if (nul := text.find("\x00")) >= 0:
        raise _Unreadable(f"binary content (NUL at character {nul}), not text: expected UTF-8 text")
    title = None
    if _looks_like_html(text):
        text, title = _html_to_text(text)
    if not text.strip():
        raise _Unreadable(
            "empty input: the file has no text"
            + (" (an HTML page with no visible text)" if title is not None else "")
        )
    if not _LETTER_RE.search(text):
        raise _Unreadable("no text to read: no letters, only digits, punctuation or symbols")
    return Document(id=source.stem, text=text, title=title or None)


def _looks_like_html(text: str) -> bool:
    head = text[:_HEAD_BYTES]
    if _HTML_START_RE.match(head):
        return True
    if not head.lstrip().startswith("<"):
        return False
    markup = sum(len(tag) for tag in _TAG_RE.findall(head))
    return markup > 0.5 * len(head.strip())


class _VisibleText(HTMLParser):
    """Collect what a browser shows: no script, style or template; a line break around each block."""

    _HIDDEN = frozenset({"script", "style", "noscript", "template", "svg"})
    _BLOCKS = frozenset(
        "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
        "header hr li main nav ol p pre section table td th tr ul".split()
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:  # <br/>: no end tag follows, so nothing else to track
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._hidden:
            self.parts.append(data)


def _html_to_text(page: str) -> tuple[str, str]:
    parser = _VisibleText()
    try:
        parser.feed(page)
        parser.close()
    except AssertionError as exc:  # _markupbase asserts on some malformed declarations
        raise _Unreadable(f"malformed HTML ({exc}): save the page as plain text") from None
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line), " ".join("".join(parser.title).split())


def _human(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


# --- records: .jsonl and .csv ------------------------------------------------------------------


def _bounded_lines(
    text: TextIO, max_bytes: int, ends: tuple[str, ...] = ("\n",)
) -> Iterator[tuple[int, str | None]]:
    """Yield ``(line_no, line)``, or ``(line_no, None)`` for a line over ``max_bytes`` (UTF-8 bytes).

    Holds at most ``max_bytes + 1`` characters: the rest of a long line is read in chunks and dropped.
    """
    line_no = 0
    while line := text.readline(max_bytes + 1):  # a character is at least one byte
        line_no += 1
        body = line.removesuffix("\n")
        if len(body) > max_bytes or (
            len(body) * 4 > max_bytes and len(body.encode("utf-8", "surrogatepass")) > max_bytes
        ):
            while line and not line.endswith(ends):
                line = text.readline(_DRAIN_CHARS)
            yield line_no, None
        else:
            yield line_no, line


def _read_jsonl(
    text: TextIO, source: _Source, text_column: str, max_bytes: int
) -> Iterator[Document | Skipped]:
    seen = False
    for line_no, line in _bounded_lines(text, max_bytes):
        if line is None:
            seen = True
            yield Skipped(
                source.display, line_no, f"line over {_human(max_bytes)}; raise --max-bytes to read it"
            )
            continue
        if not line.strip():
            continue
        seen = True
        if _SURROGATE_RE.search(line):
            reason: Document | str = (
                f"invalid {_codec_name(text.encoding)} on this line; re-encode the file as UTF-8"
            )
        else:
            reason = _parse_json_line(line.rstrip("\r\n"), text_column, f"{source.stem}:{line_no}", max_bytes)
        yield reason if isinstance(reason, Document) else Skipped(source.display, line_no, reason)
    if not seen:
        raise _Unreadable("empty input: the file has no records")


def _parse_json_line(line: str, text_column: str, default_id: str, max_bytes: int) -> Document | str:
    try:
        record = json.loads(line)
    except RecursionError:
        return "JSON nested too deeply"
    except ValueError as exc:
        return f"invalid JSON ({exc})"
    if not isinstance(record, dict):
        return f"expected a JSON object, found {_json_type(record)}"
    return _make_document(record, text_column, default_id, max_bytes)


def _read_csv(
    text: TextIO, source: _Source, text_column: str, max_bytes: int
) -> Iterator[Document | Skipped]:
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    lines = _RecordLines(text, max_bytes)
    reader = csv.reader(lines)
    try:
        header = next((row for row in reader if row), None)
        if header is None:
            raise _Unreadable("empty input: the file has no header row")
        header = [name.strip() for name in header]
        if text_column not in header:
            hint = ""
            if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                hint = " (geomap reads comma-separated files; this looks separated by ';' or tabs)"
            raise _Unreadable(
                f"no {text_column!r} column; available columns: {', '.join(map(repr, header))}"
                f" (choose one with --text-column){hint}",
                line=1,
            )
        rows = 0
        start = reader.line_num + 1
        lines.start_record(start)
        for row in reader:
            line_no, start = start, reader.line_num + 1
            lines.start_record(start)
            if not any(field.strip() for field in row):
                continue
            rows += 1
            if any(_SURROGATE_RE.search(field) for field in row):
                reason: Document | str = (
                    f"invalid {_codec_name(text.encoding)} in this row; re-encode as UTF-8"
                )
            elif len(row) < len(header) and header.index(text_column) >= len(row):
                reason = f"{len(row)} fields where the header has {len(header)}: check the quoting"
            else:
                record = dict(zip(header, row, strict=False))
                reason = _make_document(record, text_column, f"{source.stem}:{line_no}", max_bytes)
            yield reason if isinstance(reason, Document) else Skipped(source.display, line_no, reason)
    except csv.Error as exc:
        raise _Unreadable(f"malformed CSV ({exc}): check the quoting", line=reader.line_num) from None
    if not rows:
        raise _Unreadable("empty input: a header row but no records")


class _RecordLines:
    """Lines for ``csv.reader`` that refuse a record (a row, perhaps of many lines) over ``max_bytes``.

    A quote left open makes the rest of the file one field; this stops it at the limit.
    """

    def __init__(self, text: TextIO, max_bytes: int) -> None:
        self._lines = _bounded_lines(text, max_bytes, ends=("\n", "\r"))
        self._max_bytes = max_bytes
        self._start = 1
        self._size = 0

    def start_record(self, line_no: int) -> None:
        self._start, self._size = line_no, 0

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        line_no, line = next(self._lines)
        self._size += len(line) if line is not None else self._max_bytes + 1
        if line is None or self._size > self._max_bytes:
            where = "line" if line_no == self._start else f"record starting here (line {line_no} now)"
            raise _Unreadable(
                f"{where} over {_human(self._max_bytes)}: check the quoting or raise --max-bytes",
                line=self._start,
            )
        return line


def _make_document(
    record: Mapping[str, object], text_column: str, default_id: str, max_bytes: int
) -> Document | str:
    """A Document from one JSON object or CSV row, or the reason it cannot be one."""
    if text_column not in record:
        keys = ", ".join(map(repr, list(record)[:10])) or "none"
        return f"no {text_column!r} field (fields: {keys})"
    text = record[text_column]
    if not isinstance(text, str):
        return f"{text_column!r} must be a string, not {_json_type(text)}"
    if problem := _text_problem(text, max_bytes):
        return f"{text_column!r} {problem}"
    raw_id = record.get("id")
    if raw_id is None:
        doc_id = default_id
    elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool):
        doc_id = str(raw_id).strip() or default_id
    else:
        return f"'id' must be a string or an integer, not {_json_type(raw_id)}"
    strings: dict[str, str | None] = {}
    for key in ("title", "url", "source"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key!r} must be a string, not {_json_type(value)}"
        strings[key] = (value.strip() or None) if isinstance(value, str) else None
    return Document(
        id=doc_id,
        text=text,
        date=_loose_date(record.get("date")),
        lang=_loose_lang(record.get("lang")),
        **strings,
    )


def _text_problem(text: str, max_bytes: int) -> str | None:
    if not text.strip():
        return "is empty"
    if len(text) > max_bytes:
        return f"is over {_human(max_bytes)}; raise --max-bytes to read it"
    if "\x00" in text or _SURROGATE_RE.search(text):
        return "contains NUL or unpaired surrogate characters"
    if not _LETTER_RE.search(text):
        return "has no letters"
    return None


def _loose_date(value: object) -> str | None:
    if not isinstance(value, str) or not _DATE_RE.match(value := value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _loose_lang(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in ("ar", "en") else None


def _codec_name(codec: str) -> str:
    return codec.upper().removesuffix("-LE").removesuffix("-BE")


def _json_type(value: object) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        float: "a number",
        int: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)
