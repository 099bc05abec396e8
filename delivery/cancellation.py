"""Cancelling the van work of an order: nothing left to deliver or collect, goods on board go back.

Called for Saleor's ORDER_CANCELLED (and a staff cancel, which goes through Saleor and comes
back the same way). For every shipment of the order (a collect at a vendor and its delivery,
plus any follow-up of a failed delivery):

- tasks still to do are **cancelled**, and keep nothing to collect: the cheque, cash or voucher
  amount is cleared, so no sheet, phone or charge asks for it any more;
- when the van has already **collected the goods** (or failed to hand them over), a
  **return** task (kind ``return``) takes them back to the vendor, in the same van, within the
  cold chain's time-in-van limit;
- a delivery already handed over stays as it is (Saleor refuses to cancel a fulfilled order);
- each affected van's round of a planned day is re-planned (only those vans), after commit; on
  a round already under way the stop leaves the driver's phone, which says why
  (:func:`removed_from_round`).

Safe to call twice: the second call finds nothing left to cancel.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import calendar
from .models import COMPARTMENTS, DeliveryDay, DeliveryTask, RoundStop, Shift

log = logging.getLogger(__name__)


@dataclass
class Cancelled:
    """What a cancellation did: tasks cancelled, return tasks created, re-plans queued per day."""

    cancelled: list[DeliveryTask] = field(default_factory=list)
    returns: list[DeliveryTask] = field(default_factory=list)
    replans: dict[int, set[int]] = field(default_factory=dict)  # day id -> shift ids


def _return_day(collect: DeliveryTask, today: dt.date) -> DeliveryDay:
    """The day the return rides: the collect's own day, or the next van day when that is past."""
    if collect.day.date >= today:
        return collect.day
    return DeliveryDay.objects.get_or_create(date=calendar.next_van_day(today - dt.timedelta(days=1)))[0]


def _make_return(collect: DeliveryTask, carrier: DeliveryTask, today: dt.date) -> tuple[DeliveryTask, bool]:
    """The return of ``collect``'s goods to its vendor, carried on from ``carrier`` (created once)."""
    loads = {f"{c}_{u}": getattr(carrier, f"{c}_{u}") for c in COMPARTMENTS for u in ("g", "ml")}
    task, created = DeliveryTask.objects.get_or_create(source=f"{collect.source}:retour", defaults={
        "day": _return_day(collect, today), "kind": DeliveryTask.Kind.RETURN, "shipment_key": collect.shipment_key,
        "name": f"Retour : {collect.name}", "address": collect.address, "phone": collect.phone,
        "lon": collect.lon, "lat": collect.lat, "windows": collect.windows, "service_s": collect.service_s,
        "crates": collect.crates, "urgent": True,
        "doorstep_notes": "Commande annulée : rendre les caisses au commerçant.", **loads})
    if created and carrier.follow_up_id is None:
        carrier.follow_up = task  # keeps the goods with the van that carries them
        carrier.save(update_fields=["follow_up", "updated_at"])
    return task, created


@transaction.atomic
def cancel_tasks(source_prefix: str, *, now: dt.datetime | None = None, why: str = "commande annulée") -> Cancelled:
    """Cancel the van tasks whose source starts with ``source_prefix`` (e.g. ``order:<id>:``).

    Re-plans of the vans whose current round held a cancelled stop (or carries a return) are
    queued after commit; days without a plan need none (the planner reads planned tasks only).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    out = Cancelled()
    rows = list(DeliveryTask.objects.select_for_update().filter(source__startswith=source_prefix)
                .select_related("day").order_by("pk"))
    groups: dict[str, list[DeliveryTask]] = {}
    for task in rows:
        groups.setdefault(task.shipment_key or f"task-{task.pk}", []).append(task)
    for group in groups.values():
        delivers = [t for t in group if not t.is_collect and t.kind != DeliveryTask.Kind.RETURN]
        if any(t.status == DeliveryTask.Status.DELIVERED for t in delivers):
            continue  # the parcel was handed over: nothing to take back
        collect = next((t for t in group if t.is_collect), None)
        failed = [t for t in delivers if t.status == DeliveryTask.Status.FAILED]
        for task in group:
            if task.status != DeliveryTask.Status.PLANNED or task.kind == DeliveryTask.Kind.RETURN:
                continue
            task.status, task.payment_method, task.payment_cents = DeliveryTask.Status.CANCELLED, "", 0
            task.save(update_fields=["status", "payment_method", "payment_cents", "updated_at"])
            out.cancelled.append(task)
        for task in failed:
            if not task.resolution:
                task.resolution, task.resolution_by = DeliveryTask.Resolution.CANCELLED, why
                task.resolved_at = now
                task.save(update_fields=["resolution", "resolution_by", "resolved_at", "updated_at"])
        on_board = collect is not None and collect.status == DeliveryTask.Status.DELIVERED
        if on_board:
            carrier = next((t for t in failed if t.follow_up_id is None), collect)
            ret, created = _make_return(collect, carrier, today)
            if created:
                out.returns.append(ret)
    _queue_replans(out)
    log.info("%s: %d tasks cancelled, %d returns", source_prefix, len(out.cancelled), len(out.returns))
    return out


def _queue_replans(out: Cancelled) -> None:
    """Re-plan, after commit, only the vans whose current round is touched."""
    from .tasks import schedule_replan  # noqa: PLC0415 - tasks imports planning

    touched = [t.pk for t in out.cancelled]
    for stop in RoundStop.objects.filter(task_id__in=touched, round__plan__is_current=True).select_related("round__shift"):
        out.replans.setdefault(stop.round.shift.day_id, set()).add(stop.round.shift_id)
    for ret in out.returns:
        carriers = RoundStop.objects.filter(task__follow_up=ret, round__plan__is_current=True,
                                            round__plan__day_id=ret.day_id).select_related("round")
        shifts = {s.round.shift_id for s in carriers}
        if ret.day.plans.filter(is_current=True).exists():
            out.replans.setdefault(ret.day_id, set()).update(shifts)
    for day_id, shift_ids in out.replans.items():
        if shift_ids:
            schedule_replan(day_id, reason="commande annulée", only_shifts=sorted(shift_ids))


def removed_from_round(shift: Shift) -> list[dict]:
    """Stops of ``shift``'s earlier plans that were cancelled since: the phone's notice.

    Each item is ``{"sequence", "name", "address"}`` with the stop number the driver last saw:
    its door's number (:mod:`delivery.doors`) in the last round that still held it.
    """
    from . import doors  # noqa: PLC0415

    seen: dict[int, dict] = {}
    for stop in (RoundStop.objects.filter(round__shift=shift, task__status=DeliveryTask.Status.CANCELLED)
                 .select_related("task", "round").order_by("round__plan__created_at", "sequence")):
        shown = doors.consecutive(list(stop.round.stops.select_related("task").order_by("sequence")))
        number = next(n for n, group in enumerate(shown, start=1) if stop.task_id in {s.task_id for s in group})
        seen[stop.task_id] = {"sequence": number, "name": stop.task.name, "address": stop.task.address}
    return sorted(seen.values(), key=lambda item: item["sequence"])
