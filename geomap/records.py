"""Results as plain JSON-ready dicts: the records of ``geomap extract`` and ``geomap geocode``."""

from __future__ import annotations

from typing import Any

from geomap.model import Count, Event, Flow, Mention, Place, Result

_ADMIN_FIELDS = ("admin1", "admin1_pcode", "admin2", "admin2_pcode", "admin3", "admin3_pcode")
_PLACE_FIELDS = ("name_ar", "name_en", "kind", "gazetteer_id", "lat", "lon", *_ADMIN_FIELDS)


def admin_record(place: Place) -> dict[str, Any]:
    """The admin names and P-codes of a place (ACLED ``admin1`` … and OCHA P-codes)."""
    return {k: getattr(place, k) for k in _ADMIN_FIELDS}


def place_record(place: Place | None) -> dict[str, Any]:
    """The place fields shared by mentions, event locations and geocoder answers."""
    if place is None:
        return dict.fromkeys(_PLACE_FIELDS)
    return {
        "name_ar": place.name_ar,
        "name_en": place.name_en,
        "kind": place.kind,
        "gazetteer_id": place.id,
        "lat": place.lat,
        "lon": place.lon,
        **admin_record(place),
    }


def _location(m: Mention) -> dict[str, Any]:
    """A mention as an event location: its span, its place and the precision codes."""
    return {
        "surface": m.surface,
        "start": m.start,
        "end": m.end,
        **place_record(m.place),
        "geo_precision": m.geo_precision if m.place else None,
        "where_prec": m.where_prec if m.place else None,
    }


def mention_record(m: Mention) -> dict[str, Any]:
    """One mention: its span in the original text, the place it names and how sure we are."""
    return {
        **_location(m),
        "name": m.name,
        "feature": m.feature or None,
        "confidence": m.confidence,
        "reason": m.reason,
        "candidates": [{"gazetteer_id": c.place_id, "score": c.score} for c in m.candidates],
    }


def _count(c: Count | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"best": c.best, "low": c.low, "high": c.high, "what": c.what, "surface": c.surface}


def event_record(e: Event) -> dict[str, Any]:
    """One event with its evidence (sentence, span, trigger) and its places.

    Names follow the ``events`` layer (``docs/schema.md``): ``event_class`` is the short class,
    ``event_type``/``sub_event_type`` are ACLED's, ``count`` is the primary count and
    ``fatalities`` ACLED's deaths.
    """
    return {
        "event_id": e.id,
        "event_class": e.type.value,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "sentence": e.sentence,
        "start": e.start,
        "end": e.end,
        "trigger": e.trigger,
        "trigger_start": e.trigger_start,
        "trigger_end": e.trigger_end,
        "locations": [_location(m) for m in e.locations],
        "origins": [_location(m) for m in e.origins],
        "destinations": [_location(m) for m in e.destinations],
        "count": _count(e.count),
        "fatalities": e.fatalities,
        "actor1": e.actor1,
        "actor2": e.actor2,
        "status": e.status,
        "event_date": e.date,
        "time_precision": e.time_precision,
        "source_url": e.doc_url,
        "notes": e.notes or None,
        "sources": list(e.sources) or [e.doc_id],
    }


def flow_record(f: Flow) -> dict[str, Any]:
    """One displacement flow: origin, destination (or null) and the displaced count of its event."""
    return {
        "flow_id": f.id,
        "event_id": f.event_id,
        "origin": _location(f.origin),
        "destination": _location(f.destination) if f.destination else None,
        "count": _count(f.count),
    }


def result_record(r: Result) -> dict[str, Any]:
    """The JSON Lines record of one document: ``{"id", "mentions", "events", "flows"}``."""
    doc = r.document
    return {
        "id": doc.id,
        "title": doc.title,
        "date": doc.date,
        "url": doc.url,
        "mentions": [mention_record(m) for m in r.mentions],
        "events": [event_record(e) for e in r.events],
        "flows": [flow_record(f) for f in r.flows],
    }
