"""The JavaScript and CSS of the map: CDN links online, inlined from installed packages offline.

Each asset has one name, the CDN URL an online map links to, and where its installed copy
lives.  Nothing is committed to this repository and nothing is fetched at render time:

* ``npm`` assets (Leaflet, Leaflet.markercluster) are read from a ``node_modules`` folder made
  by ``npm ci`` at the repository root (``package.json`` pins the versions).  Folders searched,
  in order: ``$GEOMAP_NODE_MODULES``, ``./node_modules`` (the working directory), and the
  ``node_modules`` beside the source checkout that holds this package.
* ``python`` assets are package data of an installed Python package (``folium`` ships the
  Leaflet.heat build that its ``HeatMap`` plugin links to).

``inline_assets(html)`` swaps every ``<script src=URL>`` and ``<link rel=stylesheet href=URL>``
of a rendered page for the asset's content, turns the relative ``url(...)`` images in CSS into
``data:`` URIs, and refuses (``OutputError``) any external URL it has no local copy of, so an
offline page never loads anything from a network.
"""

from __future__ import annotations

import base64
import functools
import importlib.resources
import os
import re
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import OutputError

__all__ = ["ASSETS", "Asset", "css_links", "find_asset", "inline_assets", "js_links"]


@dataclass(frozen=True, slots=True)
class Asset:
    """One JS or CSS file: its link name, its CDN URL and its installed copy."""

    name: str
    url: str
    source: str  # "npm" or "python"
    package: str  # npm package or Python distribution's import name
    path: str  # path inside the package

    @property
    def is_css(self) -> bool:
        return self.path.endswith(".css")


_LEAFLET = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/"
_CLUSTER = "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/"

ASSETS: dict[str, Asset] = {
    a.name: a
    for a in (
        Asset("leaflet", _LEAFLET + "leaflet.js", "npm", "leaflet", "dist/leaflet.js"),
        Asset("leaflet_css", _LEAFLET + "leaflet.css", "npm", "leaflet", "dist/leaflet.css"),
        Asset(
            "markercluster",
            _CLUSTER + "leaflet.markercluster.js",
            "npm",
            "leaflet.markercluster",
            "dist/leaflet.markercluster.js",
        ),
        Asset(
            "markercluster_css",
            _CLUSTER + "MarkerCluster.css",
            "npm",
            "leaflet.markercluster",
            "dist/MarkerCluster.css",
        ),
        Asset(
            "markercluster_default_css",
            _CLUSTER + "MarkerCluster.Default.css",
            "npm",
            "leaflet.markercluster",
            "dist/MarkerCluster.Default.css",
        ),
        Asset(
            "leaflet_heat",
            "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js",
            "python",
            "folium",
            "templates/leaflet_heat.min.js",
        ),
    )
}
_BY_URL = {a.url: a for a in ASSETS.values()}

#: an external script (group "js") or a <link> (group "css"), found in one pass so that inlined
#: content is never scanned again
_EXTERNAL_RE = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*["'](?P<js>[^"']+)["'][^>]*>\s*</script>"""
    r"""|<link\b(?P<attrs>[^>]*?)\bhref\s*=\s*["'](?P<css>[^"']+)["'][^>]*?/?>""",
    re.IGNORECASE,
)
_CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)(?!data:|[a-z]+://|#)([^'")]+)\1\s*\)""", re.IGNORECASE)
_SOURCE_MAP_RE = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_SCRIPT_CLOSE_RE = re.compile(r"</(script)", re.IGNORECASE)
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif", ".jpg": "image/jpeg"}


def js_links(*names: str) -> list[tuple[str, str]]:
    """``(name, CDN url)`` pairs for a folium element's ``default_js``."""
    return [(n, ASSETS[n].url) for n in names]


def css_links(*names: str) -> list[tuple[str, str]]:
    """``(name, CDN url)`` pairs for a folium element's ``default_css``."""
    return [(n, ASSETS[n].url) for n in names]


def _node_modules_dirs() -> list[Path]:
    dirs = [Path.cwd() / "node_modules", Path(__file__).resolve().parents[2] / "node_modules"]
    env = os.environ.get("GEOMAP_NODE_MODULES")
    return [Path(env), *dirs] if env else dirs


def find_asset(asset: Asset) -> Path:
    """The installed file of ``asset``; ``OutputError`` saying how to install it if absent."""
    if asset.source == "python":
        try:
            path = Path(str(importlib.resources.files(asset.package) / asset.path))
        except ModuleNotFoundError:
            path = None
        if path is not None and path.is_file():
            return path
        raise OutputError(
            f"offline asset {asset.name!r} not found: install the Python package {asset.package}"
        )
    for base in _node_modules_dirs():
        path = base / asset.package / asset.path
        if path.is_file():
            return path
    raise OutputError(
        f"offline asset {asset.name!r} not found in node_modules: run `npm ci` in the geomap checkout "
        "or set GEOMAP_NODE_MODULES to a node_modules folder holding "
        f"{asset.package}"
    )


@functools.cache
def _inline_content(name: str) -> str:
    """The text of an asset, ready to sit inside a <script> or <style> element."""
    asset = ASSETS[name]
    path = find_asset(asset)
    text = path.read_text(encoding="utf-8")
    text = _SOURCE_MAP_RE.sub("", text)
    if asset.is_css:
        return _CSS_URL_RE.sub(lambda m: _data_uri(path.parent / m.group(2)), text)
    return _SCRIPT_CLOSE_RE.sub(r"<\\/\1", text)


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower())
    if mime is None or not path.is_file():
        raise OutputError(f"offline asset image {path} is missing or of an unknown type")
    return f'url("data:{mime};base64,{base64.b64encode(path.read_bytes()).decode("ascii")}")'


def inline_assets(html: str) -> str:
    """Replace the page's external scripts and stylesheets by their installed content."""

    def inline(m: re.Match[str]) -> str:
        url = m.group("js") or m.group("css")
        asset = _BY_URL.get(url)
        if asset is None or (m.group("css") and "stylesheet" not in m.group(0).lower()):
            raise OutputError(f"no offline copy of {url}: the offline map cannot load it")
        tag = "style" if asset.is_css else "script"
        return f"<{tag}>/* {asset.package} {asset.path} */\n{_inline_content(asset.name)}\n</{tag}>"

    return _EXTERNAL_RE.sub(inline, html)
