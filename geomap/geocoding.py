"""The bundled gazetteer as a drop-in geopy geocoder (no network).

    >>> from geomap import GazetteerGeocoder  # doctest: +SKIP
    >>> GazetteerGeocoder().geocode("Kafr Nabudah, Hama").point  # doctest: +SKIP
    Point(35.4323, 36.4909, 0.0)

Works with ``geopandas.tools.geocode(names, provider=GazetteerGeocoder)``.
"""

from __future__ import annotations

from typing import Any

from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from geomap.gazetteer import Gazetteer, load_gazetteer
from geomap.model import Place
from geomap.resolve import precision_codes, resolve_query

__all__ = ("GazetteerGeocoder",)


class GazetteerGeocoder(Geocoder):
    """Geocode Syrian place names in Arabic or English with the bundled gazetteer.

    Args:
        gazetteer: a loaded ``Gazetteer`` (default: the bundled one).
        **kwargs: passed on to geopy's ``Geocoder`` (unused: no request is ever made).
    """

    def __init__(self, *, gazetteer: Gazetteer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer or load_gazetteer()

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        language: str | None = None,
    ) -> Location | list[Location] | None:
        """Resolve ``query`` (a name, optionally with comma-separated context such as ``"Suran, Hama"``).

        Returns:
            None when nothing matches; a ``Location`` with ``exactly_one``; otherwise the
            candidates, best first. ``raw`` holds ``place_id``, ``kind``, ``name_ar``,
            ``name_en``, ``admin1``, ``score`` (the resolver's ranking score: higher is better,
            not bounded), ``confidence`` (0-1, of the first answer), ``reason`` and precision codes.
        """
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError("query must be a non-empty string")
        mention = resolve_query(query, self.gazetteer)
        if mention is None or mention.place is None:
            return None
        first = self._location(
            mention.place, mention.candidates[0].score, mention.confidence, mention.reason, mention.feature
        )
        if exactly_one:
            return first
        rest = [
            self._location(p, c.score, None, "alternative", "")
            for c in mention.candidates[1:]
            if (p := self.gazetteer.get(c.place_id)) is not None
        ]
        return [first, *rest]

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        language: str | None = None,
    ) -> Location | list[Location] | None:
        """The nearest settlement to a point (``"lat, lon"``, a tuple or a geopy ``Point``)."""
        try:
            point = Point(query)
        except (TypeError, ValueError) as exc:
            raise GeocoderQueryError(f"not a point: {query!r}") from exc
        found = self.gazetteer.nearest(point.latitude, point.longitude)
        if found is None:
            return None
        place, km = found
        loc = self._location(place, 1.0, None, f"nearest settlement, {km:.1f} km", "")
        loc.raw["distance_km"] = round(km, 3)
        return loc if exactly_one else [loc]

    @staticmethod
    def _location(
        place: Place, score: float, confidence: float | None, reason: str, feature: str
    ) -> Location:
        address = ", ".join(x for x in (place.name_en, place.admin3, place.admin2, place.admin1) if x)
        geo, where = precision_codes(place, feature)
        raw = {
            "place_id": place.id,
            "kind": place.kind,
            "name_ar": place.name_ar,
            "name_en": place.name_en,
            "admin1": place.admin1,
            "admin1_pcode": place.admin1_pcode,
            "admin2": place.admin2,
            "admin3": place.admin3,
            "score": score,
            "confidence": confidence,
            "reason": reason,
            "geo_precision": geo,
            "where_prec": where,
        }
        return Location(address, Point(place.lat, place.lon), raw)
