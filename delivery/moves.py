"""Staff moves of stops the plan left out: to another delivery day, or from the home to a relay point.

A collect and a deliver task that share ``shipment_key`` always move together, and a move is
the same row changing its day or destination (never a copy), so calling a move twice changes
nothing the second time. Errors are ``ValidationError`` with a code and one French sentence
naming the bad value: the staff page shows them as they are.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats

from common import money
from marketplace.territory.models import RelayPoint

from . import calendar, coldchain
from .actions import get_or_create_day
from .day_planning import relay_opening
from .error_codes import DeliveryErrorCode as Code
from .error_codes import error, message
from .models import DeliveryTask, RoundStop

log = logging.getLogger(__name__)


def _date_label(date: dt.date) -> str:
    return formats.date_format(date, "l j F Y")


def _group(task: DeliveryTask) -> list[DeliveryTask]:
    """The task and its shipment partner on the same day, locked for update, collect first."""
    qs = DeliveryTask.objects.select_for_update(of=("self",)).select_related("day", "relay_point")
    if task.shipment_key:
        rows = list(qs.filter(shipment_key=task.shipment_key, day_id=task.day_id).order_by("pk"))
    else:
        rows = list(qs.filter(pk=task.pk))
    return sorted(rows, key=lambda t: not t.is_collect)


def _check_movable(group: list[DeliveryTask]) -> None:
    """Refuse tasks already served or cancelled, and stops in a round of their day's current plan."""
    for t in group:
        if t.status != DeliveryTask.Status.PLANNED:
            raise error(Code.NOT_PLANNED, name=t.name, status=t.get_status_display().lower())
    in_round = RoundStop.objects.filter(task__in=group, round__plan__is_current=True,
                                        round__plan__day_id=group[0].day_id).select_related("task").first()
    if in_round is not None:
        raise error(Code.IN_ROUND, name=in_round.task.name)


def relay_windows(relay: RelayPoint, date: dt.date) -> list[list[int]]:
    """The relay point's opening windows on ``date`` (seconds since midnight); empty when closed."""
    return [[w.start_s, w.end_s] for w in relay_opening(relay, date) if w.end_s > 0]


def relay_fridge_used_ml(relay: RelayPoint, date: dt.date, exclude_task_ids: tuple[int, ...] = ()) -> int:
    """Chilled volume (ml) already promised to ``relay``'s fridge on ``date``.

    The sum of the chilled goods of relay deliveries planned there that day, plus the
    storefront's live holds and orders (``relay_used_ml``) that are not yet van tasks; an
    order counted on both sides is counted once.
    """
    from marketplace.storefront.models import Reservation  # noqa: PLC0415 - storefront imports delivery
    from marketplace.storefront.reservations import relay_used_ml  # noqa: PLC0415

    tasks = (DeliveryTask.objects.filter(relay_point=relay, day__date=date, kind=DeliveryTask.Kind.RELAY)
             .exclude(status=DeliveryTask.Status.CANCELLED).exclude(pk__in=exclude_task_ids))
    in_tasks = tasks.aggregate(total=Sum("chilled_ml"))["total"] or 0
    order_ids = {s.split(":")[1] for s in tasks.filter(source__startswith="order:").values_list("source", flat=True)}
    covered = (Reservation.objects.filter(relay_point=relay, date=date, order_id__in=order_ids)
               .aggregate(total=Sum("chilled_ml"))["total"] or 0)
    return in_tasks + max(0, relay_used_ml(relay, date) - covered)


def relay_refusal_message(task: DeliveryTask) -> str:
    """Why ``task``'s parcel may not wait at any relay point, in French for staff ("" when it may)."""
    code = coldchain.relay_refusal(task.loads(), task.payment_cents if task.payment_method else 0)
    if code == coldchain.RELAY_FROZEN:
        return message(Code.RELAY_FROZEN, name=task.name)
    if code == coldchain.RELAY_MONEY:
        return message(Code.RELAY_MONEY, name=task.name, amount=money.format_cents(task.payment_cents),
                       method=task.get_payment_method_display())
    return ""


def check_may_wait_at_relay(task: DeliveryTask) -> None:
    """Raise ``ValidationError`` (``RELAY_FROZEN`` / ``RELAY_MONEY``) when the parcel may not wait at a relay."""
    text = relay_refusal_message(task)
    if text:
        raise ValidationError(text, code=Code(coldchain.relay_refusal(task.loads(), task.payment_cents)))


def relay_has_room(relay: RelayPoint, date: dt.date, task: DeliveryTask) -> int:
    """Free fridge room (ml) at ``relay`` on ``date`` for ``task`` (its own booking not counted)."""
    return relay.fridge_capacity_l * 1000 - relay_fridge_used_ml(relay, date, exclude_task_ids=(task.pk,))


def _check_relay(relay: RelayPoint, date: dt.date, task: DeliveryTask) -> list[list[int]]:
    """Opening windows of ``relay`` on ``date`` if it can take ``task``'s goods, else ``ValidationError``."""
    if not relay.active:
        raise error(Code.RELAY_INACTIVE, relay=relay.name)
    windows = relay_windows(relay, date)
    if not windows:
        raise error(Code.RELAY_CLOSED, relay=relay.name, date=_date_label(date))
    check_may_wait_at_relay(task)
    if task.chilled_ml:
        free = relay_has_room(relay, date, task)
        if task.chilled_ml > free:
            raise error(Code.RELAY_FULL, relay=relay.name, date=_date_label(date), free_l=money.format_number(max(free, 0) / 1000, 1),
                        needed_l=money.format_number(task.chilled_ml / 1000, 1))
    return windows


@transaction.atomic
def move_to_day(task: DeliveryTask, date: dt.date, today: dt.date) -> tuple[list[DeliveryTask], bool]:
    """Move ``task`` and its shipment partner to the delivery day of ``date``.

    Parameters
    ----------
    task
        A planned task that is not in a round of its day's current plan.
    date
        The new delivery date (its day is created open when missing).
    today
        The local date now; moves into the past are refused.

    Returns
    -------
    tuple
        The moved tasks (collect first) and whether anything changed (False when they were
        already on that day).

    Raises
    ------
    ValidationError
        ``past_date`` for a date before today, ``no_van`` for a day the van does not run
        (Sunday, public holiday), ``not_planned`` / ``in_round`` for a stop that
        cannot move, ``relay_closed`` / ``relay_full`` when a relay delivery's point cannot take
        the parcel on the new date.
    """
    group = _group(task)
    if all(t.day.date == date for t in group):
        return group, False
    if date < today:
        raise error(Code.PAST_DATE, date=_date_label(date))
    if not calendar.van_runs_on(date):
        raise error(Code.NO_VAN, date=_date_label(date), why=calendar.closed_reason(date),
                    next=_date_label(calendar.next_van_day(date)))
    _check_movable(group)
    new_windows = {}
    for t in group:
        if t.kind == DeliveryTask.Kind.RELAY and t.relay_point is not None:
            new_windows[t.pk] = _check_relay(RelayPoint.objects.select_for_update().get(pk=t.relay_point_id), date, t)
    day = get_or_create_day(date)
    for t in group:
        t.day = day
        t.windows = new_windows.get(t.pk, t.windows)
        t.moved_by_staff = True
        t.save(update_fields=["day", "windows", "moved_by_staff", "updated_at"])
    log.info("tasks %s moved to %s", [t.pk for t in group], date)
    return group, True


@transaction.atomic
def move_to_relay(task: DeliveryTask, relay_id: int) -> tuple[DeliveryTask, bool]:
    """Turn a home delivery into a drop at relay point ``relay_id`` on the same day.

    The delivery keeps its goods, crates and recipient's name; its address, position and
    windows become the relay point's (opening hours of that date). The shipment's collect
    is unchanged.

    Returns
    -------
    tuple
        The delivery task and whether it changed (False when it already goes to that relay).

    Raises
    ------
    ValidationError
        ``not_home`` when the stop is not a home delivery, ``unknown_relay``, ``relay_inactive``,
        ``relay_closed`` that day, ``relay_frozen`` for frozen goods, ``relay_full`` when the
        fridge lacks room for the chilled goods, or ``not_planned`` / ``in_round``.
    """
    group = _group(task)
    delivery = next((t for t in group if not t.is_collect), None)
    if delivery is not None and delivery.kind == DeliveryTask.Kind.RELAY and delivery.relay_point_id == relay_id:
        return delivery, False
    if delivery is None or delivery.kind != DeliveryTask.Kind.HOME:
        raise error(Code.NOT_HOME, name=task.name)
    relay = RelayPoint.objects.select_for_update().filter(pk=relay_id).first()
    if relay is None:
        raise error(Code.UNKNOWN_RELAY, relay_id=relay_id)
    _check_movable(group)
    windows = _check_relay(relay, delivery.day.date, delivery)
    log.info("task %s: home delivery (%s) becomes a drop at relay %s", delivery.pk, delivery.address, relay.pk)
    delivery.kind, delivery.relay_point = DeliveryTask.Kind.RELAY, relay
    delivery.moved_by_staff = True
    delivery.address, delivery.lon, delivery.lat = f"{relay.name}, {relay.address}", relay.lon, relay.lat
    delivery.windows, delivery.doorstep_notes, delivery.access_codes = windows, "", ""
    delivery.save(update_fields=["kind", "relay_point", "moved_by_staff", "address", "lon", "lat", "windows", "doorstep_notes",
                                 "access_codes",
                                 "updated_at"])
    return delivery, True
