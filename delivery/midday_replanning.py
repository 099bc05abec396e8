"""Re-planning mid-round: served stops stay, each van re-orders the rest from where it is.

Triggered when the driver reports a failure, when staff send failed goods to a relay point,
and when an urgent order arrives after the cut-off (see :mod:`delivery.tasks`).
"""

from delivery.routing.problem import Load, TimeWindow

from .day_planning import ModelBuilder, ensure_shifts, plan_day, store_plan, task_load, travel_model
from .models import DeliveryDay, DeliveryTask, RoundStop, StoredPlan

#: Penalty offered for a task that is not yet in any round during a re-plan (cents): high, so
#: a van takes it whenever it can.
NEW_TASK_PENALTY_C = 500_00


def _from_here_back_to_depot(travel, locations: list[tuple[float, float]],
                             depot: tuple[float, float]) -> tuple[list[list[int]], list[list[int]]]:
    """Matrices whose depot (index 0) is the van's position when leaving and its depot when returning.

    The routing model has one depot per van for both ends; a van re-planned mid-round starts
    where it stands but must still end at its depot, so arcs *into* index 0 measure the way
    back to the real depot.
    """
    durations, distances = travel.matrices(list(locations) + [depot])
    n = len(locations)
    dur = [[int(durations[i][j]) for j in range(n)] for i in range(n)]
    dist = [[int(distances[i][j]) for j in range(n)] for i in range(n)]
    for i in range(1, n):
        dur[i][0], dist[i][0] = int(durations[i][n]), int(distances[i][n])
    return dur, dist


def _failed_on_board(served: list[RoundStop], day: DeliveryDay) -> Load:
    """Goods of failed deliveries still in the van (no follow-up task on this day carries them)."""
    total = Load()
    for stop in served:
        task = stop.task
        if task.status == DeliveryTask.Status.FAILED and not task.is_collect:
            follow = task.follow_up
            if follow is None or follow.day_id != day.pk:
                total = total + task_load(task)
    return total


def replan_remaining(day: DeliveryDay, now_s: int, *, reason: str = "replan", travel=None,
                     time_limit_s: float | None = None, seed: int = 1,
                     only_shifts: list[int] | None = None) -> StoredPlan:
    """Re-optimise what is left of the day from each van's current position and time.

    Stops already served (delivered or failed) stay first and fixed; each van re-orders its own
    remaining stops, starting at its last served stop at ``now_s`` (or at its depot when it has
    not left yet). Goods already on board stay with their van: deliveries whose collect is done
    become single deliveries due before the cold-chain limit, and goods of failed deliveries
    reduce the room left. Cancelled stops leave the round. Tasks in no round (urgent orders,
    follow-ups, earlier unassigned) are offered to the re-planned vans in turn.

    ``only_shifts`` (shift ids): only these vans are re-planned (a failure re-plans the failed
    van); every other van's round is copied stop for stop. Nothing is dropped silently: a stop
    no van takes is stored unassigned with its reason (a stop offered to no van keeps the reason
    it had), and staff are told of stops that lost their round (:func:`store_plan`).

    Raises
    ------
    ValueError
        When the day cannot be modelled (no van).
    """
    from delivery.routing.plan import Plan  # noqa: PLC0415

    current = day.plans.filter(is_current=True).first()
    if current is None:
        return plan_day(day, travel=travel)
    travel = travel or travel_model()
    rounds = {r.shift_id: r for r in current.rounds.prefetch_related("stops__task__follow_up")}
    planned, cancelled = DeliveryTask.Status.PLANNED, DeliveryTask.Status.CANCELLED
    in_rounds = {s.task_id for r in rounds.values() for s in r.stops.all()}
    pending = list(day.tasks.filter(status=planned).exclude(pk__in=in_rounds).select_related("relay_point"))
    earlier = {u.task_id: (u.reason, u.detail) for u in current.unassigned.all()}
    chosen = set(only_shifts) if only_shifts else None
    shifts, tasks, fixed, routes, reasons, kept = {}, {}, {}, [], {}, []
    all_shifts = ensure_shifts(day)
    for shift in all_shifts:  # goods on board follow their van, whichever vans are re-planned
        rnd = rounds.get(shift.pk)
        carried = {s.task.follow_up_id for s in (rnd.stops.all() if rnd else []) if s.task.follow_up_id}
        if chosen is not None and shift.pk not in chosen:
            pending = [t for t in pending if t.pk not in carried]
    for shift in all_shifts:
        rnd = rounds.get(shift.pk)
        if chosen is not None and shift.pk not in chosen:
            if rnd is not None:
                kept.append(rnd)
            continue
        stops = [s for s in (rnd.stops.select_related("task__relay_point") if rnd else []) if s.task.status != cancelled]
        served = [s for s in stops if s.task.status != planned]
        own = [s.task for s in stops if s.task.status == planned]
        carried = {s.task.follow_up_id for s in served if s.task.follow_up_id}  # goods stay in this van
        own += [t for t in pending if t.pk in carried]
        pending = [t for t in pending if t.pk not in carried]
        depot = shift.van.depot
        van_now = max([now_s] + [s.departure_s for s in served])
        started = bool(served) or (rnd is not None and now_s > rnd.start_s)
        builder = ModelBuilder(day)
        if started:
            here = served[-1].task if served else None
            lon, lat = (here.lon, here.lat) if here else (depot.lon, depot.lat)
            d = builder.depot(f"pos-{shift.pk}", "Position actuelle", lon, lat,
                              TimeWindow(van_now, max(van_now, depot.closes_s)))
        else:
            d = builder.depot(f"depot-{depot.pk}", depot.name, depot.lon, depot.lat,
                              TimeWindow(depot.opens_s, depot.closes_s))
        builder.vehicle(shift, d, start_s=van_now if started else None, on_board=_failed_on_board(served, day))
        collected = {s.task.shipment_key: s.departure_s for s in served
                     if s.task.is_collect and s.task.status == DeliveryTask.Status.DELIVERED and s.task.shipment_key}
        on_board = {t.pk: collected[t.shipment_key] for t in own
                    if not t.is_collect and t.shipment_key in collected}
        builder.add_tasks(own, not_before_s=van_now if started else 0, on_board=on_board)
        builder.add_tasks(pending, not_before_s=van_now, penalty_c=NEW_TASK_PENALTY_C)
        if not builder.model.stops and not served:
            continue
        vehicle_id = f"shift-{shift.pk}"
        shifts[vehicle_id] = shift
        tasks.update(builder.tasks)
        fixed[vehicle_id] = served
        if builder.model.stops:
            if started:  # leave from where the van is, come back to its real depot
                builder.model.set_matrices(*_from_here_back_to_depot(travel, builder.model.locations(),
                                                                     (depot.lon, depot.lat)),
                                           label=getattr(travel, "label", ""))
            else:
                builder.model.set_travel(travel)
            limit = time_limit_s or min(day.solve_time_limit_s, 10)
            plan = builder.model.solve(time_limit_s=limit, seed=seed)
            if str(plan.solver_stats.get("status", "")).startswith("no solution"):  # nothing in time: once more
                plan = builder.model.solve(time_limit_s=3 * limit, seed=seed)
            routes += plan.routes
            taken = {v.stop_id for r in plan.routes for v in r.visits}
            pending = [t for t in pending if f"task-{t.pk}" not in taken]
            for item in plan.unassigned:
                reasons[item.stop_id] = item
    routed = {v.stop_id for r in routes for v in r.visits}
    unassigned = [item for key, item in sorted(reasons.items()) if key not in routed]
    listed = {u.stop_id for u in unassigned}
    left_out = [(t, *earlier.get(t.pk, ("NOT_PLANNED", "pas encore proposé à une camionnette")))
                for t in pending if f"task-{t.pk}" not in listed]
    merged = Plan(routes=routes, unassigned=unassigned, cost_c=sum(r.cost_c for r in routes),
                  travel_label=getattr(travel, "label", ""), solver_stats={"replan_at_s": now_s})
    return store_plan(day, shifts, tasks, merged, travel, reason=reason, fixed=fixed, kept=kept, left_out=left_out)


