"""Mentions -> the place each one names, with a confidence, a reason and the alternatives.

Among homonyms the resolver keeps the candidates inside the areas the phrase names
(containment chains such as «السرمانية في سهل الغاب بريف حماة» are hard constraints,
point in polygon), then scores the rest by the kind the phrase implies (قرية، مدينة،
محافظة), the governorates the article names, closeness to the article's other places,
and a prior from the kind and population of the place.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from geomap.gazetteer import Gazetteer
from geomap.model import AREA_KINDS, SETTLEMENT_KINDS, Candidate, Mention, Place
from geomap.normalize import fold_key, is_arabic, skeleton, strip_latin_qualifiers

#: How many mentions before and after one count as its neighbours in the text.
_WINDOW = 30
#: How far outside a query's context area («X, Hama») a place of that name may lie, in km.
BORDER_KM = 15.0
#: A city this big is what its bare name means (حلب، حمص), rather than its governorate.
BIG_CITY = 300_000
_KIND_PRIOR = {
    "country": 3.2,
    "governorate": 3.0,
    "countryside": 3.0,
    "operation-area": 3.0,
    "region": 2.8,
    "plain": 2.8,
    "mountain": 2.8,
    "valley": 2.6,
    "city": 2.6,
    "town": 1.6,
    "village": 1.0,
    "camp": 1.0,
    "neighbourhood": 0.8,
    "district": 0.4,
    "subdistrict": 0.3,
}
_HINT_KINDS = {
    "village": {"village", "town"},
    "town": {"town", "village", "city"},
    "city": {"city", "town"},
    "governorate": {"governorate"},
    "subdistrict": {"subdistrict"},
    "countryside": {"countryside"},
    "camp": {"camp", "village", "town"},
    "neighbourhood": {"neighbourhood"},  # «حي جوبر»: the neighbourhood before a village of the name
}
_NEAR_FEATURES = frozenset(
    {
        "front",
        "axis",
        "outskirts",
        "vicinity",
        "near",
        "countryside",
        "north of",
        "south of",
        "east of",
        "west of",
        "crossing",  # «معبر كسب», «معبر باب الهوى»: at the town's crossing
        "airport",  # «مطار الضمير»: the town's airbase
        "hill",  # «تلة كباني»: a hill by the village
        "road",  # an end of a road named («طريق حلب – دمشق»): the event is on the road
    }
)
_SETTLEMENTS = SETTLEMENT_KINDS
_REGIONAL = frozenset({"plain", "mountain", "valley", "subdistrict", "district"})
#: Smaller first: the innermost area of a chain locates an unknown name best.
_AREA_SIZE = {
    "neighbourhood": -2,  # «سوق الحميدية في دمشق القديمة»: a landmark of the neighbourhood
    "city": -1,  # «حي الوعر في حمص»: a neighbourhood the gazetteer lacks is in its city
    "subdistrict": 0,
    "plain": 1,
    "mountain": 1,
    "valley": 1,
    "district": 2,
    "countryside": 3,
    "governorate": 4,
    "region": 5,
    "operation-area": 5,
}


def _km(a: Place, lat: float, lon: float) -> float:
    p1, p2 = math.radians(a.lat), math.radians(lat)
    dl = math.radians(lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def precision_codes(place: Place, feature: str = "") -> tuple[int, int]:
    """ACLED ``geo_precision`` (1-3) and UCDP ``where_prec`` (1-7) of a resolved mention."""
    kind = place.kind
    if kind == "neighbourhood":  # located at its city's point: a part of the city
        return 2, 2
    if kind in _SETTLEMENTS:
        if feature in _NEAR_FEATURES:
            return 2, 2
        return 1, 1
    if kind in _REGIONAL:
        return 2, 3
    if kind == "countryside" and place.admin2_pcode:  # a district's countryside («ريف منبج»)
        return 2, 3
    if kind in ("governorate", "countryside"):
        return 3, 4
    if kind in ("region", "operation-area"):
        return 3, 5
    if kind == "country":
        return 3, 6 if place.id.endswith("/SY") else 7
    return 3, 5


class Resolver:
    """Chooses a place for each mention of a document."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._inside: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._forms: dict[tuple[tuple[str, ...], bool], tuple[list[str], list[str]]] = {}
        self._by_lat: list[tuple[float, int]] | None = None  # (latitude, index) of the settlements

    def __call__(self, mentions: list[Mention]) -> list[Mention]:
        return self.resolve(mentions)

    def resolve(self, mentions: list[Mention]) -> list[Mention]:
        """Resolve every mention; unresolved ones keep ``place=None`` with a reason."""
        out: list[Mention] = list(mentions)
        # Pass 1 decides the areas and the unambiguous; pass 2 the rest, in their light.
        # Chains point forward (X في سهل الغاب بريف حماة), so pass 2 runs from the end.
        for pass_ in (1, 2):
            context = self._article_context(out)
            order = range(len(out)) if pass_ == 1 else range(len(out) - 1, -1, -1)
            for i in order:
                m = out[i]
                if pass_ == 1 and (len(m.candidates) > 1 or m.chain) and not self._all_areas(m):
                    continue  # what its container decides waits for the container
                if pass_ == 2 and m.place is not None:
                    continue
                out[i] = self._resolve_one(m, i, out, context)
        return [
            replace(m, context=(*m.context, *(out[j].place.id for j in m.chain if out[j].place is not None)))
            if m.chain
            else m
            for m in out
        ]

    def _all_areas(self, m: Mention) -> bool:
        return all(self.gaz.places[c.place_id].kind in AREA_KINDS for c in m.candidates)

    def _article_context(self, mentions: list[Mention]) -> dict[str, object]:
        admin1: dict[str, float] = {}
        points: dict[int, tuple[float, float]] = {}
        for i, m in enumerate(mentions):
            p = m.place
            if p is None and len(m.candidates) == 1:
                p = self.gaz.places.get(m.candidates[0].place_id)
            if p is None and m.candidates:
                # «الرقة»: the city, its district and sub-district all name one governorate
                codes = {
                    self.gaz.places[c.place_id].admin1_pcode or c.place_id
                    for c in m.candidates
                    if c.place_id in self.gaz.places
                }
                if len(codes) == 1:
                    code = codes.pop()
                    admin1[code] = admin1.get(code, 0) + 1
            if p is None:
                continue
            if p.admin1_pcode:
                admin1[p.admin1_pcode] = admin1.get(p.admin1_pcode, 0) + 1
            if p.kind in _SETTLEMENTS and p.id.startswith("C"):
                points[i] = (p.lat, p.lon)
        return {"admin1": admin1, "points": points}

    def _resolve_one(self, m: Mention, index: int, mentions: list[Mention], context: dict) -> Mention:
        places = [self.gaz.places[c.place_id] for c in m.candidates if c.place_id in self.gaz.places]
        # hard constraint: the areas named right after the mention contain it
        areas = [mentions[j].place for j in m.chain if j < len(mentions)]
        areas += [self.gaz.places[i] for i in m.context if i in self.gaz.places]  # «حي جوبر الدمشقي»
        areas = [a for a in areas if a is not None and a.kind != "country"]
        if not places:
            return self._unknown(m, areas)
        reasons: list[str] = []
        by_article = not areas  # no area named with it: the article's city, if any, may stand in
        if not areas and m.kind_hint == "neighbourhood":  # «حي الحمدانية» in an article about Aleppo
            own = {c.place_id for c in m.candidates}  # «أحياء حمص»: the city itself, not a part of it
            areas = [a for a in self._city_named_before(index, mentions) if a.id not in own]
        if areas and m.kind_hint == "neighbourhood":  # a neighbourhood is in a city's streets, not its reach
            streets = [p for p in places if all(self._in_streets(p, a) for a in areas)]
            if not streets and by_article and any(p.kind == "neighbourhood" for p in places):
                # «… وحي جوبر. ولم تشمل الاتفاقات مدينة دوما»: a known neighbourhood of another city
                streets, areas = [p for p in places if p.kind == "neighbourhood"], []
            places = streets
        if areas and m.kind_hint in ("city", "town", "village"):
            # «مدينة منبج بريف حلب الشرقي»: the city, not the district of its name that overlaps
            places = [p for p in places if p.kind in _HINT_KINDS[m.kind_hint]] or places
        if areas:
            inside = [p for p in places if all(self.inside(p, a) for a in areas)]
            if inside:
                places = inside
                reasons.append("inside " + " / ".join(a.name_en for a in areas))
            else:  # «تل أحمر بريف القنيطرة» with no تل أحمر there: a namesake far off is not it
                near = [p for p in places if all(self._close_to(p, a) for a in areas)]
                where, named = "near", areas
                if not near:  # the press's directions are loose: «ريف حماة الغربي» for the Ghab
                    wholes = [self._whole(a) for a in areas]
                    near = (
                        [p for p in places if all(self.inside(p, a) for a in wholes)]
                        if wholes != areas
                        else []
                    )
                    where = "inside (direction aside)"
                    named = wholes
                if not near:
                    return self._unknown(m, areas)
                places = near
                reasons.append(f"{where} " + " / ".join(a.name_en for a in named))
        match = {c.place_id: c.score for c in m.candidates}
        scores = {
            p.id: self._score(p, m, index, mentions, context) + 60.0 * (match.get(p.id, 1.0) - 1.0)
            for p in places
        }
        ranked = sorted(places, key=lambda p: (-scores[p.id], p.id))
        best = ranked[0]
        exp = [math.exp(scores[p.id] - scores[best.id]) for p in ranked]
        confidence = 1.0 / sum(exp)
        if len(ranked) == 1 and not reasons:
            reasons.append("only candidate" if len(m.candidates) == 1 else "kind and context")
        elif not reasons:
            reasons.append(self._why(best, m, context))
        geo, where = precision_codes(best, m.feature)
        return replace(
            m,
            place=best,
            confidence=round(confidence, 3),
            reason="; ".join(reasons),
            candidates=tuple(Candidate(p.id, round(scores[p.id], 3)) for p in ranked[:5]),
            geo_precision=geo,
            where_prec=where,
        )

    def _unknown(self, m: Mention, areas: list[Place]) -> Mention:
        """A name the gazetteer lacks: a spelling variant inside the named areas, or the area itself."""
        if not areas:
            return replace(m, place=None, confidence=0.0, reason="not in the gazetteer")
        found = [
            (pid, 0.4 + 0.4 * fit) for pid, fit in _fuzzy_within(m.name, areas, self.gaz, self, cutoff=85)
        ]
        if m.kind_hint == "neighbourhood":  # «حي المحمودية» of Afrin: in its streets, not a village nearby
            found = [
                (pid, sc)
                for pid, sc in found
                if all(self._in_streets(self.gaz.places[pid], a) for a in areas)
            ]
        if found:  # scored below an exact or skeleton match
            pid, score = found[0]
            place = self.gaz.places[pid]
            geo, where = precision_codes(place, m.feature)
            return replace(
                m,
                place=place,
                confidence=round(score, 3),
                geo_precision=geo,
                where_prec=where,
                reason=f"spelling variant of {place.name_ar} inside {areas[0].name_en}",
                candidates=tuple(Candidate(p, sc) for p, sc in found),
            )
        areas = [a for a in areas if a.kind in AREA_KINDS or a.kind in ("city", "neighbourhood")]
        if not areas:  # only near other places of a list: no place of its own
            return replace(m, place=None, confidence=0.0, reason="not in the gazetteer")
        area = min(areas, key=lambda a: _AREA_SIZE.get(a.kind, 9))
        return replace(
            m,
            place=area,
            feature="in",
            confidence=0.5,
            geo_precision=2 if area.kind in _REGIONAL or area.kind in ("city", "neighbourhood") else 3,
            where_prec=precision_codes(area)[1],
            candidates=(Candidate(area.id, 0.0),),
            reason=("none of that name inside" if m.candidates else "not in the gazetteer")
            + f"; located by the area that holds it ({area.name_en})",
        )

    def _whole(self, area: Place) -> Place:
        """The countryside a directional part belongs to («ريف حماة» for «ريف حماة الغربي»)."""
        parent = self.gaz.get(area.parent_id) if area.kind == "countryside" else None
        return parent if parent is not None and parent.kind == "countryside" else area

    def settlements_inside(self, areas: list[Place]) -> tuple[str, ...]:
        """Ids of the settlements inside every one of ``areas`` (cached: areas recur in a corpus)."""
        key = tuple(a.id for a in areas)
        found = self._inside.get(key)
        if found is None:
            admin = [a for a in areas if a.kind in ("governorate", "district", "subdistrict")]
            pool = self.gaz.members(admin[0].id) if admin else self._settlements_in_box(areas)
            found = tuple(pid for pid in pool if all(self.inside(self.gaz.places[pid], a) for a in areas))
            if len(self._inside) >= 512:
                self._inside.clear()
            self._inside[key] = found
        return found

    def _city_named_before(self, index: int, mentions: list[Mention]) -> list[Place]:
        """The city the article named last before mention ``index`` (else first after it), by name or
        by one of its neighbourhoods («أحياء حمص القديمة … بحي الدبلان»), if any."""
        order = [*range(index - 1, -1, -1), *range(index + 1, len(mentions))]
        for j in order:
            p = mentions[j].place
            if p is not None and p.kind == "neighbourhood":
                p = self.gaz.get(p.parent_id)
            if p is not None and p.kind == "city":
                return [p]
        return []

    def _in_streets(self, p: Place, area: Place) -> bool:
        """Within a city's built-up extent (its neighbourhood points, 3 km at least); any place for other areas."""
        if area.kind not in _SETTLEMENTS:
            return True
        return _km(p, area.lat, area.lon) <= max(3.0, self.gaz.radius_km(area.id)) + 2.0

    def name_forms(self, ids: tuple[str, ...], skeletons: bool) -> tuple[list[str], list[str]]:
        """The Arabic keys of the places ``ids`` (or their consonant skeletons), each with its place id;
        kept per set of places, as the same areas come back across a corpus."""
        found = self._forms.get((ids, skeletons))
        if found is None:
            pairs = [(pid, k) for pid in ids for k in self.gaz.records[pid]["keys_ar"]]
            found = ([pid for pid, _ in pairs], [skeleton(k) if skeletons else k for _, k in pairs])
            if len(self._forms) >= 256:
                self._forms.clear()
            self._forms[(ids, skeletons)] = found
        return found

    def _settlements_in_box(self, areas: list[Place]) -> list[str]:
        """The settlements, in gazetteer order, inside the bounding box of every area widened by
        what ``inside`` allows (30 km of a town, 3 km of a polygon): a few of them, a superset of
        those inside all the areas."""
        south, west, north, east = -90.0, -180.0, 90.0, 180.0
        for a in areas:
            if a.kind in _SETTLEMENTS:  # 30 km is 0.27 degrees of latitude
                south, north = max(south, a.lat - 0.3), min(north, a.lat + 0.3)
            elif (geom := self.gaz.geometry(a.id)) is not None:  # 3 km is 0.03 degrees in contains
                x0, y0, x1, y1 = geom.bounds
                south, west = max(south, y0 - 0.05), max(west, x0 - 0.05)
                north, east = min(north, y1 + 0.05), min(east, x1 + 0.05)
        pool = self.gaz.settlements()
        if self._by_lat is None:
            self._by_lat = sorted((self.gaz.places[pid].lat, i) for i, pid in enumerate(pool))
        band = self._by_lat[
            bisect_left(self._by_lat, (south, -1)) : bisect_right(self._by_lat, (north, len(pool)))
        ]
        ids = (pool[i] for i in sorted(i for _, i in band))
        return [pid for pid in ids if west <= self.gaz.places[pid].lon <= east]

    def _close_to(self, p: Place, area: Place) -> bool:
        """Just outside ``area``: within BORDER_KM of its polygon, or 60 km of a town."""
        if area.kind in _SETTLEMENTS:
            return self.gaz.holds(area, p, town_km=60.0)
        return self.gaz.contains(area.id, p.lat, p.lon, tolerance_km=BORDER_KM)

    def inside(self, p: Place, area: Place) -> bool:
        """True when place ``p`` lies in ``area`` (admin codes, polygon, or 30 km of a town)."""
        return self.gaz.holds(area, p)

    def _score(self, p: Place, m: Mention, index: int, mentions: list[Mention], context: dict) -> float:
        score = _KIND_PRIOR.get(p.kind, 1.0)
        if p.kind in _SETTLEMENTS:
            score += 0.35 * math.log10(p.population + 1)
        hint = m.kind_hint
        if hint:
            score += 4.0 if p.kind in _HINT_KINDS.get(hint, {hint}) else -2.0
        if p.kind == "country" and not hint:  # «الحدود مع تركيا»: a country's name is the country
            score += 3.0
        if p.kind == "governorate" and not hint:
            # a bare «إدلب» names the governorate unless the phrase says «مدينة» or the city is
            # a big one («حلب», «حمص»); coordinated with another governorate it is one too
            if self._coordinated_with_area(index, mentions):
                score += 5.0
            elif not any(
                self.gaz.places[c.place_id].kind == "city"
                and self.gaz.places[c.place_id].population >= BIG_CITY
                for c in m.candidates
                if c.place_id in self.gaz.places
            ):
                score += 3.0
        admin1: dict[str, float] = context["admin1"]  # type: ignore[assignment]
        if p.admin1_pcode and p.admin1_pcode in admin1 and len(m.candidates) > 1:
            score += 1.5
        points: dict[int, tuple[float, float]] = context["points"]  # type: ignore[assignment]
        if points and p.kind in _SETTLEMENTS and len(m.candidates) > 1:
            # the places named nearby in the text (a window keeps long documents linear)
            near = [
                points[j] for j in range(index - _WINDOW, index + _WINDOW + 1) if j != index and j in points
            ]
            if near:
                coslat = math.cos(math.radians(p.lat))
                d = 111.2 * math.sqrt(
                    min((la - p.lat) ** 2 + ((lo - p.lon) * coslat) ** 2 for la, lo in near)
                )
                score += 2.0 * math.exp(-d / 40.0)
        return score

    def _coordinated_with_area(self, index: int, mentions: list[Mention]) -> bool:
        """«إدلب وحماة»: a bare name joined by و to a governorate or countryside."""
        m = mentions[index]
        for j in (index - 1, index + 1):
            if 0 <= j < len(mentions):
                o = mentions[j]
                gap_ok = abs((o.start if j > index else m.start) - (m.end if j > index else o.end)) <= 2
                kinds = {
                    self.gaz.places[c.place_id].kind for c in o.candidates if c.place_id in self.gaz.places
                }
                if gap_ok and kinds & {"governorate", "countryside"}:
                    return True
        return False

    def _why(self, best: Place, m: Mention, context: dict) -> str:
        if m.kind_hint:
            return f"phrase implies a {m.kind_hint}"
        admin1: dict[str, float] = context["admin1"]  # type: ignore[assignment]
        if best.admin1_pcode in admin1 and len(m.candidates) > 1 and best.kind in _SETTLEMENTS:
            return f"article names {best.admin1}"
        return f"prior: {best.kind}"


_CONTEXT_NOISE = re.compile(
    r"\b(governorate|province|district|sub-?district|nahiya|countryside|mohafaza|muhafazat)\b", re.IGNORECASE
)
_CONTEXT_KINDS = (
    "governorate",
    "district",
    "subdistrict",
    "countryside",
    "region",
    "plain",
    "mountain",
    "operation-area",
    "city",
)


def _context_place(part: str, gazetteer: Gazetteer) -> Place | None:
    """The area a context part of a query names («Hama», «Hamah Governorate», «ريف إدلب»)."""
    name = " ".join(_CONTEXT_NOISE.sub(" ", part).split())
    if not name:
        return None
    found = gazetteer.search(name, limit=12)
    for kind in _CONTEXT_KINDS:
        for place, score in found:
            if place.kind == kind and score >= 0.85:
                return place
    return None


def resolve_query(query: str, gazetteer: Gazetteer) -> Mention | None:
    """Resolve a geocoder query: a name, optionally followed by comma-separated context.

    ``"Kafr Nabudah, Hama"`` keeps only candidates inside Hama; when no candidate of the
    name lies inside the context, names inside it are matched fuzzily instead. The name is
    recognised like article text (so «ريف حماة الغربي» works); failing that it is matched
    fuzzily against the whole gazetteer. Returns the resolved mention, or None.
    """
    text = " ".join(query.split())
    parts = [p.strip() for p in re.split(r"[,،]", text)]
    if not parts[0]:
        return None
    areas = [a for a in (_context_place(p, gazetteer) for p in parts[1:] if p) if a is not None]
    answers = [
        (a[0], a[1] * weight)
        for name, weight in _alternatives(parts[0])
        if (a := _resolve_name(name, areas, gazetteer))
    ]
    if not answers:
        return None
    # the spelling that matched best wins; then the more confident resolution. The confidence
    # says how well the name matched too: a look-alike is no sure answer, whatever its rivals
    best, match = max(answers, key=lambda a: (round(a[1], 2), a[0].confidence))
    if best.feature == "in":  # located by its area: that confidence stands
        return best
    return replace(best, confidence=round(best.confidence * min(1.0, match), 3))


def _alternatives(name: str) -> list[tuple[str, float]]:
    """«Duniq/Dowaibeq», «Ghazal (Qizil Mazra'ah)»: each spelling on its own, the whole first;
    each without the words that say what kind of place it is ("Hajin town", "outskirts of X");
    and, weighed down by ``QUALIFIED_WEIGHT``, without a qualifier ("Baghuz at-Tahtani")."""
    alts: dict[str, float] = {name: 1.0}
    inner = re.findall(r"\(([^)]*)\)", name)
    outer = re.sub(r"\([^)]*\)", " ", name)
    for piece in [*re.split(r"/", outer), *inner]:
        piece = " ".join(piece.split())
        for form in (piece, " ".join(_FEATURE_WORDS.sub(" ", piece).split())):
            if form:
                alts.setdefault(form, 1.0)
            bare = _without_qualifier(form)
            if bare:
                alts.setdefault(bare, QUALIFIED_WEIGHT)
            words = (bare or form).split()
            if len(words) > 1 and fold_key(words[0]) in _HEAD_WORDS:
                alts.setdefault(" ".join(words[1:]), HEADLESS_WEIGHT)
    return list(alts.items())


HEADLESS_WEIGHT = 0.85
_HEAD_WORDS = frozenset("jubb jub jeb ain ayn ein tall tal tell khirbat khirbet kherbet".split())
#: How much a name found only without its qualifier ("Bala" for "Bala al-Jadida") counts.
QUALIFIED_WEIGHT = 0.9


def _without_qualifier(name: str) -> str | None:
    """A Latin name without its qualifier words, in its own spelling; None when it has none."""
    if not name or is_arabic(name):
        return None
    words = re.split(r"[\s\-]+", name)
    bare = strip_latin_qualifiers(" ".join(fold_key(w) for w in words))
    kept = len(bare.split())
    if bare == fold_key(name) or kept >= len(words):
        return None
    folded = [fold_key(w) for w in words]
    start = next(i for i in range(len(words)) if " ".join(folded[i : i + kept]) == bare)
    return " ".join(words[start : start + kept])


_FEATURE_WORDS = re.compile(
    r"^(?:outskirts|vicinity|surroundings|environs|area|countryside|suburbs?) of\b|^near\b"
    r"|\b(?:town|village|city|area|camp|outskirts|vicinity|farms?)$",
    re.IGNORECASE,
)


def _resolve_name(name: str, areas: list[Place], gazetteer: Gazetteer) -> tuple[Mention, float] | None:
    """Resolve one spelling; return the mention and how well the name matched its place (0-1)."""
    from geomap.model import Document
    from geomap.recognize import Recognizer

    resolver = Resolver(gazetteer)
    latin = not is_arabic(name)
    mentions = Recognizer(gazetteer).recognize(Document("query", name))
    head = mentions[0] if mentions and mentions[0].start <= 3 and mentions[0].end >= len(name) - 1 else None
    scores = {c.place_id: c.score for c in head.candidates} if head else {}
    if head is None or latin:  # a Latin name may spell places the recognised span missed
        for p, score in gazetteer.search(name, limit=10):
            scores[p.id] = max(scores.get(p.id, 0.0), score)
    head = head or Mention("query", 0, len(name), name, name)
    if areas:
        inside = {
            pid: sc
            for pid, sc in scores.items()
            if all(resolver.inside(gazetteer.places[pid], a) for a in areas)
        }
        if not inside:  # the name itself just across a border (sources draw admin lines differently)
            near = (
                pid
                for pid in scores
                if scores[pid] >= 0.9 and all(_near_area(gazetteer, gazetteer.places[pid], a) for a in areas)
            )
            inside = {pid: scores[pid] for pid in near}
        if latin or not inside:  # spellings of the names inside the area
            for pid, fit in _fuzzy_within(name, areas, gazetteer, resolver):
                inside[pid] = max(inside.get(pid, 0.0), (0.5 + 0.5 * fit) if latin else (0.4 + 0.4 * fit))
        if not inside:  # nothing of the name there: the area itself, as a last resort
            located = resolver._unknown(replace(head, candidates=()), areas)
            return (located, 0.0) if located.place is not None else None
        scores = inside
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    head = replace(head, candidates=tuple(Candidate(pid, sc) for pid, sc in ranked))
    if not head.candidates:
        return None
    match = {c.place_id: c.score for c in head.candidates}
    context_mentions = [
        Mention("query", 0, 0, a.name_en, a.name_en, place=a, candidates=(Candidate(a.id, 1.0),))
        for a in areas
    ]
    resolved = resolver.resolve([head, *context_mentions])[0]
    if resolved.place is None:
        return None
    if areas:
        where = "inside" if all(resolver.inside(resolved.place, a) for a in areas) else "just outside"
        resolved = replace(
            resolved, reason=f"{where} {' / '.join(a.name_en for a in areas)}; {resolved.reason}"
        )
    return resolved, match.get(resolved.place.id, 0.0)


def _near_area(gazetteer: Gazetteer, p: Place, area: Place) -> bool:
    return gazetteer.contains(area.id, p.lat, p.lon, tolerance_km=BORDER_KM)


def _fuzzy_within(
    name: str, areas: list[Place], gazetteer: Gazetteer, resolver: Resolver, cutoff: int = 75
) -> list[tuple[str, float]]:
    """Settlements inside ``areas`` whose names are close to ``name``, best first, with a 0-1 fit.

    Arabic names by rapidfuzz ratio with the Arabic keys; Latin ones by how well they spell the
    Arabic names (:meth:`Gazetteer.english_fit`).
    """
    from rapidfuzz import fuzz, process

    key = fold_key(name)
    arabic = is_arabic(name)
    ids, forms = resolver.name_forms(resolver.settlements_inside(areas), skeletons=not arabic)
    found: dict[str, float] = {}
    if arabic:
        for _, score, i in process.extract(key, forms, scorer=fuzz.ratio, limit=20, score_cutoff=cutoff):
            found[ids[i]] = max(found.get(ids[i], 0.0), score / 100.0)
    else:  # consonant skeletons pick the few worth the slower romanisation fit
        near = process.extract(skeleton(key), forms, scorer=fuzz.ratio, limit=100, score_cutoff=40)
        fits = ((pid, gazetteer.english_fit(key, pid)) for pid in {ids[i] for _, _, i in near})
        found = {pid: fit for pid, fit in fits if fit * 100 >= cutoff}
    return sorted(found.items(), key=lambda kv: -kv[1])[:5]


def resolve_mentions(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Resolve ``mentions`` against ``gazetteer``."""
    return Resolver(gazetteer).resolve(mentions)
