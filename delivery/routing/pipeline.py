"""The planning pipeline every caller uses: a PyVRP warm start, then the full OR-Tools model.

1. :func:`~delivery.routing.diagnose.precheck` sets aside the stops no van can serve alone.
2. PyVRP solves the *relaxation* of the rest (:mod:`delivery.routing.warmstart`: breaks,
   several windows per stop, time-in-van limits and relay fridges are what it cannot
   express) for most of the time limit; not on days where many stops carry cold goods
   (:data:`COLD_SKIP_SHARE`), whose relaxed routes all break the cold chain.
3. OR-Tools (:mod:`delivery.routing.solver`), which carries every real constraint, reads
   those routes; stops that break a real constraint there are taken out of the start and
   left to its search. Guided local search then improves the plan until the limit; it
   never returns anything worse than the start.

:func:`solve` holds the whole pipeline within one time limit; ``warm_start=False`` runs
OR-Tools alone (for comparison). In deterministic mode each phase has a work budget derived
from the time limit and the problem size only, never from the clock, so the same problem and
seed give the same plan; the wall clock then only caps a phase on an overloaded machine.

This module never imports Django, OR-Tools nor PyVRP itself (the two phases do).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from delivery.routing.plan import Plan
from delivery.routing.problem import Problem

__all__ = ["Split", "solve", "split"]

#: Shortest warm start (s) worth its set-up (importing PyVRP alone takes 0.3-0.7 s here);
#: below it OR-Tools gets the whole limit.
MIN_WARM_S = 1.0

#: Fewest stops worth a warm start: below, OR-Tools alone finds the best plan at once and
#: PyVRP's start-up (about 0.7 s to import on this machine) would only take its time.
MIN_WARM_STOPS = 8

#: Least time (s) OR-Tools keeps after the warm start, whatever its share: building the
#: model and reading or repairing the start take that much on 100-200 stops.
MIN_OR_TOOLS_S = 0.5

#: Share of the time limit OR-Tools searches after the warm start: 5 % with no stops,
#: rising by 1 % per 40 solver stops up to this cap. On benchmark instances (relaxation =
#: the problem) OR-Tools' search never improved PyVRP's routes on about 100 stops and did
#: by 0.1-0.8 % on 400-1000 (benchmarks/vrp.py); PyVRP, the better pure search, gets the rest.
OR_TOOLS_SHARE_MAX = 0.15

#: OR-Tools' least share when the relaxation drops breaks, several windows or relay fridges:
#: some warm-start stops then break a real constraint (4 to 16 of 150 on the Mormal day
#: without its cold chain), and OR-Tools needs time to repair the start, build its own first
#: solution when that took out many, and search. With 29 % it once had too little for its
#: first solution and left 120 stops out.
REPAIR_SHARE = 0.40

#: OR-Tools' share when the relaxation also drops time-in-van limits that some stop is
#: subject to. PyVRP then ignores the cold chain and most of its routes break it (74 to 103
#: of the 150 Mormal-day stops had to be taken out of its start, seed 1): OR-Tools keeps the
#: time its own first solutions need (about 14.5 s of 30 s there, three strategies) and
#: starts from whichever start is cheaper. With 40 % for PyVRP instead, our first solution
#: lost its best strategy to the clock: 49 stops unassigned instead of 15.
COLD_CHAIN_SHARE = 0.85

#: At or above this share of the day's stops under a time-in-van limit, no warm start is
#: computed: PyVRP's routes then broke the cold chain in every route, so OR-Tools rejected
#: them all and planned from its own first solution, and the time they took was lost (the
#: three Mormal days, 48-56 % of stops cold, and nine generated days of 40-150 stops,
#: 58-70 % cold: rejected every time). Without it, OR-Tools alone had the whole limit:
#: Mormal day with reloads at 30 s, 148 -> 149 stops served (seed 1), 100 -> 111 (seed 2),
#: 135 -> 135 (seed 3). Below it, the warm start is repaired (:data:`COLD_CHAIN_SHARE`).
COLD_SKIP_SHARE = 0.4

#: Deterministic mode: PyVRP iterations per second of warm start on 100 stops, scaled by
#: ``100 / max(stops, 50)``. Measured 110-850 iterations/s on 40-150 stops on one core of
#: this 2-core machine loaded about 4x; the budget sits below that so that the wall clock,
#: a safety cap, rarely binds.
WARM_ITERATIONS_PER_S = 60


@dataclass(frozen=True)
class Split:
    """How one time limit is shared: warm start seconds, OR-Tools seconds and work budgets."""

    warm_s: float
    or_tools_s: float
    warm_iterations: int | None
    or_tools_checks: int | None


def split(problem: Problem, n_stops: int, time_limit_s: float, *, warm_start: bool = True,
          deterministic: bool = True, work_budget: int | None = None) -> Split:
    """Share ``time_limit_s`` between the phases, from the problem's size and shape only.

    Parameters
    ----------
    problem
        The day; its shape (breaks, several windows, time-in-van limits) decides how much
        OR-Tools keeps to repair the warm start, or whether there is one at all.
    n_stops
        Stops the solver will route (after the pre-check).
    time_limit_s
        The whole call's limit (s).
    warm_start
        False: OR-Tools alone, whole limit.
    deterministic
        When True, phases get work budgets (PyVRP iterations, OR-Tools limit checks).
    work_budget
        OR-Tools limit checks, instead of the default ``CHECKS_PER_SECOND`` per second.
    """
    from delivery.routing.solver import CHECKS_PER_SECOND

    nodes = n_stops + len(problem.depots)
    share = min(OR_TOOLS_SHARE_MAX, 0.05 + nodes / 4000)
    if cold_chain_relaxed(problem):
        share = max(share, COLD_CHAIN_SHARE)
    elif relaxed(problem):
        share = max(share, REPAIR_SHARE)
    build_s = 3e-6 * nodes**2  # building the OR-Tools model, measured
    warm_s = min(time_limit_s * (1 - share), time_limit_s - MIN_OR_TOOLS_S) - build_s
    if (not warm_start or n_stops < MIN_WARM_STOPS or warm_s < MIN_WARM_S
            or cold_share(problem) >= COLD_SKIP_SHARE):
        warm_s = 0.0
    or_tools_s = time_limit_s - warm_s
    iterations = None
    checks = None
    if deterministic:
        if warm_s:
            iterations = max(1, int(warm_s * WARM_ITERATIONS_PER_S * 100 / max(n_stops, 50)))
        checks = work_budget if work_budget is not None else int(CHECKS_PER_SECOND * or_tools_s)
    return Split(warm_s, or_tools_s, iterations, checks)


def cold_chain_relaxed(problem: Problem) -> bool:
    """Whether some stop carries goods under a time-in-van limit (which PyVRP ignores)."""
    return cold_share(problem) > 0


def cold_share(problem: Problem) -> float:
    """Share (0-1) of the day's stops carrying goods under a time-in-van limit."""
    if not problem.stops:
        return 0.0
    cold = sum(1 for s in problem.stops if problem.max_in_van_for(s.load) is not None)
    return cold / len(problem.stops)


def relaxed(problem: Problem) -> bool:
    """Whether the warm start's relaxation drops a constraint of ``problem``."""
    return bool(problem.max_in_van_s
                or any(v.break_ is not None for v in problem.vehicles)
                or any(len(s.windows) > 1 for s in problem.stops)
                or any(s.relay_id is not None for s in problem.stops))


def solve(
    problem: Problem,
    time_limit_s: float = 30.0,
    seed: int = 0,
    *,
    initial_routes: Mapping[str, Sequence[str]] | None = None,
    deterministic: bool = True,
    started_at: float | None = None,
    work_budget: int | None = None,
    warm_start: bool = True,
    processes: int = 1,
) -> Plan:
    """Plan ``problem`` with the whole pipeline within ``time_limit_s``.

    Parameters
    ----------
    problem
        The frozen day to plan.
    time_limit_s
        Wall-clock budget (s) of the whole call, counted from ``started_at``.
    seed
        Seed of both searches (the second PyVRP run, with two processes, uses ``seed + 1``).
    initial_routes
        The caller's own start ``{vehicle_id: [stop_id, ...]}``; no warm start is computed then.
    deterministic
        When True each phase stops after a work budget set by :func:`split` (the clock only
        caps it); when False both use the wall clock (best quality, not reproducible).
    started_at
        ``time.monotonic()`` when the caller's clock started (default now).
    work_budget
        OR-Tools limit checks in deterministic mode (default: by the time it gets).
    warm_start
        False runs OR-Tools alone on the whole limit (for comparison).
    processes
        1 or 2: with 2, a second PyVRP seed runs in a worker process on the other core.

    Returns
    -------
    Plan
        Routes plus every stop not served, each with a reason; ``solver_stats`` tells how
        the time went (``pipeline``, ``warm_start``, ``warm_s``, ``stopped_by``...).

    Raises
    ------
    ValueError
        If ``time_limit_s`` is not positive or ``processes`` is not 1 or 2.
    """
    t0 = time.monotonic() if started_at is None else started_at
    if time_limit_s <= 0:
        raise ValueError(f"time limit must be positive, got {time_limit_s} s")
    if processes not in (1, 2):
        raise ValueError(f"processes must be 1 or 2, got {processes}")
    from delivery.routing import solver
    from delivery.routing.diagnose import precheck

    kept = precheck(problem).kept
    plan_split = split(problem, len(kept), time_limit_s,
                       warm_start=warm_start and initial_routes is None,
                       deterministic=deterministic, work_budget=work_budget)
    extra: dict[str, Any] = {"pipeline": "pyvrp+ortools" if plan_split.warm_s else "ortools"}
    cold = cold_share(problem)
    if warm_start and initial_routes is None and cold >= COLD_SKIP_SHARE:
        extra["warm_start"] = (f"skipped: {cold:.0%} of the stops under a "
                               "time-in-van limit PyVRP cannot express")
    routes = initial_routes
    if plan_split.warm_s:
        from delivery.routing.warmstart import warm_start as pyvrp_warm_start

        budget = plan_split.warm_s - (time.monotonic() - t0)
        seeds = (seed, seed + 1)[:processes]
        ws = pyvrp_warm_start(problem, max(0.1, budget), seeds=seeds, processes=processes,
                              iterations=plan_split.warm_iterations, stops=kept)
        extra["warm_s"] = round(time.monotonic() - t0, 3)
        extra["warm_iterations"] = plan_split.warm_iterations
        if ws is None:
            extra["warm_start"] = "PyVRP returned no routes in time"
        else:
            routes = ws.routes
            extra["warm_stopped_by"] = ws.stopped_by
            extra["warm_seed"] = ws.seed
            extra["warm_feasible"] = ws.feasible
    plan = solver.solve(problem, time_limit_s=time_limit_s, seed=seed, initial_routes=routes,
                        deterministic=deterministic, started_at=t0,
                        work_budget=plan_split.or_tools_checks)
    for key, value in extra.items():
        plan.solver_stats.setdefault(key, value)
    return plan
