"""geomap.layers: results -> the four GeoDataFrames."""

from __future__ import annotations

from dataclasses import replace

import pytest
from geopandas.testing import assert_geodataframe_equal

from geomap.layers import (
    AREAS_COLUMNS,
    CRS,
    EVENTS_COLUMNS,
    FLOWS_COLUMNS,
    LAYER_NAMES,
    PLACES_COLUMNS,
    LayerBuilder,
    empty_layer,
    merge_place_layers,
    results_to_layers,
)
from geomap.model import Count
from tests.fixtures_map import AIN, PLAIN, QASR, TELL, FakeGazetteer, sample_results

SCHEMAS = {"events": EVENTS_COLUMNS, "places": PLACES_COLUMNS, "flows": FLOWS_COLUMNS, "areas": AREAS_COLUMNS}


@pytest.fixture(scope="module")
def layers():
    return results_to_layers(sample_results(), FakeGazetteer())


class TestShape:
    def test_layer_names_columns_and_crs(self, layers):
        """Every layer has its documented columns, in order, a geometry and EPSG:4326."""
        assert tuple(layers) == LAYER_NAMES
        for name, gdf in layers.items():
            assert list(gdf.columns[:-1]) == [c for c, _ in SCHEMAS[name]]
            assert gdf.geometry.name == "geometry"
            assert gdf.crs == CRS

    @pytest.mark.parametrize("name", LAYER_NAMES)
    def test_empty_input_gives_empty_layers(self, name):
        """No results: empty frames with the same columns, dtypes and CRS."""
        gdf = results_to_layers([], FakeGazetteer())[name]
        assert len(gdf) == 0
        assert gdf.crs == CRS
        assert list(gdf.columns[:-1]) == [c for c, _ in SCHEMAS[name]]
        assert dict(gdf.dtypes.drop("geometry")) == dict(empty_layer(name).dtypes.drop("geometry"))


class TestEvents:
    def test_one_row_per_event_and_resolved_location(self, layers):
        """12 event x location rows; the event with only an unresolved location has none."""
        ev = layers["events"]
        assert len(ev) == 12
        assert "doc-en-e3" not in set(ev["event_id"])

    def test_point_is_lon_lat(self, layers):
        """The one swap: geometry x is the longitude, y the latitude."""
        row = layers["events"].set_index("event_id_cnty").loc["doc-ar-e1-1"]
        assert (row.geometry.x, row.geometry.y) == (TELL.lon, TELL.lat)
        assert (row["longitude"], row["latitude"]) == (TELL.lon, TELL.lat)

    def test_acled_fields(self, layers):
        ev = layers["events"].set_index("event_id_cnty")
        row = ev.loc["doc-en-e1"]
        assert row["event_type"] == "Explosions/Remote violence"
        assert row["event_class"] == "air_strike"
        assert row["location"] == QASR.name_en and row["location_ar"] == QASR.name_ar
        assert (row["count_best"], row["count_what"]) == (5, "killed")
        assert row["admin1_pcode"] == "SY90"
        assert row["source_url"] == "https://example.org/en/2"
        assert row["num_sources"] == 1

    def test_event_id_cnty_is_unique(self, layers):
        assert layers["events"]["event_id_cnty"].is_unique

    def test_map_as(self, layers):
        """Settlements and areas without polygons are markers; areas with one are areas; countries none."""
        by = layers["events"].set_index("event_id_cnty")["map_as"]
        assert by["doc-ar-e1-1"] == "marker"
        assert by["doc-ar-e2-2"] == "area"  # the southern countryside
        assert by["doc-en-e2-1"] == "marker"  # Northern hills: an area with no polygon
        assert by["doc-ar-e5"] == "none"  # a country

    def test_mark_offsets_point_at_the_surface(self, layers):
        for _, row in layers["events"].iterrows():
            assert row["sentence"][row["mark_start"] : row["mark_end"]] == row["surface"]

    def test_missing_count_stays_missing(self, layers):
        row = layers["events"].set_index("event_id_cnty").loc["doc-ar-e1-1"]
        assert row["count_best"] is not None and str(row["count_best"]) == "<NA>"
        assert str(row["fatalities"]) == "<NA>"

    def test_fatalities_column(self):
        """An event's ACLED fatalities land in their own column, beside the primary count."""
        results = sample_results()
        r = results[1]
        events = tuple(replace(e, fatalities=e.count.best) if e.id == "doc-en-e1" else e for e in r.events)
        ev = results_to_layers([replace(r, events=events)], FakeGazetteer())["events"]
        row = ev.set_index("event_id_cnty").loc["doc-en-e1"]
        assert (row["fatalities"], row["count_best"], row["count_what"]) == (5, 5, "killed")


def _copy(result, doc_id: str):
    """The same report published by another document."""
    old = result.document.id

    def rename(x: str) -> str:
        return x.replace(old, doc_id, 1)

    doc = replace(result.document, id=doc_id)
    events = tuple(replace(e, id=rename(e.id), doc_id=doc_id, sources=()) for e in result.events)
    flows = tuple(
        replace(f, id=rename(f.id), event_id=rename(f.event_id), doc_id=doc_id) for f in result.flows
    )
    return replace(result, document=doc, events=events, flows=flows)


class TestMerge:
    def test_same_event_in_two_documents_is_one_row_with_two_sources(self):
        """Same class, places and day in two documents: one event, num_sources 2, both ids."""
        first = sample_results()[0]
        alone = results_to_layers([first], FakeGazetteer())
        both = results_to_layers([first, _copy(first, "doc-copy")], FakeGazetteer())
        ev = both["events"].set_index("event_id_cnty")
        assert ev.loc["doc-ar-e1-1", "num_sources"] == 2
        assert ev.loc["doc-ar-e1-1", "sources"] == "doc-ar | doc-copy"
        assert "doc-copy" not in set(both["events"]["doc_id"][both["events"]["event_date"].notna()])
        dated = alone["events"]["event_date"].notna()
        assert len(both["events"]) == len(alone["events"]) + int((~dated).sum())  # undated: never merged

    def test_merged_copies_add_no_flows_or_areas(self):
        """The copy's flows and areas are the first report's: not drawn twice."""
        first = sample_results()[0]
        alone = results_to_layers([first], FakeGazetteer())
        both = results_to_layers([first, _copy(first, "doc-copy")], FakeGazetteer())
        dated = {e.id for e in first.events if e.date}
        for name in ("flows", "areas"):
            copies = both[name][both[name]["event_id"].str.replace("doc-copy", "doc-ar").isin(dated)]
            assert set(copies["doc_id"]) <= {"doc-ar"}, name
        assert len(both["flows"]) >= len(alone["flows"])

    def test_merge_false_keeps_one_event_per_document(self):
        first = sample_results()[0]
        both = results_to_layers([first, _copy(first, "doc-copy")], FakeGazetteer(), merge=False)
        assert set(both["events"]["num_sources"]) == {1}
        assert set(both["events"]["doc_id"]) == {"doc-ar", "doc-copy"}


class TestPlaces:
    def test_distinct_places_with_tallies(self, layers):
        places = layers["places"].set_index("gazetteer_id")
        assert places.index.is_unique
        assert places.loc[AIN.id, "n_mentions"] == 2
        assert places.loc[AIN.id, "n_docs"] == 2
        assert places.loc[AIN.id, "geo_precision"] == 1
        assert set(places.loc[AIN.id, "surfaces"].split(" | ")) == {"عين الصفا", "Ain al-Safa"}


class TestFlowsAndAreas:
    def test_flow_line_runs_origin_to_destination(self, layers):
        flows = layers["flows"]
        assert list(flows["flow_id"]) == ["doc-ar-f1"]  # the origin-only flow is no line
        line = flows.geometry.iloc[0]
        assert list(line.coords) == [(PLAIN.lon, PLAIN.lat), (37.0, 35.0)]
        assert flows["count_best"].iloc[0] == 1500

    def test_area_rows(self, layers):
        areas = layers["areas"]
        assert set(zip(areas["event_id"], areas["gazetteer_id"], areas["role"], strict=True)) == {
            ("doc-ar-e2", "geomap:zahra-south", "location"),
            ("doc-ar-e3", "geomap:warda-plain", "location"),
            ("doc-ar-e4", "geomap:op-spring", "origin"),
        }
        assert set(areas.geom_type) == {"Polygon"}
        assert "XX" not in set(areas["gazetteer_id"])  # countries are not drawn

    def test_origin_only_flow_without_location_still_shades_its_origin(self):
        """An origin-only flow whose event lists no location gets an origin area row."""
        results = sample_results()
        r1 = results[0]
        events = tuple(replace(e, locations=()) if e.id == "doc-ar-e4" else e for e in r1.events)
        areas = results_to_layers([replace(r1, events=events)], FakeGazetteer())["areas"]
        row = areas.set_index("event_id").loc["doc-ar-e4"]
        assert (row["role"], row["gazetteer_id"]) == ("origin", "geomap:op-spring")


def _corpus():
    """The sample documents with two later copies of the first (its dated events merge)."""
    first, *rest = sample_results()
    return [first, _copy(first, "doc-copy"), *rest, _copy(first, "doc-copy2")]


class TestLayerBuilder:
    @pytest.mark.parametrize("merge", [True, False])
    @pytest.mark.parametrize("size", [1, 2])
    def test_batches_give_the_one_shot_layers(self, merge, size):
        """Adding documents batch by batch gives the layers of one results_to_layers over all."""
        results = _corpus()
        builder = LayerBuilder(FakeGazetteer(), merge=merge)
        for i in range(0, len(results), size):
            builder.add(results[i : i + size])
        whole = results_to_layers(results, FakeGazetteer(), merge=merge)
        for name, gdf in builder.frames().items():
            assert_geodataframe_equal(gdf, whole[name])

    def test_reads_its_input_once(self):
        """A generator of results will do: the builder keeps rows, not results."""
        whole = results_to_layers(_corpus(), FakeGazetteer())
        once = results_to_layers(iter(_corpus()), FakeGazetteer())
        for name, gdf in once.items():
            assert_geodataframe_equal(gdf, whole[name])

    def test_merge_across_batches_updates_rows_already_made(self):
        """A later document's report adds its source, and its deaths when the first had none."""
        first = sample_results()[0]
        first = replace(first, events=tuple(replace(e, fatalities=None, count=None) for e in first.events))
        copy = _copy(first, "doc-copy")
        copy = replace(
            copy,
            events=tuple(replace(e, fatalities=4, count=Count(4, 4, 4, "killed", "")) for e in copy.events),
        )
        builder = LayerBuilder(FakeGazetteer())
        builder.add([first])
        before = builder.frames()["events"].set_index("event_id_cnty")
        builder.add([copy])
        ev = builder.frames()["events"].set_index("event_id_cnty")
        assert before.loc["doc-ar-e1-1", "num_sources"] == 1
        row = ev.loc["doc-ar-e1-1"]
        assert (row["num_sources"], row["sources"]) == (2, "doc-ar | doc-copy")
        assert (row["fatalities"], row["count_best"], row["count_what"]) == (4, 4, "killed")
        assert row["sentence"] == before.loc["doc-ar-e1-1", "sentence"]  # the first report's evidence
        assert "doc-copy" not in set(ev["doc_id"][ev["event_date"].notna()])

    def test_place_layers_of_batches_merge_into_the_one_shot_places(self):
        """merge_place_layers over per-batch places layers == the places of all documents."""
        results = _corpus()
        batches = [results_to_layers(results[i : i + 2], FakeGazetteer())["places"] for i in range(0, 5, 2)]
        assert_geodataframe_equal(
            merge_place_layers(batches), results_to_layers(results, FakeGazetteer())["places"]
        )
