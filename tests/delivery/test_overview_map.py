"""The sheet's and phone's map: communes under the route, stop numbers legible, caption inside."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from common.boundaries import csv_communes
from delivery.selectors import sheet_for_round
from delivery.sheets.data import GoodsLine, RouteSheet, StopSheet
from delivery.sheets.overview_map import draw_overview_map, overlap_area
from delivery.sheets.pdf import render_route_sheet

TOWN_HALLS = {r["nom"]: (float(r["mairie_lon"]), float(r["mairie_lat"])) for r in csv_communes()}


def crowded_sheet() -> RouteSheet:
    """Eleven stops, four of them within 150 m in Le Quesnoy and two in Landrecies."""
    names = ["Le Quesnoy", "Le Quesnoy", "Le Quesnoy", "Le Quesnoy", "Jolimetz", "Locquignol", "Landrecies",
             "Landrecies", "Englefontaine", "Poix-du-Nord", "Vendegies-au-Bois"]
    stops = []
    for i, name in enumerate(names, start=1):
        lon, lat = TOWN_HALLS[name]
        goods = (GoodsLine(action="collect" if i == 5 else "deliver", compartment="chilled", crates=(), mass_g=1000,
                           volume_ml=2000),)
        stops.append(StopSheet(sequence=i, task_id=i, kind_label="Livraison", name=f"Client {i}", address=name,
                               phone="", lon=lon + 0.0005 * (i % 3), lat=lat + 0.0004 * (i % 2), arrival_s=36_000,
                               window=(32_400, 43_200), goods=goods, status="delivered" if i < 3 else "planned"))
    lon, lat = TOWN_HALLS["Le Quesnoy"]
    return RouteSheet(date_label="mardi 8 décembre 2026", van_name="Camionnette frigo 1", driver_name="Bernard",
                      depot_name="Dépôt du Quesnoy", depot_lon=lon - 0.003, depot_lat=lat - 0.002, departure_s=28_800,
                      return_s=50_000, distance_m=60_000, duration_s=20_000, travel_label="ligne droite",
                      stops=tuple(stops))


def assert_legible(drawn, sheet):
    width, height = drawn.size_px
    boxes = list(drawn.stop_boxes.values())
    assert sorted(drawn.stop_boxes) == [s.sequence for s in sheet.stops]
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and 0 <= a[1] and a[2] <= width and a[3] <= height, a
        for b in boxes[i + 1:]:
            assert overlap_area(a, b) == 0, (a, b)
    x0, y0, x1, y1 = drawn.caption_box
    assert 0 <= x0 and 0 <= y0 and x1 <= width and y1 <= height  # the caption is not clipped
    assert Image.open(io.BytesIO(drawn.png)).size == drawn.size_px


@pytest.mark.parametrize("large", [False, True])
def test_crowded_stops_get_separate_numbers_with_the_communes_named_underneath(large):
    sheet = crowded_sheet()

    drawn = draw_overview_map(sheet, large=large)

    assert_legible(drawn, sheet)
    assert set(drawn.moved_stops) & {2, 3, 4}  # the Le Quesnoy stops could not all sit on their point
    assert len(drawn.communes_named) >= 8
    assert {"Locquignol", "Potelle", "Villereau"} <= set(drawn.communes_named)
    assert set(drawn.communes_named) <= set(TOWN_HALLS)


def test_no_commune_name_is_written_under_a_stop_number():
    sheet = crowded_sheet()

    drawn = draw_overview_map(sheet)

    assert len(drawn.name_boxes) == len(drawn.communes_named) == len(set(drawn.communes_named))
    for name_box in drawn.name_boxes:
        assert all(overlap_area(name_box, stop_box) == 0 for stop_box in drawn.stop_boxes.values())


def test_a_narrow_phone_map_keeps_its_caption_inside():
    sheet = crowded_sheet()

    drawn = draw_overview_map(sheet, width_in=3.0, dpi=150)

    assert_legible(drawn, sheet)
    assert drawn.size_px[0] <= 3.0 * 150 + 1


def test_the_planned_round_is_drawn_over_its_communes_and_embedded_in_the_sheet(current_round):
    sheet = sheet_for_round(current_round)

    drawn = draw_overview_map(sheet)
    pdf = render_route_sheet(sheet)

    assert_legible(drawn, sheet)
    assert len(drawn.communes_named) >= 5
    images = [img for page in PdfReader(io.BytesIO(pdf)).pages for img in page.images]
    assert images and max(Image.open(io.BytesIO(img.data)).size[0] for img in images) >= 600


def test_a_round_without_stops_still_draws_the_depot_among_its_communes():
    sheet = crowded_sheet()
    empty = RouteSheet(**{**sheet.__dict__, "stops": ()})

    drawn = draw_overview_map(empty)

    assert drawn.stop_boxes == {} and drawn.communes_named  # Le Quesnoy's neighbours around the depot
