"""The search phases of one solve, and how the work budget and the clock are shared among them.

First solutions (or a warm start), left-out stops put back into it, guided local search,
then rounds of putting left-out stops back (:mod:`delivery.routing.reinsert`) with a shorter
search between two rounds.
Limits are a deterministic work budget (search-limit checks, counted) with the wall clock
as a safety cap; the ``*_SHARE`` constants below say which part of each a phase may use.
Searches the model built by :mod:`delivery.routing.solver`, whose ``solve`` calls
:func:`_search`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from delivery.routing.initial_routes import read_initial_routes
from delivery.routing.problem import Problem
from delivery.routing.replan_van import replan_last

if TYPE_CHECKING:
    from delivery.routing.solver import _Built

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
    """Search one built model: a start, then guided local search.

    The start is the warm start or the best of several first solutions, with its left-out
    stops put back; after the search come more rounds of putting back.
    """
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
    if start is not None:
        start = _put_back_first(problem, built, start, deadline, stats)
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


def _put_back_first(problem: Problem, built: _Built, start: Any, deadline: float,
                    stats: dict[str, Any]) -> Any:
    """Put left-out stops back into the start before the search (:mod:`~delivery.routing.reinsert`).

    A first solution that leaves many mandatory stops out makes guided local search slow
    (each left-out node is tried everywhere at every move) and it puts few back: on the
    Mormal day with reloads (seed 2, 30 s) it searched 21 s and stopped by the clock with
    22 shipments still out. Putting back first (there 24 of 33 left-out stops' units, in
    4 s) gave 118 served instead of 111-115; seed 3 145 instead of 140-144; seed 1 reached
    its 149 in 19 s instead of 23 s.
    """
    from delivery.routing.reinsert import reinsert

    stats["made_room"] = 0  # stops put in by ejection moves (raised by reinsert)
    better, inserted = reinsert(problem, built, start, deadline=deadline, stats=stats)
    stats["reinserted_first"] = inserted
    return better


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
    stats.setdefault("made_room", 0)  # stops put in by ejection moves (raised by reinsert)
    for round_ in range(REINSERT_ROUNDS):
        spent, checks[0] = checks[0], -(10**15)  # feasibility reads: no work limit
        better, inserted = reinsert(problem, built, solution, deadline=deadline, stats=stats)
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
    spent, checks[0] = checks[0], -(10**15)  # feasibility reads: no work limit
    solution = replan_last(problem, built, solution, deadline, stats)
    checks[0] = spent
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
