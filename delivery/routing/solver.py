"""Where OR-Tools is called: builds the routing model of a Problem, searches it, reads the plan.

The search phases and how they share the work budget and the clock are in
:mod:`delivery.routing.search`; this module builds the model and reads the routes back.

Internal costs are integer milli-cents: an arc costs ``metres x cents/km`` (a van with no
per-km cost is routed by distance, 1 per metre), a van's fixed cost and hourly cost
(per second, rounded) are scaled likewise. The time dimension's cumul at a stop is the
start of service there (s since midnight); vans may wait (slack) before service.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.constraint_solver import pywrapcp

from delivery.routing.assemble import SolvedRoute, build_plan
from delivery.routing.diagnose import no_room, precheck
from delivery.routing.layout import MILLI, Layout, Node, build_layout, signed_demand
from delivery.routing.plan import Plan
from delivery.routing.problem import HORIZON_S, Compartment, Problem, StopKind
from delivery.routing.search import FIRST_SOLUTIONS as FIRST_SOLUTIONS  # callers import it here
from delivery.routing.search import _params as _params  # tests build models with it
from delivery.routing.search import _search

#: Deterministic work budget: search-limit checks allowed per second of time limit. OR-Tools
#: checks its limits about once per explored neighbour; we count those checks (measured
#: 125 000-245 000 per second on one core of a busy 2-core machine, for 40 to 150 stops).
#: The budget takes well under that, so that the wall clock, a safety cap, rarely binds.
CHECKS_PER_SECOND = 50_000


@dataclass
class _Built:
    """The OR-Tools objects of one solve, and the layout of solver nodes."""

    manager: Any
    routing: Any
    time_dim: Any
    layout: Layout
    index: list[int]  # solver node -> routing index (-1 for depots)
    breaks: dict[int, Any]
    keep_alive: list[Any]  # Python callbacks handed to OR-Tools


def solve(
    problem: Problem,
    time_limit_s: float = 30.0,
    seed: int = 0,
    initial_routes: Mapping[str, Sequence[str]] | None = None,
    deterministic: bool = True,
    started_at: float | None = None,
    work_budget: int | None = None,
) -> Plan:
    """Plan ``problem``; every stop ends up in one route or in ``Plan.unassigned``.

    Parameters
    ----------
    problem
        The frozen day to plan.
    time_limit_s
        Wall-clock budget (s) for the whole call, counted from ``started_at``.
    seed
        Seed of the solver's random choices; with ``deterministic`` the same problem and
        seed give the same plan.
    initial_routes
        Optional warm start ``{vehicle_id: [stop_id, ...]}``; ignored (and reported in
        ``solver_stats["warm_start"]``) when it is not a feasible set of routes.
    deterministic
        When True the local search stops after a deterministic amount of work proportional
        to the time limit (:data:`CHECKS_PER_SECOND`), the wall clock being only a safety
        cap (on an overloaded machine the cap may bind first, and then the plan may differ;
        ``solver_stats["stopped_by"]`` says which). When False the search uses the whole
        time limit (best quality, not reproducible).
    started_at
        ``time.monotonic()`` when the caller's clock started (defaults to now).
    work_budget
        Deterministic mode only: the number of limit checks allowed, instead of
        ``CHECKS_PER_SECOND * time_limit_s``.

    Raises
    ------
    ValueError
        If ``time_limit_s`` is not positive.
    """
    t0 = time.monotonic() if started_at is None else started_at
    if time_limit_s <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit_s} s")
    # OR-Tools checks its clock between neighbours and may overrun slightly: keep a margin
    deadline = t0 + time_limit_s - min(0.1 + 0.03 * time_limit_s, 0.3 * time_limit_s)
    check = precheck(problem)
    stats: dict[str, Any] = {"seed": seed, "time_limit_s": time_limit_s,
                             "deterministic": deterministic, "solver_stops": len(check.kept)}
    if not check.kept:
        stats["status"] = "nothing to route"
        return build_plan(problem, [], check.unassigned, stats)
    t_build = time.monotonic()
    built = _build(problem, check.kept)
    stats["build_s"] = round(time.monotonic() - t_build, 3)
    built.routing.solver().ReSeed(seed)
    budget = None
    if deterministic:
        budget = work_budget if work_budget is not None else int(CHECKS_PER_SECOND * time_limit_s)
    solution = _search(problem, built, deadline, initial_routes, budget, stats)
    unassigned = list(check.unassigned)
    if solution is None:
        stats["status"] = "no solution within the time limit"
        unassigned += [no_room(problem, i, timed_out=True) for i in check.kept]
        return build_plan(problem, [], unassigned, stats)
    routes = _extract(problem, built, solution)
    served = {i for r in routes for i in r.stops}
    unassigned += [no_room(problem, i) for i in check.kept if i not in served]
    stats["objective"] = solution.ObjectiveValue()
    plan = build_plan(problem, routes, unassigned, stats)
    plan.solver_stats["wall_s"] = round(time.monotonic() - t0, 3)
    return plan


def _build(problem: Problem, kept: Sequence[int]) -> _Built:
    """Build the routing model in the canonical order (manager ... disjunctions)."""
    lay = build_layout(problem, kept)
    nodes, vehicles = lay.nodes, problem.vehicles
    # 1-2. index manager and routing model
    manager = pywrapcp.RoutingIndexManager(len(nodes), len(vehicles), lay.starts, lay.starts)
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()
    index = [manager.NodeToIndex(n) if n >= len(problem.depots) else -1
             for n in range(len(nodes))]
    # 3. transit callbacks: service at the origin plus travel, over solver nodes
    time_cb = routing.RegisterTransitMatrix(lay.durations)
    # 4. arc costs, one evaluator per distinct per-km cost
    by_rate: dict[int, int] = {}
    for v_idx, v in enumerate(vehicles):
        rate = max(v.cost_per_km_c, 0)
        if rate not in by_rate:
            scale = rate if rate > 0 else 1
            by_rate[rate] = routing.RegisterTransitMatrix(
                [[x * scale for x in row] for row in lay.distances])
        routing.SetArcCostEvaluatorOfVehicle(by_rate[rate], v_idx)
        routing.SetFixedCostOfVehicle(v.fixed_cost_c * MILLI, v_idx)
    # 5. dimensions: time, then one per used (compartment, measure)
    routing.AddDimension(time_cb, HORIZON_S, HORIZON_S, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    reloads = [n for n, node in enumerate(nodes) if node.leg == "reload"]
    for c in Compartment:
        for measure in ("mass_g", "volume_ml"):
            demand = [signed_demand(n, c.value, measure) for n in nodes]
            if not any(demand):
                continue
            caps = [getattr(v.capacity.get(c), measure) for v in vehicles]
            for n in reloads:  # a reload may empty the van, then its slack refills it
                demand[n] = -caps[nodes[n].vehicle]
            cb = routing.RegisterUnaryTransitVector(demand)
            name = f"{c.value}_{measure}"
            routing.AddDimensionWithVehicleCapacity(cb, 2 * max(caps) if reloads else 0, caps,
                                                    False, name)
            if reloads:
                _reload_slack(routing, routing.GetDimensionOrDie(name), nodes, index, caps)
    # 6. windows on the cumul vars (several windows: range, then remove the gaps)
    for n, node in enumerate(nodes):
        if index[n] >= 0:
            _set_windows(time_dim.CumulVar(index[n]), node.windows)
    breaks = _vehicle_times(problem, routing, time_dim, manager, lay)
    # 7. pickup and delivery pairs, precedence and time in van
    keep_alive: list[Any] = []
    for pair_index, pair in enumerate(lay.pairs):
        p, d = index[pair.pickup], index[pair.delivery]
        routing.AddPickupAndDelivery(p, d)
        solver.Add(routing.VehicleVar(p) == routing.VehicleVar(d))
        solver.Add(time_dim.CumulVar(p) <= time_dim.CumulVar(d))
        if pair.max_gap_s is not None:
            gap = pair.max_gap_s
            solver.Add(time_dim.CumulVar(d) - time_dim.CumulVar(p) <= gap)
            keep_alive.append(lambda _p, _d, gap=gap: gap)  # also seen by search filters
            time_dim.SetPickupToDeliveryLimitFunctionForPair(keep_alive[-1], pair_index)
    for n in lay.reified:
        _cold_single(problem, routing, time_dim, index[n], problem.stops[nodes[n].stop])
    _pin_legs(routing, nodes, index)
    # 8. disjunctions: every stop may be left out; mandatory ones at a prohibitive price;
    # reloads are free to skip and belong to one van
    for n, node in enumerate(nodes):
        if index[n] >= 0:
            routing.AddDisjunction([index[n]], node.penalty)
            if node.leg == "reload":
                routing.VehicleVar(index[n]).SetValues([-1, node.vehicle])
    return _Built(manager, routing, time_dim, lay, index, breaks, keep_alive)


def _vehicle_times(problem: Problem, routing: Any, time_dim: Any, manager: Any,
                   lay: Layout) -> dict[int, Any]:
    """Shift and depot hours, finalizers, hourly cost and break of each van."""
    breaks: dict[int, Any] = {}
    visit = [0 if routing.IsEnd(i) else lay.nodes[manager.IndexToNode(i)].service_s
             for i in range(routing.Size())]
    for v_idx, v in enumerate(problem.vehicles):
        depot = problem.depots[lay.starts[v_idx]]
        lo = max(v.shift.start_s, depot.window.start_s)
        hi = min(v.shift.end_s, depot.window.end_s)
        for index in (routing.Start(v_idx), routing.End(v_idx)):
            time_dim.CumulVar(index).SetRange(lo, max(lo, hi))
        routing.AddVariableMaximizedByFinalizer(time_dim.CumulVar(routing.Start(v_idx)))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(v_idx)))
        if v.cost_per_hour_c:
            time_dim.SetSpanCostCoefficientForVehicle(
                max(1, round(v.cost_per_hour_c * MILLI / 3600)), v_idx)
        if v.break_ is not None:
            b = v.break_
            interval = routing.solver().FixedDurationIntervalVar(
                b.window.start_s, b.window.end_s, b.duration_s, False, f"break {v.id}")
            time_dim.SetBreakIntervalsOfVehicle([interval], v_idx, visit)
            breaks[v_idx] = interval
    return breaks


def _reload_slack(routing: Any, dim: Any, nodes: Sequence[Node], index: Sequence[int],
                  caps: Sequence[int]) -> None:
    """Slack only at reloads: load after a reload is anything from empty to full."""
    for n, node in enumerate(nodes):
        if index[n] < 0:
            continue
        if node.leg == "reload":
            dim.SlackVar(index[n]).SetRange(0, 2 * caps[node.vehicle])
        else:
            dim.SlackVar(index[n]).SetValue(0)
    for v in range(routing.vehicles()):
        dim.SlackVar(routing.Start(v)).SetValue(0)


def _pin_legs(routing: Any, nodes: Sequence[Node], index: Sequence[int]) -> None:
    """Pin depot legs to the ends of their loop.

    Load legs only right after the start, a reload or another load leg; unload legs only
    right before the end, a reload or another unload leg.
    """
    real = [(index[n], node.leg) for n, node in enumerate(nodes) if index[n] >= 0]
    for leg_index, leg in real:
        for other, other_leg in real:
            if leg == "load" and other_leg not in ("load", "reload"):
                routing.NextVar(other).RemoveValue(leg_index)
            elif leg == "unload" and other_leg not in ("unload", "reload"):
                routing.NextVar(leg_index).RemoveValue(other)


def _set_windows(cumul: Any, windows: Sequence[tuple[int, int]]) -> None:
    cumul.SetRange(windows[0][0], windows[-1][1])
    for (_, end), (start, _) in zip(windows, windows[1:], strict=False):
        if start > end + 1:
            cumul.RemoveInterval(end + 1, start - 1)


def _cold_single(problem: Problem, routing: Any, time_dim: Any, index: int, stop: Any) -> None:
    """Time in van for goods loaded at the depot (from departure) or brought back to it."""
    limit = problem.max_in_van_for(stop.load)
    if limit is None:
        return
    solver = routing.solver()
    for v_idx in range(routing.vehicles()):
        on_v = solver.IsEqualCstVar(routing.VehicleVar(index), v_idx)
        slack = 2 * HORIZON_S * (1 - on_v)
        if stop.kind == StopKind.DELIVERY:
            held = time_dim.CumulVar(index) + stop.service_s - time_dim.CumulVar(routing.Start(v_idx))
        else:
            held = time_dim.CumulVar(routing.End(v_idx)) - time_dim.CumulVar(index)
        solver.Add(held <= limit + slack)



def _extract(problem: Problem, built: _Built, solution: Any) -> list[SolvedRoute]:
    """Read visiting orders, service starts, reloads and break starts from a solution.

    The van leaves the depot when its last load leg is done (or at its start time); a
    reload starts so that it ends when the last goods of its loop are on board.
    """
    routing, time_dim, out = built.routing, built.time_dim, []
    for v in range(routing.vehicles()):
        depart = solution.Value(time_dim.CumulVar(routing.Start(v)))
        index = solution.Value(routing.NextVar(routing.Start(v)))
        stops, starts, reloads = [], [], []
        while not routing.IsEnd(index):
            node = built.layout.nodes[built.manager.IndexToNode(index)]
            if node.stop >= 0:
                stops.append(node.stop)
                starts.append(solution.Value(time_dim.CumulVar(index)))
            elif node.leg == "reload":
                reloads.append((len(stops), solution.Value(time_dim.CumulVar(index))))
            elif node.leg == "load" and not stops and not reloads:
                depart = max(depart, solution.Value(time_dim.CumulVar(index)))
            elif node.leg == "load" and reloads and reloads[-1][0] == len(stops):
                # goods go on board at the end of the reload: it ends when the last is loaded
                count, at = reloads[-1]
                reload_s = problem.vehicles[v].reload_s
                loaded_at = solution.Value(time_dim.CumulVar(index))
                reloads[-1] = (count, max(at, loaded_at - reload_s))
            index = solution.Value(routing.NextVar(index))
        if not stops:
            continue
        brk = built.breaks.get(v)
        break_start = None
        if brk is not None and solution.PerformedValue(brk):
            break_start = solution.StartValue(brk)
        # a reload before the first stop, after the last, or twice in a row changes nothing
        cuts = {count: at for count, at in reloads if 0 < count < len(stops)}
        reloads = sorted(cuts.items())
        out.append(SolvedRoute(v, tuple(stops), tuple(starts), depart,
                               solution.Value(time_dim.CumulVar(routing.End(v))), break_start,
                               tuple(reloads)))
    return out
