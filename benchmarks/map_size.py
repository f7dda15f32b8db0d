"""Map size and time to interactive for 1,000 / 10,000 / 100,000 synthetic events.

Usage: python benchmarks/map_size.py [N ...] [--online] [--no-browser] [--repeat K] [--out DIR]

Events are made up on gazetteer-like places: the built gazetteer (``geomap.gazetteer``) when it
loads, else the fixture gazetteer of the tests with invented villages scattered over its areas.
Each event has an Arabic sentence of its own (about 200 characters, a fifth of them random
letters, so that it compresses no better than news text), 1-2 locations (one in ten an area), a date in a
year, and one in twenty is a displacement with a flow.  The offline HTML is written and opened
in headless Chromium (/usr/bin/chromium); "ready" is the time from navigation until every payload
is read and every marker layer has clustered (``window.geomapReady``): the map pans, zooms,
toggles layers and opens popups from then on.  Each map is opened ``--repeat`` times (default 3)
and the median is reported, with the machine (CPUs, model, load average) it ran on, since other
work on the machine slows the page.
Goal: 100,000 events in <= 25 MB and < 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geomap.io.write import write_html  # noqa: E402
from geomap.layers import results_to_layers  # noqa: E402
from geomap.mapview import build_map  # noqa: E402
from geomap.model import Count, Document, Event, EventType, Flow, Mention, Place, Result  # noqa: E402

_ACLED = {
    EventType.ARMED_CLASH: ("Battles", "Armed clash", "اشتباكات عنيفة"),
    EventType.SHELLING: ("Explosions/Remote violence", "Shelling/artillery/missile attack", "قصف مدفعي"),
    EventType.AIR_STRIKE: ("Explosions/Remote violence", "Air/drone strike", "غارات جوية"),
    EventType.DISPLACEMENT: ("Displacement", "Displacement", "نزوح"),
    EventType.CEASEFIRE: ("Strategic developments", "Agreement", "هدنة"),
    EventType.OTHER: ("Strategic developments", "Other", "حادثة"),
}
_WEIGHTS = (30, 30, 20, 10, 3, 7)
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _noise(rng: random.Random, words: int = 10) -> str:
    """Random Arabic-letter words: keeps gzip from compressing the synthetic text much better than news."""
    return " ".join("".join(rng.choices(_LETTERS, k=rng.randint(3, 7))) for _ in range(words))


def load_places(gazetteer) -> tuple[list[Place], list[Place]]:
    """(settlements, areas with polygons) to scatter events on."""
    areas = [p for level in (2, 3) for p, g in gazetteer.admin_areas(level) if g is not None]
    places = getattr(gazetteer, "places", None)
    points = [p for p in places.values() if p.kind in ("city", "town", "village")] if places else []
    if not points:  # the fixture gazetteer: invent villages inside its areas
        rng = random.Random(7)
        pool = areas or [p for p, _ in gazetteer.admin_areas(1)]
        points = [
            Place(f"bench:{i}", f"قرية {i}", f"Village {i}", "village", a.lat + rng.uniform(-0.3, 0.3),
                  a.lon + rng.uniform(-0.3, 0.3), admin1=a.admin1, admin1_pcode=a.admin1_pcode)
            for i, a in enumerate(rng.choice(pool) for _ in range(2000))
        ]  # fmt: skip
    return points, areas


def synthetic_results(n: int, points: list[Place], areas: list[Place], seed: int = 1) -> list[Result]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    results, made, doc_no = [], 0, 0
    while made < n:
        doc_no += 1
        doc_id = f"bench-{doc_no}"
        specs, sentences = [], []
        for _ in range(min(10, n - made)):
            etype = rng.choices(list(EventType), _WEIGHTS)[0]
            locs = [rng.choice(areas) if areas and rng.random() < 0.1 else rng.choice(points)]
            if rng.random() < 0.3:
                locs.append(rng.choice(points))
            killed = rng.randint(1, 40)
            names = " و".join(p.name_ar for p in locs)
            text = (
                f"أفادت مصادر محلية بوقوع {_ACLED[etype][2]} في {names} صباح اليوم، ما أسفر عن مقتل {killed} "
                f"أشخاص وإصابة آخرين بجروح، {_noise(rng)}."
            )
            sentences.append(text)
            specs.append((etype, locs, killed))
            made += 1
        text = " ".join(sentences)
        doc = Document(doc_id, text, url=f"https://example.org/{doc_id}", source="Bench", lang="ar")
        events, flows, mentions, offset = [], [], [], 0
        for k, ((etype, locs, killed), sentence) in enumerate(zip(specs, sentences, strict=True)):
            ms = []
            for p in locs:
                at = text.index(p.name_ar, offset)
                ms.append(Mention(doc_id, at, at + len(p.name_ar), p.name_ar, p.name_ar, place=p, confidence=0.9,
                                  geo_precision=3 if p.is_area else 1))  # fmt: skip
            day = start + timedelta(days=rng.randrange(365))
            what = "displaced" if etype is EventType.DISPLACEMENT else "killed"
            count = Count(killed * (50 if what == "displaced" else 1), killed, killed * 2, what)
            eid = f"{doc_id}-e{k}"
            events.append(
                Event(
                    eid,
                    doc_id,
                    etype,
                    *_ACLED[etype][:2],
                    sentence,
                    offset,
                    offset + len(sentence),
                    _ACLED[etype][2],
                    offset,
                    offset + 1,
                    tuple(ms),
                    count=count,
                    date=day.isoformat(),
                    time_precision=1,
                )  # fmt: skip
            )
            if etype is EventType.DISPLACEMENT and len(ms) == 2:
                flows.append(
                    Flow(
                        f"{eid}-f", doc_id, eid, ms[0], ms[1], count, sentence, offset, offset + len(sentence)
                    )
                )
            mentions += ms
            offset += len(sentence) + 1
        results.append(Result(doc, tuple(mentions), tuple(events), tuple(flows)))
    return results


def fixture_gazetteer():
    from tests.fixtures_map import FakeGazetteer

    return FakeGazetteer()


def default_gazetteer():
    try:
        from geomap.gazetteer import load_gazetteer

        return load_gazetteer(), "built gazetteer"
    except Exception as exc:  # noqa: BLE001 - any failure means: use the fixtures
        return fixture_gazetteer(), f"fixture gazetteer ({type(exc).__name__})"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    ap.add_argument("--online", action="store_true", help="measure the online page (CDN links, tiles)")
    ap.add_argument("--no-browser", action="store_true", help="size only")
    ap.add_argument("--repeat", type=int, default=3, help="page loads per map (the median is reported)")
    ap.add_argument("--out", default="outputs/bench", help="where the HTML files go")
    args = ap.parse_args(argv)
    print(machine())
    gazetteer, what = default_gazetteer()
    points, areas = load_places(gazetteer)
    print(f"places: {what}, {len(points)} settlements, {len(areas)} areas")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    b = None
    if not args.no_browser:
        from benchmarks.screenshot import browser

        ctx = browser()
        b = ctx.__enter__()
    try:
        for n in args.sizes:
            t0 = time.perf_counter()
            layers = results_to_layers(synthetic_results(n, points, areas), gazetteer)
            t1 = time.perf_counter()
            path = write_html(build_map(layers, gazetteer, title=f"{n:,} events", offline=not args.online),
                              out / f"map-{n}.html")  # fmt: skip
            t2 = time.perf_counter()
            ready, errors = None, None
            if b is not None:
                from benchmarks.screenshot import open_map

                times, errors = [], 0
                for _ in range(max(1, args.repeat)):
                    page, stats = open_map(b, path, timeout_s=120)
                    times.append(stats["ready_s"])
                    errors += len(stats["errors"]) + len(stats["blocked"])
                    page.close()
                ready = statistics.median(times)
            rows.append(
                (n, len(layers["events"]), path.stat().st_size / 1e6, t1 - t0, t2 - t1, ready, errors)
            )
    finally:
        if b is not None:
            ctx.__exit__(None, None, None)
    print(
        f"{'events':>8} {'rows':>8} {'HTML MB':>8} {'layers s':>9} {'render s':>9} {'ready s':>8} {'errors':>6}"
    )
    for n, r, mb, tl, tr, ready, errors in rows:
        rs = f"{ready:8.2f}" if ready is not None else f"{'-':>8}"
        es = f"{errors:6d}" if errors is not None else f"{'-':>6}"
        print(f"{n:8,d} {r:8,d} {mb:8.2f} {tl:9.2f} {tr:9.2f} {rs} {es}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def machine() -> str:
    """CPUs, CPU model and load average: what the timings depend on."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(
                (line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model
            )
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"machine: {os.cpu_count()} CPUs, {model}, load average {load}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
