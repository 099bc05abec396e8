"""Warm start for the OR-Tools solver: solve a relaxation of the day with PyVRP, keep its routes.

PyVRP expresses capacities (one load dimension per compartment and unit), one time window per
stop, service times, shifts, fixed and per-distance costs, optional stops with prizes, and paired
pickup-and-delivery shipments, and reloads at the depot (PyVRP's reload depots, the depot's
service time being the longest reload time of its vans). It cannot express breaks, several windows per stop, the
time-in-van limit per temperature class, or the shared relay fridges, so those are relaxed:
breaks are ignored, several windows become their envelope, and the cold-chain and fridge limits
are dropped. The routes found are only a starting point: the OR-Tools model, which carries all
the real constraints, checks and improves them (``solve(initial_routes=...)``).

This module never imports Django nor OR-Tools.
"""

from __future__ import annotations

import dataclasses
import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from delivery.routing.plan import RELOAD
from delivery.routing.problem import HORIZON_S, UNREACHABLE, Compartment, Problem, StopKind

__all__ = ["Relaxation", "WarmStart", "relax", "solve_relaxation", "warm_start"]

#: Seconds a PyVRP run stops before its deadline, for building the result and exiting.
STOP_MARGIN_S = 0.15

#: Costs are multiplied by this in PyVRP so that cents per kilometre stay integers per metre.
COST_SCALE = 1000


@dataclass(frozen=True)
class WarmStart:
    """Routes of the relaxed problem, ready for ``solve(initial_routes=...)``.

    Attributes
    ----------
    routes : dict[str, list[str]]
        Stop ids in visiting order per vehicle id (vehicles left idle are absent).
    cost : int
        PyVRP objective of the relaxation, in PyVRP's integer units (costs times
        :data:`COST_SCALE`, divided by their common divisor): only for comparing runs.
    feasible : bool
        Whether PyVRP found the routes feasible for the relaxation.
    seed : int
        The PyVRP seed that produced them.
    seeds_returned : tuple of int
        From :func:`warm_start`: the seeds whose runs came back within the budget (feasible
        or not), among which this one was the cheapest feasible.
    iterations : int
        PyVRP iterations run.
    stopped_by : str
        ``"iterations"`` when the deterministic iteration budget ended the run, ``"time"``
        when the wall clock did.
    """

    routes: dict[str, list[str]]
    cost: int
    feasible: bool
    seed: int
    seeds_returned: tuple[int, ...] = ()
    iterations: int = 0
    stopped_by: str = "time"


@dataclass(frozen=True, eq=False)
class Relaxation:
    """Plain, picklable description of the relaxed problem (sent to worker processes).

    Matrix indices are those of :meth:`Problem.locations`: depots first, then stops.
    """

    coords: np.ndarray  # (n, 2) lon, lat
    distances: np.ndarray  # (n, n) int64 metres
    durations: np.ndarray  # (n, n) int64 seconds
    depot_windows: list[tuple[int, int]]
    #: Single stops: (location, delivery dims, pickup dims, service, early, late, prize | None)
    clients: list[tuple[int, list[int], list[int], int, int, int, int | None]]
    #: Pairs: (pickup loc, delivery loc, amount dims, (p early, p late, p service),
    #: (d early, d late, d service), prize | None)
    shipments: list[tuple[int, int, list[int], tuple[int, int, int], tuple[int, int, int], int | None]]
    #: Vehicle groups: (vehicle ids, depot index, capacity dims, early, late, fixed, per m, per s)
    vehicle_groups: list[tuple[list[str], int, list[int], int, int, int, int, int]]
    stop_ids: list[str]  # by location index minus number of depots
    #: Per vehicle group: (max reloads at its depot, seconds per reload)
    group_reloads: list[tuple[int, int]] = dataclasses.field(default_factory=list)


def _dims(load) -> list[int]:
    return [q for c in Compartment for q in (load.get(c).mass_g, load.get(c).volume_ml)]


def _envelope(windows, opening) -> tuple[int, int]:
    """Return one window covering every allowed start time (relaxation of several windows)."""
    spans = [(w.start_s, w.end_s) for w in windows] or [(0, HORIZON_S)]
    if opening:
        cut = [(max(a, o.start_s), min(b, o.end_s)) for a, b in spans for o in opening]
        spans = [(a, b) for a, b in cut if a <= b] or [(0, 0)]
    return min(a for a, _ in spans), max(b for _, b in spans)


def relax(problem: Problem, stops: Sequence[int] | None = None) -> Relaxation:
    """Build the PyVRP-expressible relaxation of ``problem``.

    ``stops`` restricts it to those stop indices (both sides of a shipment, or neither),
    e.g. the stops :func:`~delivery.routing.diagnose.precheck` kept; default all.

    Raises
    ------
    ValueError
        If a shipment does not have exactly one pickup and one delivery, or a vehicle names
        an unknown depot.
    """
    depots = {d.id: i for i, d in enumerate(problem.depots)}
    relays = {r.id: r.opening for r in problem.relays}
    offset = len(problem.depots)
    used = [
        any(_dims(s.load)[k] for s in problem.stops) for k in range(2 * len(Compartment))
    ]
    keep = [k for k, u in enumerate(used) if u]

    def dims(load) -> list[int]:
        full = _dims(load)
        return [full[k] for k in keep]

    def prize(stop) -> int | None:
        return None if stop.penalty_c is None else stop.penalty_c * COST_SCALE

    clients: list = []
    shipments: list = []
    sides: dict[str, dict[StopKind, tuple]] = {}
    chosen = range(len(problem.stops)) if stops is None else sorted(stops)
    for i in chosen:
        stop = problem.stops[i]
        opening = relays.get(stop.relay_id, ()) if stop.relay_id is not None else ()
        early, late = _envelope(stop.windows, opening)
        if stop.shipment_id is not None:
            sides.setdefault(stop.shipment_id, {})[stop.kind] = (offset + i, stop, early, late)
            continue
        delivery = dims(stop.load) if stop.kind is StopKind.DELIVERY else [0] * len(keep)
        pickup = dims(stop.load) if stop.kind is StopKind.PICKUP else [0] * len(keep)
        clients.append((offset + i, delivery, pickup, stop.service_s, early, late, prize(stop)))
    for shipment_id, side in sides.items():
        if set(side) != {StopKind.PICKUP, StopKind.DELIVERY}:
            raise ValueError(f"shipment {shipment_id!r} needs exactly one pickup and one delivery")
        p_loc, p, p_early, p_late = side[StopKind.PICKUP]
        d_loc, d, d_early, d_late = side[StopKind.DELIVERY]
        penalty = None if p.penalty_c is None and d.penalty_c is None else prize(p) or prize(d)
        shipments.append((
            p_loc, d_loc, dims(p.load), (p_early, p_late, p.service_s),
            (d_early, d_late, d.service_s), penalty,
        ))
    groups: dict[tuple, list[str]] = {}
    for v in problem.vehicles:
        if v.depot_id not in depots:
            raise ValueError(f"vehicle {v.id!r} names unknown depot {v.depot_id!r}")
        window = problem.depots[depots[v.depot_id]].window
        early, late = max(v.shift.start_s, window.start_s), min(v.shift.end_s, window.end_s)
        key = (
            depots[v.depot_id], tuple(dims(v.capacity)), early, max(early, late),
            v.fixed_cost_c * COST_SCALE, v.cost_per_km_c, round(v.cost_per_hour_c * COST_SCALE / 3600),
            v.max_reloads, v.reload_s,
        )
        groups.setdefault(key, []).append(v.id)
    return Relaxation(
        coords=np.array(problem.locations(), dtype=float).reshape(-1, 2),
        distances=np.asarray(problem.distances_m, dtype=np.int64),
        durations=np.asarray(problem.durations_s, dtype=np.int64),
        depot_windows=[(d.window.start_s, d.window.end_s) for d in problem.depots],
        clients=clients,
        shipments=shipments,
        vehicle_groups=[(ids, k[0], list(k[1]), *k[2:7]) for k, ids in groups.items()],
        stop_ids=[s.id for s in problem.stops],
        group_reloads=[(k[7], k[8]) for k in groups],
    )


def _cost_divisor(r: Relaxation) -> int:
    """Greatest common divisor of every cost coefficient, so PyVRP sees the smallest integers.

    PyVRP caps its infeasibility penalties per unit of excess; oversized cost coefficients
    would make time warp look cheap next to a vehicle's fixed cost.
    """
    coefficients = [g[5] for g in r.vehicle_groups] + [g[6] for g in r.vehicle_groups]
    coefficients += [g[7] for g in r.vehicle_groups]
    coefficients += [c[6] for c in r.clients if c[6]] + [s[5] for s in r.shipments if s[5]]
    return math.gcd(*coefficients) or 1


def _time_factor(r: Relaxation) -> int:
    """Integer factor that puts durations on the scale of distances, for PyVRP only.

    PyVRP's neighbourhood adds waiting time to distance when ranking neighbours, and its
    penalties adapt per unit of time warp: both work best when a unit of duration weighs
    about a unit of distance (seconds against metres do not). Multiplying every time by an
    integer keeps feasibility exactly as it was.
    """
    finite = (r.durations > 0) & (r.durations < UNREACHABLE) & (r.distances < UNREACHABLE)
    if not finite.any():
        return 1
    ratio = float(r.distances[finite].sum()) / float(r.durations[finite].sum())
    return int(max(1, min(1000, round(ratio))))


def _pyvrp_data(r: Relaxation):
    from pyvrp import Client, Depot, Location, ProblemData, Shipment, VehicleType

    g, k = _cost_divisor(r), _time_factor(r)

    def opt(p):
        return dict(prize=(p or 0) // g, required=p is None)

    clients = [
        Client(location=loc, delivery=dlv, pickup=pck, service_duration=svc * k, tw_early=e * k,
               tw_late=lt * k, **opt(p))
        for loc, dlv, pck, svc, e, lt, p in r.clients
    ]
    shipments = [
        Shipment(
            pickup_location=pl, delivery_location=dl, amount=amount,
            pickup_tw_early=pw[0] * k, pickup_tw_late=pw[1] * k, pickup_service_duration=pw[2] * k,
            delivery_tw_early=dw[0] * k, delivery_tw_late=dw[1] * k,
            delivery_service_duration=dw[2] * k, **opt(p),
        )
        for pl, dl, amount, pw, dw, p in r.shipments
    ]
    reloads = r.group_reloads or [(0, 0)] * len(r.vehicle_groups)
    vehicle_types = [
        VehicleType(
            num_available=len(ids), capacity=cap, start_depot=depot, end_depot=depot,
            fixed_cost=fixed // g, tw_early=early * k, tw_late=late * k,
            unit_distance_cost=per_m // g, unit_duration_cost=round(per_s / g / k),
            reload_depots=[depot] if n_reloads else [], max_reloads=n_reloads,
        )
        for (ids, depot, cap, early, late, fixed, per_m, per_s), (n_reloads, _) in zip(
            r.vehicle_groups, reloads, strict=True)
    ]
    reload_s = [0] * len(r.depot_windows)  # PyVRP's reload time belongs to the depot
    for group, (n_reloads, seconds) in zip(r.vehicle_groups, reloads, strict=True):
        if n_reloads:
            reload_s[group[1]] = max(reload_s[group[1]], seconds)
    return ProblemData(
        locations=[Location(x=float(x), y=float(y)) for x, y in r.coords],
        clients=clients,
        depots=[Depot(location=i, tw_early=a * k, tw_late=b * k, service_duration=reload_s[i] * k)
                for i, (a, b) in enumerate(r.depot_windows)],
        vehicle_types=vehicle_types,
        distance_matrices=[r.distances],  # type: ignore[list-item]
        duration_matrices=[r.durations * k],  # type: ignore[list-item]
        shipments=shipments,
    )


def solve_relaxation(
    relaxation: Relaxation, deadline: float, seed: int = 1, iterations: int | None = None
) -> WarmStart | None:
    """Run PyVRP on ``relaxation`` until the wall-clock ``deadline`` (``time.time()`` seconds).

    With ``iterations``, the run also stops after that many PyVRP iterations: the same
    relaxation, seed and budget then give the same routes, unless the deadline (a safety
    cap) comes first; :attr:`WarmStart.stopped_by` says which.

    Returns
    -------
    WarmStart or None
        The best routes found, or None when there was no time left or nothing to route.
    """
    from pyvrp import solve

    if not relaxation.clients and not relaxation.shipments:
        return None
    data = _pyvrp_data(relaxation)
    stop_at = deadline - STOP_MARGIN_S
    if stop_at - time.time() <= 0.05:
        return None

    done, stopped_by = [0], ["time"]

    def stop(best_cost: float) -> bool:  # called once per iteration; wall clock counts set-up
        if iterations is not None and done[0] >= iterations:
            stopped_by[0] = "iterations"
            return True
        done[0] += 1
        return time.time() >= stop_at

    best = solve(data, stop=stop, seed=seed, collect_stats=False, display=False).best
    offset = len(relaxation.depot_windows)
    spare = [list(ids) for ids, *_ in relaxation.vehicle_groups]
    routes: dict[str, list[str]] = {}
    clients, shipments = data.clients(), data.shipments()  # each call copies the whole list
    for route in best.routes():
        visits: list[str] = []
        for act in route:
            if act.is_depot():
                if visits and visits[-1] != RELOAD:  # a reload (start and end are skipped)
                    visits.append(RELOAD)
                continue
            if act.is_client():
                loc = clients[act.idx].location
            elif act.is_pickup():
                loc = shipments[act.idx].pickup.location
            elif act.is_delivery():
                loc = shipments[act.idx].delivery.location
            else:
                continue
            visits.append(relaxation.stop_ids[loc - offset])
        while visits and visits[-1] == RELOAD:
            visits.pop()
        if visits:
            routes[spare[route.vehicle_type()].pop(0)] = visits
    cost = int(best.distance_cost() + best.duration_cost() + best.fixed_vehicle_cost() + best.uncollected_prizes())
    return WarmStart(routes=routes, cost=cost, feasible=best.is_feasible(), seed=seed,
                     iterations=done[0] - 1 if stopped_by[0] == "time" else done[0],
                     stopped_by=stopped_by[0])


def warm_start(
    problem: Problem,
    time_limit_s: float,
    *,
    seeds: tuple[int, ...] = (1,),
    processes: int = 1,
    iterations: int | None = None,
    stops: Sequence[int] | None = None,
) -> WarmStart | None:
    """Solve the relaxation of ``problem`` with PyVRP and return its best feasible routes.

    Parameters
    ----------
    problem : Problem
        The full problem; it is relaxed with :func:`relax`.
    time_limit_s : float
        Wall-clock budget in seconds, worker start-up included.
    seeds : tuple of int
        One PyVRP run per seed; the cheapest feasible result wins.
    processes : int
        Runs at the same time. Above 1, extra seeds run in worker processes
        (``python -m delivery.routing.warmstart IN OUT``) while the first runs here, so two seeds on
        two cores cost the time of one. With 1, only the first seed runs, with the whole budget.
    iterations : int, optional
        PyVRP iterations per run (a deterministic budget); the wall clock stays a safety cap.
    stops : sequence of int, optional
        Stop indices to route (see :func:`relax`); default all.

    Returns
    -------
    WarmStart or None
        The cheapest routes feasible for the relaxation; when no run found any (say the vans
        cannot serve every mandatory stop), the cheapest infeasible ones, with ``feasible``
        False: OR-Tools then takes out what breaks a constraint. None when no run returned.
    """
    deadline = time.time() + time_limit_s
    relaxation = relax(problem, stops)
    results: list[WarmStart] = []
    with tempfile.TemporaryDirectory(prefix="warmstart-") as tmp:
        workers = [_start_worker(relaxation, deadline, seed, iterations, Path(tmp))
                   for seed in seeds[1:processes]]
        try:
            own = solve_relaxation(relaxation, deadline, seeds[0], iterations)
            if own is not None:
                results.append(own)
            for worker, out in workers:
                found = _collect_worker(worker, out, deadline)
                if found is not None:
                    results.append(found)
        finally:
            for worker, _ in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
    feasible = [r for r in results if r.feasible] or [r for r in results if r.routes]
    if not feasible:
        return None
    best = min(feasible, key=lambda r: (r.cost, r.seed))
    return replace(best, seeds_returned=tuple(sorted(r.seed for r in results)))


def _start_worker(
    relaxation: Relaxation, deadline: float, seed: int, iterations: int | None, tmp: Path
) -> tuple[subprocess.Popen, Path]:
    inp, out = tmp / f"in-{seed}.pickle", tmp / f"out-{seed}.pickle"
    # The deadline travels on the system-wide monotonic clock: a test that shifts this process's
    # wall clock (time-machine) must not hand the worker a deadline weeks away.
    inp.write_bytes(pickle.dumps((relaxation, time.monotonic() + (deadline - time.time()), seed, iterations)))
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "delivery.routing.warmstart", str(inp), str(out)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    return proc, out


def _collect_worker(proc: subprocess.Popen, out: Path, deadline: float) -> WarmStart | None:
    try:
        proc.wait(timeout=max(0.1, deadline - time.time() + STOP_MARGIN_S))
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0 or not out.exists():
        return None
    found = pickle.loads(out.read_bytes())
    return found if isinstance(found, WarmStart) else None


def _worker_main(inp: str, out: str) -> None:
    """Entry point of a worker process: pickled arguments in ``inp``, result written to ``out``."""
    relaxation, monotonic_deadline, seed, iterations = pickle.loads(Path(inp).read_bytes())
    deadline = time.time() + (monotonic_deadline - time.monotonic())
    Path(out).write_bytes(pickle.dumps(solve_relaxation(relaxation, deadline, seed, iterations)))


if __name__ == "__main__":
    # Run through the imported module so pickled classes carry their real module path.
    from delivery.routing import warmstart

    warmstart._worker_main(*sys.argv[1:3])
