"""Time of recognition and resolution on one 5 KB Arabic article (issue: far below 10 ms).

    python benchmarks/matching.py [--repeat N]

The article is the shipped seed example (Al Jazeera), repeated up to 5,000 characters.
Prints the median time of each step over N runs, after one warm-up run.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

from geomap.gazetteer import load_gazetteer
from geomap.model import Document
from geomap.normalize import fold
from geomap.pipeline import Pipeline

SEED = Path(__file__).resolve().parent.parent / "examples" / "aljazeera-north-syria.txt"


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    t0 = time.perf_counter()
    gaz = load_gazetteer()
    load_ms = (time.perf_counter() - t0) * 1000
    pipeline = Pipeline(gaz)
    text = SEED.read_text(encoding="utf-8")
    text = ((text + "\n") * (5000 // len(text) + 1))[:5000]
    doc = Document("bench", text)
    pipeline(doc)  # warm-up: automata, skeleton index
    mentions = pipeline.recognizer.recognize(doc)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"article: {len(text)} characters, {len(mentions)} mentions; gazetteer load {load_ms:.0f} ms")
    rows = [
        ("fold", lambda: fold(text)),
        ("recognise", lambda: pipeline.recognizer.recognize(doc)),
        ("recognise + resolve", lambda: pipeline.resolver.resolve(pipeline.recognizer.recognize(doc))),
        ("whole pipeline (with events)", lambda: pipeline(doc)),
    ]
    for name, fn in rows:
        print(f"  {name:<30} {median_ms(fn, args.repeat):7.2f} ms (median of {args.repeat})")


if __name__ == "__main__":
    main()
