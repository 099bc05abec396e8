"""The communes under every map: the planning page's layer, the phone's map, in Chromium too."""

import io
import json
import re

import pytest
from django.urls import reverse
from PIL import Image

from common.boundaries import csv_communes

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    return client


def _map_data(html: str) -> dict:
    found = re.search(r'<script id="planning-map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_planning_page_serves_the_52_communes_as_geojson(staff_client, planned_day):
    page = staff_client.get(reverse("delivery:planning", args=[planned_day.pk]))
    url = _map_data(page.content.decode())["communesUrl"]

    response = staff_client.get(url)

    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    layer = json.loads(response.content)
    assert layer["type"] == "FeatureCollection" and len(layer["features"]) == 52
    assert {f["properties"]["nom"] for f in layer["features"]} == {r["nom"] for r in csv_communes()}
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} and len(f["properties"]["label"]) == 2
               for f in layer["features"])
    assert "les 52 communes" in page.content.decode()


def test_the_communes_layer_is_for_staff_only(client):
    assert client.get(reverse("delivery:communes_geojson")).status_code == 302


def test_the_phone_shows_its_round_map_and_keeps_it_offline(client, phone_url, current_round):
    page = client.get(phone_url).content.decode()
    map_url = re.search(r'<img src="([^"]+carte\.png)"', page).group(1)

    response = client.get(map_url)
    worker = client.get(reverse("delivery:phone_sw")).content.decode()

    assert "Carte de la tournée" in page
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    width, height = Image.open(io.BytesIO(response.content)).size
    assert 600 <= width <= 800 and height >= 500
    assert "carte\\.png" in worker  # the service worker keeps the map with the page


def test_a_forged_link_gets_no_map(client, phone_url):
    forged = phone_url.replace("/tel/", "/tel/x")

    assert client.get(forged + "carte.png").status_code != 200


# -- in Chromium --------------------------------------------------------------------------------

def _layout(page) -> dict:
    return page.evaluate("""() => {
      const boxes = sel => [...document.querySelectorAll(sel)].filter(e => getComputedStyle(e).visibility !== 'hidden')
        .map(e => e.getBoundingClientRect()).map(r => ({l: r.left, t: r.top, r: r.right, b: r.bottom}));
      const frame = document.getElementById('planning-map').getBoundingClientRect();
      const svg = document.querySelector('#planning-map .leaflet-communes-pane svg').getBoundingClientRect();
      return {communes: document.querySelectorAll('#planning-map path.commune').length, svgWidth: svg.width,
              names: boxes('#planning-map .commune-name span'), stops: boxes('#planning-map .stop-number span'),
              frame: {l: frame.left, t: frame.top, r: frame.right, b: frame.bottom},
              overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
    }""")


def _overlap(a, b) -> bool:
    return a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_planning_map_draws_the_communes_under_numbered_stops(live_server, planned_day, django_user_model,
                                                                  monkeypatch, settings, viewport):
    from django.test import Client

    from tests.browser import chromium_page, serious_violations

    settings.MAP_TILES_URL = ""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    login = Client()
    login.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    external = []
    with chromium_page(viewport=viewport) as page:
        page.context.add_cookies([{"name": "sessionid", "value": login.cookies["sessionid"].value,
                                   "url": live_server.url}])
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
        page.goto(f"{live_server.url}/livraison/jour/{planned_day.pk}/planification/")
        page.wait_for_selector("#planning-map[data-communes='52']")
        page.locator("#planning-map").scroll_into_view_if_needed()
        layout = _layout(page)
        communes_under = page.evaluate("""() => {
          const pane = n => +getComputedStyle(document.querySelector('.leaflet-' + n + '-pane')).zIndex;
          return pane('communes') < pane('overlay') && pane('communeNames') < pane('overlay');
        }""")
        violations = serious_violations(page)

    assert layout["communes"] == 52 and communes_under
    assert layout["svgWidth"] >= layout["frame"]["r"] - layout["frame"]["l"]  # drawn, not squeezed to 0 px
    assert len(layout["stops"]) == 7 and len(layout["names"]) >= 3
    for i, a in enumerate(layout["stops"]):
        assert not any(_overlap(a, b) for b in layout["stops"][i + 1:])
        assert not any(_overlap(a, n) for n in layout["names"])
    for i, a in enumerate(layout["names"]):
        assert not any(_overlap(a, b) for b in layout["names"][i + 1:])
    assert layout["overflow"] <= 0 and external == []
    assert violations == []


@pytest.mark.browser
def test_the_phone_map_opens_on_a_390_pixel_screen(live_server, phone_url, current_round, monkeypatch):
    from tests.browser import chromium_page

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(live_server.url + phone_url)
        page.get_by_text("Carte de la tournée").click()
        page.wait_for_function("document.querySelector('#carte-tournee img').naturalWidth > 0")
        shown = page.evaluate("""() => { const img = document.querySelector('#carte-tournee img').getBoundingClientRect();
          return {width: img.width, right: img.right,
                  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth}; }""")

    assert 300 <= shown["width"] <= 390 and shown["right"] <= 390 and shown["overflow"] <= 0
