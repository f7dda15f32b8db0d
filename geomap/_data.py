"""Where the built gazetteer lives: in a checkout (``gazetteer/dist``) or inside the wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Return the directory holding the built gazetteer.

    ``GEOMAP_GAZETTEER`` overrides it; otherwise the copy inside an installed wheel
    (``geomap/_gazetteer``) or the checkout's ``gazetteer/dist`` is used.
    """
    env = os.environ.get("GEOMAP_GAZETTEER")
    if env:
        return Path(env)
    for candidate in (_PACKAGE / "_gazetteer", _PACKAGE.parent / "gazetteer" / "dist"):
        if (candidate / "places.json").is_file():
            return candidate
    return _PACKAGE.parent / "gazetteer" / "dist"


def checkout_root() -> Path | None:
    """The repository root when geomap runs from a checkout (where ``gazetteer/build.py`` is)."""
    root = _PACKAGE.parent
    return root if (root / "gazetteer" / "build.py").is_file() else None
