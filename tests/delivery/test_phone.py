"""The driver's phone view: signed expiring access, minimal personal data, idempotent sync."""

import datetime as dt
import json
import uuid

from django.utils import timezone

from delivery.models import DeliveryTask, Notification, StopEvent
from delivery.views.access import sign_shift

PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
           "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def post_events(client, phone_url, *events):
    return client.post(phone_url + "evenements/", data=json.dumps({"events": list(events)}),
                       content_type="application/json")


def event(task, kind="delivered", **extra):
    return {"uuid": str(uuid.uuid4()), "task_id": task.pk, "kind": kind,
            "occurred_at": timezone.now().isoformat(), **extra}


def test_the_signed_link_opens_the_round_without_an_account(client, phone_url, current_round):
    response = client.get(phone_url)

    assert response.status_code == 200
    body = response.content.decode()
    for stop in current_round.stops.all():
        assert stop.task.name in body
    assert 'href="geo:' in body


def test_a_forged_or_altered_link_is_refused(client, phone_url):
    signed = phone_url.rstrip("/").rsplit("/", 1)[1]
    tampered = signed[:-3] + ("aaa" if not signed.endswith("aaa") else "bbb")

    assert client.get(f"/livraison/tel/{tampered}/").status_code == 403
    assert client.get("/livraison/tel/n-importe-quoi/").status_code == 403
    assert post_events(client, f"/livraison/tel/{tampered}/").status_code == 403


def test_an_expired_link_is_refused(client, current_round):
    expired = sign_shift(current_round.shift, expires=timezone.now() - dt.timedelta(minutes=1))

    assert client.get(f"/livraison/tel/{expired}/").status_code == 403


def test_a_refused_link_says_why_in_french_and_logs_one_line(client, current_round, caplog):
    expired = sign_shift(current_round.shift, expires=timezone.now() - dt.timedelta(minutes=1))

    with caplog.at_level("WARNING"):
        page = client.get(f"/livraison/tel/{expired}/")
        sync = client.get(f"/livraison/tel/{expired}/etat/")

    assert "Ce lien de tournée a expiré" in page.content.decode()
    assert sync.status_code == 403 and "expiré" in sync.json()["error"]
    refused = [r for r in caplog.records if "refused" in r.getMessage() or "Forbidden" in r.getMessage()]
    assert len(refused) == 2  # one line per refused request, ours, and Django adds none
    assert all(r.exc_info is None for r in refused)


def test_the_driver_sees_no_personal_data_beyond_the_door(client, phone_url, current_round):
    from marketplace.territory.models import Shopper

    body = client.get(phone_url).content.decode()

    names = {s.task.name for s in current_round.stops.all()}
    shoppers = [s for s in Shopper.objects.select_related("user") if s.user.get_full_name() in names]
    assert shoppers
    for shopper in shoppers:
        assert shopper.user.email not in body
    assert "claire@exemple.fr" not in body  # the contact for failures is staff business
    assert "06 00 00 00 00" not in body
    for word in ("senior", "isol", "âgé"):
        assert word not in body.lower()


def test_a_queued_update_replayed_twice_counts_once(client, phone_url, current_round):
    task = current_round.stops.order_by("sequence").first().task
    queued = event(task, proof=PNG_1PX)

    first = post_events(client, phone_url, queued).json()
    replay = post_events(client, phone_url, queued).json()

    assert first == {"accepted": [queued["uuid"]], "duplicates": [], "rejected": [], "plan": current_round.plan_id,
                     "plan_at": first["plan_at"]}
    assert replay == {**first, "accepted": [], "duplicates": [queued["uuid"]]}
    assert StopEvent.objects.filter(task=task).count() == 1
    task.refresh_from_db()
    assert task.status == "delivered" and task.proof.name.endswith(".png")


def test_bad_updates_are_rejected_with_a_reason_and_the_good_ones_kept(client, phone_url, current_round):
    first, second = [s.task for s in current_round.stops.order_by("sequence")[:2]]
    good = event(first)
    bad = event(second, kind="failed", reason="fatigue")

    body = post_events(client, phone_url, good, bad).json()

    assert body["accepted"] == [good["uuid"]]
    assert body["rejected"][0]["uuid"] == bad["uuid"] and "fatigue" in body["rejected"][0]["error"]
    second.refresh_from_db()
    assert second.status == "planned"


def test_a_task_of_another_day_cannot_be_touched_from_this_link(client, phone_url, planned_day, territory):
    from delivery.actions import TaskSpec, get_or_create_day, upsert_tasks

    other_day = get_or_create_day(planned_day.date + dt.timedelta(days=1))
    [other] = upsert_tasks(other_day, [TaskSpec(kind="home", source="other", name="X", address="Y", lon=3.7, lat=50.2)])

    body = post_events(client, phone_url, event(other)).json()

    assert body["rejected"] and not body["accepted"]
    other.refresh_from_db()
    assert other.status == "planned"


def test_failure_notifies_the_contact_once_and_replans_the_rest(client, phone_url, current_round, eager_celery,
                                                                django_capture_on_commit_callbacks):
    stops = list(current_round.stops.order_by("sequence"))
    home = next(s.task for s in stops if s.task.kind == "home" and s.sequence > 1)
    served_first = stops[0].task

    post_events(client, phone_url, event(served_first))
    failure = event(home, kind="failed", reason="absent")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_events(client, phone_url, failure)
        post_events(client, phone_url, failure)
    assert len(callbacks) == 1  # one re-plan, not one per replay

    home.refresh_from_db()
    assert home.status == "failed" and home.fail_reason == "absent"
    [note] = Notification.objects.filter(task=home)
    assert note.recipient == "claire@exemple.fr" and "absent" in note.body.lower()
    plan = current_round.plan.day.plans.get(is_current=True)
    assert plan.pk != current_round.plan.pk and "échec" in plan.reason
    new_round = plan.rounds.get()
    fixed = list(new_round.stops.filter(fixed=True).order_by("sequence").values_list("task_id", flat=True))
    assert fixed[:1] == [served_first.pk] and home.pk in fixed
    assert new_round.stops.count() == len(stops)  # every stop still planned exactly once


def test_staff_choice_retry_next_round_creates_a_task_on_the_next_day(client, admin_user, phone_url,
                                                                       current_round, eager_celery,
                                                                       django_capture_on_commit_callbacks):
    home = next(s.task for s in current_round.stops.all() if s.task.kind == "home")
    post_events(client, phone_url, event(home, kind="failed", reason="no_access"))
    client.force_login(admin_user)

    client.post(f"/livraison/tache/{home.pk}/choix/", {"choice": "retry_next"})
    client.post(f"/livraison/tache/{home.pk}/choix/", {"choice": "retry_next"})

    home.refresh_from_db()
    assert home.resolution == "retry_next" and home.resolution_by == admin_user.username
    follow = home.follow_up
    assert follow.day.date > home.day.date and follow.address == home.address
    assert follow.chilled_g == home.chilled_g and follow.crates == home.crates
    assert DeliveryTask.objects.filter(source__startswith=home.source).count() == 2


def test_staff_choice_relay_today_sends_the_goods_to_the_nearest_open_relay(client, admin_user, phone_url,
                                                                           current_round, eager_celery,
                                                                       django_capture_on_commit_callbacks):
    from delivery.routing.straightline import great_circle_m
    from marketplace.territory.models import RelayPoint

    stop = next(s for s in current_round.stops.order_by("sequence") if s.task.kind == "home")
    home = stop.task
    post_events(client, phone_url, event(home, kind="failed", reason="absent"))
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/livraison/tache/{home.pk}/choix/", {"choice": "relay_today"})

    home.refresh_from_db()
    follow = home.follow_up
    assert follow.kind == "relay" and follow.day_id == home.day_id
    nearest = min(RelayPoint.objects.all(), key=lambda r: great_circle_m(home.lon, home.lat, r.lon, r.lat))
    assert follow.relay_point == nearest
    plan = home.day.plans.get(is_current=True)
    assert plan.rounds.get(shift=current_round.shift).stops.filter(task=follow).exists()  # the van with the goods
    assert plan.rounds.get().stops.get(task=home).fixed
    assert plan.reason == f"dépôt en relais, arrêt n° {stop.sequence} ({home.name})"  # its number, not its id


def test_a_task_outside_this_vans_round_cannot_be_touched_from_this_link(client, phone_url, planned_day):
    from delivery.actions import TaskSpec, upsert_tasks

    [unplanned] = upsert_tasks(planned_day, [TaskSpec(kind="home", source="late", name="X", address="Y",
                                                      lon=3.7, lat=50.2)])

    body = post_events(client, phone_url, event(unplanned)).json()

    assert "n'est pas un arrêt de cette tournée" in body["rejected"][0]["error"]
    unplanned.refresh_from_db()
    assert unplanned.status == "planned"
