"""The seed article through ``geomap map --format …``: every format readable by geopandas as written.

``geojson``: four RFC 7946 FeatureCollections (no ``crs`` member, longitude first);
``gpkg``: one ``layers.gpkg`` holding all four layers; ``csv``: ``events.csv`` in ACLED's
column order.  Each output is compared with the GeoJSON events of the same run.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import shape
from typer.testing import CliRunner

from geomap.cli import app
from geomap.io.write import ACLED_COLUMNS
from geomap.layers import LAYER_NAMES
from tests.conftest import SEED

#: Syria, (west, south, east, north): a lat/lon swap puts latitudes (32-37.5) where longitudes go.
_SYRIA = (35.5, 32.3, 42.5, 37.5)
#: Sirmaniyah (C3159), from tests/test_seed.py: lat 35.72, lon 36.28.
_SARMANIYA = ("C3159", 35.72, 36.28)


def map_seed(out: Path, fmt: str) -> Path:
    result = CliRunner().invoke(app, ["map", str(SEED), "--out", str(out), "--offline", "--format", fmt])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def geojson_dir(tmp_path_factory) -> Path:
    return map_seed(tmp_path_factory.mktemp("geojson"), "geojson")


@pytest.fixture(scope="module")
def seed_events(geojson_dir) -> gpd.GeoDataFrame:
    return gpd.read_file(geojson_dir / "events.geojson")


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory) -> Path:
    out = map_seed(tmp_path_factory.mktemp("gpkg"), "gpkg")
    assert sorted(p.name for p in out.iterdir()) == ["layers.gpkg", "map.html"]
    return out / "layers.gpkg"


@pytest.fixture(scope="module")
def events_csv(tmp_path_factory) -> Path:
    out = map_seed(tmp_path_factory.mktemp("csv"), "csv")
    assert sorted(p.name for p in out.iterdir()) == ["events.csv", "map.html"]
    return out / "events.csv"


class TestGeoJSON:
    def test_four_feature_collections_without_crs(self, geojson_dir):
        for name in LAYER_NAMES:
            doc = json.loads((geojson_dir / f"{name}.geojson").read_text("utf-8"))
            assert set(doc) == {"type", "features"} and doc["type"] == "FeatureCollection", name
            assert all(
                "crs" not in f and set(f) == {"type", "properties", "geometry"} for f in doc["features"]
            )

    def test_longitude_first(self, geojson_dir):
        """Point coordinates are [longitude, latitude]; every coordinate of every layer is in Syria."""
        doc = json.loads((geojson_dir / "events.geojson").read_text("utf-8"))
        for f in doc["features"]:
            p = f["properties"]
            assert f["geometry"]["coordinates"] == [p["longitude"], p["latitude"]]
        (sarmaniya,) = [f for f in doc["features"] if f["properties"]["gazetteer_id"] == _SARMANIYA[0]]
        lon, lat = sarmaniya["geometry"]["coordinates"]
        assert (round(lat, 2), round(lon, 2)) == _SARMANIYA[1:]
        for name in LAYER_NAMES:
            features = json.loads((geojson_dir / f"{name}.geojson").read_text("utf-8"))["features"]
            for f in features:
                p = f["properties"]
                if f["geometry"] is None or p.get("map_as") == "none" or p.get("kind") == "country":
                    continue  # countries (Russia, Turkey) are outside Syria
                west, south, east, north = shape(f["geometry"]).bounds
                assert west >= _SYRIA[0] and south >= _SYRIA[1] and east <= _SYRIA[2] and north <= _SYRIA[3]

    def test_polygon_rings_follow_the_right_hand_rule(self, geojson_dir):
        features = json.loads((geojson_dir / "areas.geojson").read_text("utf-8"))["features"]
        assert features
        for f in features:
            geom = shape(f["geometry"])
            assert geom.equals_exact(shapely.orient_polygons(geom), 0), f["properties"]["gazetteer_id"]

    def test_read_by_geopandas(self, geojson_dir, seed_events):
        for name in LAYER_NAMES:
            gdf = gpd.read_file(geojson_dir / f"{name}.geojson")
            assert gdf.crs == "EPSG:4326"
        assert len(seed_events) > 0
        assert "سرمانية" in set(seed_events["location_ar"])  # Arabic as is


class TestGeoPackage:
    def test_one_file_with_all_layers(self, gpkg):
        assert sorted(name for name, _ in pyogrio.list_layers(gpkg)) == sorted(LAYER_NAMES)

    def test_layers_match_the_geojson(self, gpkg, geojson_dir):
        for name in LAYER_NAMES:
            got = gpd.read_file(gpkg, layer=name)
            want = gpd.read_file(geojson_dir / f"{name}.geojson")
            assert got.crs == "EPSG:4326"
            assert len(got) == len(want), name
            if len(want):
                assert list(got.columns) == list(want.columns), name
                assert got.geometry.geom_equals_exact(want.geometry, 1e-9).all(), name

    def test_events_keep_arabic_and_coordinates(self, gpkg, seed_events):
        events = gpd.read_file(gpkg, layer="events")
        assert list(events["location_ar"]) == list(seed_events["location_ar"])
        assert (events.geometry.x == events["longitude"]).all() and (
            events.geometry.y == events["latitude"]
        ).all()


class TestCSV:
    def test_acled_column_order(self, events_csv):
        with open(events_csv, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert tuple(header[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS

    def test_read_by_pandas_and_geopandas(self, events_csv, seed_events):
        table = pd.read_csv(events_csv)
        assert len(table) == len(seed_events)
        assert list(table["notes"]) == list(seed_events["sentence"])
        assert set(table["country"].dropna()) == {"Syria"}
        points = gpd.read_file(events_csv, X_POSSIBLE_NAMES="longitude", Y_POSSIBLE_NAMES="latitude")
        assert len(points) == len(seed_events)
        assert list(points.geometry.x.round(5)) == list(seed_events.geometry.x.round(5))
        assert list(points.geometry.y.round(5)) == list(seed_events.geometry.y.round(5))
