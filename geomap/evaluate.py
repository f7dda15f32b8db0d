"""Measure geomap against a gold set laid out like ``shared/dev-set``.

``ar/`` holds ``NNN.txt`` texts and ``gold.jsonl`` (toponyms with kinds and coordinates,
events with types and places); ``en/locations.csv`` holds English location records with
coordinates (UCDP). The measures follow the dev set's README: recognition precision,
recall and F1 of normalised names per text (micro-averaged, optional gold neutral);
resolution error for found gold points (accuracy within 10 and 161 km, median, AUC of
the log-error curve after Gritta et al. 2018); English records resolved with
``location`` alone and with ``location, admin1``; event recall and type accuracy; counts
exact: among the events at a gold event's place (those of its type first), one whose primary
count (``Event.count``: deaths if reported, else displaced, else strikes or munitions) has
``best`` equal to the gold ``count``, the number as stated ("more than 10" is 10).
"""

from __future__ import annotations

import csv
import json
import math
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from geomap.errors import InputError
from geomap.model import Document, Event, Mention
from geomap.normalize import fold

_CLITICS = "وفبلك"
_EARTH_MAX_KM = 20039.0


def eval_name(name: str) -> str:
    """The dev set's name normalisation: folded, one leading clitic off, ريفي -> ريف."""
    words = fold(name).text.strip().split()
    if words and len(words[0]) >= 4 and words[0][0] in _CLITICS:
        words[0] = words[0][1:]
    words = ["ريف" if w == "ريفي" else w for w in words]
    return " ".join(words)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from geopy.distance import great_circle

    return great_circle((lat1, lon1), (lat2, lon2)).km


def _spans(text: str, surface: str) -> list[tuple[int, int]]:
    out, i = [], text.find(surface)
    while i >= 0:
        out.append((i, i + len(surface)))
        i = text.find(surface, i + 1)
    return out


def _overlaps(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def _resolution(errors: list[float], misses: int = 0) -> dict[str, Any]:
    if not errors:
        return {"n": 0}
    n = len(errors) + misses
    ys = sorted(math.log(1 + e) / math.log(1 + _EARTH_MAX_KM) for e in errors)
    return {
        "n": len(errors),
        "acc_10km": round(sum(e <= 10 for e in errors) / len(errors), 3),
        "acc_161km": round(sum(e <= 161 for e in errors) / len(errors), 3),
        "median_km": round(statistics.median(errors), 2),
        "auc": round(sum(ys) / len(ys), 4),
        "end_to_end_acc_10km": round(sum(e <= 10 for e in errors) / n, 3) if n else None,
    }


def evaluate_arabic(directory: Path, pipeline: Any) -> dict[str, Any]:
    """Recognition, resolution and events on ``directory/gold.jsonl`` and its texts."""
    fp = 0
    kind_found: Counter[str] = Counter()
    kind_total: Counter[str] = Counter()
    errors: list[float] = []
    misses = 0
    ev_total = ev_found = ev_typed = counts_total = counts_exact = 0
    failures: list[str] = []
    gold_path = directory / "gold.jsonl"
    try:
        records = [
            json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read gold file: {exc}", path=str(gold_path)) from exc
    for rec in records:
        text = (directory / f"{rec['id']}.txt").read_text(encoding="utf-8")
        result = pipeline(Document(id=rec["id"], text=text))
        mentions = list(result.mentions)
        gold = rec["toponyms"]
        by_surface = Counter(g["surface"] for g in gold)
        items: dict[str, dict[str, Any]] = {}  # non-optional gold, by normalised name
        optional: dict[str, list[tuple[int, int]]] = {}
        for g in gold:
            key = eval_name(g["name"])
            target = optional if g.get("optional") else items
            if g.get("optional"):
                optional.setdefault(key, []).extend(_spans(text, g["surface"]))
                continue
            item = target.setdefault(key, {**g, "spans": [], "forms": {key}, "shared": False})
            item["spans"].extend(_spans(text, g["surface"]))
            item["forms"].add(eval_name(g["surface"]))
            item["shared"] |= by_surface[g["surface"]] > 1
        sys_items: dict[str, list[int]] = {}
        for i, m in enumerate(mentions):
            sys_items.setdefault(eval_name(m.name), []).append(i)

        matched: set[int] = set()
        for g in items.values():
            kind_total[g["kind"]] += 1
            hits = [i for i, m in enumerate(mentions) if _matches(m, g)]
            if not hits:
                failures.append(f"{rec['id']}: missed {g['surface']} ({g['kind']})")
                if g.get("lat") is not None:
                    misses += 1
                continue
            kind_found[g["kind"]] += 1
            matched.update(hits)
            if g.get("lat") is not None:
                m = mentions[hits[0]]
                if m.place is None:
                    misses += 1
                    failures.append(f"{rec['id']}: unresolved {g['surface']}")
                else:
                    e = great_circle_km(g["lat"], g["lon"], m.place.lat, m.place.lon)
                    errors.append(e)
                    if e > 10:
                        failures.append(
                            f"{rec['id']}: {g['surface']} -> {m.place.name_en} ({m.place.id}) {e:.0f} km off"
                        )
        opt_spans = [sp for spans in optional.values() for sp in spans]
        for key, idx in sys_items.items():
            if (
                any(i in matched for i in idx)
                or key in optional
                or any(_overlaps(mentions[i], opt_spans) for i in idx)
            ):
                continue
            fp += 1
            m = mentions[idx[0]]
            failures.append(f"{rec['id']}: spurious {m.surface} -> {m.place.name_en if m.place else None}")
        # events
        toponyms = {g["name_en"]: g for g in gold}
        for ge in rec.get("events", []):
            if not ge.get("place"):
                continue
            g = toponyms.get(ge["place"])
            if g is None:
                continue
            ev_total += 1
            cands = [e for e in result.events if _event_at(e, g, text)]
            if not cands:
                failures.append(f"{rec['id']}: missed event {ge['type']} at {ge['place']}")
                continue
            ev_found += 1
            same = [e for e in cands if e.type.value == ge["type"]]
            if same:
                ev_typed += 1
            else:
                failures.append(
                    f"{rec['id']}: event at {ge['place']} typed {cands[0].type.value}, gold {ge['type']}"
                )
            if ge.get("count") is not None:  # the primary count, as the gold count is chosen
                counts_total += 1
                if any(e.count and e.count.best == ge["count"] for e in same or cands):
                    counts_exact += 1
                else:
                    failures.append(f"{rec['id']}: count at {ge['place']} != {ge['count']}")
    # recall counts gold items found; precision counts distinct system names matched vs spurious
    found = sum(kind_found.values())
    total = sum(kind_total.values())
    precision = found / (found + fp) if found + fp else 0.0
    recall = found / total if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "documents": len(records),
        "recognition": {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "gold": total,
            "found": found,
            "spurious": fp,
            "recall_by_kind": {k: f"{kind_found[k]}/{kind_total[k]}" for k in sorted(kind_total)},
        },
        "resolution": _resolution(errors, misses),
        "events": {
            "gold_with_place": ev_total,
            "recall": round(ev_found / ev_total, 3) if ev_total else None,
            "type_accuracy": round(ev_typed / ev_found, 3) if ev_found else None,
            "counts_exact": f"{counts_exact}/{counts_total}",
        },
        "failures": failures,
    }


def _matches(m: Mention, item: dict[str, Any]) -> bool:
    """A system mention finds a gold item by name (as written or canonical) or by span.

    Coordinated forms share one surface (ريفي إدلب الجنوبي والشرقي): those need the name.
    """
    names = {eval_name(m.name), eval_name(m.surface)}
    if m.place is not None:
        names.add(eval_name(m.place.name_ar))
    if names & item["forms"]:
        return True
    return not item["shared"] and _overlaps(m, item["spans"])


def _event_at(e: Event, g: dict[str, Any], text: str) -> bool:
    spans = _spans(text, g["surface"])
    key = eval_name(g["name"])
    for m in (*e.locations, *e.origins, *e.destinations):
        if _overlaps(m, spans) or eval_name(m.name) == key:
            return True
        if m.place is not None and g.get("lat") is not None:
            if great_circle_km(g["lat"], g["lon"], m.place.lat, m.place.lon) <= 10:
                return True
    return False


def evaluate_english(path: Path, gazetteer: Any) -> dict[str, Any]:
    """Resolve UCDP-style records with ``location`` alone and with ``location, admin1``."""
    from geomap.resolve import resolve_query

    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", path=str(path)) from exc
    out: dict[str, Any] = {"records": len(rows)}
    failures: list[str] = []
    for label, with_admin in (("location", False), ("location_admin1", True)):
        errors: list[float] = []
        unresolved = 0
        for row in rows:
            query = row["location"] + (f", {row['admin1']}" if with_admin and row.get("admin1") else "")
            m = resolve_query(query, gazetteer)
            if m is None or m.place is None:
                unresolved += 1
                if with_admin:
                    failures.append(f"unresolved: {query}")
                continue
            e = great_circle_km(float(row["latitude"]), float(row["longitude"]), m.place.lat, m.place.lon)
            errors.append(e)
            if with_admin and e > 10:
                failures.append(f"{query} -> {m.place.name_en} ({m.place.id}) {e:.0f} km off")
        n = len(rows)
        out[label] = {
            "acc_10km": round(sum(e <= 10 for e in errors) / n, 3) if n else None,
            "acc_161km": round(sum(e <= 161 for e in errors) / n, 3) if n else None,
            "median_km": round(statistics.median(errors), 2) if errors else None,
            "unresolved": round(unresolved / n, 3) if n else None,
        }
    out["failures"] = failures
    return out


def evaluate_dir(directory: Path) -> dict[str, Any]:
    """Evaluate on ``directory/ar`` and ``directory/en`` (whichever exist)."""
    from geomap.pipeline import Pipeline

    directory = Path(directory)
    pipeline = Pipeline()
    report: dict[str, Any] = {}
    ar = directory / "ar" if (directory / "ar" / "gold.jsonl").is_file() else directory
    if (ar / "gold.jsonl").is_file():
        report["ar"] = evaluate_arabic(ar, pipeline)
    en = directory / "en" / "locations.csv"
    if en.is_file():
        report["en"] = evaluate_english(en, pipeline.gazetteer)
    if not report:
        raise InputError(
            "no gold set found (expected ar/gold.jsonl or en/locations.csv)", path=str(directory)
        )
    return report


def _failure_lines(found: list[str], limit: int) -> list[str]:
    lines = [f"    - {f}" for f in found[:limit]]
    if len(found) > limit:
        lines.append(f"    … {len(found) - limit} more (--json for all)")
    return lines


def format_report(report: dict[str, Any], *, failures: int = 15) -> str:
    """A short human-readable summary of ``evaluate_dir``'s report."""
    lines: list[str] = []
    if "ar" in report:
        r = report["ar"]
        rec, res, ev = r["recognition"], r["resolution"], r["events"]
        lines.append(f"Arabic ({r['documents']} texts)")
        lines.append(
            f"  recognition  P {rec['precision']:.3f}  R {rec['recall']:.3f}  F1 {rec['f1']:.3f}  "
            f"(gold {rec['gold']}, found {rec['found']}, spurious {rec['spurious']})"
        )
        lines.append("  recall by kind: " + ", ".join(f"{k} {v}" for k, v in rec["recall_by_kind"].items()))
        if res.get("n"):
            lines.append(
                f"  resolution   acc@10km {res['acc_10km']:.3f}  acc@161km {res['acc_161km']:.3f}  "
                f"median {res['median_km']:.2f} km  AUC {res['auc']:.4f}  "
                f"end-to-end acc@10km {res['end_to_end_acc_10km']:.3f}  (n={res['n']})"
            )
        lines.append(
            f"  events       recall {ev['recall']}  type accuracy {ev['type_accuracy']}  "
            f"counts exact {ev['counts_exact']}  (gold events with a place: {ev['gold_with_place']})"
        )
        lines += _failure_lines(r["failures"], failures)
    if "en" in report:
        r = report["en"]
        lines.append(f"English ({r['records']} location records)")
        for label in ("location", "location_admin1"):
            x = r[label]
            lines.append(
                f"  {label:<16} acc@10km {x['acc_10km']:.3f}  acc@161km {x['acc_161km']:.3f}  "
                f"median {x['median_km']} km  unresolved {x['unresolved']:.3f}"
            )
        lines += _failure_lines(r["failures"], failures)
    return "\n".join(lines)
