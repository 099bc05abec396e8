"""The re-plan contract (issue 13): a failure re-plans only the failed van; nothing is dropped silently."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from delivery.actions import EventSpec, record_event, upsert_tasks
from delivery.day_planning import plan_day
from delivery.models import DeliveryTask, RoundStop, Shift, Van

H = 3600


@pytest.fixture
def two_van_day(day, van, specs):
    """The small day over two vans that can each carry only part of the chilled goods."""
    second = Van.objects.create(name="Camionnette frigo 2", depot=van.depot, chilled_kg=8)
    Van.objects.filter(pk=van.pk).update(chilled_kg=8)
    Shift.objects.create(day=day, van=second, driver_name="Nadia")
    upsert_tasks(day, specs)
    plan_day(day, time_limit_s=2)
    return day


def _current_stops(day):
    return list(RoundStop.objects.filter(round__plan__day=day, round__plan__is_current=True)
                .select_related("task", "round__shift").order_by("round__shift_id", "sequence"))


def test_a_failure_re_plans_only_the_failed_van_and_lists_what_no_longer_fits(
        two_van_day, client, django_user_model, eager_celery, django_capture_on_commit_callbacks):
    day = two_van_day
    staff = django_user_model.objects.create(username="equipe", is_staff=True, email="equipe@mormal.fr")
    stops = _current_stops(day)
    by_shift: dict[int, list[RoundStop]] = {}
    for stop in stops:
        by_shift.setdefault(stop.round.shift_id, []).append(stop)
    assert len(by_shift) == 2, "both vans are needed for the chilled goods"

    # the failed van is the one with at least two home deliveries; the first fails, the last no longer fits
    failed_shift, failed_stops = next((s, st) for s, st in by_shift.items()
                                      if sum(x.task.kind == "home" for x in st) >= 2)
    other = {x.task_id: (x.round.shift_id, x.sequence, x.arrival_s, x.departure_s)
             for s, st in by_shift.items() if s != failed_shift for x in st}
    homes = [x for x in failed_stops if x.task.kind == "home"]
    first, victim = homes[0], homes[-1]
    DeliveryTask.objects.filter(pk=victim.task_id).update(windows=[[8 * H, 8 * H + 60]])  # now impossible
    shift = Shift.objects.get(pk=failed_shift)

    # when the driver serves the stops before the first home delivery, then reports it failed
    with django_capture_on_commit_callbacks(execute=True):
        for stop in failed_stops:
            if stop.sequence < first.sequence:
                record_event(shift, EventSpec(str(uuid.uuid4()), stop.task_id, "delivered", timezone.now()))
        record_event(shift, EventSpec(str(uuid.uuid4()), first.task_id, "failed", timezone.now(), reason="absent"))

    # then a new plan re-ordered the failed van only: the other van's stops did not move at all
    plan = day.plans.get(is_current=True)
    assert plan.reason.startswith("échec arrêt n° ") and first.task.name in plan.reason
    after = _current_stops(day)
    assert {x.task_id: (x.round.shift_id, x.sequence, x.arrival_s, x.departure_s)
            for x in after if x.round.shift_id != failed_shift} == other

    # every planned task of the day is in one round or listed with a reason: the victim is listed
    routed = [x.task_id for x in after]
    left = dict(plan.unassigned.values_list("task_id", "reason"))
    assert len(routed) == len(set(routed))
    for task in DeliveryTask.objects.filter(day=day):
        assert (task.pk in routed) != (task.pk in left), task.name
    assert left[victim.task_id] == "WINDOW_IMPOSSIBLE"

    # staff are told by e-mail, in French, and the planning page shows the reason (no raw code)
    [message] = [m for m in mail.outbox if staff.email in m.to]
    assert victim.task.name in message.body and "Créneau horaire impossible à tenir" in message.body
    assert "WINDOW_IMPOSSIBLE" not in message.body
    client.force_login(staff)
    page = client.get(reverse("delivery:planning", args=[day.pk])).content.decode()
    assert victim.task.name in page and "Créneau horaire impossible à tenir" in page
    assert "WINDOW_IMPOSSIBLE" not in page.replace('"WINDOW_IMPOSSIBLE"', "")
