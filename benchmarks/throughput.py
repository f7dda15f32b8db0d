"""Throughput, cold start, load time, memory and scaling of the pipeline on real-length Arabic articles.

Usage: python benchmarks/throughput.py [--articles N] [--small N] [--large N] [--workers 1 2]
                                       [--profile] [--skip-memory] [--out DIR]

Articles (2-5 KB) are composed from sentences written for this script around place names drawn
from the bundled gazetteer (villages, towns, cities, governorates); nothing comes from the dev
set.  Figures, printed one per line:

* import time of ``geomap.pipeline`` (and that camel_tools, torch, geopandas, folium and dask
  are not imported by it), and gazetteer load time;
* articles/s on one core for recognition only and for the whole pipeline (recognise, resolve,
  events);
* cold start: a new ``geomap extract`` process on one article, start to output written;
* peak memory (max RSS of the process) of ``geomap extract`` and ``geomap map`` on ``--small``
  and ``--large`` articles (flat = within 20 %);
* scaling: ``geomap extract`` wall time with 1 and 2 workers;
* with ``--profile``: the functions where the pipeline spends its time (cProfile).

Goals: >= 2,000 articles/s/core, <= 1 s cold for one article, <= 400 MB peak.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GEOMAP = [sys.executable, "-m", "geomap"]

_SENTENCES = (
    "أفادت مصادر محلية بأن قصفا مدفعيا استهدف بلدة {v1} في {gov} صباح اليوم، ما أدى إلى أضرار في المنازل.",
    "اندلعت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على محور {v1} و{v2} استمرت عدة ساعات.",
    "شنت طائرات حربية غارات جوية على أطراف مدينة {c} وقرية {v2}، وسط تحليق مكثف لطيران الاستطلاع.",
    "نزحت عشرات العائلات من قرية {v1} باتجاه مخيمات الشمال قرب {c} هربا من القصف المتواصل.",
    "قال ناشطون إن الوضع الإنساني في {gov} يزداد سوءا مع استمرار إغلاق الطرق ونقص المواد الغذائية.",
    "وثقت منظمات حقوقية مقتل ثلاثة مدنيين وإصابة آخرين بجروح في بلدة {v2} جراء سقوط قذائف صاروخية.",
    "أعلنت غرفة العمليات المشتركة صد محاولة تقدم على جبهة {v1} في ريف {c} الجنوبي.",
    "وصلت قافلة مساعدات إنسانية إلى {c} محملة بالمواد الطبية والغذائية للنازحين من {v2} و{v1}.",
    "تشهد المنطقة الممتدة بين {v1} و{c} هدوءا حذرا منذ إعلان وقف إطلاق النار الأخير.",
    "وأضاف المصدر أن فرق الدفاع المدني عملت على إخماد الحرائق وانتشال العالقين تحت الأنقاض.",
    "يأتي ذلك في ظل تصعيد عسكري تشهده المنطقة منذ مطلع الشهر الجاري، بحسب مراسلين ميدانيين.",
    "وأشار التقرير إلى أن أكثر من مئتي عائلة وصلت إلى {gov} خلال الأيام الماضية.",
)


def make_articles(n: int, seed: int = 1) -> list[dict[str, str]]:
    """``n`` synthetic articles of 2-5 KB (UTF-8) around real gazetteer names."""
    from geomap.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    places = list(gaz.places.values())
    villages = [p.name_ar for p in places if p.kind in ("village", "town")]
    cities = [p.name_ar for p in places if p.kind == "city"]
    govs = [p.name_ar for p in places if p.kind == "governorate"]
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        target = rng.randint(2000, 5000)
        parts: list[str] = []
        size = 0
        while size < target:
            s = rng.choice(_SENTENCES).format(
                v1=rng.choice(villages), v2=rng.choice(villages), c=rng.choice(cities), gov=rng.choice(govs)
            )
            parts.append(s)
            size += len(s.encode()) + 1
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        articles.append({"id": f"a{i}", "date": day, "text": " ".join(parts)})
    return articles


def write_corpus(path: Path, articles: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    return path


def line(label: str, value: str) -> None:
    print(f"{label:<58} {value}", flush=True)


def import_figures() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); import geomap.pipeline; t = time.perf_counter() - t; "
        "heavy = [m for m in ('camel_tools', 'torch', 'geopandas', 'folium', 'dask', 'pandas') if m in sys.modules]; "
        "print(t, ','.join(heavy) or '-')"
    )
    times, heavy = [], "-"
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(out[0]))
        heavy = out[1]
    line(
        "import geomap.pipeline (median of 3)",
        f"{statistics.median(times) * 1000:.0f} ms; heavy modules: {heavy}",
    )


def load_figures() -> None:
    from geomap._data import data_dir
    from geomap.gazetteer import Gazetteer

    times = []
    for _ in range(3):
        t = time.perf_counter()
        Gazetteer(data_dir())
        times.append(time.perf_counter() - t)
    line("gazetteer load (median of 3)", f"{statistics.median(times) * 1000:.0f} ms")
    from geomap.pipeline import Pipeline

    t = time.perf_counter()
    Pipeline(Gazetteer(data_dir()))
    line("gazetteer load + Pipeline() (matchers built)", f"{(time.perf_counter() - t) * 1000:.0f} ms")


def throughput(articles: list[dict[str, str]], profile: bool) -> None:
    from geomap.model import Document
    from geomap.pipeline import Pipeline

    pipeline = Pipeline()
    docs = [Document(id=a["id"], text=a["text"], date=a["date"]) for a in articles]
    kb = sum(len(d.text.encode()) for d in docs) / len(docs) / 1000
    pipeline(docs[0])  # warm: lazy tables
    t = time.perf_counter()
    for d in docs:
        pipeline.recognizer.recognize(d)
    rec = len(docs) / (time.perf_counter() - t)
    t = time.perf_counter()
    for d in docs:
        pipeline(d)
    full = len(docs) / (time.perf_counter() - t)
    line(f"recognition only, 1 core ({len(docs)} articles, {kb:.1f} KB mean)", f"{rec:,.0f} articles/s")
    line("recognise + resolve + events, 1 core", f"{full:,.0f} articles/s  (goal 2,000)")
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        for d in docs[:300]:
            pipeline(d)
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(18)
        print("\nprofile (cProfile, 300 articles, sorted by own time):")
        print("\n".join(buf.getvalue().splitlines()[6:]))


def _peak(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the largest process) of a command in a fresh wrapper process."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); t = time.perf_counter() - t; "
        "assert r.returncode == 0, r.returncode; "
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True)
    wall, rss = out.stdout.split()
    return float(wall), float(rss)


def cold_start(tmp: Path, article: dict[str, str]) -> None:
    src = tmp / "one.txt"
    src.write_text(article["text"], encoding="utf-8")
    walls = [
        _peak([*GEOMAP, "extract", str(src), "-o", str(tmp / "one.jsonl"), "-q", "-j", "1"])[0]
        for _ in range(3)
    ]
    line(
        "cold start: geomap extract of one article (median of 3)",
        f"{statistics.median(walls):.2f} s  (goal 1 s)",
    )


def memory(tmp: Path, small: int, large: int, workers: int) -> None:
    for command in ("extract", "map"):
        peaks = []
        for n in (small, large):
            corpus = write_corpus(tmp / f"mem{n}.jsonl", make_articles(n, seed=n))
            out = tmp / f"mem-{command}-{n}"
            args = (
                ["-o", str(out / "x.jsonl")]
                if command == "extract"
                else ["-o", str(out), "--format", "parquet"]
            )
            out.mkdir(exist_ok=True)
            wall, rss = _peak([*GEOMAP, command, str(corpus), *args, "-q", "-j", str(workers)])
            peaks.append(rss)
            line(
                f"peak memory: geomap {command}, {n:,} articles, {workers} worker(s)",
                f"{rss:,.0f} MB ({wall:.0f} s)",
            )
        growth = peaks[1] / peaks[0] - 1
        verdict = "flat" if growth <= 0.2 else "grows"
        line(
            f"  {command}: {small:,} -> {large:,} articles",
            f"{growth:+.0%} ({verdict}; goal within 20 %, <= 400 MB)",
        )


def _burn(_: int) -> float:
    t = time.perf_counter()
    s = 0
    for i in range(10_000_000):
        s += i
    return time.perf_counter() - t


def ceiling(workers: int) -> float:
    """How much faster ``workers`` processes do pure-Python work than one here (the machine's limit)."""
    from concurrent.futures import ProcessPoolExecutor

    one = _burn(0)
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_burn, range(workers)))  # start them
        t = time.perf_counter()
        list(pool.map(_burn, range(workers)))
        wall = time.perf_counter() - t
    return workers * one / wall


def scaling(tmp: Path, n: int, workers: list[int]) -> None:
    for w in workers[1:]:
        line(f"machine ceiling: {w} CPU-bound processes vs 1", f"x{ceiling(w):.2f}")
    corpus = write_corpus(tmp / f"scale{n}.jsonl", make_articles(n, seed=7))
    base = None
    for w in workers:
        wall, rss = _peak(
            [*GEOMAP, "extract", str(corpus), "-o", str(tmp / f"scale-{w}.jsonl"), "-q", "-j", str(w)]
        )
        base = base or wall
        line(
            f"scaling: geomap extract, {n:,} articles, {w} worker(s)",
            f"{wall:.1f} s, {n / wall:,.0f} articles/s, x{base / wall:.2f}",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles for the one-core figures")
    parser.add_argument("--small", type=int, default=1000, help="articles of the small memory run")
    parser.add_argument("--large", type=int, default=20000, help="articles of the large memory run")
    parser.add_argument("--memory-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()

    cpu = next((x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name")), "?")
    line("machine", f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}")
    import_figures()
    load_figures()
    articles = make_articles(args.articles)
    throughput(articles, args.profile)
    with tempfile.TemporaryDirectory() as tmp:
        cold_start(Path(tmp), articles[0])
        scaling(Path(tmp), args.articles, args.workers)
        if not args.skip_memory:
            memory(Path(tmp), args.small, args.large, args.memory_workers)


if __name__ == "__main__":
    main()
