"""Solve a benchmark instance with the project's planner, within a wall-clock budget.

The pipeline: build the :class:`DeliveryModel` of the instance; spend most of the budget on a
PyVRP warm start of its relaxation (two seeds on two cores); hand those routes to the OR-Tools
solver (``DeliveryModel.solve(initial_routes=...)``), which carries every real constraint and improves them
with guided local search until the deadline; then re-check the result in exact arithmetic.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from delivery.bench.check import Check, check_routes
from delivery.bench.instances import Instance
from delivery.bench.translate import Objective, build_model, default_objective, plan_routes
from delivery.routing.warmstart import warm_start

__all__ = ["BenchResult", "solve_instance"]

#: Shortest time (s) each phase gets even when the budget is already spent (heavy load).
MIN_PHASE_S = 0.3

#: Largest share of the budget kept for OR-Tools' own search after the warm start.
PLANNER_SHARE_MAX = 0.15


@dataclass(frozen=True)
class BenchResult:
    """The planner's answer on one instance, already re-checked.

    Attributes
    ----------
    routes : list[list[int]]
        Customer labels per route, depot excluded.
    check : Check
        Exact re-check of ``routes``.
    source : str
        ``"planner"`` when the routes are the OR-Tools plan; otherwise why another answer was
        used (``"warm start: ..."``).
    stats : dict
        Timings and solver facts, for diagnostics only.
    """

    routes: list[list[int]]
    check: Check
    source: str
    stats: dict[str, Any] = field(default_factory=dict)


def solve_instance(
    instance: Instance,
    time_limit_s: float,
    *,
    objective: Objective | None = None,
    seed: int = 1,
    processes: int = 2,
    started_at: float | None = None,
    warm: bool = True,
) -> BenchResult:
    """Solve ``instance`` with the planner and return exactly re-checked routes.

    Parameters
    ----------
    instance : Instance
        The benchmark instance.
    time_limit_s : float
        Wall-clock budget (s) for the whole call, counted from ``started_at``.
    objective : Objective, optional
        Defaults to the family's ranking (:func:`default_objective`).
    seed : int
        Seed of the first PyVRP run and of OR-Tools; a second PyVRP run uses ``seed + 1``.
    processes : int
        Cores to use for the warm start (1 or 2).
    started_at : float, optional
        ``time.monotonic()`` when the budget started (default: now).
    warm : bool
        Use the PyVRP warm start (False: OR-Tools alone, for comparison).

    Raises
    ------
    ValueError
        If ``time_limit_s`` is not positive.
    """
    t0 = time.monotonic() if started_at is None else started_at
    if time_limit_s <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit_s} s")
    objective = Objective(objective or default_objective(instance))
    fleet = instance.fleet_size()
    model, scaled = build_model(instance, objective, fleet)
    problem = model.problem()
    stats: dict[str, Any] = {"objective": objective.value, "fleet": fleet,
                             "time_scale": scaled.time_scale, "build_s": round(time.monotonic() - t0, 3)}
    try:  # import both solvers now, so that import time is not taken from their searches
        import pyvrp  # noqa: F401

        import delivery.routing.solver  # noqa: F401
    except ImportError as exc:
        solver_error: Exception | None = exc
    else:
        solver_error = None
    ws = None
    if warm:
        budget = time_limit_s - _planner_reserve(instance, time_limit_s) - (time.monotonic() - t0)
        # Below MIN_PHASE_S the limit is overrun a little: an answer beats none.
        ws = warm_start(problem, max(MIN_PHASE_S, budget), seeds=(seed, seed + 1),
                        processes=processes if budget > 1.0 else 1)
        stats["warm_s"] = round(time.monotonic() - t0, 3)
    fallback: list[list[int]] = []
    if ws is not None:
        fallback = [[int(s) for s in stops] for stops in ws.routes.values()]
        warm_check = check_routes(instance, fallback, max_vehicles=fleet)
        stats["warm_distance"] = round(warm_check.distance, 4)
        stats["warm_vehicles"] = warm_check.vehicles
        if not warm_check.feasible:
            fallback = []
    t_solve = time.monotonic()
    left = time_limit_s - (t_solve - t0) - _output_margin(instance)
    try:
        if solver_error is not None:
            raise solver_error
        plan = model.solve(time_limit_s=max(0.05 if fallback else MIN_PHASE_S, left), seed=seed,
                           initial_routes=ws.routes if ws else None, deterministic=False)
    except Exception as exc:  # a solver bug must not cost a feasible answer already in hand
        if not fallback:
            raise
        result = check_routes(instance, fallback, max_vehicles=fleet)
        stats["total_s"] = round(time.monotonic() - t0, 3)
        return BenchResult(fallback, result, f"warm start: planner failed ({exc!r})", stats)
    stats.update({k: plan.solver_stats.get(k) for k in ("warm_start", "stopped_by", "search_s")})
    stats["solve_s"] = round(time.monotonic() - t_solve, 3)
    routes = plan_routes(plan)
    result = check_routes(instance, routes, max_vehicles=fleet)
    stats["planner_distance"] = round(result.distance, 4)
    source = "planner"
    if (plan.unassigned or not result.feasible) and fallback:
        why = "; ".join(result.errors[:2]) or f"{len(plan.unassigned)} unassigned"
        routes, source = fallback, f"warm start: planner result rejected ({why})"
        result = check_routes(instance, fallback, max_vehicles=fleet)
    stats["total_s"] = round(time.monotonic() - t0, 3)
    stats["cpu_s"] = _cpu_seconds()
    return BenchResult(routes=routes, check=result, source=source, stats=stats)


def _cpu_seconds() -> float:
    """CPU seconds used by this process and its finished workers.

    On a shared machine this tells how much of the wall-clock budget the search really got.
    """
    t = os.times()
    return round(t.user + t.system + t.children_user + t.children_system, 2)


def _planner_reserve(instance: Instance, time_limit_s: float) -> float:
    """Seconds left to OR-Tools after the warm start: model build, then guided local search.

    Building the OR-Tools model takes about ``3e-6 n^2`` s for ``n`` nodes. Its search gets
    5 % of the budget at 0 nodes, rising to 15 % at 400 and more: on about 100 nodes its guided
    local search has never improved PyVRP's routes in our runs, on 400-1000 nodes it did
    (by 0.1-0.8 %). PyVRP, the better pure search, gets everything else.
    """
    share = min(PLANNER_SHARE_MAX, 0.05 + instance.size / 4000)
    return share * time_limit_s + 3e-6 * instance.size**2 + _output_margin(instance)


def _output_margin(instance: Instance) -> float:
    """Seconds kept after the solver for extracting, checking and printing the result."""
    return 0.25 + 5e-4 * instance.size
