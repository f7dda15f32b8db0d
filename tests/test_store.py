"""geomap.store: the layers of a corpus on disk, and the writers and the map that read them chunk by chunk."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace

import geopandas as gpd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, box

from geomap import batch
from geomap.errors import OutputError
from geomap.io.write import write_html, write_layers, write_parquet_layers
from geomap.layers import LAYER_NAMES, empty_layer, layer_chunks, layer_geom_types, results_to_layers
from geomap.mapview import Page, build_map, decode_payload, render_html, render_page
from geomap.model import Count
from geomap.store import LayerStore
from tests.fixtures_map import FakeGazetteer, sample_results
from tests.test_layers import _copy, _corpus

_PAYLOAD_RE = re.compile(r'<script type="[^"]+" id="(geomap_\w+?)_[0-9a-f]+">(.*?)</script>', re.S)


def _store(results, size=2, path=None):
    store = LayerStore(path, FakeGazetteer())
    for i in range(0, len(results), size):
        store.add(results[i : i + size])
    return store


def _with_counts():
    """The first document, then copies that bring a count and deaths the first report lacks."""
    first = sample_results()[0]
    first = replace(first, events=tuple(replace(e, fatalities=None, count=None) for e in first.events))
    copy = _copy(first, "doc-copy")
    copy = replace(copy, events=tuple(replace(e, count=Count(3, 2, 5, "injured", "")) for e in copy.events))
    deaths = _copy(first, "doc-deaths")
    deaths = replace(
        deaths,
        events=tuple(replace(e, fatalities=4, count=Count(4, 4, 4, "killed", "")) for e in deaths.events),
    )
    return [first, *sample_results()[1:], copy, _copy(first, "doc-again"), deaths]


class Chunked:
    """Frames served a few rows at a time, as a LayerStore serves its layers."""

    def __init__(self, frames, rows=1):
        self.frames, self.rows = frames, rows

    def __contains__(self, name):
        return name in self.frames

    def chunks(self, name, rows=None):
        yield from layer_chunks(self.frames, name, self.rows)

    def geom_types(self, name):
        return layer_geom_types(self.frames, name)


class TestLayerStore:
    @pytest.mark.parametrize("corpus", [_corpus, _with_counts])
    @pytest.mark.parametrize("size", [1, 2, 100])
    def test_merge_across_batches_equals_the_in_memory_merge(self, corpus, size):
        """Rows, order, merged sources, counts and deaths: the same as results_to_layers over all."""
        results = corpus()
        whole = results_to_layers(results, FakeGazetteer())
        with _store(results, size) as store:
            for name, gdf in store.frames().items():
                assert_geodataframe_equal(gdf, whole[name])

    def test_merged_report_takes_the_later_deaths(self):
        with _store(_with_counts(), 1) as store:
            ev = store.frames()["events"].set_index("event_id_cnty")
        row = ev.loc["doc-ar-e1-1"]
        assert row["sources"] == "doc-ar | doc-copy | doc-again | doc-deaths"
        assert (row["fatalities"], row["count_best"], row["count_what"]) == (4, 4, "killed")

    def test_chunks_are_the_layer_in_order(self):
        results = _with_counts()
        whole = results_to_layers(results, FakeGazetteer())
        with _store(results) as store:
            for name in LAYER_NAMES:
                chunks = list(store.chunks(name, rows=2))
                assert all(len(c) <= 2 for c in chunks)
                joined = gpd.GeoDataFrame(
                    gpd.pd.concat(chunks, ignore_index=True), geometry="geometry", crs=whole[name].crs
                )
                assert_geodataframe_equal(joined, whole[name])
                assert store.geom_types(name) == layer_geom_types(whole, name)

    def test_empty_store_gives_one_empty_frame_per_layer(self):
        with LayerStore(None, FakeGazetteer()) as store:
            for name in LAYER_NAMES:
                (frame,) = store.chunks(name)
                assert_geodataframe_equal(frame, empty_layer(name))
                assert store.geom_types(name) == []

    def test_file_is_replaced(self, tmp_path):
        """A store left by a killed run is started afresh."""
        path = tmp_path / "layers.db"
        _store(sample_results(), path=path).close()
        with _store(sample_results()[:1], path=path) as store:
            again = store.frames()
        assert_geodataframe_equal(
            again["events"], results_to_layers(sample_results()[:1], FakeGazetteer())["events"]
        )

    def test_map_sink_layers(self, tmp_path):
        """MapSink's parts (a pickle per chunk) fill a store with the layers of all documents."""
        sink = batch.MapSink(tmp_path / "out", flush_docs=2)
        sink.open("settings")
        results = _with_counts()
        for i in range(0, len(results), 2):
            keys = tuple((r.document.id, "f") for r in results[i : i + 2])
            payload = batch._payload_compact(results[i : i + 2], None)
            sink.write(batch.Chunk(keys, 0, 0, 0, payload))
        sink.close()
        assert len(list((tmp_path / "out" / ".geomap").glob("part.*.pkl"))) == 3
        with sink.layers(FakeGazetteer()) as store:
            frames = store.frames()
        whole = results_to_layers(sink.results(), FakeGazetteer())
        for name in LAYER_NAMES:
            assert_geodataframe_equal(frames[name], whole[name])
        sink.discard()
        assert not (tmp_path / "out" / ".geomap").exists()

    def test_full_disk_is_an_output_error(self, tmp_path, monkeypatch):
        """SQLite failing to write the store is one OutputError, the parts kept for a resume."""
        sink = batch.MapSink(tmp_path / "out")
        sink.open("settings")
        sink.write(batch.Chunk((("d", "f"),), 0, 0, 0, batch._payload_compact(sample_results()[:1], None)))
        sink.close()

        def full(self, results):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(LayerStore, "add", full)
        with pytest.raises(OutputError, match="disk is full"):
            sink.layers(FakeGazetteer())
        assert (tmp_path / "out" / ".geomap" / "part.0.pkl").exists()


@pytest.fixture(scope="module")
def frames():
    """The layers, with a MultiPolygon area after the Polygons (a GeoPackage layer of both is multi)."""
    layers = results_to_layers(_with_counts(), FakeGazetteer())
    areas = layers["areas"].copy()
    first = areas.geometry.iloc[0]
    areas.loc[len(areas) - 1, "geometry"] = MultiPolygon([first, box(40, 36, 40.5, 36.5)])
    return {**layers, "areas": areas}


class TestChunkedWriters:
    @pytest.mark.parametrize("fmt", ["geojson", "csv"])
    def test_text_formats_are_the_same_bytes(self, frames, fmt, tmp_path):
        whole = write_layers(frames, tmp_path / "whole", fmt)
        chunked = write_layers(Chunked(frames), tmp_path / "chunked", fmt)
        assert [p.read_bytes() for p in whole] == [p.read_bytes() for p in chunked]

    def test_geopackage_layers_are_the_same(self, frames, tmp_path):
        """Every layer, its rows and its geometry type (MultiPolygon for the areas) as one write gives."""
        (whole,) = write_layers(frames, tmp_path / "whole", "gpkg")
        (chunked,) = write_layers(Chunked(frames), tmp_path / "chunked", "gpkg")
        assert pyogrio.list_layers(whole).tolist() == pyogrio.list_layers(chunked).tolist()
        assert pyogrio.read_info(chunked, layer="areas")["geometry_type"] == "MultiPolygon"
        for name in LAYER_NAMES:
            assert_geodataframe_equal(gpd.read_file(chunked, layer=name), gpd.read_file(whole, layer=name))

    def test_parquet_parts(self, frames, tmp_path):
        """One part per chunk of rows; read back, the layers are the frames."""
        write_parquet_layers(frames, tmp_path, rows_per_part=3)
        assert len(list((tmp_path / "events").glob("*.parquet"))) == -(-len(frames["events"]) // 3)
        back = batch.read_layers(tmp_path)
        for name in LAYER_NAMES:
            assert_geodataframe_equal(back[name], frames[name])

    @pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv", "parquet"])
    def test_failure_in_a_later_chunk_leaves_no_file(self, frames, fmt, tmp_path):
        """An error while the second chunk is read: nothing written, no temporary file left."""

        class Failing(Chunked):
            def chunks(self, name, rows=None):
                for i, chunk in enumerate(super().chunks(name, rows)):
                    if i == 1:
                        raise OSError(5, "Input/output error")
                    yield chunk

        with pytest.raises(OutputError, match="Input/output error"):
            if fmt == "parquet":
                write_parquet_layers(Failing(frames), tmp_path, rows_per_part=1)
            else:
                write_layers(Failing(frames), tmp_path, fmt)
        assert list(tmp_path.iterdir()) == []

    def test_an_interrupt_leaves_the_previous_file(self, frames, tmp_path):
        write_layers(frames, tmp_path, "geojson")
        before = (tmp_path / "events.geojson").read_bytes()

        class Interrupted(Chunked):
            def chunks(self, name, rows=None):
                yield next(super().chunks(name, rows))
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            write_layers(Interrupted(frames), tmp_path, "geojson")
        assert (tmp_path / "events.geojson").read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.geojson" for n in LAYER_NAMES)


class TestStreamedMap:
    def _payloads(self, page):
        out = {}
        for name, text in _PAYLOAD_RE.findall(page):
            data = decode_payload(text)
            if "text" in data:
                data["text"] = re.sub(r"_[0-9a-f]+$", "", data["text"])
            out[name] = data
        return out

    def test_payloads_from_chunks_in_files_equal_those_of_frames(self, frames, tmp_path):
        """The map from layers read a row at a time, payloads spilled to files: the same data."""
        whole = render_html(build_map(frames, FakeGazetteer(), offline=False), offline=False)
        m = build_map(Chunked(frames), FakeGazetteer(), offline=False, workdir=tmp_path)
        assert list(tmp_path.glob("*.b64")) and not list(tmp_path.glob("*.db"))
        page = render_page(m, offline=False)
        assert any(not isinstance(p, str) for p in page.parts)
        path = write_html(page, tmp_path / "map.html")
        assert self._payloads(path.read_text("utf-8")) == self._payloads(whole)

    def test_store_map_equals_frames_map(self, tmp_path):
        results = _with_counts()
        whole = render_html(build_map(results_to_layers(results, FakeGazetteer()), None), offline=False)
        with _store(results, 1) as store:
            page = render_page(build_map(store, None, workdir=tmp_path), offline=False)
        assert self._payloads(page.text()) == self._payloads(whole)

    def test_failed_page_write_leaves_no_file(self, frames, tmp_path, monkeypatch):
        m = build_map(frames, FakeGazetteer(), workdir=tmp_path)
        page = render_page(m, offline=False)

        def broken(self, fh):
            fh.write(b"<html>")
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(Page, "write_to", broken)
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(OutputError, match="No space left"):
            write_html(page, out / "map.html")
        assert list(out.iterdir()) == []
