"""geomap: offline geospatial event mapper for conflict reporting on Syria.

>>> import geomap  # doctest: +SKIP
>>> result = geomap.extract("قصف مدفعي على السرمانية في سهل الغاب بريف حماة")  # doctest: +SKIP
>>> geomap.render([result], "outputs/")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geomap.errors import ConfigError, GazetteerError, GeomapError, InputError, OutputError
from geomap.model import Candidate, Count, Document, Event, EventType, Flow, Mention, Place, Result
from geomap.pipeline import Pipeline, extract

if TYPE_CHECKING:
    from geomap.geocoding import GazetteerGeocoder
    from geomap.output import render

__version__ = "0.1.0"


def geocoder() -> GazetteerGeocoder:
    """The bundled gazetteer as a geopy geocoder."""
    from geomap.geocoding import GazetteerGeocoder

    return GazetteerGeocoder()


def __getattr__(name: str) -> Any:
    # geopy, geopandas and folium load only when their part is used
    if name == "GazetteerGeocoder":
        from geomap.geocoding import GazetteerGeocoder

        return GazetteerGeocoder
    if name == "render":
        from geomap.output import render

        return render
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")


__all__ = [
    "Candidate",
    "ConfigError",
    "Count",
    "Document",
    "Event",
    "EventType",
    "Flow",
    "GazetteerError",
    "GazetteerGeocoder",
    "GeomapError",
    "InputError",
    "Mention",
    "OutputError",
    "Pipeline",
    "Place",
    "Result",
    "extract",
    "geocoder",
    "render",
]
