"""geomap.io.write: GeoJSON (RFC 7946), GeoPackage, ACLED CSV, HTML; atomic replacement."""

from __future__ import annotations

import json
import os

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geomap.errors import ConfigError, OutputError
from geomap.io import write
from geomap.io.write import ACLED_COLUMNS, write_html, write_layers
from geomap.layers import LAYER_NAMES, results_to_layers
from tests.fixtures_map import FakeGazetteer, sample_results


@pytest.fixture(scope="module")
def layers():
    return results_to_layers(sample_results(), FakeGazetteer())


@pytest.fixture(scope="module")
def empty_layers():
    return results_to_layers([], FakeGazetteer())


def leftovers(path):
    return sorted(p.name for p in path.iterdir() if p.name.startswith("."))


class TestGeoJSON:
    def test_files_and_rfc7946(self, layers, tmp_path):
        """Four FeatureCollections, no crs member, lon before lat, Arabic unescaped."""
        files = write_layers(layers, tmp_path)
        assert sorted(p.name for p in files) == sorted(f"{n}.geojson" for n in LAYER_NAMES)
        raw = (tmp_path / "events.geojson").read_text(encoding="utf-8")
        assert "تل الوردة" in raw and "\\u062a" not in raw
        doc = json.loads(raw)
        assert set(doc) == {"type", "features"}
        feature = doc["features"][0]
        assert "crs" not in doc and "id" not in feature
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (feature["properties"]["longitude"], feature["properties"]["latitude"])

    def test_missing_values_are_null(self, layers, tmp_path):
        write_layers(layers, tmp_path)
        props = json.loads((tmp_path / "events.geojson").read_text("utf-8"))["features"][0]["properties"]
        assert props["count_best"] is None and props["feature"] is None

    def test_round_trip_with_geopandas(self, layers, tmp_path):
        write_layers(layers, tmp_path)
        for name in LAYER_NAMES:
            back = gpd.read_file(tmp_path / f"{name}.geojson")
            assert len(back) == len(layers[name])
            assert back.crs == "EPSG:4326"

    def test_empty_layers(self, empty_layers, tmp_path):
        write_layers(empty_layers, tmp_path)
        assert json.loads((tmp_path / "flows.geojson").read_text()) == {
            "type": "FeatureCollection",
            "features": [],
        }


class TestGeoPackage:
    def test_all_layers_in_one_file(self, layers, tmp_path):
        (path,) = write_layers(layers, tmp_path, "gpkg")
        assert path.name == "layers.gpkg"
        assert [row[0] for row in pyogrio.list_layers(path)] == list(LAYER_NAMES)
        events = gpd.read_file(path, layer="events")
        assert len(events) == len(layers["events"])
        assert events.crs == "EPSG:4326"
        assert leftovers(tmp_path) == []

    def test_empty_layers_are_still_there(self, empty_layers, tmp_path):
        (path,) = write_layers(empty_layers, tmp_path, "gpkg")
        assert [row[0] for row in pyogrio.list_layers(path)] == list(LAYER_NAMES)


class TestCSV:
    def test_acled_columns_first(self, layers, tmp_path):
        (path,) = write_layers(layers, tmp_path, "csv")
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert tuple(table.columns[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
        assert "event_class" in table.columns and "sentence" not in table.columns
        assert len(table) == len(layers["events"])
        row = table.set_index("event_id_cnty").loc["doc-en-e1"]
        assert (row["year"], row["country"], row["iso"]) == ("2024", "Syria", "760")
        assert row["fatalities"] == "5"
        assert row["notes"].startswith("Warplanes struck")
        assert row["disorder_type"] == "Political violence"
        clash = table.set_index("event_id_cnty").loc["doc-ar-e1-1"]
        assert clash["fatalities"] == ""  # no count of the killed


class TestAtomic:
    def test_unknown_format(self, layers, tmp_path):
        with pytest.raises(ConfigError, match="geojson, gpkg, csv"):
            write_layers(layers, tmp_path, "shp")

    def test_failed_rename_keeps_every_previous_file(self, layers, empty_layers, tmp_path, monkeypatch):
        """A rename failing half way puts back the files already replaced; no temp is left."""
        write_layers(layers, tmp_path)
        before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        real_replace, calls = os.replace, []

        def flaky(src, dst):
            calls.append(dst)
            if len(calls) == 3:
                raise OSError(28, "No space left on device")
            return real_replace(src, dst)

        monkeypatch.setattr(write.os, "replace", flaky)
        with pytest.raises(OutputError, match="No space left on device") as info:
            write_layers(empty_layers, tmp_path)
        assert "\n" not in str(info.value)
        monkeypatch.undo()
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
        assert leftovers(tmp_path) == []

    def test_failed_write_leaves_no_temp(self, layers, tmp_path, monkeypatch):
        def broken(write_to):
            def w(tmp):
                tmp.write_text("partial")
                raise OSError(5, "Input/output error")

            return w

        monkeypatch.setattr(write, "_stream_writer", broken)
        with pytest.raises(OutputError):
            write_layers(layers, tmp_path, "csv")
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
    def test_unwritable_directory(self, layers, tmp_path):
        tmp_path.chmod(0o500)
        try:
            with pytest.raises(OutputError, match="cannot write"):
                write_layers(layers, tmp_path / "sub")
        finally:
            tmp_path.chmod(0o700)

    def test_output_dir_is_a_file(self, layers, tmp_path):
        (tmp_path / "taken").write_text("x")
        with pytest.raises(OutputError, match="cannot write"):
            write_layers(layers, tmp_path / "taken")

    def test_write_html_string(self, tmp_path):
        path = write_html("<html>ب</html>", tmp_path / "map.html")
        assert path.read_text("utf-8") == "<html>ب</html>"
        assert leftovers(tmp_path) == []

    def test_write_html_missing_dir(self, tmp_path):
        with pytest.raises(OutputError, match="cannot write"):
            write_html("<html></html>", tmp_path / "no" / "map.html")


def test_permission_denied_is_an_output_error(layers, tmp_path, monkeypatch):
    """As root, chmod does not stop writes: simulate the EACCES the temp file would get."""

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write.tempfile, "mkstemp", denied)
    with pytest.raises(OutputError, match="Permission denied"):
        write_layers(layers, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_write_text_is_atomic(tmp_path, monkeypatch):
    """write_text replaces the file whole, or leaves the old one."""
    path = write.write_text(tmp_path / "out.jsonl", '{"a": "ب"}\n')
    assert path.read_text("utf-8") == '{"a": "ب"}\n'
    monkeypatch.setattr(
        write.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left on device"))
    )
    with pytest.raises(OutputError, match="No space left"):
        write.write_text(path, "new")
    assert path.read_text("utf-8") == '{"a": "ب"}\n'
    assert leftovers(tmp_path) == []
