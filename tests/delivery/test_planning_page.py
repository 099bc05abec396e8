"""The staff planning page: plan a day with a progress bar, see the rounds on a map, move left-out stops."""

import datetime as dt
import json
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery import calendar
from delivery.actions import TaskSpec, upsert_tasks
from delivery.day_planning import plan_day
from delivery.models import DeliveryDay, DeliveryTask, StoredPlan

H = 3600


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create(username="equipe", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def late_pair(territory):
    """A shipment (collect at a shop, home delivery) whose delivery window is before any van leaves."""
    from marketplace.territory.models import Commune, Shopper

    shopper = Shopper.objects.select_related("user").order_by("user__username").first()
    bavay = Commune.objects.get(name="Bavay")
    return [
        TaskSpec(kind="collect", source="test:late:collect", shipment_key="test:late", name="Boucherie de Bavay",
                 address="59570 Bavay", lon=bavay.lon, lat=bavay.lat, windows=((8 * H, 17 * H),),
                 loads={"chilled": (2000, 6000)}),
        TaskSpec(kind="home", source="test:late:deliver", shipment_key="test:late", name="Client matinal",
                 address=shopper.address, lon=shopper.lon, lat=shopper.lat, windows=((2 * H, 2 * H + 900),),
                 loads={"chilled": (2000, 6000)}, doorstep_notes="Boîte à clés"),
    ]


@pytest.fixture
def day_with_left_out_pair(day, specs, late_pair):
    """The small day planned, with the late shipment left out (WINDOW_IMPOSSIBLE)."""
    upsert_tasks(day, specs + late_pair)
    plan_day(day, time_limit_s=2)
    return day


def _pair(day=None):
    tasks = DeliveryTask.objects.filter(shipment_key="test:late").order_by("pk")
    return list(tasks)


def _map_data(html: str) -> dict:
    """The JSON the page embeds for the map script."""
    found = re.search(r'<script id="planning-map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# -- access ---------------------------------------------------------------------------------------

def test_anonymous_and_non_staff_users_are_sent_to_the_login_page(client, django_user_model, day_with_left_out_pair):
    day = day_with_left_out_pair
    delivery = DeliveryTask.objects.get(source="test:late:deliver")
    urls = [reverse("delivery:planning", args=[day.pk]), reverse("delivery:planning_progress", args=[day.pk])]
    posts = [(reverse("delivery:planning_launch", args=[day.pk]), {"mode": "full"}),
             (reverse("delivery:task_move_day", args=[delivery.pk]), {"date": (day.date + dt.timedelta(days=1)).isoformat()}),
             (reverse("delivery:task_move_relay", args=[delivery.pk]), {"relay": "1"})]

    for who in ("anonymous", "shopper"):
        if who == "shopper":
            client.force_login(django_user_model.objects.create(username="pas-equipe"))
        for url in urls:
            assert client.get(url).status_code == 302, (who, url)
        for url, data in posts:
            response = client.post(url, data)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (who, url)

    delivery.refresh_from_db()
    day.refresh_from_db()
    assert delivery.day_id == day.pk and delivery.kind == "home" and day.status == DeliveryDay.Status.PLANNED


def test_moves_need_the_csrf_token(django_user_model, day_with_left_out_pair):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    delivery = DeliveryTask.objects.get(source="test:late:deliver")

    response = client.post(reverse("delivery:task_move_day", args=[delivery.pk]),
                           {"date": (delivery.day.date + dt.timedelta(days=1)).isoformat()})

    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.day_id == day_with_left_out_pair.pk


# -- planning and progress ------------------------------------------------------------------------

def test_planning_queues_the_task_and_the_progress_endpoint_goes_from_progress_to_success(
        transactional_db, day, specs, redis_url, django_user_model, client):
    from celery.contrib.testing.worker import start_worker

    from marketplace.celery import app

    upsert_tasks(day, specs)
    DeliveryDay.objects.filter(pk=day.pk).update(solve_time_limit_s=4)  # a solve long enough to be seen
    client.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    progress_url = reverse("delivery:planning_progress", args=[day.pk])
    assert client.get(progress_url).json()["state"] == "NONE"

    response = client.post(reverse("delivery:planning_launch", args=[day.pk]), {"mode": "full"})
    assert response.status_code == 302
    assert DeliveryDay.objects.get(pk=day.pk).status == DeliveryDay.Status.PLANNING
    queued = client.get(progress_url).json()
    assert queued["state"] == "PENDING" and queued["percent"] == 5 and not queued["done"]

    seen = []
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # generous: on a machine shared by many builds the worker thread may wait its turn
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            body = client.get(progress_url).json()
            seen.append((body["state"], body["step"], body["percent"]))
            if body["done"]:
                break
            time.sleep(0.05)

    states = [s for s, _, _ in seen]
    assert "PROGRESS" in states and states[-1] == "SUCCESS", seen
    assert states.index("PROGRESS") < states.index("SUCCESS")
    assert {step for state, step, _ in seen if state == "PROGRESS"} & {"solving", "model", "solve", "store"}
    assert seen[-1][2] == 100 and body["error"] == ""
    assert StoredPlan.objects.filter(day=day, is_current=True).count() == 1
    # the page finds the finished run after a reload
    page = client.get(reverse("delivery:planning", args=[day.pk]))
    assert page.context["progress"]["state"] == "SUCCESS" and page.context["progress"]["percent"] == 100


def test_a_run_whose_result_is_gone_is_recognised_from_the_stored_plan(staff_client, day, specs, eager_celery,
                                                                       django_capture_on_commit_callbacks):
    upsert_tasks(day, specs)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("delivery:planning_launch", args=[day.pk]), {"mode": "full"})
    body = staff_client.get(reverse("delivery:planning_progress", args=[day.pk])).json()

    # an eager run stores no result: the newer current plan tells the page it is done
    assert body["state"] == "SUCCESS" and body["done"] and body["percent"] == 100
    assert DeliveryDay.objects.get(pk=day.pk).status == DeliveryDay.Status.PLANNED


def test_an_unknown_mode_is_refused_and_nothing_is_queued(staff_client, day):
    response = staff_client.post(reverse("delivery:planning_launch", args=[day.pk]), {"mode": "tout"}, follow=True)

    assert "Mode de calcul inconnu" in _messages(response)
    assert DeliveryDay.objects.get(pk=day.pk).status == DeliveryDay.Status.OPEN


# -- the map ----------------------------------------------------------------------------------------

def test_the_page_embeds_the_round_geometry_and_no_tile_server_when_tiles_are_off(staff_client, settings,
                                                                                 day_with_left_out_pair):
    settings.MAP_TILES_URL = ""
    plan = day_with_left_out_pair.plans.get(is_current=True)
    rnd = plan.rounds.get()

    response = staff_client.get(reverse("delivery:planning", args=[day_with_left_out_pair.pk]))

    html = response.content.decode()
    data = _map_data(html)
    [drawn] = data["rounds"]
    assert drawn["path"] == [[round(lat, 6), round(lon, 6)] for lon, lat in rnd.path] and len(drawn["path"]) > 2
    assert [s["seq"] for s in drawn["stops"]] == list(rnd.stops.order_by("sequence").values_list("sequence", flat=True))
    assert len(data["townHalls"]) == 52 and data["tiles"]["url"] == ""
    assert [u["name"] for u in data["unassigned"]] == ["Client matinal"]
    assert "http://" not in html and "https://" not in html and "tile" not in html.lower().replace("tiles", "")
    assert "/static/leaflet/leaflet.js" in html


def test_a_configured_tile_server_is_passed_to_the_map_with_its_attribution(staff_client, settings, planned_day):
    settings.MAP_TILES_URL = "https://tuiles.exemple.fr/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© OpenStreetMap"

    response = staff_client.get(reverse("delivery:planning", args=[planned_day.pk]))

    data = _map_data(response.content.decode())
    assert data["tiles"] == {"url": "https://tuiles.exemple.fr/{z}/{x}/{y}.png", "attribution": "© OpenStreetMap"}


def test_left_out_stops_are_listed_once_per_shipment_with_their_reason_in_french(staff_client, day_with_left_out_pair):
    response = staff_client.get(reverse("delivery:planning", args=[day_with_left_out_pair.pk]))

    [item] = response.context["unassigned"]
    assert item["task"].source == "test:late:deliver" and item["collect"].source == "test:late:collect"
    assert item["reason"] == "WINDOW_IMPOSSIBLE" and "Créneau horaire impossible" in response.content.decode()


# -- moving a stop to another day -----------------------------------------------------------------

def test_moving_a_stop_to_another_day_moves_both_tasks_of_its_pair_once(staff_client, day_with_left_out_pair):
    day = day_with_left_out_pair
    collect, delivery = _pair()
    target = calendar.next_van_day(calendar.next_van_day(day.date))
    before = DeliveryTask.objects.count()
    url = reverse("delivery:task_move_day", args=[delivery.pk])

    first = staff_client.post(url, {"date": target.isoformat()}, follow=True)
    second = staff_client.post(url, {"date": target.isoformat()}, follow=True)

    collect.refresh_from_db()
    delivery.refresh_from_db()
    assert collect.day.date == target and delivery.day == collect.day
    assert DeliveryTask.objects.count() == before
    assert DeliveryDay.objects.filter(date=target).count() == 1
    assert "déplacé" in _messages(first) and "déjà prévu" in _messages(second)
    # the page of the old day no longer offers them
    page = staff_client.get(reverse("delivery:planning", args=[day.pk]))
    assert page.context["unassigned"] == []


def test_a_replayed_source_does_not_undo_a_staff_move(staff_client, day_with_left_out_pair, late_pair):
    day = day_with_left_out_pair
    collect, delivery = _pair()
    target = calendar.next_van_day(calendar.next_van_day(day.date))
    staff_client.post(reverse("delivery:task_move_day", args=[delivery.pk]), {"date": target.isoformat()})

    # the order's webhook is delivered again and asks for the original day and fields
    upsert_tasks(day, late_pair)

    collect.refresh_from_db()
    delivery.refresh_from_db()
    assert collect.day.date == target == delivery.day.date
    assert collect.moved_by_staff and delivery.moved_by_staff


def test_moving_from_the_collect_side_moves_the_delivery_too(staff_client, day_with_left_out_pair):
    collect, delivery = _pair()
    target = calendar.next_van_day(day_with_left_out_pair.date)

    staff_client.post(reverse("delivery:task_move_day", args=[collect.pk]), {"date": target.isoformat()})

    assert {t.day.date for t in _pair()} == {target}


def test_a_past_or_malformed_date_is_refused_with_a_clear_message(staff_client, day_with_left_out_pair):
    _, delivery = _pair()
    url = reverse("delivery:task_move_day", args=[delivery.pk])

    past = staff_client.post(url, {"date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}, follow=True)
    junk = staff_client.post(url, {"date": "31/02/2030"}, follow=True)

    assert "est déjà passé" in _messages(past)
    assert "Date non reconnue : « 31/02/2030 »" in _messages(junk)
    assert {t.day_id for t in _pair()} == {day_with_left_out_pair.pk}


def test_a_stop_already_in_a_round_is_not_moved(staff_client, day_with_left_out_pair):
    in_round = DeliveryTask.objects.get(source="test:home:1")

    response = staff_client.post(reverse("delivery:task_move_day", args=[in_round.pk]),
                                 {"date": calendar.next_van_day(day_with_left_out_pair.date).isoformat()},
                                 follow=True)

    assert "fait partie d'une tournée" in _messages(response)
    in_round.refresh_from_db()
    assert in_round.day_id == day_with_left_out_pair.pk


# -- moving a home delivery to a relay point ------------------------------------------------------

def test_moving_to_a_relay_point_turns_the_home_delivery_into_a_relay_drop(staff_client, day_with_left_out_pair):
    from marketplace.territory.models import RelayPoint

    relay = RelayPoint.objects.get(name="Mairie de Bavay")
    collect, delivery = _pair()
    url = reverse("delivery:task_move_relay", args=[delivery.pk])

    first = staff_client.post(url, {"relay": str(relay.pk)}, follow=True)
    second = staff_client.post(url, {"relay": str(relay.pk)}, follow=True)

    delivery.refresh_from_db()
    assert (delivery.kind, delivery.relay_point, delivery.lon, delivery.lat) == ("relay", relay, relay.lon, relay.lat)
    # a Tuesday: the town hall's opening hours that day, in seconds since midnight
    assert delivery.windows == [[9 * H, 12 * H], [14 * H, 17 * H + 1800]]
    assert delivery.address.startswith("Mairie de Bavay") and delivery.doorstep_notes == ""
    assert delivery.name == "Client matinal" and delivery.chilled_ml == 6000
    collect.refresh_from_db()
    assert collect.kind == "collect" and collect.day_id == delivery.day_id
    assert "sera déposé à Mairie de Bavay" in _messages(first) and "va déjà" in _messages(second)


def test_a_relay_point_closed_that_day_is_refused(staff_client, day_with_left_out_pair):
    from marketplace.territory.models import RelayPoint

    relay = RelayPoint.objects.get(name="Mairie de Bavay")
    relay.opening_hours = {**relay.opening_hours, str(day_with_left_out_pair.date.isoweekday()): []}
    relay.save()
    _, delivery = _pair()

    response = staff_client.post(reverse("delivery:task_move_relay", args=[delivery.pk]), {"relay": str(relay.pk)},
                                 follow=True)

    assert "Le point relais Mairie de Bavay est fermé le mardi" in _messages(response)
    delivery.refresh_from_db()
    assert delivery.kind == "home" and delivery.relay_point is None


def test_a_relay_fridge_without_room_for_the_chilled_goods_is_refused(staff_client, day_with_left_out_pair):
    from marketplace.territory.models import RelayPoint

    relay = RelayPoint.objects.get(name="Mairie de Landrecies")  # 100 L fridge, 20 L already promised that day
    relay.fridge_capacity_l = 25
    relay.save()
    _, delivery = _pair()

    response = staff_client.post(reverse("delivery:task_move_relay", args=[delivery.pk]), {"relay": str(relay.pk)},
                                 follow=True)

    assert "Le réfrigérateur de Mairie de Landrecies est plein" in _messages(response)
    assert "il reste 5,0 L, il en faut 6,0 L" in _messages(response)
    delivery.refresh_from_db()
    assert delivery.kind == "home"


def test_a_collect_or_unknown_relay_gets_a_clear_refusal(staff_client, day_with_left_out_pair):
    _, delivery = _pair()
    url = reverse("delivery:task_move_relay", args=[delivery.pk])

    unknown = staff_client.post(url, {"relay": "999999"}, follow=True)
    empty = staff_client.post(url, {"relay": ""}, follow=True)

    assert "Point relais inconnu (n° 999999)" in _messages(unknown)
    assert "Choisissez un point relais" in _messages(empty)


def test_the_day_list_and_the_day_page_link_to_the_planning_page(staff_client, planned_day):
    link = reverse("delivery:planning", args=[planned_day.pk])

    days = staff_client.get(reverse("delivery:days")).content.decode()
    detail = staff_client.get(reverse("delivery:day", args=[planned_day.pk])).content.decode()

    assert f'href="{link}"' in days and f'href="{link}"' in detail


# -- in the browser -------------------------------------------------------------------------------

@pytest.mark.browser
def test_staff_plan_a_day_in_chromium_watch_the_progress_and_see_the_rounds_on_the_map(
        live_server, day, specs, late_pair, redis_url, django_user_model, monkeypatch):
    from celery.contrib.testing.worker import start_worker
    from django.test import Client

    from marketplace.celery import app
    from tests.browser import chromium_page, serious_violations

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    upsert_tasks(day, specs + late_pair)
    login = Client()
    login.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    external = []

    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        page.context.add_cookies([{"name": "sessionid", "value": login.cookies["sessionid"].value,
                                   "url": live_server.url}])
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
        page.goto(f"{live_server.url}/livraison/jour/{day.pk}/planification/")
        page.get_by_role("button", name="Planifier").click()

        # no worker yet: the bar shows the queued task
        page.wait_for_function("document.getElementById('plan-progress-label').textContent.includes('En attente')")
        assert page.locator("#plan-progress").evaluate("el => el.value") == 5
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # a worker takes it: the bar follows its progress to 100 %, then the page shows the plan
            page.wait_for_selector("#planning-map path.round-path", timeout=60_000)

        assert page.locator("#plan-progress").evaluate("el => el.value") == 100
        assert "Calcul terminé" in page.locator("#plan-progress-label").inner_text()
        assert page.locator("#planning-map path.round-path").count() == 1
        assert page.locator("#planning-map path.leaflet-interactive").count() > 52  # town halls, stops, depot
        assert page.locator(".leaflet-tile").count() == 0 and external == []
        assert page.locator("#non-planifie-" + str(DeliveryTask.objects.get(source="test:late:deliver").pk)).is_visible()
        violations = serious_violations(page)

    assert violations == []
    assert StoredPlan.objects.filter(day=day, is_current=True).count() == 1


def test_a_door_the_plan_serves_in_two_stops_is_named_with_both_stop_numbers(staff_client, planned_day):
    from delivery.models import Round

    rnd = Round.objects.get(plan__day=planned_day, plan__is_current=True)
    homes = [s.task for s in rnd.stops.order_by("sequence") if s.task.kind == DeliveryTask.Kind.HOME]
    assert len(homes) >= 2, "the small day routes at least two homes"
    first, last = homes[0], homes[-1]
    page = staff_client.get(reverse("delivery:planning", args=[planned_day.pk])).content.decode()
    assert "Même porte, plusieurs arrêts" not in page

    # the last home turns out to be the first one's neighbour in the same flat: same door, same window
    DeliveryTask.objects.filter(pk=last.pk).update(address=first.address, lon=first.lon, lat=first.lat,
                                                    windows=first.windows)
    page = staff_client.get(reverse("delivery:planning", args=[planned_day.pk])).content.decode()

    section = page.split('id="portes-multiples-titre"')[1].split("</section>")[0]
    numbers = [int(n) for n in re.findall(r"arrêt n° (\d+)", section)]
    assert first.address in section and len(numbers) == 2 and numbers[0] < numbers[1]
