"""A day's tasks become a stored plan; failures and urgent orders re-plan the rest."""

import dataclasses

from delivery.actions import TaskSpec, upsert_tasks
from delivery.day_planning import plan_day
from delivery.midday_replanning import replan_remaining
from delivery.models import DeliveryDay, DeliveryTask, Round, StoredPlan
from delivery.tasks import plan_day as plan_day_task
from delivery.tasks import schedule_plan

H = 3600


def test_every_task_is_in_one_round_or_unassigned_with_a_reason(planned_day):
    plan = planned_day.plans.get(is_current=True)
    in_rounds = [s.task_id for r in plan.rounds.all() for s in r.stops.all()]
    unassigned = list(plan.unassigned.values_list("task_id", "reason"))

    assert sorted(in_rounds + [t for t, _ in unassigned]) == sorted(planned_day.tasks.values_list("pk", flat=True))
    assert len(set(in_rounds)) == len(in_rounds)
    assert planned_day.status == DeliveryDay.Status.PLANNED
    assert "ligne droite" in plan.travel_label and "estimation" in plan.travel_label  # no graph: says so


def test_collect_comes_before_its_delivery_in_the_same_round(current_round):
    order = {s.task.source: s.sequence for s in current_round.stops.select_related("task")}

    assert order["test:ship1:collect"] < order["test:ship1:deliver"]


def test_stops_are_served_inside_their_windows(current_round):
    for stop in current_round.stops.select_related("task"):
        assert any(a <= stop.start_s <= b for a, b in stop.task.windows), stop.task.name


def test_a_relay_point_closed_that_day_leaves_its_parcel_unassigned_with_a_reason(day, specs):
    from marketplace.territory.models import RelayPoint

    relay = RelayPoint.objects.get(pk=specs[-1].relay_point_id)
    relay.opening_hours = {str(day.date.isoweekday()): []}
    relay.save()
    upsert_tasks(day, specs)

    stored = plan_day(day, time_limit_s=1)

    [item] = stored.unassigned.all()
    assert item.task.relay_point == relay and item.reason == "WINDOW_IMPOSSIBLE"


def test_the_celery_task_plans_after_commit_and_twice_is_harmless(day, specs, eager_celery,
                                                                   django_capture_on_commit_callbacks):
    upsert_tasks(day, specs)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_plan(day)
    first = StoredPlan.objects.get(day=day, is_current=True)

    result = plan_day_task.delay(day.pk).get()

    second = StoredPlan.objects.get(day=day, is_current=True)
    assert result["status"] == "planned" and result["unassigned"] == 0
    assert first.pk != second.pk
    first_order = list(first.rounds.get().stops.values_list("task_id", flat=True))
    assert list(second.rounds.get().stops.values_list("task_id", flat=True)) == first_order
    assert StoredPlan.objects.filter(day=day, is_current=True).count() == 1


def test_a_day_without_a_van_is_marked_failed_with_the_reason(db, eager_celery):
    import datetime as dt

    lonely = DeliveryDay.objects.create(date=dt.date(2030, 1, 8))

    result = plan_day_task.delay(lonely.pk).get()

    lonely.refresh_from_db()
    assert result["status"] == "plan_failed" and lonely.status == DeliveryDay.Status.PLAN_FAILED
    assert "no van" in lonely.planning_error


def test_mid_round_replan_keeps_served_stops_and_starts_from_the_last_one(current_round):
    stops = list(current_round.stops.order_by("sequence").select_related("task"))
    for stop in stops[:2]:
        stop.task.status = DeliveryTask.Status.DELIVERED
        stop.task.save()
    now_s = stops[1].departure_s + 600

    stored = replan_remaining(current_round.plan.day, now_s, time_limit_s=1)

    rnd = Round.objects.get(plan=stored)
    new = list(rnd.stops.order_by("sequence"))
    assert [s.task_id for s in new[:2]] == [s.task_id for s in stops[:2]]
    assert all(s.fixed for s in new[:2]) and not any(s.fixed for s in new[2:])
    assert all(s.arrival_s >= now_s for s in new[2:])
    assert sorted(s.task_id for s in new) == sorted(s.task_id for s in stops)
    [solved] = stored.plan_json["routes"]
    assert solved["end_s"] == rnd.end_s  # the solver planned the way back to the depot, not to the van


def test_an_urgent_order_after_the_cut_off_is_fitted_into_the_running_day(current_round, specs, eager_celery,
                                                                          django_capture_on_commit_callbacks):
    from django.utils import timezone

    day = current_round.plan.day
    day.frozen_at = timezone.now()
    day.save()
    urgent = dataclasses.replace(specs[2], source="test:urgent", urgent=True, windows=((9 * H, 16 * H),),
                                 shipment_key="")

    with django_capture_on_commit_callbacks(execute=True):
        [task] = upsert_tasks(day, [urgent])

    plan = day.plans.get(is_current=True)
    assert plan.reason == "commande urgente"
    assert plan.rounds.get().stops.filter(task=task).exists()


def test_a_shipment_whose_goods_are_on_board_stays_with_its_van_and_its_cold_chain(current_round):
    stops = {s.task.source: s for s in current_round.stops.select_related("task")}
    collect = stops["test:ship1:collect"]
    for s in current_round.stops.filter(sequence__lte=collect.sequence).select_related("task"):
        s.task.status = DeliveryTask.Status.DELIVERED
        s.task.save()

    stored = replan_remaining(current_round.plan.day, collect.departure_s, time_limit_s=1)

    deliver = stored.rounds.get().stops.get(task__source="test:ship1:deliver")
    assert deliver.start_s <= collect.departure_s + 2 * H
    assert not stored.unassigned.exists()


def test_new_task_spec_defaults_plan_as_a_single_depot_delivery(day, territory):
    [task] = upsert_tasks(day, [TaskSpec(kind="home", source="x", name="Test", address="Jolimetz", lon=3.68, lat=50.23)])

    stored = plan_day(day, time_limit_s=1)

    assert stored.rounds.get().stops.get().task == task


def test_a_real_worker_plans_the_day_and_reports_progress(transactional_db, day, specs, redis_url):
    from celery.contrib.testing.worker import start_worker

    from marketplace.celery import app

    upsert_tasks(day, specs)
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    seen = []
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = plan_day_task.delay(day.pk)
        body = result.get(timeout=60, on_message=lambda m: seen.append((m["status"], m.get("result"))))

    assert body["status"] == "planned" and body["unassigned"] == 0
    steps = [meta["step"] for status, meta in seen if status == "PROGRESS"]
    assert "solving" in steps or "solve" in steps
    assert StoredPlan.objects.filter(day=day, is_current=True).count() == 1


def test_the_evening_cut_off_freezes_tomorrow_once_and_plans_it(day, specs, eager_celery, settings,
                                                                django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from delivery.tasks import freeze_and_plan_next_day

    upsert_tasks(day, specs)
    evening = timezone.make_aware(dt.datetime.combine(day.date - dt.timedelta(days=1), dt.time(18, 30)))
    with django_capture_on_commit_callbacks(execute=True):
        first = freeze_and_plan_next_day(evening.isoformat())
    second = freeze_and_plan_next_day(evening.isoformat())

    day.refresh_from_db()
    assert first["status"] == "planning" and second["status"] == "nothing to do"
    assert day.frozen_at == evening and day.status == DeliveryDay.Status.PLANNED
    assert StoredPlan.objects.filter(day=day).count() == 1
