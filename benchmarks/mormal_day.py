"""A generated "Mormal day" (~150 stops): our planner against VROOM, same matrices, same run.

    python benchmarks/mormal_day.py [--stops 150] [--vans 3] [--time-limit 30] [--seed 1]
                                    [--reloads 3] [--graph mormal.graphml]

VROOM (pyvroom) cannot express the hard time-in-van limit of chilled/frozen goods, nor the
shared fridge of a relay point, so it gets the RELAXED problem: same stops, windows (relay
opening included), compartments, shipments, shifts, breaks and costs, without those two
constraints. Our planner is run on the full problem and on the same relaxed problem, each
time twice: the whole pipeline (PyVRP warm start, then OR-Tools: what the product runs) and
OR-Tools alone (``solve(warm_start=False)``), side by side in the same run.
Every solution is then re-evaluated the same way (cost = fixed + per km + per hour between
leaving and returning to the depot, as ``Route.cost_c``) and its cold-chain violations are
counted against the real limits. Without ``--graph`` travel is the straight-line estimate.

Then the reload rows: the seed's single van without and with ``--reloads`` returns to the
depot cold room (20 min each), and the fleet with them, all on the full problem; time in the
van counts from the departure of each loop. Each stop the fleet with reloads leaves out is
then planned alone (its shipment partner with it) with the same fleet: a unit no van can
serve even alone is truly infeasible, the others were left out for lack of room.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delivery.routing.diagnose import effective_windows  # noqa: E402
from delivery.routing.problem import Compartment, Problem, StopKind  # noqa: E402
from delivery.scenarios.mormal_day import mormal_day  # noqa: E402

DIMS = [(c, m) for c in Compartment for m in ("mass_g", "volume_ml")]


@dataclasses.dataclass
class Outcome:
    """One solution in common terms: per van (id, start_s, end_s, [(stop index, start_s)],
    [(visits before a reload, departure after it)])."""

    name: str
    routes: list[tuple[str, int, int, list[tuple[int, int]], list[tuple[int, int]]]]
    unassigned: int
    seconds: float
    stats: dict = dataclasses.field(default_factory=dict)


def amount(load):
    return [int(getattr(load.get(c), m)) for c, m in DIMS]


def relaxed(model):
    """The same day without time-in-van limits and with bottomless relay fridges."""
    model.max_in_van_s.clear()
    model.relays[:] = [dataclasses.replace(r, fridge_volume_ml=10**12) for r in model.relays]
    return model


def solve_ours(name, model, limit, seed, warm=True) -> tuple[Outcome, Problem]:
    problem = model.problem()
    started = time.perf_counter()
    plan = model.solve(time_limit_s=limit, seed=seed, warm_start=warm)
    elapsed = time.perf_counter() - started
    index = {s.id: k for k, s in enumerate(problem.stops)}
    routes = [(r.vehicle_id, r.start_s, r.end_s, [(index[v.stop_id], v.start_s) for v in r.visits],
               [(x.after_visits, x.departure_s) for x in r.reloads]) for r in plan.routes]
    stats = dict(plan.solver_stats)
    stats["reasons"] = dict(sorted(Counter(u.reason.value for u in plan.unassigned).items()))
    stats["left_out"] = [u.stop_id for u in plan.unassigned]
    return Outcome(name, routes, len(plan.unassigned), elapsed, stats), problem


def solve_vroom(problem: Problem, limit: float) -> Outcome:
    import numpy as np
    import vroom

    nd = len(problem.depots)
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=np.array(problem.durations_s, np.uint32))
    inp.set_distances_matrix(profile="car", matrix_input=np.array(problem.distances_m, np.uint32))
    depot_of = {d.id: k for k, d in enumerate(problem.depots)}
    for k, v in enumerate(problem.vehicles):
        breaks = ([vroom.Break(k, time_windows=[vroom.TimeWindow(v.break_.window.start_s, v.break_.window.end_s)],
                               service=v.break_.duration_s)] if v.break_ else [])
        inp.add_vehicle(vroom.Vehicle(
            k, start=depot_of[v.depot_id], end=depot_of[v.depot_id], capacity=amount(v.capacity),
            time_window=vroom.TimeWindow(v.shift.start_s, v.shift.end_s), breaks=breaks,
            costs=vroom.VehicleCosts(fixed=v.fixed_cost_c, per_hour=v.cost_per_hour_c, per_km=v.cost_per_km_c)))

    def step(i):
        s = problem.stops[i]
        windows = [vroom.TimeWindow(w.start_s, w.end_s) for w in effective_windows(problem, s)]
        return dict(location=nd + i, default_service=s.service_s, time_windows=windows)

    pairs: dict[str, dict] = {}
    for i, s in enumerate(problem.stops):
        if s.shipment_id:
            pairs.setdefault(s.shipment_id, {})[s.kind] = i
        elif s.kind == StopKind.DELIVERY:
            inp.add_job(vroom.Job(i, delivery=vroom.Amount(amount(s.load)), **step(i)))
        else:
            inp.add_job(vroom.Job(i, pickup=vroom.Amount(amount(s.load)), **step(i)))
    for pair in pairs.values():
        p, d = pair[StopKind.PICKUP], pair[StopKind.DELIVERY]
        inp.add_shipment(vroom.ShipmentStep(p, **step(p)), vroom.ShipmentStep(d, **step(d)),
                         amount=vroom.Amount(amount(problem.stops[p].load)))
    started = time.perf_counter()
    sol = inp.solve(exploration_level=5, nb_threads=2, timeout=timedelta(seconds=limit))
    elapsed = time.perf_counter() - started
    df = sol.routes
    routes, served = [], 0
    for vid, rows in df.groupby("vehicle_id", sort=True):
        start = int(rows[rows["type"] == "start"]["arrival"].iloc[0])
        end = int(rows[rows["type"] == "end"]["arrival"].iloc[0])
        visits = [(int(r.id), int(r.arrival) + int(r.waiting_time))
                  for r in rows.itertuples() if r.type in ("job", "pickup", "delivery")]
        served += len(visits)
        routes.append((problem.vehicles[int(vid)].id, start, end, visits, []))
    return Outcome("VROOM 1.15 (pyvroom), relaxed problem", routes, len(problem.stops) - served, elapsed)


def evaluate(problem: Problem, out: Outcome, limits: dict) -> dict:
    """Cost, km, hours, vans and cold-chain violations of ``out`` under the real limits."""
    nd = len(problem.depots)
    vans = {v.id: v for v in problem.vehicles}
    depot_of = {d.id: k for k, d in enumerate(problem.depots)}
    cost = metres = seconds = violations = 0
    for vid, start, end, visits, reloads in out.routes:
        van = vans[vid]
        home = depot_of[van.depot_id]
        cut = dict(reloads)
        path = [home]
        for k, (i, _) in enumerate(visits):
            path += [home, nd + i] if k in cut else [nd + i]
        path.append(home)
        dist = sum(problem.distances_m[a][b] for a, b in zip(path[:-1], path[1:], strict=True))
        metres, seconds = metres + dist, seconds + (end - start)
        cost += van.fixed_cost_c + round(van.cost_per_km_c * dist / 1000) + round(van.cost_per_hour_c * (end - start) / 3600)
        started_at = {i: t for i, t in visits}
        for i, t in visits:
            s = problem.stops[i]
            used = [limits[c] for c in Compartment if c in limits and not s.load.get(c).is_zero()]
            if not used or s.kind != StopKind.DELIVERY:
                continue
            if s.shipment_id:
                p = next(k for k, x in enumerate(problem.stops)
                         if x.shipment_id == s.shipment_id and x.kind == StopKind.PICKUP)
                held = t + s.service_s - started_at[p]
            else:  # loaded at the depot when its loop left
                k = next(n for n, (j, _) in enumerate(visits) if j == i)
                left = max([start] + [dep for after, dep in reloads if after <= k])
                held = t + s.service_s - left
            violations += held > min(used)
    return dict(cost_c=cost, km=metres / 1000, hours=seconds / 3600, vans=len(out.routes),
                violations=violations)


def alone(model, stop_ids, limit: float, seed: int) -> tuple[int, list[str]]:
    """Serve each left-out unit (a stop, or both sides of a shipment) with nothing else.

    The unit keeps the fleet, its reloads, windows, shifts, breaks and time-in-van limits;
    only the other stops are gone. Returns (units, ids of the units no van can serve even
    alone): those are truly infeasible, the others were left out for lack of room.
    """
    from delivery.routing.pipeline import solve

    problem = model.problem()
    units: dict[str, list[int]] = {}
    for k, s in enumerate(problem.stops):
        if s.id in stop_ids:
            units.setdefault(s.shipment_id or s.id, []).append(k)
    impossible = []
    for key, idx in sorted(units.items()):
        if solve(problem.restricted(idx), time_limit_s=limit, seed=seed, warm_start=False).unassigned:
            impossible.append(key)
    return len(units), impossible


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=150)
    parser.add_argument("--vans", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reloads", type=int, default=3, help="reloads per van in the reload rows")
    parser.add_argument("--graph", help="road graph (.graphml/.osm/.osm.pbf) instead of straight lines")
    parser.add_argument("--rows", choices=("all", "reloads"), default="all",
                        help="'reloads': only the fleet with reloads and VROOM on the relaxed problem")
    args = parser.parse_args()
    travel = None
    if args.graph:
        from delivery.routing.network import RoadNetwork

        travel = RoadNetwork.from_file(args.graph)

    def day(vans=args.vans, reloads=0):
        return mormal_day(stops=args.stops, vans=vans, seed=args.seed, travel=travel, reloads=reloads)

    full = day()
    limits = dict(full.max_in_van_s)
    problem = full.problem()
    if args.rows == "reloads":
        vroom_relaxed = solve_vroom(relaxed(day()).problem(), args.time_limit)
        rows: tuple[Outcome, ...] = (vroom_relaxed,)
    else:
        ours_full, _ = solve_ours("ours (pipeline), full problem", full, args.time_limit, args.seed)
        alone_full, _ = solve_ours("OR-Tools alone, full problem", day(), args.time_limit, args.seed,
                                   warm=False)
        ours_relaxed, relaxed_problem = solve_ours("ours (pipeline), relaxed problem", relaxed(day()),
                                                   args.time_limit, args.seed)
        alone_relaxed, _ = solve_ours("OR-Tools alone, relaxed problem", relaxed(day()),
                                      args.time_limit, args.seed, warm=False)
        vroom_relaxed = solve_vroom(relaxed_problem, args.time_limit)
        one_van, _ = solve_ours("1 van, no reload (pipeline)", day(1), args.time_limit, args.seed)
        one_van_reloads, _ = solve_ours(f"1 van, up to {args.reloads} reloads (pipeline)",
                                        day(1, args.reloads), args.time_limit, args.seed)
        rows = (ours_full, alone_full, ours_relaxed, alone_relaxed, vroom_relaxed, one_van, one_van_reloads)
    fleet_model = day(reloads=args.reloads)
    fleet_reloads, _ = solve_ours(f"{args.vans} vans, up to {args.reloads} reloads (pipeline)",
                                  fleet_model, args.time_limit, args.seed)
    left_out = fleet_reloads.stats["left_out"]
    n_units, impossible = alone(fleet_model, set(left_out), 1.0, args.seed)

    cold = sum(1 for s in problem.stops if s.kind == StopKind.DELIVERY
               and not (s.load.chilled.is_zero() and s.load.frozen.is_zero()))
    print(f"\nMormal day: {len(problem.stops)} stops ({sum(1 for s in problem.stops if s.shipment_id) // 2} "
          f"pickup-delivery pairs, {cold} cold deliveries), {len(problem.vehicles)} vans, seed {args.seed}, "
          f"time limit {args.time_limit:g} s each, {os.cpu_count()} cores")
    print(f"Travel: {problem.travel_label}; limits chilled {limits[Compartment.CHILLED] // 60} min, "
          f"frozen {limits[Compartment.FROZEN] // 60} min\n")
    print(f"| {'solver':<42} | {'served':>6} | {'cost €':>9} | {'km':>7} | {'van-hours':>9} | {'vans':>4} | "
          f"{'loops':>5} | {'unassigned':>10} | {'cold-chain violations':>21} | {'stops/van-h':>11} | {'wall s':>6} |")
    print(f"|{'-' * 44}|{'-' * 8}|{'-' * 11}|{'-' * 9}|{'-' * 11}|{'-' * 6}|{'-' * 7}|{'-' * 12}|{'-' * 23}|"
          f"{'-' * 13}|{'-' * 8}|")
    rows = (*rows, fleet_reloads)
    for out in rows:
        e = evaluate(problem, out, limits)
        served = len(problem.stops) - out.unassigned
        loops = sum(len(r[4]) + 1 for r in out.routes)
        per_hour = served / e["hours"] if e["hours"] else 0.0
        print(f"| {out.name:<42} | {served:>6} | {e['cost_c'] / 100:9.2f} | {e['km']:7.1f} | {e['hours']:9.2f} | "
              f"{e['vans']:>4} | {loops:>5} | {out.unassigned:>10} | {e['violations']:>21} | {per_hour:11.2f} | "
              f"{out.seconds:6.1f} |")
    for out in rows:
        if out is not vroom_relaxed:
            print(f"{out.name}: unassigned by reason {out.stats['reasons']}; "
                  f"put back: {out.stats.get('reinserted_first', 0)} before the search, {out.stats.get('reinserted', 0)} after "
                  f"({out.stats.get('made_room', 0)} by making room); "
                  f"search stopped by {out.stats.get('stopped_by')}; "
                  f"warm start: {out.stats.get('warm_start', 'off')}")
    print(f"\n{fleet_reloads.name}: {len(left_out)} stop(s) left out in {n_units} unit(s) "
          f"({', '.join(left_out) or 'none'}); served alone by the same fleet with reloads "
          f"(1 s each): {n_units - len(impossible)} could be, {len(impossible)} could not"
          f"{' (' + ', '.join(impossible) + ')' if impossible else ''}")
    print("\nCosts are re-evaluated identically for all rows; unassigned stops carry no cost here, so "
          "compare cost only between rows with equal unassigned counts. The 1-van rows keep van-1's "
          "shift (07:00-17:00).")


if __name__ == "__main__":
    main()
