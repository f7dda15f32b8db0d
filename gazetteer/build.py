"""Build the bundled Syria gazetteer from the public sources and the curated tables.

    geomap gazetteer build --sources ../shared/data/gazetteer-sources [--out gazetteer/dist]

Reads OCHA admin boundaries (admin1-3) and humanitarian locations (communities),
OpenSyria admin aliases, GeoNames cities500 (Syria) and the tables in
``gazetteer/curated/``; writes ``places.json`` (every entry with names, aliases,
normalised keys, admin parents), ``shapes.geojson`` (the polygon of every area),
``fold_table.json`` (the camel-tools character folding) and ``meta.json``
(version stamp and coverage). The raw sources are read here only, never at run time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box, mapping, shape
from shapely.ops import unary_union

from geomap.errors import GazetteerError
from geomap.normalize import EN_ARTICLES, camel_fold_table, fold_key, is_arabic

CURATED = Path(__file__).resolve().parent / "curated"
COMMON_ZIPF_AR = 3.5
COMMON_ZIPF_EN = 4.0
FORMAT_VERSION = 1

SOURCE_FILES = {
    "adm1": "ocha_syr_adm1_governorates.geojson",
    "adm2": "ocha_syr_adm2_districts.geojson",
    "adm3": "ocha_syr_adm3_subdistricts.geojson",
    "locations": "ocha_syr_humanitarian_locations_2020.csv",
    "os_adm1": "opensyria_governorates.json",
    "os_adm2": "opensyria_districts.json",
    "os_adm3": "opensyria_subdistricts.json",
    "geonames": "geonames_cities500_SY.tsv",
}

DIRECTIONS = {
    "north": ("الشمالي", "northern"),
    "south": ("الجنوبي", "southern"),
    "east": ("الشرقي", "eastern"),
    "west": ("الغربي", "western"),
    "north-east": ("الشمالي الشرقي", "north-eastern"),
    "north-west": ("الشمالي الغربي", "north-western"),
    "south-east": ("الجنوبي الشرقي", "south-eastern"),
    "south-west": ("الجنوبي الغربي", "south-western"),
}

# Words that begin compound village names and are written both joined and apart
# in the press and in OCHA (كفر نبل / كفرنبل, معرة حرمة / معرتحرمة).
_JOINABLE = ("كفر", "معره", "معر", "تل", "دير", "عين", "ابو", "بيت", "ام", "راس", "خربه", "قصر", "جب", "بير")
_ADMIN_PREFIXES_AR = ("محافظه ", "منطقه ", "ناحيه ", "مركز ", "مدينه ")
_ADMIN_SUFFIXES_EN = (" governorate", " district", " subdistrict", " sub district", " nahiya", " province")


@dataclass
class Entry:
    """A gazetteer entry while it is being built."""

    id: str
    kind: str
    name_ar: str
    name_en: str
    lat: float
    lon: float
    aliases_ar: set[str] = field(default_factory=set)
    aliases_en: set[str] = field(default_factory=set)
    alternates_en: set[str] = field(default_factory=set)  # GeoNames alternate names (former, variant)
    admin1: str | None = None
    admin1_pcode: str | None = None
    admin2: str | None = None
    admin2_pcode: str | None = None
    admin3: str | None = None
    admin3_pcode: str | None = None
    parent_id: str | None = None
    population: int = 0
    source: str = ""
    note: str = ""
    geometry: Any = None
    radius_km: float = 0.0
    country: str = "SY"
    keep_head: bool = False  # «منطقة خفض التصعيد»: without its head the name is a common phrase

    def record(self) -> dict[str, Any]:
        keys_ar, keys_en = name_keys(self)
        rec = {
            "id": self.id,
            "kind": self.kind,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "aliases_ar": sorted(self.aliases_ar - {self.name_ar}),
            "aliases_en": sorted(self.aliases_en - {self.name_en}),
            "keys_ar": sorted(keys_ar),
            "keys_en": sorted(keys_en),
            "keys_en_alt": sorted(set().union(*(english_keys(n) for n in self.alternates_en)) - keys_en),
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "admin1": self.admin1,
            "admin1_pcode": self.admin1_pcode,
            "admin2": self.admin2,
            "admin2_pcode": self.admin2_pcode,
            "admin3": self.admin3,
            "admin3_pcode": self.admin3_pcode,
            "parent_id": self.parent_id,
            "population": int(self.population or 0),
            "has_geometry": self.geometry is not None,
            "source": self.source,
            "country": self.country,
        }
        if self.radius_km:
            rec["radius_km"] = round(self.radius_km, 2)
        if self.note:
            rec["note"] = self.note
        return rec


# ---------------------------------------------------------------- keys


def _strip_article_ar(key: str) -> str:
    if key.startswith("ال") and len(key) > 4:
        return key[2:]
    return key


def arabic_keys(name: str, *, keep_head: bool = False) -> set[str]:
    """Lookup keys of an Arabic name: folded, article-free, with joined/split compound forms, and
    without a head word such as «منطقة» unless ``keep_head``."""
    key = fold_key(name)
    if not key:
        return set()
    out = {key}
    for prefix in () if keep_head else _ADMIN_PREFIXES_AR:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            out.add(key[len(prefix) :])
    more = set()
    for k in out:
        k = _strip_article_ar(k)
        more.add(k)
        words = k.split(" ")
        if len(words) >= 2 and words[0] in _JOINABLE:
            more.add(words[0] + " ".join(words[1:]))
            # «تل الملح» / «تل ملح»: the article of the second word comes and goes
            second = words[1]
            toggled = second[2:] if second.startswith("ال") and len(second) > 4 else "ال" + second
            more.add(" ".join([words[0], toggled, *words[2:]]))
        for j in _JOINABLE:
            if len(words) == 1 and k.startswith(j) and len(k) - len(j) >= 3 and k != j:
                more.add(j + " " + k[len(j) :])
    return {_strip_article_ar(k) for k in out | more if len(k) >= 2}


def english_keys(name: str) -> set[str]:
    """Lookup keys of a Latin-script name: folded, with and without the Arabic article."""
    key = fold_key(name)
    if not key:
        return set()
    out = {key}
    for suffix in _ADMIN_SUFFIXES_EN:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            out.add(key[: -len(suffix)])
    for k in list(out):
        words = [w for w in k.split(" ") if w not in EN_ARTICLES]
        if words:
            out.add(" ".join(words))
            if len(words) <= 3 and not any(k.endswith(s) for s in _ADMIN_SUFFIXES_EN):
                out.add("".join(words))
    return {k for k in out if len(k) >= 3}


def name_keys(e: Entry) -> tuple[set[str], set[str]]:
    ar: set[str] = set()
    en: set[str] = set()
    for name in {e.name_ar, *e.aliases_ar, e.name_en, *e.aliases_en}:
        if not name:
            continue
        if is_arabic(name):
            ar |= arabic_keys(name, keep_head=e.keep_head)
        else:
            en |= english_keys(name)
    return ar, en


# ---------------------------------------------------------------- helpers


def _spellings(key: str) -> set[str]:
    """How a folded key may be written: a final ه as ة, a final ي as ى («مجرى»), a first ا with its
    hamza or madda, another ا with its hamza («مأوى», «ملجأ»)."""
    forms = {key}
    if key.endswith("ه"):
        forms.add(key[:-1] + "ة")
    if key.endswith("ي"):
        forms.add(key[:-1] + "ى")
    if key.startswith("ا"):
        forms |= {a + f[1:] for f in forms for a in "أإآ"}
    forms |= {f[:i] + "أ" + f[i + 1 :] for f in list(forms) for i in range(1, len(f)) if f[i] == "ا"}
    return forms


def common_keys(places: dict[str, Entry]) -> dict[str, float]:
    """Keys of settlements whose name is also a frequent word (wordfreq's Zipf scale).

    «على»، «وقف»، «مصطفى» are villages too; the recogniser wants a cue before taking them.
    Regions too: «غاب» (was absent) is no «الغاب» without its article.
    """
    from wordfreq import zipf_frequency

    out: dict[str, float] = {}
    for e in places.values():
        if e.kind not in (
            "village",
            "town",
            "city",
            "neighbourhood",
            "plain",
            "mountain",
            "valley",
            "region",
        ):
            continue
        # each key on its own («كفر عين» is two common words, «كفرعين» none); keys are folded,
        # so a final ه is tried as ة, with and without the article
        for key in {k for n in {e.name_ar, *e.aliases_ar} for k in arabic_keys(n)}:
            z = max(zipf_frequency(f, "ar") for form in _spellings(key) for f in (form, "ال" + form))
            if z >= COMMON_ZIPF_AR + (1.5 if " " in key else 0.0):
                out[key] = max(out.get(key, 0.0), round(z, 2))
        for key in {k for n in {e.name_en, *e.aliases_en} for k in english_keys(n)}:
            z = zipf_frequency(key, "en")
            if z >= COMMON_ZIPF_EN + (1.5 if " " in key else 0.0):
                out[key] = max(out.get(key, 0.0), round(z, 2))
    return dict(sorted(out.items()))


#: Proclitics that glue to a name: «لقاح» is ل + «قاح» to the matcher, and "vaccine" to a reader.
_GLUED = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")


def common_forms(places: dict[str, Entry]) -> dict[str, float]:
    """Written words that read as a clitic and a place name but are far more often a word of their
    own («لقاح» vaccine, not ل + «قاح»; «لسان» tongue, not ل + «سان»): zipf of the written form
    at least 3 and no more than half a point below the name's own (a village's name is rarely as
    common as a word). Names with the article are left out (the recogniser wants the article for them).
    """
    from wordfreq import zipf_frequency

    def zipf(key: str) -> float:
        return max(zipf_frequency(f, "ar") for f in _spellings(key))

    out: dict[str, float] = {}
    for e in places.values():
        if e.kind not in ("village", "town", "city") or not e.name_ar or fold_key(e.name_ar).startswith("ال"):
            continue
        for key in arabic_keys(e.name_ar):
            if " " in key:
                continue
            own = zipf(key)
            for clitic in _GLUED:
                z = zipf(clitic + key)
                if z >= 3.0 and z > (own + 0.5 if e.kind == "city" else own - 0.5):
                    out[clitic + key] = max(out.get(clitic + key, 0.0), round(z, 2))
    return dict(sorted(out.items()))


def city_nisbas() -> dict[str, str]:
    """The adjective of each governorate's centre city («الدمشقي», «الحمصي») -> the city's id."""
    table = _curated("countryside.json") or {}
    return {
        fold_key(spec["nisba_ar"]): spec["capital"]
        for spec in table.values()
        if spec.get("nisba_ar") and spec.get("capital")
    }


def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def _buffer_km(geom: Any, km: float) -> Any:
    # Degrees at Syria's latitude (~35 N): 1 deg lat = 111 km, 1 deg lon = 91 km. Good enough for buffers.
    return geom.buffer(km / 100.0)


def _valid(geom: Any) -> Any:
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = unary_union(polys)
    return geom


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# ---------------------------------------------------------------- sources


def load_admin(sources: Path) -> dict[str, Entry]:
    """Governorates, districts and sub-districts with their polygons and OpenSyria aliases."""
    entries: dict[str, Entry] = {}
    kinds = {"adm1": "governorate", "adm2": "district", "adm3": "subdistrict"}
    for level, kind in kinds.items():
        for feat in _read_json(sources / SOURCE_FILES[level])["features"]:
            p = feat["properties"]
            geom = _valid(shape(feat["geometry"]))
            e = Entry(
                id=p["p"],
                kind=kind,
                name_ar=p["nAr"],
                name_en=p["nEn"],
                lat=p["lat"],
                lon=p["lon"],
                geometry=geom,
                source="OCHA COD-AB",
            )
            entries[e.id] = e
    for e in entries.values():
        pc = e.id
        if e.kind != "governorate":
            e.parent_id = pc[:-2]
        for n, attr in ((4, "admin1"), (6, "admin2"), (8, "admin3")):
            if len(pc) >= n and pc[:n] in entries:
                setattr(e, attr, entries[pc[:n]].name_en)
                setattr(e, attr + "_pcode", pc[:n])
        if not e.geometry.contains(Point(e.lon, e.lat)):
            rp = e.geometry.representative_point()
            e.lat, e.lon = rp.y, rp.x
    for level in ("os_adm1", "os_adm2", "os_adm3"):
        for rec in _read_json(sources / SOURCE_FILES[level]):
            pc = (rec.get("externalIds") or {}).get("ochaPcode")
            e = entries.get(pc)
            if e is None:
                continue
            names = rec.get("name") or {}
            for lang, val in names.items():
                (e.aliases_ar if lang == "ar" else e.aliases_en).add(val)
            for alias in rec.get("aliases") or []:
                val = alias.get("value", "")
                if not val or alias.get("type") == "alternate_spelling" and val.islower() and " " in val:
                    continue  # machine transliterations such as "nahyt mrkz alhskt"
                (e.aliases_ar if alias.get("language") == "ar" else e.aliases_en).add(val)
            pop = (rec.get("population") or {}).get("value")
            if pop:
                e.population = int(pop)
    return entries


def _name_parts(name: str) -> set[str]:
    """OCHA merges communities into one name («الحسنية_حساجك», "Sahm - Shish"): each part is a name."""
    parts = [p.strip() for p in re.split(r"\s+-\s+|_|/", name)]
    heads = _HEADS_AR | _HEADS_EN
    return (
        {p for p in parts if len(p) >= 3 and p != name and fold_key(p) not in heads}
        if len(parts) > 1
        else set()
    )


def _names_its_admin(
    part: str, e: Entry, admin: dict[str, Entry], seats: set[tuple[str, str | None]]
) -> bool:
    """«جب الخفي_منبج», «البياضة - جنديرس»: a part that names the place's own district or
    sub-district, whose seat is another community of that unit, tells homonyms apart; it is no name."""
    key = fold_key(part)
    for pc in (e.admin2_pcode, e.admin3_pcode):
        unit = admin.get(pc or "")
        if unit is not None and fold_key(unit.name_ar).removeprefix("مركز ") == key and (key, pc) in seats:
            return True
    return False


_QUALIFIERS_AR = (
    "غربي",
    "شرقي",
    "شمالي",
    "جنوبي",
    "قبلي",
    "الغربي",
    "الشرقي",
    "الشمالي",
    "الجنوبي",
    "القبلي",
    "الغربيه",
    "الشرقيه",
    "الشماليه",
    "الجنوبيه",
    "القبليه",
    "غربيه",
    "شرقيه",
    "شماليه",
    "جنوبيه",
    "كبير",
    "صغير",
    "الكبير",
    "الصغير",
    "كبيره",
    "صغيره",
    "الكبيره",
    "الصغيره",
    "تحتاني",
    "فوقاني",
    "التحتاني",
    "الفوقاني",
    "التحتانيه",
    "الفوقانيه",
    "الجديده",
    "جديده",
    "القديمه",
    "الجديد",
    # the Euphrates' banks in Deir ez-Zor: شامية west (Syrian desert side), جزيرة east
    "شاميه",
    "الشاميه",
    "جزيره",
    "الجزيره",
    # before a name: «ضاحية السكرية» is the suburb of السكرية
    "ضاحيه",
)
_QUALIFIERS_EN = (
    "western",
    "eastern",
    "northern",
    "southern",
    "upper",
    "lower",
    "big",
    "little",
    "great",
    "small",
    "kabir",
    "kbir",
    "saghir",
    "sghir",
    "tahtani",
    "fawqani",
    "foqani",
    "qibli",
    "gharbi",
    "sharqi",
    "shamali",
    "janubi",
    "new",
    "old",
    "al kabir",
    "al saghir",
    "al kabirah",
    "al saghirah",
    "shamiyeh",
    "shamiyah",
    "jazireh",
    "jazirah",
)


#: Words that begin compound names: alone they name no place («كفر», "Kafr", "Tall", "Abu" …).
_HEADS_AR = frozenset(
    "تل كفر عين دير خربه جبل ابو ام بير بئر راس بيت قصر جسر خان شيخ حوش مزرعه معره معاره".split()
)
_HEADS_EN = frozenset(
    "kafr kfar kafar tal tall tell abu um umm ain ayn ein deir dayr bir beer beit bayt ras jabal jebel "
    "qasr jisr khan sheikh shaykh shekh kherbet khirbet khirbat hawsh mazraa mazraat maarat marat maaret"
    " maarrat".split()
)


def _bare_name(words: list[str], full: str, admin: set[str], heads: frozenset[str]) -> str | None:
    """``words`` as a bare name, unless that names nothing: a compound's head alone («Kafr» of
    "Kafr Batna"), a dangling article ("Ras Al" of "Ras Al Ain"), or a place that is its admin's
    namesake (the seat of "Kafr Batna" sub-district keeps its whole name)."""
    base = " ".join(words)
    if not base or base == full or full in admin or len(base.replace(" ", "")) < 3:
        return None
    if base in heads or words[-1] in EN_ARTICLES or words[-1] == "ال":
        return None
    return base


def _base_names(e: Entry, admin: dict[str, Entry]) -> tuple[set[str], set[str]]:
    """OCHA tells homonyms apart by a qualifier or an admin name after the name
    («جب السكر غربي», "Western-Jeb Sukkar", «باشكوي سمعان», "Kafraya Al Mara"); the press uses
    the bare name. Returns the bare Arabic and English names to add as aliases."""
    admin_ar: set[str] = set()
    admin_en: set[str] = set()
    for pc in (e.admin1_pcode, e.admin2_pcode, e.admin3_pcode):
        a = admin.get(pc or "")
        if a is not None:
            for n in (a.name_ar, *a.aliases_ar):
                k = fold_key(n).removeprefix("مركز ").removeprefix("ناحيه ").removeprefix("منطقه ")
                admin_ar |= {k, _strip_article_ar(k), k.split(" ")[-1]}
            for n in (a.name_en, *a.aliases_en):
                k = fold_key(n)
                admin_en |= {k, k.split(" ")[-1]}
    out_ar: set[str] = set()
    out_en: set[str] = set()
    for name in {e.name_ar, *e.aliases_ar}:
        words = fold_key(name).split()
        while len(words) > 1 and (
            words[-1] in _QUALIFIERS_AR or words[-1] in admin_ar or " ".join(words[-2:]) in admin_ar
        ):
            words = words[:-2] if " ".join(words[-2:]) in admin_ar and len(words) > 2 else words[:-1]
        while len(words) > 1 and words[0] in _QUALIFIERS_AR:
            words = words[1:]
        base = _bare_name(words, fold_key(name), admin_ar, _HEADS_AR)
        if base:
            out_ar.add(base)
    for name in {e.name_en, *e.aliases_en}:
        key = fold_key(name)
        for q in _QUALIFIERS_EN:
            key = key.removeprefix(q + " ").removesuffix(" " + q)
        words = key.split()
        while len(words) > 1 and (words[-1] in admin_en or " ".join(words[-2:]) in admin_en):
            words = words[:-2] if " ".join(words[-2:]) in admin_en and len(words) > 2 else words[:-1]
        base = _bare_name(words, fold_key(name), admin_en, _HEADS_EN)
        if base:
            out_en.add(base)
    return out_ar, out_en


def load_communities(sources: Path, admin: dict[str, Entry]) -> dict[str, Entry]:
    """OCHA communities as points; neighbourhood rows folded into their city as its extent."""
    entries: dict[str, Entry] = {}
    extra_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with open(sources / SOURCE_FILES["locations"], encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pc = row["location_pcode"]
            lat, lon = float(row["latitude"]), float(row["longitude"])
            if row["location_type"] != "Community":
                extra_points[pc].append((lat, lon))
                continue
            entries[pc] = Entry(
                id=pc,
                kind="village",
                name_ar=row["location_ar"].strip(),
                name_en=row["location_en"].strip(),
                lat=lat,
                lon=lon,
                admin1=admin[row["adm1_pcode"]].name_en,
                admin1_pcode=row["adm1_pcode"],
                admin2=admin[row["adm2_pcode"]].name_en,
                admin2_pcode=row["adm2_pcode"],
                admin3=admin[row["adm3_pcode"]].name_en if row["adm3_pcode"] in admin else row["adm3_en"],
                admin3_pcode=row["adm3_pcode"],
                parent_id=row["adm3_pcode"],
                source="OCHA humanitarian locations 2020",
            )
    seats = {(fold_key(e.name_ar), pc) for e in entries.values() for pc in (e.admin2_pcode, e.admin3_pcode)}
    for e in entries.values():
        e.aliases_ar.update(p for p in _name_parts(e.name_ar) if not _names_its_admin(p, e, admin, seats))
        e.aliases_en.update(_name_parts(e.name_en))
    for e in entries.values():
        bare_ar, bare_en = _base_names(e, admin)
        e.aliases_ar |= bare_ar
        e.aliases_en |= bare_en
    for pc, pts in extra_points.items():
        e = entries.get(pc)
        if e is not None:
            e.radius_km = max(_haversine_km(e.lat, e.lon, la, lo) for la, lo in pts)
    return entries


def merge_geonames(
    sources: Path, communities: dict[str, Entry], admin: dict[str, Entry]
) -> tuple[int, int, list[Entry]]:
    """Merge GeoNames towns onto the matching community (nearby and same name).

    Returns how many merged, how many were dropped as drifted duplicates, and the rest as new entries.
    """
    by_key: dict[str, list[Entry]] = defaultdict(list)
    for e in communities.values():
        for k in arabic_keys(e.name_ar) | english_keys(e.name_en):
            by_key[k].append(e)
    merged = duplicates = 0
    extra: list[Entry] = []
    subdistricts = [a for a in admin.values() if a.kind == "subdistrict"]
    tree = shapely.STRtree([a.geometry for a in subdistricts])
    with open(sources / SOURCE_FILES["geonames"], encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            lat, lon = float(row["latitude"]), float(row["longitude"])
            names = [row["name"], *[n for n in row["alternatenames"].split(",") if n]]
            names_ar = [n for n in names if is_arabic(n)]
            # Latin names, but not codes ("DAM", "OSDI": airport codes among the alternates)
            names_en = [
                n
                for n in names
                if n.isascii() and any(c.isalpha() for c in n) and not (n.isupper() and len(n) <= 4)
            ]
            # Match on the primary name, or on an Arabic name close by: alternate Latin names in
            # GeoNames include neighbouring villages' names, which must not move onto this one.
            primary = english_keys(row["name"])
            arabic = set().union(*(arabic_keys(n) for n in names_ar))
            cands = {id(c): c for k in primary | arabic for c in by_key.get(k, [])}.values()
            best = min(cands, key=lambda c: _haversine_km(lat, lon, c.lat, c.lon), default=None)
            limit = (
                8.0
                if best is not None
                and by_key.get(next(iter(primary), ""), [])
                and best in by_key[next(iter(primary))]
                else 3.0
            )
            if best is not None and _haversine_km(lat, lon, best.lat, best.lon) <= limit:
                best.aliases_ar.update(names_ar)
                best.alternates_en.update(n for n in names_en if n != row["name"])
                best.aliases_en.add(row["name"])
                best.population = max(best.population, int(row["population"] or 0))
                best.source += "; GeoNames " + row["geonameid"]
                merged += 1
                continue
            hits = tree.query(Point(lon, lat), predicate="within")
            parent = subdistricts[hits[0]] if len(hits) else None
            if parent is None or not names_ar:
                continue
            if any(c.admin1_pcode == parent.admin1_pcode for c in cands):
                # the same name in the same governorate, farther off: GeoNames' point has drifted
                # (or mixes two places); OCHA's community is the place
                duplicates += 1
                continue
            extra.append(
                Entry(
                    id=f"geonames:{row['geonameid']}",
                    kind="village",
                    name_ar=names_ar[-1],
                    name_en=row["name"],
                    lat=lat,
                    lon=lon,
                    aliases_ar=set(names_ar),
                    aliases_en=set(names_en),
                    admin1=parent.admin1,
                    admin1_pcode=parent.admin1_pcode,
                    admin2=parent.admin2,
                    admin2_pcode=parent.admin2_pcode,
                    admin3=parent.name_en,
                    admin3_pcode=parent.id,
                    parent_id=parent.id,
                    population=int(row["population"] or 0),
                    source="GeoNames " + row["geonameid"],
                )
            )
    return merged, duplicates, extra


def classify_communities(communities: dict[str, Entry], admin: dict[str, Entry]) -> None:
    """City, town or village, from population, admin seat and extent."""
    seats: dict[str, str] = {}
    for a in admin.values():
        if a.kind == "subdistrict":
            seats[a.id] = _strip_article_ar(fold_key(a.name_ar).removeprefix("مركز "))
    district_seats = {
        a.id: _strip_article_ar(fold_key(a.name_ar)) for a in admin.values() if a.kind == "district"
    }
    for e in communities.values():
        if not e.admin3_pcode:
            continue
        key = _strip_article_ar(fold_key(e.name_ar))
        is_adm3_seat = seats.get(e.admin3_pcode) == key
        is_adm2_seat = is_adm3_seat and district_seats.get(e.admin2_pcode or "") == key
        if e.population >= 50_000 or e.radius_km >= 2.0 or (is_adm2_seat and e.population >= 20_000):
            e.kind = "city"
        elif e.population >= 5_000 or is_adm3_seat:
            e.kind = "town"


# ---------------------------------------------------------------- curated


def _curated(name: str) -> Any:
    path = CURATED / name
    return _read_json(path) if path.is_file() else None


def _region_geometry(spec: dict[str, Any], admin: dict[str, Entry], places: dict[str, Entry]) -> Any:
    parts = []
    for key in ("governorates", "districts", "subdistricts"):
        for pc in spec.get(key) or []:
            if pc not in admin:
                raise GazetteerError(f"curated region refers to unknown P-code {pc}")
            parts.append(admin[pc].geometry)
    comms = []
    for pc in spec.get("communities") or []:
        if pc not in places:
            raise GazetteerError(f"curated region refers to unknown community {pc}")
        comms.append(Point(places[pc].lon, places[pc].lat))
    if comms:
        parts.append(_buffer_km(MultiPoint(comms).convex_hull, 3))
    if spec.get("box"):
        la0, lo0, la1, lo1 = spec["box"]
        parts.append(box(lo0, la0, lo1, la1))
    if not parts:
        return None
    geom = unary_union(parts)
    if spec.get("clip_box"):
        la0, lo0, la1, lo1 = spec["clip_box"]
        geom = geom.intersection(box(lo0, la0, lo1, la1))
    return _valid(geom.simplify(0.001))


def _admin_fields(e: Entry, admin: dict[str, Entry], pcode: str | None) -> None:
    if pcode and pcode in admin:
        a = admin[pcode]
        e.admin1, e.admin1_pcode = a.name_en, pcode
        e.parent_id = pcode


def load_regions(admin: dict[str, Entry], places: dict[str, Entry]) -> list[Entry]:
    out = []
    for spec in _curated("regions.json") or []:
        geom = _region_geometry(spec.get("geometry") or {}, admin, places)
        point = (spec.get("geometry") or {}).get("point")
        if point:
            lat, lon = point
        elif geom is not None:
            rp = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
            lat, lon = rp.y, rp.x
        else:
            raise GazetteerError(f"curated region {spec['id']} has no geometry and no point")
        e = Entry(
            id=spec["id"],
            kind=spec["kind"],
            name_ar=spec["name_ar"],
            name_en=spec["name_en"],
            lat=lat,
            lon=lon,
            aliases_ar=set(spec.get("aliases_ar") or []),
            aliases_en=set(spec.get("aliases_en") or []),
            geometry=geom,
            source="curated",
            note=spec.get("note", ""),
            keep_head=bool(spec.get("keep_head")),
        )
        _admin_fields(e, admin, spec.get("admin1_pcode"))
        out.append(e)
    return out


def load_neighbourhoods(places: dict[str, Entry]) -> list[Entry]:
    """City neighbourhoods from the curated table, each at its city's point (no source gives theirs)."""
    table = _curated("neighbourhoods.json") or {}
    out = []
    for city_id, spec in sorted((table.get("cities") or {}).items()):
        city = places.get(city_id)
        if city is None:
            raise GazetteerError(f"curated neighbourhoods: no community {city_id}")
        for n, (name_ar, name_en) in enumerate(spec["neighbourhoods"], 1):
            e = replace(
                city,
                id=f"geomap:neighbourhood/{city_id}/{n}",
                kind="neighbourhood",
                name_ar=name_ar,
                name_en=name_en,
                aliases_ar=set(),
                aliases_en=set(),
                alternates_en=set(),
                parent_id=city_id,
                population=0,
                radius_km=0.0,
                source="curated",
                note=f"a neighbourhood of {city.name_en}, located at the city's point",
            )
            out.append(e)
    return out


def load_countrysides(admin: dict[str, Entry], places: dict[str, Entry]) -> list[Entry]:
    """The countryside of every governorate (ريف X) and its directional parts."""
    table = _curated("countryside.json") or {}
    out: list[Entry] = []
    governorates = [a for a in admin.values() if a.kind == "governorate"]
    for gov in governorates:
        spec = table.get(gov.id) or {}
        if spec.get("countryside_of"):
            continue  # Damascus: its countryside is a governorate of its own (ريف دمشق)
        capital = places.get(spec.get("capital", ""))
        if capital is None:  # fall back to the governorate's biggest community
            members = [p for p in places.values() if p.admin1_pcode == gov.id and p.id.startswith("C")]
            capital = max(members, key=lambda p: (p.radius_km, p.population))
        hole = _buffer_km(Point(capital.lon, capital.lat), max(3.0, capital.radius_km))
        name_ar = spec.get("name_ar") or gov.name_ar
        name_en = spec.get("name_en") or gov.name_en
        note = spec.get("note", "governorate polygon minus its capital city (OCHA COD-AB)")
        whole = _valid(gov.geometry.difference(hole))
        base_id = f"geomap:countryside/{gov.id}"
        gov_aliases_ar = {name_ar, gov.name_ar} | {a for a in gov.aliases_ar if not a.startswith("محافظة")}
        gov_aliases_en = {name_en, gov.name_en} | {a for a in gov.aliases_en if "overnorate" not in a}
        e = _countryside_entry(base_id, gov, whole, gov_aliases_ar, gov_aliases_en, None, note)
        nisba = spec.get("nisba_ar")  # «الريف الإدلبي»: the countryside by its adjective
        if nisba:
            e.aliases_ar.add(f"الريف {nisba}")
        out.append(e)
        subdistricts = {
            a.id: a for a in admin.values() if a.kind == "subdistrict" and a.admin1_pcode == gov.id
        }
        directions = spec.get("directions") or _bearing_sectors(capital, subdistricts.values())
        for direction, units in directions.items():
            if direction not in DIRECTIONS or not units:
                continue
            parts = [admin[u].geometry for u in units if u in admin]
            if not parts:
                continue
            geom = _valid(unary_union(parts).difference(hole).simplify(0.001))
            if geom.is_empty:
                continue
            d = _countryside_entry(
                f"{base_id}/{direction}", gov, geom, gov_aliases_ar, gov_aliases_en, direction, note
            )
            d.parent_id = base_id
            if nisba:
                d.aliases_ar.add(f"الريف {nisba} {DIRECTIONS[direction][0]}")
            out.append(d)
    return out


#: Half the angle of a district countryside's directional part, seen from its seat town.
_SECTOR_HALF_ANGLE = {"cardinal": 67.5, "diagonal": 45.0}
_BEARINGS = {
    "north": 0,
    "north-east": 45,
    "east": 90,
    "south-east": 135,
    "south": 180,
    "south-west": 225,
    "west": 270,
    "north-west": 315,
}


def load_district_countrysides(admin: dict[str, Entry], places: dict[str, Entry]) -> list[Entry]:
    """«ريف منبج الغربي»: the countryside of a district named after its seat town, and its parts.

    The district polygon minus the town, cut to the sector seen from the town (±67.5° around a
    cardinal direction, ±45° around a diagonal one). Districts named «مركز X» are their
    governorate's centre: «ريف X» is the governorate's countryside.
    """
    out: list[Entry] = []
    for d in sorted((a for a in admin.values() if a.kind == "district"), key=lambda a: a.id):
        if fold_key(d.name_ar).startswith("مركز") or d.geometry is None:
            continue
        names_ar = {n for n in (d.name_ar, *d.aliases_ar) if not fold_key(n).startswith(_ADMIN_PREFIXES_AR)}
        keys = {fold_key(n) for n in names_ar}
        seats = [
            p
            for p in places.values()
            if p.id.startswith("C") and p.admin2_pcode == d.id and fold_key(p.name_ar) in keys
        ]
        if not seats:
            continue
        seat = max(seats, key=lambda p: (p.radius_km, p.population, p.kind in ("city", "town")))
        names_en = {n for n in (d.name_en, *d.aliases_en) if not n.lower().endswith(_ADMIN_SUFFIXES_EN)}
        hole = _buffer_km(Point(seat.lon, seat.lat), max(3.0, seat.radius_km))
        whole = _valid(d.geometry.difference(hole).simplify(0.001))
        note = f"district polygon (OCHA COD-AB) minus its seat {seat.name_en} ({seat.id}); parts by bearing"
        for direction in (None, *_BEARINGS):
            geom = whole if direction is None else _valid(whole.intersection(_sector(seat, direction)))
            if geom.is_empty or geom.area < 1e-4:
                continue
            e = _countryside_entry(
                f"geomap:countryside/{d.id}" + (f"/{direction}" if direction else ""),
                d,
                geom,
                names_ar,
                names_en,
                direction,
                note,
            )
            e.aliases_en = {a for a in e.aliases_en if "countryside" in a or "rural" in a}
            e.admin1, e.admin1_pcode = d.admin1, d.admin1_pcode
            e.admin2, e.admin2_pcode = d.name_en, d.id
            e.parent_id = f"geomap:countryside/{d.id}" if direction else d.id
            out.append(e)
    return out


def _sector(seat: Entry, direction: str) -> Any:
    """A wedge from ``seat`` towards ``direction``, reaching beyond any district."""
    centre = _BEARINGS[direction]
    half = _SECTOR_HALF_ANGLE["diagonal" if "-" in direction else "cardinal"]
    coslat = math.cos(math.radians(seat.lat))
    ring = [(seat.lon, seat.lat)]
    for step in range(int(2 * half) + 1):
        b = math.radians(centre - half + step)
        ring.append((seat.lon + 3.0 * math.sin(b) / coslat, seat.lat + 3.0 * math.cos(b)))
    return Polygon(ring)


def _bearing_sectors(capital: Entry, subdistricts: Any) -> dict[str, list[str]]:
    names = ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"]
    out: dict[str, list[str]] = {n: [] for n in names}
    for s in subdistricts:
        if _haversine_km(capital.lat, capital.lon, s.lat, s.lon) < 5:
            continue
        b = _bearing(capital.lat, capital.lon, s.lat, s.lon)
        sector = int(((b + 22.5) % 360) // 45)
        out[names[sector]].append(s.id)
        # cardinal directions also take the neighbouring diagonal units within 30 degrees
        for i, n in enumerate(names):
            if i % 2 == 0 and i != sector:
                centre = i * 45
                if abs((b - centre + 180) % 360 - 180) <= 30:
                    out[n].append(s.id)
    return out


def _countryside_entry(
    id_: str, gov: Entry, geom: Any, gov_ar: set[str], gov_en: set[str], direction: str | None, note: str
) -> Entry:
    suffix_ar, adj_en = DIRECTIONS[direction] if direction else ("", "")
    aliases_ar = set()
    aliases_en = set()
    for g in gov_ar:
        base = f"ريف {g}"
        aliases_ar.add(f"{base} {suffix_ar}".strip())
    for g in gov_en:
        if adj_en:
            aliases_en |= {
                f"{adj_en} {g} countryside",
                f"{adj_en} rural {g}",
                f"{g} {direction} countryside",
                f"{adj_en} {g}",
                f"{adj_en} {g} province",
                f"{adj_en} {g} governorate",
                f"{adj_en} countryside of {g}",
                f"{g}'s {adj_en} countryside",
            }
        else:
            aliases_en |= {
                f"{g} countryside",
                f"rural {g}",
                f"countryside of {g}",
                f"{g} countrysides",
                f"{g} province countryside",
                f"{g}'s countryside",
            }
    rp = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
    name_ar = f"ريف {gov.name_ar} {suffix_ar}".strip()
    name_en = f"{adj_en} {gov.name_en} countryside".strip()
    e = Entry(
        id=id_,
        kind="countryside",
        name_ar=name_ar,
        name_en=name_en[0].upper() + name_en[1:],
        lat=rp.y,
        lon=rp.x,
        aliases_ar=aliases_ar,
        aliases_en=aliases_en,
        geometry=geom,
        source="curated (countryside rule)",
        note=note,
        admin1=gov.name_en,
        admin1_pcode=gov.id,
        parent_id=gov.id,
    )
    return e


def load_countries() -> list[Entry]:
    out = []
    for spec in _curated("countries.json") or []:
        geom = None
        if spec.get("bbox") and spec["kind"] == "country":
            la0, lo0, la1, lo1 = spec["bbox"]
            geom = box(lo0, la0, lo1, la1)
        out.append(
            Entry(
                id=spec["id"],
                kind=spec["kind"],
                name_ar=spec["name_ar"],
                name_en=spec["name_en"],
                lat=spec["lat"],
                lon=spec["lon"],
                aliases_ar=set(spec.get("aliases_ar") or []),
                aliases_en=set(spec.get("aliases_en") or []),
                geometry=geom,
                source="curated",
                note=spec.get("note", ""),
                country=spec.get("country") or spec.get("iso2") or "",
            )
        )
    return out


def apply_aliases(places: dict[str, Entry]) -> int:
    n = 0
    for spec in _curated("aliases.json") or []:
        e = places.get(spec["pcode"])
        if e is None:
            raise GazetteerError(f"curated alias for unknown P-code {spec['pcode']}")
        e.aliases_ar.update(spec.get("aliases_ar") or [])
        e.aliases_en.update(spec.get("aliases_en") or [])
        n += len(spec.get("aliases_ar") or []) + len(spec.get("aliases_en") or [])
    return n


# ---------------------------------------------------------------- build


def build(sources: Path, out: Path) -> dict[str, Any]:
    """Build the gazetteer from ``sources`` into ``out``; return the coverage report."""
    sources = Path(sources)
    missing = [f for f in SOURCE_FILES.values() if not (sources / f).is_file()]
    if missing:
        raise GazetteerError(f"{sources}: missing source files: {', '.join(missing)}")
    admin = load_admin(sources)
    communities = load_communities(sources, admin)
    merged, duplicates, extra = merge_geonames(sources, communities, admin)
    places: dict[str, Entry] = {**admin, **communities}
    for e in extra:
        places[e.id] = e
    n_aliases = apply_aliases(places)
    classify_communities(communities, admin)
    areas = load_countrysides(admin, places) + load_district_countrysides(admin, places)
    for e in areas + load_regions(admin, places) + load_countries() + load_neighbourhoods(places):
        if e.id in places:
            raise GazetteerError(f"duplicate gazetteer id {e.id}")
        places[e.id] = e

    records = [e.record() for e in places.values()]
    features = [
        {
            "type": "Feature",
            "id": e.id,
            "properties": {"id": e.id, "kind": e.kind},
            "geometry": mapping(shapely.set_precision(e.geometry, 1e-5)),
        }
        for e in places.values()
        if e.geometry is not None
    ]
    kinds = Counter(e.kind for e in places.values())
    with_ar = sum(1 for e in places.values() if e.name_ar)
    meta = {
        "format": FORMAT_VERSION,
        # the stamp depends on the content only: a rebuild from the same sources is identical
        "version": f"{FORMAT_VERSION}+"
        + hashlib.sha256(json.dumps(records, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12],
        "sources": {k: {"file": f, "sha256": _sha(sources / f)} for k, f in SOURCE_FILES.items()},
        "counts": dict(sorted(kinds.items())),
        "total": len(places),
        "share_with_arabic": round(with_ar / len(places), 4),
        "geonames_merged": merged,
        "geonames_added": len(extra),
        "geonames_duplicates": duplicates,
        "curated_aliases": n_aliases,
        "with_geometry": len(features),
        "common_keys": common_keys(places),
        "common_forms": common_forms(places),
        "city_nisbas": city_nisbas(),
    }
    out.mkdir(parents=True, exist_ok=True)
    _write_json(out / "places.json", {"meta": meta, "places": records}, compact_rows=True)
    _write_json(
        out / "shapes.geojson", {"type": "FeatureCollection", "features": features}, compact_rows=True
    )
    _write_json(out / "fold_table.json", camel_fold_table())
    _write_json(
        out / "meta.json",
        {k: v for k, v in meta.items() if k not in ("common_keys", "common_forms", "city_nisbas")},
        indent=True,
    )
    return meta


def _write_json(path: Path, obj: Any, *, compact_rows: bool = False, indent: bool = False) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            if compact_rows:
                # one row per line keeps git diffs of the built file readable
                key = "places" if "places" in obj else "features"
                head = {k: v for k, v in obj.items() if k != key}
                fh.write(json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": [\n')
                rows = obj[key]
                for i, row in enumerate(rows):
                    fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
                    fh.write(",\n" if i < len(rows) - 1 else "\n")
                fh.write("]}\n")
            else:
                json.dump(obj, fh, ensure_ascii=False, indent=2 if indent else None, sort_keys=indent)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_report(meta: dict[str, Any]) -> str:
    lines = [f"gazetteer {meta['version']}: {meta['total']} entries, {meta['with_geometry']} with polygons"]
    lines += [f"  {k:<15} {v:>6}" for k, v in meta["counts"].items()]
    lines.append(
        f"  Arabic names: {meta['share_with_arabic']:.1%}; GeoNames merged onto communities: "
        f"{meta['geonames_merged']}, added: {meta['geonames_added']}; curated aliases: {meta['curated_aliases']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/gazetteer-sources")
    print(format_report(build(src, Path(__file__).resolve().parent / "dist")))
