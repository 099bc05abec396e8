"""The one module that speaks OR-Tools: builds the routing model of a Problem and searches it.

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

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from delivery.routing.assemble import SolvedRoute, build_plan
from delivery.routing.diagnose import no_room, precheck
from delivery.routing.initial_routes import read_initial_routes
from delivery.routing.layout import MILLI, Layout, Node, build_layout, signed_demand
from delivery.routing.plan import Plan
from delivery.routing.problem import HORIZON_S, Compartment, Problem, StopKind

FSS = routing_enums_pb2.FirstSolutionStrategy
LSM = routing_enums_pb2.LocalSearchMetaheuristic
BOOL_TRUE = optional_boolean_pb2.BOOL_TRUE

#: First-solution strategies, tried in turn while cheap; the best start is improved by GLS.
#: Parallel insertion first: on the Mormal day (150 stops, cold chain, 3 vans) it left 15 stops
#: out in 3.6 s, local insertion 49 in 1.7 s, and sequential insertion placed none in 5.4 s
#: (with 3 reloads per van: 13, 33 and none, in 6.8, 3.9 and 9.1 s), so the slowest and worst
#: must not take the time of the best.
FIRST_SOLUTIONS = (FSS.PARALLEL_CHEAPEST_INSERTION, FSS.LOCAL_CHEAPEST_INSERTION,
                   FSS.SEQUENTIAL_CHEAPEST_INSERTION)
#: Up to this many (solver nodes x vans), all FIRST_SOLUTIONS are tried, the best kept.
SMALL_INSTANCE = 600
#: Tried only when none of the above finds a solution (e.g. tight windows, fixed fleet).
FALLBACK_SOLUTIONS = (FSS.PATH_CHEAPEST_ARC, FSS.SAVINGS, FSS.ALL_UNPERFORMED)

#: Deterministic work budget: search-limit checks allowed per second of time limit. OR-Tools
#: checks its limits about once per explored neighbour; we count those checks (measured
#: 125 000-245 000 per second on one core of a busy 2-core machine, for 40 to 150 stops).
#: The budget takes well under that, so that the wall clock, a safety cap, rarely binds.
CHECKS_PER_SECOND = 50_000

#: Rounds of putting left-out stops back (:mod:`delivery.routing.reinsert`), with a search of
#: this share of the work budget between two rounds (on top of the main search's: at most
#: the budget again). On the Mormal day with reloads (150 stops, 3 vans, 30 s) they put back
#: 12 of the 14 stops left out with 0.5 (11 with 0.2; keeping 60 % of the main search's
#: budget aside for them instead, only 9).
REINSERT_ROUNDS = 3
POLISH_SHARE = 0.5

#: Share of the time left after the first solution that the main search may use: the rest
#: stays for putting left-out stops back. Binds only when the clock comes before the work
#: budget (a loaded machine): the Mormal day then lost the whole reinsertion (138 served
#: instead of 146 on a 2-core machine at load 4). When nothing is left out, the search
#: resumes with the time kept (:func:`_resume`).
SEARCH_TIME_SHARE = 0.8

#: Share of the time left that a search between two rounds may use: the rest stays for the
#: next round (on a loaded machine the clock binds before the work budget, and the search
#: took it all: the next round, which makes room by ejection, found no time).
POLISH_TIME_SHARE = 0.6


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


def _params(strategy: int, seconds: float, solution_limit: int | None, gls: bool) -> Any:
    """Search parameters: a first-solution strategy, GLS or plain descent, limits."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = strategy
    params.local_search_metaheuristic = (LSM.GUIDED_LOCAL_SEARCH if gls
                                         else LSM.GREEDY_DESCENT)
    params.time_limit.FromMilliseconds(max(1, int(seconds * 1000)))
    if gls:  # measured on Solomon/Li & Lim: small but consistent gains over the defaults
        params.local_search_operators.use_cross_exchange = BOOL_TRUE
        params.local_search_operators.use_relocate_neighbors = BOOL_TRUE
    if solution_limit is not None:
        params.solution_limit = solution_limit
    return params


def _search(problem: Problem, built: _Built, deadline: float,
            initial_routes: Mapping[str, Sequence[str]] | None, budget: int | None,
            stats: dict[str, Any]) -> Any:
    """Warm start or best of several first solutions, then guided local search."""
    routing, t_first = built.routing, time.monotonic()
    # 9. search parameters (the model is closed once, then solved from several starts)
    routing.CloseModelWithParameters(_params(FIRST_SOLUTIONS[0], 1.0, None, True))
    start, repaired = None, False
    if initial_routes is not None:
        start, repaired = read_initial_routes(problem, built, initial_routes, stats)
    if start is None:
        start = _first_solution(built, deadline, stats)
    elif repaired:  # a start missing many stops: our own first solution may be the better one
        fresh = _first_solution(built, deadline, stats)
        if fresh is not None and fresh.ObjectiveValue() < start.ObjectiveValue():
            stats["warm_start"] += "; our first solution was cheaper and was kept instead"
            start = fresh
    stats["first_phase_s"] = round(time.monotonic() - t_first, 3)
    remaining = deadline - time.monotonic()
    if start is None or remaining <= 0.01:
        stats["stopped_by"] = "time"
        return start
    remaining *= SEARCH_TIME_SHARE
    params = _params(FIRST_SOLUTIONS[0], remaining, None, True)
    checks, limit = [0], [0]
    stats["work_budget"] = budget
    if budget is not None:
        # LNS sub-searches are otherwise cut by a 0.1 s wall-clock limit: not reproducible
        params.lns_time_limit.FromMilliseconds(max(1, int(remaining * 1000)))
        limit[0] = budget

        def spent() -> bool:
            checks[0] += 1
            return checks[0] > limit[0]

        built.keep_alive.append(spent)
        routing.AddSearchMonitor(routing.solver().CustomLimit(spent))
    t = time.monotonic()
    solution = routing.SolveFromAssignmentWithParameters(start, params)
    stats["search_s"] = round(time.monotonic() - t, 3)
    stats["stopped_by"] = "work budget" if budget is not None and checks[0] > limit[0] else "time"
    # 10. if solution: keep it, else the start (never worse: GLS keeps the best found)
    solution = solution if solution else start
    return _reinsert(problem, built, solution, deadline, budget, checks, limit, stats)


def _reinsert(problem: Problem, built: _Built, solution: Any, deadline: float, budget: int | None,
              checks: list[int], limit: list[int], stats: dict[str, Any]) -> Any:
    """Put back left-out stops (:mod:`delivery.routing.reinsert`), then search a little more.

    Up to :data:`REINSERT_ROUNDS` rounds, while a round puts some back; between rounds a
    search gets :data:`POLISH_SHARE` of the work budget (on top of the main search's), or
    :data:`POLISH_TIME_SHARE` of the time left, and is kept only when it is not worse (GLS
    keeps the best it finds).
    """
    from delivery.routing.reinsert import reinsert

    t, total = time.monotonic(), 0
    clock_cut = stats.get("stopped_by") == "time"
    for round_ in range(REINSERT_ROUNDS):
        spent, checks[0] = checks[0], -(10**15)  # feasibility reads: no work limit
        better, inserted = reinsert(problem, built, solution, deadline=deadline)
        checks[0] = spent
        total += inserted
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            stats["stopped_by"] = "time"
        if not inserted and round_ == 0 and clock_cut and remaining > 0.05:
            # nothing to put back: the main search resumes with the time kept for this
            solution = _resume(built, better, remaining, budget, checks, limit, stats)
            break
        if not inserted or remaining <= 0.05 or round_ == REINSERT_ROUNDS - 1:
            solution = better
            break
        remaining *= POLISH_TIME_SHARE
        params = _params(FIRST_SOLUTIONS[0], remaining, None, True)
        if budget is not None:
            params.lns_time_limit.FromMilliseconds(max(1, int(remaining * 1000)))
            checks[0], limit[0] = 0, int(POLISH_SHARE * budget)
        polished = built.routing.SolveFromAssignmentWithParameters(better, params)
        if budget is not None and checks[0] <= limit[0]:
            stats["stopped_by"] = "time"
        ok = polished and polished.ObjectiveValue() <= better.ObjectiveValue()
        solution = polished if ok else better
    stats["reinserted"] = total
    stats["reinsert_s"] = round(time.monotonic() - t, 3)
    return solution


def _resume(built: _Built, solution: Any, remaining: float, budget: int | None,
            checks: list[int], limit: list[int], stats: dict[str, Any]) -> Any:
    """The main search, cut by :data:`SEARCH_TIME_SHARE`, resumed for ``remaining`` s.

    It keeps what is left of its work budget; the result is kept only if not worse.
    """
    params = _params(FIRST_SOLUTIONS[0], remaining, None, True)
    if budget is not None:
        params.lns_time_limit.FromMilliseconds(max(1, int(remaining * 1000)))
    resumed = built.routing.SolveFromAssignmentWithParameters(solution, params)
    stats["resumed"] = True
    if budget is not None and checks[0] > limit[0]:
        stats["stopped_by"] = "work budget"
    ok = resumed and resumed.ObjectiveValue() <= solution.ObjectiveValue()
    return resumed if ok else solution


def _first_solution(built: _Built, deadline: float, stats: dict[str, Any]) -> Any:
    """Cheapest start among the insertion heuristics; arc-based fallbacks if all fail.

    The first strategy may use 90 % of the remaining time, the next ones half. After the first success, the other
    insertion strategies are tried only on small instances (solver nodes x vans <=
    :data:`SMALL_INSTANCE`, a rule that does not depend on the clock); fallbacks only when
    nothing was found.
    """
    routing, best = built.routing, None
    small = len(built.layout.nodes) * routing.vehicles() <= SMALL_INSTANCE
    for strategy in FIRST_SOLUTIONS + FALLBACK_SOLUTIONS:
        if best is not None and (strategy in FALLBACK_SOLUTIONS or not small):
            break
        # the first strategy (the best on our days) may use nearly all the time: starving
        # it under load left 115 of 150 stops out; the others get half of what is left
        share = (deadline - time.monotonic()) * (0.9 if best is None else 0.5)
        if share <= 0.01:
            break
        found = routing.SolveWithParameters(_params(strategy, share, 1, False))
        if found and (best is None or found.ObjectiveValue() < best.ObjectiveValue()):
            best = routing.solver().Assignment(found)  # a copy: the next solve reuses found
            stats["first_solution"] = FSS.Value.Name(strategy)
            stats["first_objective"] = best.ObjectiveValue()
    return best


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
