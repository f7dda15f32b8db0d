"""One exception tree. The CLI catches ``GeomapError`` and prints one line; anything else is a bug."""

from __future__ import annotations


class GeomapError(Exception):
    """The root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """Empty, binary or undecodable text, bad JSONL or CSV (carries the path and line)."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class GazetteerError(GeomapError):
    """The built gazetteer is missing or corrupt, or a build failed."""


class ConfigError(GeomapError, ValueError):
    """An unknown step, layer, format or option (the message lists the valid ones)."""


class OutputError(GeomapError, OSError):
    """An output path that cannot be written."""
