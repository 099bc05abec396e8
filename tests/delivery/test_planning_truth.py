"""The planning page is the truth (issue 13, findings 6 and 7): every left-out task, in French, with what to do;
one plan at a time; moves only to service days, relay points only for parcels that may wait there."""

import dataclasses
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery import calendar
from delivery.actions import TaskSpec, upsert_tasks
from delivery.day_planning import plan_day
from delivery.models import DeliveryDay, DeliveryTask, Shift

H = 3600
RAW_CODES = ("NO_ROOM", "WINDOW_IMPOSSIBLE", "OVER_CAPACITY", "UNREACHABLE", "COLD_CHAIN", "RELAY_FULL", "NOT_PLANNED")


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    return client


@pytest.fixture
def left_out_day(day, specs, territory):
    """The small day planned with three deliveries due before any van leaves, plus one added after the plan."""
    from marketplace.territory.models import Shopper

    shopper = Shopper.objects.select_related("user").order_by("user__username").first()
    early = ((2 * H, 2 * H + 900),)
    base = dict(address=shopper.address, lon=shopper.lon, lat=shopper.lat, windows=early)
    late = [
        TaskSpec(kind="home", source="t:glace", name="Client surgelés", loads={"frozen": (1000, 2000)}, **base),
        TaskSpec(kind="home", source="t:cheque", name="Client chèque", loads={"chilled": (1000, 2000)},
                 payment_method="cheque", payment_cents=1500, **base),
        TaskSpec(kind="pickup_point", source="t:point", name="Ferme du Bois, point de retrait",
                 loads={"chilled": (5000, 10000)}, **base),
    ]
    upsert_tasks(day, specs + late)
    plan_day(day, time_limit_s=2)
    upsert_tasks(day, [dataclasses.replace(specs[1], source="t:after", name="Client arrivé après le calcul")])
    return day


def _article(page: str, name: str) -> str:
    """The left-out stop's card in the page's "Arrêts non planifiés" section."""
    page = page.split('id="non-planifies-titre"', 1)[1]
    start = page.index(name)
    return page[page.rindex("<article", 0, start):page.index("</article>", start)]


def test_every_left_out_task_is_listed_in_french_with_what_to_do(staff_client, left_out_day):
    page = staff_client.get(reverse("delivery:planning", args=[left_out_day.pk])).content.decode()
    routed = {s.task_id for r in left_out_day.plans.get(is_current=True).rounds.all() for s in r.stops.all()}
    missing = DeliveryTask.objects.filter(day=left_out_day, status="planned").exclude(pk__in=routed)
    assert set(missing.values_list("source", flat=True)) == {"t:glace", "t:cheque", "t:point", "t:after"}

    # every one of them is on the page, pickup-point delivery included, with a French reason and advice
    for task in missing:
        article = _article(page, task.name)
        assert "Motif : " in article and "À faire : " in article
    assert "Créneau horaire impossible à tenir" in _article(page, "Ferme du Bois")
    assert "Arrivée après le dernier calcul" in _article(page, "Client arrivé après le calcul")
    for code in RAW_CODES:
        assert code not in page
    # the day page lists the same tasks
    day_page = staff_client.get(reverse("delivery:day", args=[left_out_day.pk])).content.decode()
    for task in missing:
        assert task.name in day_page.split("Non planifiées", 1)[1]


def test_relay_points_are_offered_only_for_parcels_that_may_wait_there(staff_client, left_out_day):
    page = staff_client.get(reverse("delivery:planning", args=[left_out_day.pk])).content.decode()
    frozen, cheque = _article(page, "Client surgelés"), _article(page, "Client chèque")
    chilled = _article(page, "Client arrivé après le calcul")
    assert 'name="relay"' not in frozen and "surgelés" in frozen
    assert 'name="relay"' not in cheque and "ne peut pas encaisser" in cheque
    assert 'name="relay"' in chilled
    # and a forged move is refused by the server all the same
    glace = DeliveryTask.objects.get(source="t:glace")
    relay = re.search(r'<option value="(\d+)"', chilled.split('name="relay"', 1)[1]).group(1)
    answer = staff_client.post(reverse("delivery:task_move_relay", args=[glace.pk]), {"relay": relay}, follow=True)
    assert "surgelés" in answer.content.decode()
    glace.refresh_from_db()
    assert glace.kind == "home" and glace.relay_point is None


def test_staff_can_move_a_stop_only_to_a_day_the_van_runs(staff_client, left_out_day):
    page = staff_client.get(reverse("delivery:planning", args=[left_out_day.pk])).content.decode()
    offered = [dt.date.fromisoformat(d) for d in
               re.findall(r'<option value="(\d{4}-\d\d-\d\d)"', _article(page, "Client chèque"))]
    assert offered and all(calendar.van_runs_on(d) for d in offered)
    assert left_out_day.date not in offered

    today = timezone.localdate()
    sunday = today + dt.timedelta(days=7 - today.isoweekday() or 7)
    task = DeliveryTask.objects.get(source="t:cheque")
    answer = staff_client.post(reverse("delivery:task_move_day", args=[task.pk]), {"date": sunday.isoformat()},
                               follow=True)
    assert "ne roule pas" in answer.content.decode()
    task.refresh_from_db()
    assert task.day == left_out_day
    assert not DeliveryDay.objects.filter(date=sunday).exists() and not Shift.objects.filter(day__date=sunday).exists()


def test_one_plan_at_a_time_the_button_is_disabled_and_the_server_refuses_a_second(
        staff_client, left_out_day, django_capture_on_commit_callbacks):
    url = reverse("delivery:planning_launch", args=[left_out_day.pk])
    with django_capture_on_commit_callbacks(execute=False) as first:  # queued, the worker has not started yet
        staff_client.post(url, {"mode": "full"})
    assert len(first) == 1

    page = staff_client.get(reverse("delivery:planning", args=[left_out_day.pk])).content.decode()
    assert re.search(r'<button type="submit" id="plan-button" disabled>', page)
    with django_capture_on_commit_callbacks(execute=False) as second:
        answer = staff_client.post(url, {"mode": "full"}, follow=True)
    assert len(second) == 0 and "déjà en cours" in answer.content.decode()
