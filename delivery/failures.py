"""The failed-delivery protocol: tell the customer's contact, keep the goods, let staff decide.

1. :func:`on_failed` (called when the driver reports a failure) notifies the contact through
   the configured :mod:`delivery.notify` notifier and asks for the rest of the day to be
   re-planned with the goods still on board.
2. :func:`resolve_failed` records the staff's choice on the task: deliver to the nearest relay
   point open today, or retry in the next round. Either way a follow-up task carries the goods.
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from marketplace.territory.models import RelayPoint

from . import calendar
from .day_planning import relay_opening
from .error_codes import DeliveryErrorCode as Code
from .error_codes import error
from .models import COMPARTMENTS, DeliveryDay, DeliveryTask, Notification, RoundStop
from .notify import Message, get_notifier
from .routing.straightline import great_circle_m

log = logging.getLogger(__name__)


def _message(task: DeliveryTask) -> Message:
    reason = task.get_fail_reason_display() or "échec"
    body = (f"Bonjour, la livraison du Marché du Pays de Mormal pour {task.name} ({task.address}) "
            f"n'a pas pu être faite aujourd'hui (motif : {reason}). Les produits restent au frais "
            "dans la camionnette ; l'équipe vous propose un dépôt en point relais ou un nouveau passage. "
            "Contact : l'équipe de la Communauté de Communes du Pays de Mormal.")
    return Message(task.contact_name or task.name, task.contact_phone, task.contact_email,
                   "Livraison non effectuée", body)


def notify_contact(task: DeliveryTask) -> Notification | None:
    """Send the failure message to the task's contact once; None when there is nobody to tell."""
    if not (task.contact_name or task.contact_phone or task.contact_email):
        return None
    existing = task.notifications.first()
    if existing is not None:
        return existing
    message = _message(task)
    try:
        channel, recipient = get_notifier().send(message)
        ok = True
    except RuntimeError as exc:
        log.error("notification for task %s failed: %s", task.pk, exc)
        channel, recipient, ok = "error", message.email or message.phone, False
    return Notification.objects.create(task=task, channel=channel, recipient=recipient, body=message.body, ok=ok)


def carrying_shift_ids(task: DeliveryTask) -> list[int]:
    """The shift(s) whose current round holds ``task``: the van that has its goods."""
    return sorted(set(RoundStop.objects.filter(task=task, round__plan__is_current=True)
                      .values_list("round__shift_id", flat=True)))


def stop_label(task: DeliveryTask) -> str:
    """« arrêt n° 4 (Jeanne Dupont) » as the driver and staff read it (its door's number in the current round)."""
    from .selectors import door_stops  # noqa: PLC0415 - selectors import the sheets

    stop = RoundStop.objects.filter(task=task, round__plan__is_current=True).select_related("round").first()
    number = next((s.number for s in door_stops(stop.round) if task in s.parcels), None) if stop else None
    return f"arrêt n° {number} ({task.name})" if number else f"arrêt de {task.name}"


def on_failed(task: DeliveryTask) -> None:
    """Run steps 1 and 2 of the protocol after the driver reported ``task`` failed.

    Only the failed van's remaining stops are re-planned; the other vans keep their rounds.
    """
    notify_contact(task)
    from .tasks import schedule_replan  # noqa: PLC0415 - tasks imports planning, which imports this app

    schedule_replan(task.day_id, reason=f"échec {stop_label(task)}"[:120], only_shifts=carrying_shift_ids(task) or None)


def nearest_open_relay(task: DeliveryTask, after_s: int) -> tuple[RelayPoint, list[list[int]]] | None:
    """The active relay point nearest the task, still open after ``after_s`` today, with fridge room.

    Returns the relay point and its remaining opening windows, or None when none fits. The
    fridge must hold the task's chilled goods on top of what is already promised that day.
    """
    from .moves import relay_fridge_used_ml  # noqa: PLC0415 - moves imports this app's planning

    best = None
    for relay in RelayPoint.objects.filter(active=True):
        windows = [[max(w.start_s, after_s), w.end_s] for w in relay_opening(relay, task.day.date)
                   if w.end_s > after_s and w.end_s > 0]
        if not windows:
            continue
        if task.chilled_ml and task.chilled_ml > relay.fridge_capacity_l * 1000 - relay_fridge_used_ml(
                relay, task.day.date, exclude_task_ids=(task.pk,)):
            continue
        d = great_circle_m(task.lon, task.lat, relay.lon, relay.lat)
        if best is None or d < best[0]:
            best = (d, relay, windows)
    return (best[1], best[2]) if best else None


def next_delivery_day(after: dt.date) -> DeliveryDay:
    """The delivery day of the van's next working day after ``after`` (see :mod:`delivery.calendar`)."""
    return DeliveryDay.objects.get_or_create(date=calendar.next_van_day(after))[0]


def _copy_fields(task: DeliveryTask) -> dict:
    fields = {f"{c}_{u}": getattr(task, f"{c}_{u}") for c in COMPARTMENTS for u in ("g", "ml")}
    fields.update(name=task.name, phone=task.phone, crates=task.crates, payment_method=task.payment_method,
                  payment_cents=task.payment_cents, contact_name=task.contact_name,
                  contact_phone=task.contact_phone, contact_email=task.contact_email, service_s=task.service_s)
    return fields


@transaction.atomic
def resolve_failed(task: DeliveryTask, choice: str, staff_name: str, now_s: int) -> DeliveryTask:
    """Record the staff's choice for a failed delivery and create the follow-up task.

    Parameters
    ----------
    task
        A delivery that the driver reported failed.
    choice
        ``relay_today`` or ``retry_next`` (:class:`DeliveryTask.Resolution`).
    staff_name
        Who decided (kept on the task).
    now_s
        Current time, seconds since midnight, used to find a relay point still open today.

    Returns
    -------
    DeliveryTask
        The follow-up task (the same one when called again with the same choice).

    Raises
    ------
    ValidationError
        When the task has not failed, is a collect, was already resolved another way, would take
        frozen goods (``relay_frozen``) or money to collect (``relay_money``) to a relay point,
        or no relay point is open with fridge room for the rest of the day (``no_relay``).
        The relay follow-up keeps the shipment key, so the re-plan holds it to the cold chain's
        time-in-van limit from the collect.
    """
    task = DeliveryTask.objects.select_for_update().get(pk=task.pk)
    if task.status != DeliveryTask.Status.FAILED or task.is_collect:
        raise error(Code.NOT_FAILED, name=task.name)
    if choice not in (DeliveryTask.Resolution.RELAY_TODAY, DeliveryTask.Resolution.RETRY_NEXT):
        raise error(Code.BAD_CHOICE, choice=choice)
    if task.resolution:
        if task.resolution != choice:
            raise error(Code.RESOLVED, name=task.name, resolution=task.get_resolution_display())
        return task.follow_up
    if choice == DeliveryTask.Resolution.RELAY_TODAY:
        from .moves import check_may_wait_at_relay  # noqa: PLC0415 - moves imports this app's planning

        check_may_wait_at_relay(task)  # frozen goods, or money to collect: staff must choose another way
        found = nearest_open_relay(task, now_s)
        if found is None:
            raise error(Code.NO_RELAY)
        relay, windows = found
        follow = DeliveryTask.objects.create(
            day=task.day, kind=DeliveryTask.Kind.RELAY, source=f"{task.source}:relais", relay_point=relay,
            address=f"{relay.name}, {relay.address}", lon=relay.lon, lat=relay.lat, windows=windows,
            urgent=True, shipment_key=task.shipment_key, **_copy_fields(task))
    else:
        day = next_delivery_day(task.day.date)
        follow = DeliveryTask.objects.create(
            day=day, kind=task.kind, source=f"{task.source}:nouvel-essai", relay_point=task.relay_point,
            address=task.address, lon=task.lon, lat=task.lat, windows=task.windows,
            doorstep_notes=task.doorstep_notes, access_codes=task.access_codes, **_copy_fields(task))
    task.resolution, task.resolution_by, task.resolved_at, task.follow_up = choice, staff_name, timezone.now(), follow
    task.save(update_fields=["resolution", "resolution_by", "resolved_at", "follow_up", "updated_at"])
    if choice == DeliveryTask.Resolution.RELAY_TODAY:
        from .tasks import schedule_replan  # noqa: PLC0415

        schedule_replan(task.day_id, reason=f"dépôt en relais, {stop_label(task)}"[:120],
                        only_shifts=carrying_shift_ids(task) or None)
    return follow
