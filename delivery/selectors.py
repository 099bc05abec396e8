"""Reads on delivery: the current plan, a round's route sheet data, the driver's stop list.

What leaves this module for the driver carries only what is needed at the door: name,
address, phone, doorstep notes, goods and payment. Never e-mail, age or isolation flags.
"""

from collections.abc import Callable

from django.utils import formats

from .models import DeliveryDay, DeliveryTask, Round, Shift, StoredPlan
from .sheets.data import GoodsLine, ReloadSheet, RouteSheet, StopSheet


def current_plan(day: DeliveryDay) -> StoredPlan | None:
    """The day's current stored plan, or None before the first solve."""
    return day.plans.filter(is_current=True).first()


def current_round(shift: Shift) -> Round | None:
    """The shift's round in the day's current plan, or None when its van stays home."""
    return (Round.objects.filter(shift=shift, plan__is_current=True)
            .select_related("shift__van__depot", "shift__day", "plan").first())


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
    """The round's stops in sequence with their tasks (one query)."""
    return list(rnd.stops.select_related("task__relay_point").order_by("sequence"))


def sheet_for_round(rnd: Round, stop_url: Callable[[int | None], str] | None = None) -> RouteSheet:
    """Plain data for the printed sheet and the GPX of ``rnd``.

    ``stop_url(task_id)`` gives the phone view link of a stop (``None``: the whole round).
    """
    shift, depot, plan = rnd.shift, rnd.shift.van.depot, rnd.plan
    stops = round_stops(rnd)
    collects = {s.task.shipment_key for s in stops if s.task.is_collect and s.task.shipment_key}
    window_of = {s.pk: _window_served(s.task.windows, s.start_s) for s in stops}
    sheets = tuple(StopSheet(
        sequence=s.sequence, task_id=s.task.pk, kind_label=s.task.get_kind_display(), name=s.task.name,
        address=s.task.address, phone=s.task.phone, lon=s.task.lon, lat=s.task.lat, arrival_s=s.arrival_s,
        window=window_of[s.pk], goods=_goods(s.task, collects), payment_method=s.task.payment_method,
        payment_cents=s.task.payment_cents, doorstep_notes=s.task.doorstep_notes,
        phone_view_url=stop_url(s.task.pk) if stop_url else "", status=s.task.status,
    ) for s in stops)
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
