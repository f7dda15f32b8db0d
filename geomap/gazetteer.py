"""The built gazetteer, loaded read-only: look up by key, id, fuzzy name or nearest point.

It never builds anything: ``geomap gazetteer build`` (``gazetteer/build.py``) does.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

from geomap._data import data_dir
from geomap.errors import GazetteerError
from geomap.model import SETTLEMENT_KINDS, Place
from geomap.normalize import fold_key, is_arabic, romanization_similarity, skeleton, strip_latin_articles

#: Match score of a GeoNames alternate (often a former or neighbouring name) against an official name's 1.0.
ALTERNATE_NAME_SCORE = 0.95
#: How far from its (city's) point a neighbourhood holds a place, in km.
NEIGHBOURHOOD_KM = 5.0
ADMIN_LEVEL_KINDS = {1: "governorate", 2: "district", 3: "subdistrict"}
_PLACE_FIELDS = frozenset(Place.__dataclass_fields__)


class Gazetteer:
    """Places by id and by normalised key, with area polygons loaded on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        path = self.directory / "places.json"
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            rows = data["places"]
            self.meta: dict[str, Any] = data["meta"]
        except FileNotFoundError as exc:
            raise GazetteerError(
                f"no built gazetteer at {self.directory}; run: geomap gazetteer build --sources DIR"
            ) from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise GazetteerError(f"corrupt gazetteer {path}: {exc}") from exc
        self.places: dict[str, Place] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.keys_ar: dict[str, list[str]] = defaultdict(list)
        self.keys_en: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            place = Place(**{k: v for k, v in row.items() if k in _PLACE_FIELDS})
            self.places[place.id] = place
            self.records[place.id] = row
            for k in row["keys_ar"]:
                self.keys_ar[k].append(place.id)
            for k in (*row["keys_en"], *row.get("keys_en_alt", ())):
                self.keys_en[k].append(place.id)
        self._skeletons: dict[str, list[str]] | None = None
        self._members: dict[str, list[str]] | None = None
        self._english: dict[str, dict[str, float]] = {}  # english_candidates, by key
        self._shapes: dict[str, Any] | None = None
        self._prepared: dict[str, Any] = {}
        self._automaton: dict[str, Any] = {}

    # ------------------------------------------------------------ lookups

    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.places

    def get(self, place_id: str | None) -> Place | None:
        """The place with this id, or None."""
        return self.places.get(place_id) if place_id else None

    def lookup(self, key: str, lang: str = "ar") -> list[Place]:
        """Places whose normalised key is exactly ``key`` (already folded)."""
        table = self.keys_ar if lang == "ar" else self.keys_en
        return [self.places[i] for i in table.get(key, ())]

    def english_candidates(self, key: str) -> dict[str, float]:
        """Places a Latin name may spell, scored 0-1.

        1.0 for an official English key, ``ALTERNATE_NAME_SCORE`` for an alternate one. The Arabic
        namesakes of an exact match (OCHA romanises homonyms differently) and, when no place bears
        the name officially, places sharing its consonant skeleton score ``0.5 + 0.5 * fit``, where fit weighs the
        rapidfuzz ratio with the English names (articles aside) and how well ``key`` spells the
        Arabic name (:meth:`english_fit`).
        """
        cached = self._english.get(key)
        if cached is not None:
            return dict(cached)
        if self._skeletons is None:
            skel: dict[str, list[str]] = defaultdict(list)
            for pid, rec in self.records.items():
                for k in {*rec["keys_en"], *rec.get("keys_en_alt", ()), *rec["keys_ar"]}:
                    sk = skeleton(k)
                    if len(sk) >= 2:
                        skel[sk].append(pid)
            self._skeletons = skel
        out: dict[str, float] = {}
        for pid in self.keys_en.get(key, ()):
            out[pid] = 1.0 if key in self.records[pid]["keys_en"] else ALTERNATE_NAME_SCORE
        homonyms = {h for pid in out for k in self.records[pid]["keys_ar"] for h in self.keys_ar.get(k, ())}
        short = len(skeleton(key)) < 3  # short skeletons say little
        # a name some place bears in English is that place or its Arabic namesakes, not a look-alike
        # ("Adra" is عدرا, not درعا)
        alike = () if any(v == 1.0 for v in out.values()) else self._skeletons.get(skeleton(key), ())
        for pid in (*alike, *homonyms):
            if pid in out:
                continue
            fit = self.english_fit(key, pid)
            if fit >= (0.75 if short else 0.6):
                out[pid] = 0.5 + 0.5 * fit
        if len(self._english) >= 20000:  # names repeat across a corpus; keep memory bounded
            self._english.clear()
        self._english[key] = out
        return dict(out)

    def english_fit(self, key: str, place_id: str) -> float:
        """How well the folded Latin name ``key`` fits a place, 0-1.

        The Arabic name decides (OCHA's English names are ad hoc romanisations): the better of
        how well ``key`` spells it and its average with the rapidfuzz ratio to the English names.
        """
        from rapidfuzz import fuzz

        rec = self.records[place_id]
        bare = strip_latin_articles(key)
        en = max((fuzz.ratio(strip_latin_articles(k), bare) for k in rec["keys_en"]), default=0.0) / 100
        if not rec["keys_ar"]:
            return en
        ar = max(romanization_similarity(key, k) for k in rec["keys_ar"])
        return max(ar, (en + ar) / 2)

    def settlements(self) -> list[str]:
        """Ids of every settlement (city, town, village, camp, neighbourhood)."""
        return self.members("")

    def members(self, pcode: str) -> list[str]:
        """Ids of the settlements of the governorate, district or sub-district ``pcode``
        (every settlement for ``""``)."""
        if self._members is None:
            members: dict[str, list[str]] = defaultdict(list)
            for pid, p in self.places.items():
                if p.kind in SETTLEMENT_KINDS:
                    for code in ("", p.admin1_pcode, p.admin2_pcode, p.admin3_pcode):
                        if code is not None:
                            members[code].append(pid)
            self._members = dict(members)
        return self._members.get(pcode, [])

    def aliases(self, place_id: str) -> list[str]:
        rec = self.records.get(place_id, {})
        return [*rec.get("aliases_ar", []), *rec.get("aliases_en", [])]

    def radius_km(self, place_id: str) -> float:
        """Extent of a city from its neighbourhood points (0 for a village)."""
        return float(self.records.get(place_id, {}).get("radius_km", 0.0))

    def automaton(self, lang: str = "ar") -> Any:
        """An Aho-Corasick automaton over every key of ``lang``; values are the keys."""
        if lang not in self._automaton:
            auto = ahocorasick.Automaton()
            for key in self.keys_ar if lang == "ar" else self.keys_en:
                auto.add_word(key, key)
            auto.make_automaton()
            self._automaton[lang] = auto
        return self._automaton[lang]

    def search(self, name: str, limit: int = 10) -> list[tuple[Place, float]]:
        """Exact then fuzzy matches of a name in Arabic or English, best first, with a 0-1 score."""
        from rapidfuzz import fuzz, process

        lang = "ar" if is_arabic(name) else "en"
        key = fold_key(name)
        table = self.keys_ar if lang == "ar" else self.keys_en
        if lang == "ar" and key.startswith("ال") and key[2:] in table:
            key = key[2:]
        hits: dict[str, float] = {}
        for pid in table.get(key, ()):
            hits[pid] = 1.0 if lang == "ar" or key in self.records[pid]["keys_en"] else ALTERNATE_NAME_SCORE
        if lang == "en":
            for pid, score in self.english_candidates(key).items():
                hits[pid] = max(hits.get(pid, 0.0), score)
        if not hits:
            for k, score, _ in process.extract(
                key, table.keys(), scorer=fuzz.ratio, limit=limit * 3, score_cutoff=70
            ):
                for pid in table[k]:
                    hits.setdefault(pid, score / 100.0)
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], -self.places[kv[0]].population))
        return [(self.places[pid], score) for pid, score in ranked[:limit]]

    # ------------------------------------------------------------ geometry

    def _load_shapes(self) -> dict[str, Any]:
        if self._shapes is None:
            from shapely.geometry import shape

            path = self.directory / "shapes.geojson"
            try:
                with open(path, encoding="utf-8") as fh:
                    fc = json.load(fh)
            except (OSError, ValueError) as exc:
                raise GazetteerError(f"cannot read gazetteer shapes {path}: {exc}") from exc
            self._shapes = {f["id"]: shape(f["geometry"]) for f in fc["features"]}
        return self._shapes

    def geometry(self, place_id: str) -> Any:
        """The polygon of an area (shapely, WGS84), or None for points and unknown ids."""
        return self._load_shapes().get(place_id)

    def contains(self, area_id: str, lat: float, lon: float, *, tolerance_km: float = 0.0) -> bool:
        """True when the point lies inside the area's polygon (within ``tolerance_km`` of it)."""
        import shapely
        from shapely.geometry import Point

        geom = self.geometry(area_id)
        if geom is None:
            return False
        prepared = self._prepared.get(area_id)
        if prepared is None:
            shapely.prepare(geom)
            prepared = self._prepared[area_id] = geom
        pt = Point(lon, lat)
        if prepared.contains(pt):
            return True
        return tolerance_km > 0 and prepared.distance(pt) * 100.0 <= tolerance_km

    def holds(self, area: Place, p: Place, *, town_km: float = 30.0, tolerance_km: float = 3.0) -> bool:
        """Whether ``area`` holds place ``p``: by admin codes for admin units, within ``town_km`` of a
        settlement («X, Hama» where Hama is the city: its surroundings), else by its polygon give or
        take ``tolerance_km``."""
        if p.id == area.id:
            return False
        if area.kind in SETTLEMENT_KINDS:  # a neighbourhood holds only what is in its city's streets
            reach = min(town_km, NEIGHBOURHOOD_KM) if area.kind == "neighbourhood" else town_km
            return distance_km(p, area) <= reach
        codes = {"governorate": p.admin1_pcode, "district": p.admin2_pcode, "subdistrict": p.admin3_pcode}
        if area.kind in codes:
            return codes[area.kind] == area.id
        return self.contains(area.id, p.lat, p.lon, tolerance_km=tolerance_km)

    def admin_areas(self, level: int) -> list[tuple[Place, Any]]:
        """Admin units of one level (1 governorates, 2 districts, 3 sub-districts) with polygons."""
        kind = ADMIN_LEVEL_KINDS[level]
        return [(p, self.geometry(p.id)) for p in self.places.values() if p.kind == kind]

    def nearest(
        self, lat: float, lon: float, *, kinds: frozenset[str] | None = None
    ) -> tuple[Place, float] | None:
        """The nearest point place (settlement by default) and its distance in km."""
        kinds = kinds or frozenset({"city", "town", "village"})
        best, best_d = None, math.inf
        coslat = math.cos(math.radians(lat))
        for p in self.places.values():
            if p.kind not in kinds:
                continue
            d = (p.lat - lat) ** 2 + ((p.lon - lon) * coslat) ** 2
            if d < best_d:
                best, best_d = p, d
        if best is None:
            return None
        return best, math.sqrt(best_d) * 111.2


def distance_km(a: Place, b: Place) -> float:
    """About how far apart two places are, in km (flat-earth: exact enough within Syria)."""
    coslat = math.cos(math.radians((a.lat + b.lat) / 2))
    return 111.2 * math.hypot(a.lat - b.lat, (a.lon - b.lon) * coslat)


@lru_cache(maxsize=4)
def load_gazetteer(directory: str | Path | None = None) -> Gazetteer:
    """Load (once per directory) the built gazetteer; the bundled one by default."""
    return Gazetteer(Path(directory) if directory else data_dir())
