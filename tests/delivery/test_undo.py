"""A phone view a driver can trust: "Annuler" within a time limit, stop numbers in messages, stale pages read-only."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.error_codes import DeliveryErrorCode
from delivery.models import DeliveryTask, Notification, StopEvent, StopUndo
from delivery.undo import UNDO_WINDOW, UndoSpec, undo_event
from tests.delivery.test_phone import event, post_events


def undo_of(tap, task, **extra):
    return {"uuid": str(uuid.uuid4()), "kind": "undo", "undoes": tap["uuid"], "task_id": task.pk,
            "occurred_at": timezone.now().isoformat(), **extra}


def stops_of(current_round):
    return list(current_round.stops.select_related("task").order_by("sequence"))


def test_a_mistaken_delivered_tap_is_taken_back_once(client, phone_url, current_round):
    # given the driver tapped "Livré" on stop 2 by mistake
    stop = stops_of(current_round)[1]
    tap = event(stop.task, stop=stop.sequence)
    post_events(client, phone_url, tap)
    # when they tap "Annuler" (and the phone replays the undo once)
    undo = undo_of(tap, stop.task)
    first = post_events(client, phone_url, undo).json()
    replay = post_events(client, phone_url, undo).json()
    # then the stop is to do again, the tap is kept but no longer counts, the replay changes nothing
    stop.task.refresh_from_db()
    assert stop.task.status == DeliveryTask.Status.PLANNED and stop.task.done_at is None
    assert first["accepted"] == [undo["uuid"]] and replay["duplicates"] == [undo["uuid"]]
    assert StopUndo.objects.get().event.uuid == uuid.UUID(tap["uuid"])


def test_the_undo_time_limit_is_kept_by_the_server(current_round):
    # given a tap the server received at 10:00
    task = stops_of(current_round)[0].task
    tapped = timezone.now().replace(microsecond=0)
    tap = StopEvent.objects.create(uuid=uuid.uuid4(), shift=current_round.shift, task=task, kind="delivered",
                                   occurred_at=tapped)
    StopEvent.objects.filter(pk=tap.pk).update(received_at=tapped)
    DeliveryTask.objects.filter(pk=task.pk).update(status="delivered", done_at=tapped)
    late = UndoSpec(str(uuid.uuid4()), str(tap.uuid), tapped + UNDO_WINDOW + dt.timedelta(seconds=1))
    # when the undo comes one second after the window (on the phone's clock, then on the server's)
    with pytest.raises(ValidationError) as by_phone:
        undo_event(current_round.shift, late, now=tapped + dt.timedelta(minutes=1))
    in_time = UndoSpec(str(uuid.uuid4()), str(tap.uuid), tapped + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as by_server:
        undo_event(current_round.shift, in_time, now=tapped + UNDO_WINDOW + dt.timedelta(seconds=1))
    # then both are refused and the stop stays done; just inside the window it is taken back
    assert by_phone.value.code == by_server.value.code == DeliveryErrorCode.UNDO_TOO_LATE
    assert "appelez l'équipe" in by_server.value.messages[0]
    task.refresh_from_db()
    assert task.status == "delivered"
    undo_event(current_round.shift, in_time, now=tapped + UNDO_WINDOW)
    task.refresh_from_db()
    assert task.status == "planned"


def test_only_the_latest_tap_of_a_stop_can_be_taken_back(client, phone_url, current_round):
    stop = stops_of(current_round)[0]
    first = event(stop.task, kind="failed", reason="absent")
    second = event(stop.task, occurred_at=(timezone.now() + dt.timedelta(seconds=30)).isoformat())
    post_events(client, phone_url, first, second)

    body = post_events(client, phone_url, undo_of(first, stop.task)).json()

    assert body["rejected"][0]["error"].startswith(f"Arrêt {stop.sequence} : Un geste plus récent")
    stop.task.refresh_from_db()
    assert stop.task.status == "delivered"


def test_undoing_a_failure_corrects_the_contact_and_puts_the_stop_back_in_the_round(
        client, phone_url, current_round, eager_celery, django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.DELIVERY_NOTIFIER = "delivery.notify.EmailNotifier"
    # given a failure at stop 3 that told the contact and re-planned the round
    stop = next(s for s in stops_of(current_round) if s.task.kind == "home" and s.sequence > 1)
    tap = event(stop.task, kind="failed", reason="absent", stop=stop.sequence)
    with django_capture_on_commit_callbacks(execute=True):
        post_events(client, phone_url, tap)
    assert Notification.objects.filter(task=stop.task).count() == 1
    replanned = current_round.plan.day.plans.get(is_current=True)
    assert replanned.reason == f"échec arrêt n° {stop.sequence} ({stop.task.name})"  # the number, not the task id
    # when the driver takes the failure back
    with django_capture_on_commit_callbacks(execute=True):
        body = post_events(client, phone_url, undo_of(tap, stop.task)).json()
    # then the stop is to do again in a new plan, the contact got a correction, and a real failure later tells again
    assert body["accepted"]
    stop.task.refresh_from_db()
    assert (stop.task.status, stop.task.fail_reason) == ("planned", "")
    assert "erreur de saisie" in mailoutbox[-1].body and mailoutbox[-1].to == ["claire@exemple.fr"]
    assert StopUndo.objects.get().told == "claire@exemple.fr"
    latest = current_round.plan.day.plans.get(is_current=True)
    assert latest.pk != replanned.pk and "échec annulé" in latest.reason
    assert not latest.rounds.get().stops.filter(task=stop.task, fixed=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        post_events(client, phone_url, event(stop.task, kind="failed", reason="absent"))
    assert Notification.objects.filter(task=stop.task).count() == 1 and len(mailoutbox) == 3


def test_a_failure_staff_already_followed_up_cannot_be_undone_from_the_phone(client, phone_url, current_round):
    from delivery.failures import resolve_failed

    stop = next(s for s in stops_of(current_round) if s.task.kind == "home")
    tap = event(stop.task, kind="failed", reason="absent")
    post_events(client, phone_url, tap)
    resolve_failed(DeliveryTask.objects.get(pk=stop.task.pk), "retry_next", "equipe", 12 * 3600)

    body = post_events(client, phone_url, undo_of(tap, stop.task, stop=stop.sequence)).json()

    assert body["rejected"][0]["error"] == (f"Arrêt {stop.sequence} : L'équipe a déjà choisi la suite de cet échec : "
                                            "appelez-la pour corriger.")
    stop.task.refresh_from_db()
    assert stop.task.status == "failed"


def test_refusals_name_the_stop_number_not_the_task_id(client, phone_url, current_round):
    stop = stops_of(current_round)[3]
    bad = event(stop.task, kind="failed", reason="fatigue")

    body = post_events(client, phone_url, bad).json()

    error = body["rejected"][0]["error"]
    assert error.startswith(f"Arrêt {stop.sequence} : ") and "fatigue" in error
    assert str(stop.task.pk) not in error.replace(f"Arrêt {stop.sequence}", "")


def test_a_tap_made_on_a_page_whose_plan_was_replaced_is_refused(client, phone_url, current_round):
    from delivery.midday_replanning import replan_remaining

    # given the page was drawn from the first plan, then the team re-planned the day
    page_plan = current_round.plan_id
    stop = stops_of(current_round)[0]
    before_replan = event(stop.task, plan=page_plan,
                          occurred_at=(timezone.now() - dt.timedelta(minutes=1)).isoformat())
    new_plan = replan_remaining(current_round.plan.day, 9 * 3600, reason="re-planification demandée par l'équipe",
                                time_limit_s=1)
    # when the stale page sends a tap made after the re-plan, and one queued before it
    after = event(stops_of(current_round)[1].task, plan=page_plan, stop=2)
    body = post_events(client, phone_url, after, before_replan).json()
    state = client.get(phone_url + "etat/").json()
    # then the late tap is refused with the reload advice, the earlier one counts, and the phone learns the new plan
    assert body["rejected"][0]["error"].startswith("Arrêt 2 : La liste a changé à ")
    assert body["accepted"] == [before_replan["uuid"]]
    assert body["plan"] == state["plan"] == new_plan.pk != page_plan


def test_the_page_keeps_stop_order_folds_done_stops_and_offers_undo_after_a_reload(client, phone_url, current_round):
    stops = stops_of(current_round)
    tap = event(stops[0].task)
    post_events(client, phone_url, tap)

    page = client.get(phone_url).content.decode()

    order = [page.index(f'data-task-id="{s.task.pk}"') for s in stops]
    assert order == sorted(order)  # stop 1 stays first although it is done
    first = page[page.rindex("<li", 0, order[0]):order[1]]
    assert "folded" in first and f'data-event-uuid="{tap["uuid"]}"' in first
    assert f"✔ Arrêt {stops[0].sequence} fait" in first and 'data-plan-id="' in page


def test_the_staff_day_page_has_a_copy_button_for_each_phone_link(admin_client, current_round):
    page = admin_client.get(f"/livraison/jour/{current_round.plan.day_id}/").content.decode()

    assert "Copier le lien" in page and f'data-copy-from="lien-{current_round.pk}"' in page
    assert 'class="phone-link-field"' in page and "/livraison/tel/" in page
