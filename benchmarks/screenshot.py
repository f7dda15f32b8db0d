"""Open a saved map in headless Chromium and save a PNG of it.

Usage: python benchmarks/screenshot.py outputs/map.html outputs/seed-map.png [WIDTH HEIGHT] [--popup PLACE]

``--popup PLACE`` opens the popup of the marker whose place name starts with PLACE (English or
Arabic), as a click would, before the picture is taken.

Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) through Playwright; no browser is
downloaded.  Every request that is not ``file:``/``data:``/``blob:`` is aborted, so a screenshot
also shows whether an offline map really needs no network.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium (Playwright ``Browser``); closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def open_map(b, html_path: str | Path, *, width: int = 1280, height: int = 800, timeout_s: float = 60.0):
    """Open ``html_path`` in a new page with the network blocked; wait for ``window.geomapReady``.

    Returns ``(page, stats)``: stats has ``blocked`` (URLs of refused requests), ``errors``
    (console errors and page errors) and ``ready_s`` (seconds from navigation to ready).
    """
    page = b.new_page(viewport={"width": width, "height": height})
    stats: dict = {"blocked": [], "errors": [], "dialogs": [], "ready_s": None}

    def route(r):
        if r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            stats["blocked"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and stats["errors"].append(msg.text))
    page.on("pageerror", lambda exc: stats["errors"].append(str(exc)))

    def on_dialog(d):
        stats["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    start = time.perf_counter()
    page.goto(Path(html_path).resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
    page.wait_for_function("window.geomapReady === true", timeout=timeout_s * 1000)
    stats["ready_s"] = time.perf_counter() - start
    return page, stats


_OPEN_POPUP_JS = """name => new Promise((done, fail) => {
    const groups = Object.values(geomap.layers).filter(g => g.gmMarkers && geomap.map.hasLayer(g));
    for (const g of groups) {
        const m = g.gmMarkers.find(m => g.hasLayer(m) && (m.options.title || "").startsWith(name));
        if (!m) continue;
        const open = () => { m.fire("click", {latlng: m.getLatLng()}, true); setTimeout(done, 600); };
        return g.getVisibleParent(m) === m ? open() : g.zoomToShowLayer(m, () => setTimeout(open, 400));
    }
    fail(new Error("no marker named " + name));
})"""


def screenshot(
    html_path: str | Path,
    png_path: str | Path,
    *,
    width: int = 1280,
    height: int = 800,
    popup: str | None = None,
) -> dict:
    """Save a PNG of the map at ``html_path``; returns the page stats of ``open_map``.

    ``popup``: open the popup of the first marker whose title starts with it.
    """
    with browser() as b:
        page, stats = open_map(b, html_path, width=width, height=height)
        page.wait_for_timeout(500)  # let the last tiles or clusters settle
        if popup:
            page.evaluate(_OPEN_POPUP_JS, popup)
        Path(png_path).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png_path))
    return stats


def main(argv: list[str]) -> int:
    popup = None
    if "--popup" in argv:
        i = argv.index("--popup")
        if i + 1 >= len(argv):
            print("--popup needs a place name", file=sys.stderr)
            return 2
        popup, argv = argv[i + 1], argv[:i] + argv[i + 2 :]
    if len(argv) not in (2, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    size = {"width": int(argv[2]), "height": int(argv[3])} if len(argv) == 4 else {}
    stats = screenshot(argv[0], argv[1], popup=popup, **size)
    print(
        f"{argv[1]}: ready in {stats['ready_s']:.2f} s, {len(stats['errors'])} console errors, "
        f"{len(stats['blocked'])} blocked requests"
    )
    for line in stats["errors"] + stats["blocked"]:
        print("  ", line)
    return 0 if not stats["errors"] and not stats["blocked"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
