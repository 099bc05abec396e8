"""Solve a benchmark instance with the product's own planner, within a wall-clock budget.

Translate the instance into a :class:`DeliveryModel` (:mod:`delivery.bench.translate`), call
the same :meth:`DeliveryModel.solve` the day planner calls (PyVRP warm start, then OR-Tools:
:mod:`delivery.routing.pipeline`) on two cores and without the deterministic work budget, then
re-check the result in exact arithmetic. Nothing here searches on its own.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from delivery.bench.check import Check, check_routes
from delivery.bench.instances import Instance
from delivery.bench.translate import Objective, build_model, default_objective, plan_routes

__all__ = ["BenchResult", "solve_instance"]

#: Shortest time (s) the solve gets even when start-up already spent the budget (an overloaded
#: machine, a tiny limit): an answer a little late beats an infeasible one. 2 s leave the
#: pipeline its warm start (at least 1 s) and OR-Tools its 0.5 s; with 0.3 s OR-Tools alone
#: once found nothing for X-n101-k25 under a load of 12 on 2 cores.
MIN_SOLVE_S = 2.0


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
        ``"planner"``: the routes are the plan of :meth:`DeliveryModel.solve`.
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
        Seed of the solve (a second PyVRP run uses ``seed + 1``).
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
    model.problem()  # freeze the matrices now: the solve's clock starts below
    stats: dict[str, Any] = {"objective": objective.value, "fleet": fleet,
                             "time_scale": scaled.time_scale, "build_s": round(time.monotonic() - t0, 3)}
    import pyvrp  # noqa: F401  (import both solvers before the solve's clock starts)

    import delivery.routing.solver  # noqa: F401

    left = time_limit_s - (time.monotonic() - t0) - _output_margin(instance)
    t_solve = time.monotonic()
    plan = model.solve(time_limit_s=max(MIN_SOLVE_S, left), seed=seed, deterministic=False,
                       warm_start=warm, processes=processes if left > 1.0 else 1)
    stats.update({k: plan.solver_stats.get(k) for k in
                  ("pipeline", "warm_start", "warm_s", "stopped_by", "search_s")})
    stats["solve_s"] = round(time.monotonic() - t_solve, 3)
    routes = plan_routes(plan)
    result = check_routes(instance, routes, max_vehicles=fleet)
    stats["unassigned"] = len(plan.unassigned)
    stats["total_s"] = round(time.monotonic() - t0, 3)
    stats["cpu_s"] = _cpu_seconds()
    return BenchResult(routes=routes, check=result, source="planner", stats=stats)


def _cpu_seconds() -> float:
    """CPU seconds used by this process and its finished workers.

    On a shared machine this tells how much of the wall-clock budget the search really got.
    """
    t = os.times()
    return round(t.user + t.system + t.children_user + t.children_system, 2)


def _output_margin(instance: Instance) -> float:
    """Seconds kept after the solver for extracting, checking and printing the result."""
    return 0.25 + 5e-4 * instance.size
