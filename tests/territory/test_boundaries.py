"""The bundled commune outlines: the 52 communes of the CSV, valid, around their town halls."""

import copy
import json
import math

import pytest
from shapely.geometry import Point, box, mapping, shape

from common import boundaries
from common.boundaries import build_layer, communes, communes_in_box, csv_communes, load_geojson

KM_LAT = 110.574


def _km(a: Point, b: Point) -> float:
    kx = 111.32 * math.cos(math.radians(b.y))
    return math.hypot((a.x - b.x) * kx, (a.y - b.y) * KM_LAT)


def test_the_bundled_file_has_exactly_the_52_insee_codes_of_the_csv_with_their_names():
    rows = csv_communes()
    layer = load_geojson()

    assert len(rows) == 52
    assert sorted(f["properties"]["insee"] for f in layer["features"]) == sorted(r["insee"] for r in rows)
    assert {f["properties"]["insee"]: f["properties"]["nom"] for f in layer["features"]} == {
        r["insee"]: r["nom"] for r in rows}


def test_every_outline_is_valid_and_holds_its_town_hall_and_its_label():
    rows = {r["insee"]: r for r in csv_communes()}
    for feature in load_geojson()["features"]:
        geom = shape(feature["geometry"])
        row = rows[feature["properties"]["insee"]]
        town_hall = Point(float(row["mairie_lon"]), float(row["mairie_lat"]))

        assert geom.is_valid and not geom.is_empty, row["nom"]
        assert geom.contains(town_hall) or _km(geom.exterior.interpolate(geom.exterior.project(town_hall)),
                                               town_hall) < 1.0, row["nom"]
        assert geom.contains(Point(*feature["properties"]["label"])), row["nom"]


def test_the_outlines_tile_the_territory_without_overlaps_and_stay_small():
    geoms = [shape(f["geometry"]) for f in load_geojson()["features"]]
    total = sum(g.area for g in geoms)
    overlaps = sum(a.intersection(b).area for i, a in enumerate(geoms) for b in geoms[i + 1:] if a.intersects(b))

    assert overlaps < total * 1e-4  # neighbours share their borders (simplified together)
    assert boundaries.GEOJSON_FILE.stat().st_size < 120_000
    km2 = total * 111.32 * math.cos(math.radians(50.23)) * KM_LAT
    assert 400 < km2 < 550  # the CCPM covers a little under 500 km²


def test_a_box_around_le_quesnoy_returns_it_and_its_neighbours_only():
    quesnoy = next(c for c in communes() if c.name == "Le Quesnoy")
    x, y = quesnoy.label_at

    found = {c.name for c in communes_in_box((x - 0.005, y - 0.003, x + 0.005, y + 0.003))}

    assert "Le Quesnoy" in found and "Landrecies" not in found and "Bavay" not in found
    assert communes_in_box((2.0, 48.0, 2.1, 48.1)) == []  # Paris: none of ours
    everything = communes_in_box((3.0, 49.5, 4.5, 51.0))
    assert len(everything) == 52 and all(c.label_at for c in everything)


def test_a_box_inside_one_commune_without_any_vertex_finds_that_commune():
    locquignol = next(c for c in communes() if c.name == "Locquignol")
    x, y = locquignol.label_at

    assert [c.name for c in communes_in_box((x - 1e-4, y - 1e-4, x + 1e-4, y + 1e-4))] == ["Locquignol"]


def test_an_inverted_box_is_refused():
    with pytest.raises(ValueError, match="inverted"):
        communes_in_box((3.8, 50.3, 3.7, 50.2))


def _source_from_bundle() -> dict:
    """A stand-in for the source file: our features under ``code``, Orée de Mormal cut in two."""
    source = {"type": "FeatureCollection", "features": []}
    for f in copy.deepcopy(load_geojson()["features"]):
        geom = shape(f["geometry"])
        if f["properties"]["insee"] == "59006":
            x0, y0, x1, y1 = geom.bounds
            west, east = geom.intersection(box(x0, y0, (x0 + x1) / 2, y1)), geom.intersection(box((x0 + x1) / 2, y0, x1, y1))
            source["features"].append({"type": "Feature", "properties": {"code": "59006", "nom": "Amfroipret"},
                                       "geometry": mapping(west)})
            source["features"].append({"type": "Feature", "properties": {"code": "59070", "nom": "Bermeries"},
                                       "geometry": mapping(east)})
        else:
            source["features"].append({"type": "Feature", "properties": {"code": f["properties"]["insee"],
                                                                          "nom": "sans article"},
                                       "geometry": f["geometry"]})
    return json.loads(json.dumps(source))


def test_rebuilding_merges_oree_de_mormal_and_takes_the_names_from_the_csv():
    before = {f["properties"]["insee"]: shape(f["geometry"]) for f in load_geojson()["features"]}

    layer = build_layer(_source_from_bundle(), csv_communes(), tolerance_m=25)

    after = {f["properties"]["insee"]: f for f in layer["features"]}
    assert len(after) == 52 and after["59006"]["properties"]["nom"] == "Orée de Mormal"
    oree = shape(after["59006"]["geometry"])
    assert oree.is_valid and abs(oree.area - before["59006"].area) < before["59006"].area * 0.02
    assert after["59481"]["properties"]["nom"] == "Le Quesnoy"


def test_rebuilding_from_a_file_missing_a_commune_names_it():
    source = _source_from_bundle()
    source["features"] = [f for f in source["features"] if f["properties"]["code"] != "59053"]

    with pytest.raises(ValueError, match="59053 \\(Bavay\\)"):
        build_layer(source, csv_communes())
