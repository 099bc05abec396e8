"""Reads on delivery: the current plan, a round's route sheet data, the driver's stop list.

What leaves this module for the driver carries only what is needed at the door: name,
address, phone, doorstep notes, goods and payment. Never e-mail, age or isolation flags.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import formats

from . import doors
from .models import DeliveryDay, DeliveryTask, Round, RoundStop, Shift, StoredPlan, UnassignedTask
from .sheets.data import GoodsLine, ParcelLine, ReloadSheet, RouteSheet, StopSheet, hm


def current_plan(day: DeliveryDay) -> StoredPlan | None:
    """The day's current stored plan, or None before the first solve."""
    return day.plans.filter(is_current=True).first()


def current_round(shift: Shift) -> Round | None:
    """The shift's round in the day's current plan, or None when its van stays home."""
    return (Round.objects.filter(shift=shift, plan__is_current=True)
            .select_related("shift__van__depot", "shift__day", "plan").first())


def stop_numbers(shift: Shift) -> dict[int, int]:
    """``{task_id: stop number}`` of the shift's round in the current plan (the numbers the driver sees)."""
    rnd = current_round(shift)
    return {t.pk: door.number for door in door_stops(rnd) for t in door.parcels} if rnd else {}


def _goods(task: DeliveryTask, collected_on_board: set[str]) -> tuple[GoodsLine, ...]:
    """Goods lines of a task, one per compartment holding something."""
    action = "collect" if task.is_collect else "deliver"
    lines = []
    for compartment, (grams, ml) in task.loads().items():
        if grams == 0 and ml == 0:
            continue
        crates = tuple(str(c.get("number", "")) for c in task.crates
                       if c.get("compartment", "ambient") == compartment)
        from_depot = action == "deliver" and task.shipment_key not in collected_on_board
        lines.append(GoodsLine(action, compartment, crates, grams, ml, from_depot))
    return tuple(lines)


def _window_served(windows: list, start_s: int) -> tuple[int, int]:
    """The task window the planned service start falls in (the first one if none does)."""
    for a, b in windows:
        if a <= start_s <= b:
            return (a, b)
    return tuple(windows[0]) if windows else (start_s, start_s)


def round_stops(rnd: Round) -> list:
    """The round's stops in sequence with their tasks (one query); cancelled orders' stops are left out."""
    return list(rnd.stops.select_related("task__relay_point").exclude(task__status=DeliveryTask.Status.CANCELLED)
                .order_by("sequence"))


def door_stops(rnd: Round) -> list:
    """The round's stops as the driver sees them: one per door (:mod:`delivery.doors`), numbered 1, 2, ...

    Each item is the door's first ``RoundStop`` with ``number`` (the stop number everywhere
    the driver and staff read it), ``parcels`` (the door's tasks) and ``stops`` (its round stops).
    """
    out = []
    for number, group in enumerate(doors.consecutive(round_stops(rnd)), start=1):
        head = group[0]
        head.number, head.parcels, head.stops = number, [s.task for s in group], group
        out.append(head)
    return out


def _door_status(tasks: list[DeliveryTask]) -> str:
    """A door is to do while one of its parcels is; else it shows its first parcel's outcome."""
    planned = DeliveryTask.Status.PLANNED
    return planned if any(t.status == planned for t in tasks) else tasks[0].status


def _parcels(tasks: list[DeliveryTask]) -> tuple[ParcelLine, ...]:
    if len(tasks) < 2:
        return ()
    return tuple(ParcelLine(t.pk, t.name, tuple(str(c.get("number", "")) for c in t.crates), t.payment_method,
                            t.payment_cents) for t in tasks)


def _door_sheet(number: int, stops: list, collects: set[str], stop_url) -> StopSheet:
    """One stop of the sheet for a door (one task, or several orders at the same door)."""
    head, tasks = stops[0], [s.task for s in stops]
    task = head.task
    goods = tuple(line for t in tasks for line in _goods(t, collects))
    paying = [t for t in tasks if t.payment_method]
    return StopSheet(
        sequence=number, task_id=task.pk, kind_label=task.get_kind_display(), name=task.name,
        address=task.address, phone=task.phone, lon=task.lon, lat=task.lat, arrival_s=head.arrival_s,
        window=_window_served(task.windows, head.start_s), goods=goods,
        payment_method=paying[0].payment_method if paying else "",
        payment_cents=sum(t.payment_cents for t in paying), doorstep_notes=task.doorstep_notes,
        phone_view_url=stop_url(task.pk) if stop_url else "", status=_door_status(tasks), parcels=_parcels(tasks),
    )


def sheet_for_round(rnd: Round, stop_url: Callable[[int | None], str] | None = None) -> RouteSheet:
    """Plain data for the printed sheet and the GPX of ``rnd``: one stop per door, numbered from 1.

    ``stop_url(task_id)`` gives the phone view link of a stop (``None``: the whole round).
    """
    shift, depot, plan = rnd.shift, rnd.shift.van.depot, rnd.plan
    stops = round_stops(rnd)
    collects = {s.task.shipment_key for s in stops if s.task.is_collect and s.task.shipment_key}
    sheets = tuple(_door_sheet(number, group, collects, stop_url)
                   for number, group in enumerate(doors.consecutive(stops), start=1))
    return RouteSheet(
        date_label=formats.date_format(shift.day.date, "l j F Y"), van_name=shift.van.name,
        driver_name=shift.driver_name, depot_name=depot.name, depot_lon=depot.lon, depot_lat=depot.lat,
        departure_s=rnd.start_s, return_s=rnd.end_s, distance_m=rnd.distance_m, duration_s=rnd.duration_s,
        travel_label=plan.travel_label, stops=sheets, path=tuple(tuple(p) for p in rnd.path),
        path_is_road=rnd.path_is_road, phone_round_url=stop_url(None) if stop_url else "",
        unassigned_count=plan.unassigned.count(),
        reloads=tuple(ReloadSheet(int(r["after_sequence"]), int(r["arrival_s"]), int(r["start_s"]),
                                  int(r["departure_s"])) for r in rnd.reloads),
    )


def driver_stops(rnd: Round) -> list[dict]:
    """The phone view's stop list: only what the driver needs, next stop first.

    Each item has ``task_id``, ``sequence``, ``status``, ``name``, ``address``, ``phone``,
    ``notes``, ``access_codes`` (phone only), ``window``, ``arrival``, ``kind``, ``goods``, ``payment``, ``lon``, ``lat``,
    ``loop`` (its number) and, on the first stop of a loop after a reload, ``reload`` (a
    :class:`ReloadSheet`) and ``reload_loading`` (that loop's loading plan, per compartment).
    Stops still to do come first in sequence order, then the ones already done.
    """
    sheet = sheet_for_round(rnd)
    # Key-box and door codes travel to the phone only: the printed sheet is drawn from ``sheet``,
    # which never holds them.
    codes = dict(rnd.stops.values_list("task_id", "task__access_codes"))
    loops = sheet.loops()
    loop_of = {stop.task_id: loop for loop in loops for stop in loop.stops}
    items = []
    for stop in sheet.stops:
        loop = loop_of[stop.task_id]
        starts_loop = len(loops) > 1 and loop.reload is not None and loop.stops[0] is stop
        items.append({
            "task_ids": [p.task_id for p in stop.parcels] or [stop.task_id], "parcels": stop.parcels,
            "task_id": stop.task_id, "sequence": stop.sequence, "status": stop.status, "name": stop.name,
            "address": stop.address, "phone": stop.phone, "notes": stop.doorstep_notes,
            "access_codes": codes.get(stop.task_id, ""),
            "window": stop.window, "arrival": stop.arrival_s, "kind": stop.kind_label,
            "is_collect": stop.is_collect, "goods": stop.goods, "payment_method": stop.payment_method,
            "payment_cents": stop.payment_cents, "lon": stop.lon, "lat": stop.lat,
            "loop": loop.number, "reload": loop.reload if starts_loop else None,
            "reload_loading": loop.loading_plan() if starts_loop else {},
        })
    todo = [i for i in items if i["status"] == DeliveryTask.Status.PLANNED]
    done = [i for i in items if i["status"] != DeliveryTask.Status.PLANNED]
    return todo + done


def failed_needing_choice(day: DeliveryDay) -> list[DeliveryTask]:
    """Failed deliveries of ``day`` that staff have not yet resolved."""
    return list(day.tasks.filter(status=DeliveryTask.Status.FAILED, resolution="")
                .exclude(kind=DeliveryTask.Kind.COLLECT).prefetch_related("notifications"))


@dataclass(frozen=True)
class OrderTaskLine:
    """One van task of a shop order, as staff read it on the order's "Livraison" page."""

    task_id: int
    day: dt.date
    kind: str
    status: str
    status_label: str
    name: str
    address: str
    stop_number: int | None
    arrival: str
    van: str
    driver: str
    note: str


def order_task_prefix(saleor_order_id: str) -> str:
    """The ``source`` prefix of a storefront order's van tasks (``marketplace/storefront/van_tasks.py``)."""
    return f"order:{saleor_order_id}:"


def order_van_tasks(saleor_order_id: str) -> list[OrderTaskLine]:
    """The van tasks of a Saleor order (collections, deliveries, returns), by day then stop.

    Each line says its stop in the day's current plan (number as the driver sees it, planned
    arrival, van and driver), or why it has none (not planned yet, left out with the planner's
    reason), and its status with the failure reason.
    """
    tasks = list(DeliveryTask.objects.filter(source__startswith=order_task_prefix(saleor_order_id))
                 .select_related("day").order_by("day__date", "pk"))
    stops = {s.task_id: s for s in RoundStop.objects.filter(task__in=tasks, round__plan__is_current=True)
             .select_related("round__shift__van")}
    left_out = {u.task_id: u for u in UnassignedTask.objects.filter(task__in=tasks, plan__is_current=True)}
    numbers: dict[int, int] = {}
    for shift in {s.round.shift for s in stops.values()}:
        numbers.update(stop_numbers(shift))
    lines = []
    for task in tasks:
        stop = stops.get(task.pk)
        if task.status == DeliveryTask.Status.FAILED and task.fail_reason:
            note = f"Motif : {task.get_fail_reason_display()}"
        elif stop is None and task.pk in left_out:
            note = f"Hors tournée : {left_out[task.pk].reason_label}"
        elif stop is None:
            note = "Pas encore dans une tournée (le calcul se fait à la clôture des commandes)."
        else:
            note = ""
        shift = stop.round.shift if stop else None
        lines.append(OrderTaskLine(
            task_id=task.pk, day=task.day.date, kind=task.get_kind_display(), status=task.status,
            status_label=task.get_status_display(), name=task.name, address=task.address,
            stop_number=numbers.get(task.pk) if stop else None,
            arrival=hm(stop.arrival_s) if stop else "", van=shift.van.name if shift else "",
            driver=shift.driver_name if shift else "", note=note))
    return lines
