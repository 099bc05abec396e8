"""Turn solved visiting orders and service start times into a :class:`Plan` (pure arithmetic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from delivery.routing.plan import Plan, Reload, Route, Unassigned, Visit
from delivery.routing.problem import Load, Problem, StopKind


@dataclass(frozen=True)
class SolvedRoute:
    """What the solver decided for one van: stop indices, service start times, depot times (s)."""

    vehicle: int
    stops: tuple[int, ...]
    starts_s: tuple[int, ...]
    depart_s: int
    return_s: int
    break_start_s: int | None = None
    reloads: tuple[tuple[int, int], ...] = ()  # (stops before it, start of reload s)


def round_div(numerator: int, denominator: int) -> int:
    """Integer division rounded half up (for non-negative numbers)."""
    return (2 * numerator + denominator) // (2 * denominator)


def build_route(problem: Problem, solved: SolvedRoute) -> Route:
    """Compute arrivals, loads after each stop, reloads, distance, duration and cost of one route.

    The van leaves the depot holding every depot-loaded delivery of its first loop; at each
    reload it unloads the pickups bound for the depot and loads the next loop's deliveries.
    Arrival is departure from the previous place plus travel, plus the break when the break
    starts before that arrival.
    """
    v = problem.vehicles[solved.vehicle]
    k = next(i for i, d in enumerate(problem.depots) if d.id == v.depot_id)
    nd = len(problem.depots)
    brk = v.break_
    reload_at = dict(solved.reloads)
    cuts = [0] + [c for c, _ in solved.reloads] + [len(solved.stops)]
    loop_loads = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        loaded = Load()
        for i in solved.stops[a:b]:
            s = problem.stops[i]
            if s.kind == StopKind.DELIVERY and s.shipment_id is None:
                loaded = loaded + s.load
        loop_loads.append(loaded)
    load = start_load = loop_loads[0]
    returns = Load()
    visits: list[Visit] = []
    reloads: list[Reload] = []
    prev_node, prev_dep, distance = k, solved.depart_s, 0

    def arrive(origin: int, target: int, leave: int, start: int) -> int:
        arrival = leave + problem.durations_s[origin][target]
        if (brk is not None and solved.break_start_s is not None
                and leave <= solved.break_start_s < arrival):
            arrival += brk.duration_s
        return min(arrival, start)

    for n, (i, start) in enumerate(zip(solved.stops, solved.starts_s, strict=True)):
        if n in reload_at:
            r_start = reload_at[n]
            arrival = arrive(prev_node, k, prev_dep, r_start)
            distance += problem.distances_m[prev_node][k]
            loaded = loop_loads[len(reloads) + 1]
            load = load - returns + loaded
            reloads.append(Reload(n, arrival, r_start, r_start + v.reload_s, returns, loaded, load))
            returns = Load()
            prev_node, prev_dep = k, r_start + v.reload_s
        s, node = problem.stops[i], nd + i
        arrival = arrive(prev_node, node, prev_dep, start)
        if s.kind == StopKind.PICKUP:
            load = load + s.load
            if s.shipment_id is None:
                returns = returns + s.load
        else:
            load = load - s.load
        visits.append(Visit(s.id, arrival, start, start + s.service_s, load))
        distance += problem.distances_m[prev_node][node]
        prev_node, prev_dep = node, start + s.service_s
    distance += problem.distances_m[prev_node][k]
    duration = solved.return_s - solved.depart_s
    cost = (v.fixed_cost_c + round_div(distance * v.cost_per_km_c, 1000)
            + round_div(duration * v.cost_per_hour_c, 3600))
    return Route(v.id, visits, solved.depart_s, solved.return_s, distance, duration, cost,
                 start_load, solved.break_start_s, reloads)


def build_plan(problem: Problem, solved: Sequence[SolvedRoute], unassigned: Sequence[Unassigned],
               stats: dict[str, object]) -> Plan:
    """Assemble the plan; checks that every stop is served once or listed as unassigned.

    Raises
    ------
    RuntimeError
        If a stop is both served and unassigned, served twice, or missing (a bug, never
        input-related).
    """
    routes = [build_route(problem, r) for r in solved if r.stops]
    order = {s.id: k for k, s in enumerate(problem.stops)}
    left = sorted(unassigned, key=lambda u: order[u.stop_id])
    seen = [v.stop_id for r in routes for v in r.visits] + [u.stop_id for u in left]
    if sorted(seen) != sorted(order):
        raise RuntimeError("plan does not account for every stop exactly once")
    penalties: dict[str, int] = {}
    for u in left:
        s = problem.stops[order[u.stop_id]]
        if s.penalty_c is not None:
            penalties[s.shipment_id or s.id] = s.penalty_c
    return Plan(routes, left, sum(r.cost_c for r in routes), problem.travel_label,
                sum(penalties.values()), dict(stats))
