"""At the end of a solve, re-plan one van from scratch with a left-out unit added.

The last stops the search leaves out are those that need a van's day cut differently: on
the Mormal day with reloads (seed 1, 30 s) a chilled parcel for 09:00-13:00, 27 min from
the depot, stayed out; no insertion or ejection found a place for it, but van 1's stops
plus that parcel, planned alone by OR-Tools from its first solutions, fit in one day (van 1
then delivers it in its first loop, whose order changes throughout). So when one or two
mandatory units are left out at the end and time is left, the vans closest to each get
that treatment: the same solver, on a problem holding only that van, its stops and the unit,
under its own work budget. The new route is kept only if every one of its stops is served
and the OR-Tools model reads the whole plan feasible (every van at once: shared relay
fridges included). A re-plan's own solve never re-plans. Mormal day, seed 1, 30 s: 149 ->
150 served (one re-plan, 3-4 s).
"""

from __future__ import annotations

import contextvars
import time
from typing import TYPE_CHECKING, Any

from delivery.routing.initial_routes import _with_legs
from delivery.routing.problem import Problem

if TYPE_CHECKING:
    from delivery.routing.solver import _Built as Built

#: Work budget (OR-Tools limit checks) of one van's re-plan: the Mormal day's van 1 plus
#: its left-out parcel fitted with 1 000 000 (3.3 s), not with 300 000.
REPLAN_CHECKS = 1_000_000

#: Most re-plans (sub-solves) in one solve, vans closest to the unit first.
REPLAN_TRIES = 2

#: Re-plans are tried only when 1 to this many mandatory units are left out at the end.
LAST_UNITS = 2

#: Least time (s) before the deadline worth starting a re-plan.
MIN_REPLAN_S = 1.0

_INSIDE = contextvars.ContextVar("inside_van_replan", default=False)


def replan_last(problem: Problem, built: Built, solution: Any, deadline: float | None,
                stats: dict[str, Any]) -> Any:
    """The last few left-out mandatory units of ``solution`` put in by van re-plans.

    Returns the new assignment, or ``solution`` when nothing went in;
    ``stats["replanned"]`` counts the solver stops put in, ``stats["replans"]`` the
    sub-solves run. Does nothing inside a re-plan's own solve.
    """
    from delivery.routing.reinsert import _orders_and_missing, _times

    stats["replanned"], stats["replans"] = 0, 0
    if _INSIDE.get():
        return solution
    orders, units = _orders_and_missing(problem, built, solution)
    if not 0 < len(units) <= LAST_UNITS:
        return solution
    times, seed = _times(built, solution), int(stats.get("seed", 0))
    for unit in units:
        for v in _ranked(built, orders, times, unit):
            if stats["replans"] == REPLAN_TRIES or (
                    deadline is not None and deadline - time.monotonic() < MIN_REPLAN_S):
                break
            stats["replans"] += 1
            replanned = _replan_van(problem, built, orders, v, unit, seed, deadline)
            if replanned is not None:
                orders[v], solution = replanned
                stats["replanned"] += len(unit)
                break
    return solution


def _ranked(built: Built, orders: list[list[int]], times: dict[int, int],
            unit: tuple[int, ...]) -> list[int]:
    """Vans by closeness to ``unit``.

    Closeness: least travel (s) to ``unit`` from one of the van's stops served within an
    hour of ``unit``'s windows (from any of its stops when none is).
    """
    nodes, dur = built.layout.nodes, built.layout.durations
    windows = [w for n in unit for w in nodes[n].windows]
    lo, hi = min(a for a, _b in windows) - 3600, max(b for _a, b in windows) + 3600
    score = []
    for v, order in enumerate(orders):
        stops = [n for n in order if nodes[n].stop >= 0]
        near = [n for n in stops if lo <= times.get(n, lo) <= hi] or stops
        best = min((dur[n][u] for n in near for u in unit), default=10**9)
        score.append((best, v))
    return [v for _s, v in sorted(score)]


def _replan_van(problem: Problem, built: Built, orders: list[list[int]], v: int,
                unit: tuple[int, ...], seed: int, deadline: float | None) -> tuple[list[int], Any] | None:
    """Van ``v`` re-planned with ``unit``: its new order and the whole plan's assignment, or None.

    It fits (None otherwise) when the van's stops plus ``unit``, planned alone, are all
    served and the whole plan with that route reads feasible.
    """
    from delivery.routing.solver import solve

    nodes = built.layout.nodes
    stops = [nodes[n].stop for n in orders[v] if nodes[n].stop >= 0]
    stops += [nodes[n].stop for n in unit]
    limit = 3600.0 if deadline is None else deadline - time.monotonic()
    token = _INSIDE.set(True)
    try:
        plan = solve(problem.restricted(stops, vehicles=[v]), time_limit_s=limit, seed=seed,
                     work_budget=REPLAN_CHECKS)
    finally:
        _INSIDE.reset(token)
    if plan.unassigned or len(plan.routes) != 1:
        return None
    node_of = {node.stop: n for n, node in enumerate(nodes) if node.stop >= 0}
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    reloads = sorted(n for n, node in enumerate(nodes) if node.leg == "reload" and node.vehicle == v)
    route, order = plan.routes[0], []
    cuts = {r.after_visits for r in route.reloads}
    for k, visit in enumerate(route.visits):
        if k in cuts:
            order.append(reloads.pop(0))
        order.append(node_of[index_of[visit.stop_id]])
    trial = [order if w == v else o for w, o in enumerate(orders)]
    found = built.routing.ReadAssignmentFromRoutes([_with_legs(built, o) for o in trial], True)
    return None if found is None else (order, built.routing.solver().Assignment(found))
