"""GazetteerGeocoder honours geopy's contract."""

from __future__ import annotations

import pytest
from geopy.exc import GeocoderQueryError
from geopy.location import Location

from geomap import GazetteerGeocoder, geocoder


@pytest.fixture(scope="module")
def geo():
    return GazetteerGeocoder()


def test_geocode_returns_location(geo):
    """One Location with the place in raw."""
    loc = geo.geocode("Kafr Nabudah, Hama")
    assert isinstance(loc, Location)
    assert loc.raw["place_id"] == "C3209"
    assert loc.latitude == pytest.approx(35.43, abs=0.02) and loc.longitude == pytest.approx(36.49, abs=0.02)


def test_geocode_list_and_none(geo):
    """exactly_one=False gives a list, best first; nothing found gives None."""
    locs = geo.geocode("صوران", exactly_one=False)
    assert isinstance(locs, list) and len(locs) >= 2
    assert geo.geocode("Xqzzv") is None


def test_bad_query(geo):
    """An empty or non-string query is geopy's GeocoderQueryError."""
    with pytest.raises(GeocoderQueryError):
        geo.geocode("")
    with pytest.raises(GeocoderQueryError):
        geo.reverse("not a point")


def test_reverse(geo):
    """reverse gives the nearest settlement."""
    loc = geo.reverse((35.7223, 36.2779))
    assert loc.raw["place_id"] == "C3159"


def test_geopandas_round_trip():
    """geopandas.tools.geocode accepts the class as a provider."""
    from geopandas.tools import geocode

    gdf = geocode(["Saraqib", "سراقب"], provider=GazetteerGeocoder)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.x.round(2).tolist() == [36.81, 36.81]


def test_factory():
    assert isinstance(geocoder(), GazetteerGeocoder)
