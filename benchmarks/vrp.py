"""Gap to best-known solutions on public VRP instances: this planner vs PyVRP vs VROOM.

Usage (from the repository root):
    python benchmarks/vrp.py [--time-limit 30] [--family solomon lilim x] [--instances C101 lr101]
                             [--solvers planner pyvrp vroom] [--jsonl /tmp/vrp.jsonl]

Instances are read from delivery/bench/public_instances (see SOURCES.md there). Every solver gets the
same instance in the same integers (travel times rounded up, distances x1000 rounded; TSPLIB
round(euclid) for X; PyVRP gets times multiplied by an integer so that they are in the unit of
distances, which it needs), the same fleet bound and the same time limit, one after the other:
- planner: ``python -m delivery.bench solve`` in a subprocess (start-up included), which uses
  2 cores (PyVRP warm start on two seeds, then OR-Tools);
- PyVRP 0.14: ``pyvrp.solve`` with ``MaxRuntime(T)``, one core (it is single-threaded);
- VROOM 1.15 (pyvroom): exploration level 5, 2 threads, timeout T;
- ortools (on request): the planner without its warm start, i.e. the OR-Tools model alone.
Every answer is re-checked by the project's exact checker (double-precision times).

Conventions: Solomon and X are ranked on distance only (CVRPLIB BKS); Li & Lim vehicles first
(SINTEF BKS), so there every solver pays a fixed cost of 10 000 distance units per vehicle.
Gap = 100 * (distance - BKS distance) / BKS distance, where the BKS distance is the exact length
of the BKS routes (Solomon, Li & Lim) or the CVRPLIB cost (X); vehicles shown beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from delivery.bench.check import check_routes  # noqa: E402
from delivery.bench.instances import PUBLIC_INSTANCES, Instance, read_instance  # noqa: E402
from delivery.bench.solutions import read_solution  # noqa: E402
from delivery.bench.translate import (  # noqa: E402
    Objective,
    default_objective,
    scale,
    vehicle_cost,
)

#: family -> (format, instance suffix, BKS suffix)
FAMILIES = {
    "solomon": ("solomon", ".txt", ".sol"),
    "lilim": ("lilim", ".txt", ".sintef.sol"),
    "x": ("cvrplib", ".vrp", ".sol"),
}
SOLVERS = ("planner", "pyvrp", "vroom", "ortools")


def run_planner(path: Path, fmt: str, limit: float, *extra: str) -> list[list[int]]:
    out = subprocess.run(
        [sys.executable, "-m", "delivery.bench", "solve", str(path), "--format", fmt,
         "--time-limit", str(limit), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=limit * 3 + 30,
    )
    if not out.stdout.strip():
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "no output")
    return json.loads(out.stdout)["routes"]


def run_pyvrp(inst: Instance, limit: float) -> list[list[int]]:
    from pyvrp import Client, Depot, Location, ProblemData, Shipment, VehicleType, solve
    from pyvrp.stop import MaxRuntime

    s = scale(inst)
    # Times in the same unit as distances, as PyVRP expects (an integer factor: exact).
    k = max(1, round(s.distance_scale / s.time_scale))
    w = [(a.start_s * k, a.end_s * k) for a in s.windows]
    svc = [x * k for x in s.service]
    paired = {i for pair in inst.pairs for i in pair}
    clients = [Client(location=i, delivery=[int(inst.demand[i])], service_duration=svc[i],
                      tw_early=w[i][0], tw_late=w[i][1])
               for i in range(1, inst.size) if i not in paired]
    ships = [Shipment(pickup_location=p, delivery_location=d, amount=[int(inst.demand[p])],
                      pickup_tw_early=w[p][0], pickup_tw_late=w[p][1],
                      pickup_service_duration=svc[p], delivery_tw_early=w[d][0],
                      delivery_tw_late=w[d][1], delivery_service_duration=svc[d])
             for p, d in inst.pairs]
    fixed = vehicle_cost(s) if default_objective(inst) is Objective.VEHICLES_FIRST else 0
    data = ProblemData(
        locations=[Location(x=float(x), y=float(y)) for x, y in inst.xy], clients=clients,
        depots=[Depot(location=0, tw_early=w[0][0], tw_late=w[0][1])],
        vehicle_types=[VehicleType(num_available=inst.fleet_size(), capacity=[inst.capacity],
                                   fixed_cost=fixed, tw_early=w[0][0], tw_late=w[0][1])],
        distance_matrices=[s.distances], duration_matrices=[s.durations * k], shipments=ships,
    )
    best = solve(data, stop=MaxRuntime(limit), seed=1, collect_stats=False, display=False).best
    routes = []
    for route in best.routes():
        nodes = []
        for act in route:
            if act.is_client():
                nodes.append(clients[act.idx].location)
            elif act.is_pickup():
                nodes.append(ships[act.idx].pickup.location)
            elif act.is_delivery():
                nodes.append(ships[act.idx].delivery.location)
        routes.append([inst.labels[n] for n in nodes])
    return routes


def run_vroom(inst: Instance, limit: float) -> list[list[int]]:
    import vroom

    s = scale(inst)
    w, svc = s.windows, s.service
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=s.durations.astype(np.uint32))
    inp.set_costs_matrix(profile="car", matrix_input=s.distances.astype(np.uint32))
    fixed = vehicle_cost(s) if default_objective(inst) is Objective.VEHICLES_FIRST else 0
    for k in range(inst.fleet_size()):
        inp.add_vehicle(vroom.Vehicle(k, start=0, end=0, capacity=[inst.capacity],
                                      time_window=vroom.TimeWindow(w[0].start_s, w[0].end_s),
                                      costs=vroom.VehicleCosts(fixed=fixed)))

    def step(i: int) -> dict:
        return dict(location=i, default_service=svc[i],
                    time_windows=[vroom.TimeWindow(w[i].start_s, w[i].end_s)])

    if inst.pairs:
        for p, d in inst.pairs:
            inp.add_shipment(vroom.ShipmentStep(p, **step(p)), vroom.ShipmentStep(d, **step(d)),
                             amount=vroom.Amount([int(inst.demand[p])]))
    else:
        inp.add_job([vroom.Job(i, delivery=vroom.Amount([int(inst.demand[i])]), **step(i))
                     for i in range(1, inst.size)])
    sol = inp.solve(exploration_level=5, nb_threads=2, timeout=timedelta(seconds=limit))
    df = sol.routes
    df = df[df["type"].isin(["job", "pickup", "delivery"])]
    return [[inst.labels[int(i)] for i in g["id"]] for _, g in df.groupby("vehicle_id", sort=False)]


def cpu_seconds() -> float:
    """CPU time of this process (all threads) plus its waited-for children (s)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def cell(row: dict) -> str:
    if row.get("error"):
        return f"ERROR {row['error'][:30]}"
    text = f"{row['vehicles']} / {row['distance']:.2f} / {row['gap']:+.2f}% ({row['cpu_s']:.0f})"
    return text if row["feasible"] else f"INFEASIBLE ({text})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--family", nargs="*", choices=list(FAMILIES), default=list(FAMILIES))
    ap.add_argument("--instances", nargs="*", help="instance names (default: all of the families)")
    ap.add_argument("--solvers", nargs="*", choices=SOLVERS, default=list(SOLVERS[:3]))
    ap.add_argument("--root", type=Path, default=PUBLIC_INSTANCES)
    ap.add_argument("--jsonl", type=Path, help="also append one JSON row per run here")
    args = ap.parse_args()
    T = args.time_limit
    rows: list[dict] = []
    print(f"# VRP benchmark, time limit {T:g} s per solver and instance\n", flush=True)
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start.\n")
    for family in args.family:
        fmt, suffix, bks_suffix = FAMILIES[family]
        files = sorted((args.root / family).glob(f"*{suffix}"))
        if args.instances:
            files = [f for f in files if f.name[: -len(suffix)] in args.instances]
        if not files:
            continue
        print(f"## {family} ({'vehicles first' if family == 'lilim' else 'distance only'})\n")
        print("| instance | BKS veh / dist | " + " | ".join(f"{s} veh / dist / gap" for s in args.solvers) + " |")
        print("|---|---|" + "---|" * len(args.solvers), flush=True)
        for path in files:
            name = path.name[: -len(suffix)]
            inst = read_instance(path, fmt)
            bks = check_routes(inst, read_solution(path.with_name(name + bks_suffix)).routes)
            cells = []
            for solver in args.solvers:
                t = time.monotonic()
                cpu = cpu_seconds()
                row = dict(family=family, instance=name, solver=solver, time_limit=T,
                           bks_distance=bks.distance, bks_vehicles=bks.vehicles)
                try:
                    if solver == "planner":
                        routes = run_planner(path, fmt, T)
                    elif solver == "ortools":
                        routes = run_planner(path, fmt, T, "--no-warm-start")
                    elif solver == "pyvrp":
                        routes = run_pyvrp(inst, T)
                    else:
                        routes = run_vroom(inst, T)
                    c = check_routes(inst, routes, max_vehicles=inst.fleet_size())
                    row.update(feasible=c.feasible, errors=list(c.errors[:3]), distance=c.distance,
                               vehicles=c.vehicles, gap=round(100 * (c.distance - bks.distance) / bks.distance, 6) + 0.0)
                except Exception as exc:  # keep the benchmark going; the table shows it
                    row.update(feasible=False, error=repr(exc))
                row["wall_s"] = round(time.monotonic() - t, 2)
                row["cpu_s"] = round(cpu_seconds() - cpu, 1)
                rows.append(row)
                cells.append(cell(row))
                if args.jsonl:
                    with args.jsonl.open("a") as f:
                        f.write(json.dumps(row) + "\n")
            print(f"| {name} | {bks.vehicles} / {bks.distance:.2f} | " + " | ".join(cells) + " |", flush=True)
        print()
    print("## Mean gap per family (feasible runs only) and feasible / runs\n")
    print("| family | " + " | ".join(args.solvers) + " |")
    print("|---|" + "---|" * len(args.solvers))
    for family in args.family:
        out = []
        for solver in args.solvers:
            mine = [r for r in rows if r["family"] == family and r["solver"] == solver]
            if not mine:
                out.append("")
                continue
            ok = [r["gap"] for r in mine if r["feasible"]]
            mean = f"{statistics.fmean(ok):+.2f}%" if ok else "n/a"
            out.append(f"{mean} ({len(ok)}/{len(mine)} feasible)")
        if any(out):
            print(f"| {family} | " + " | ".join(out) + " |")
    print("\n## Time limit kept: worst wall time / time limit (start-up included)\n")
    print("| family | " + " | ".join(args.solvers) + " |")
    print("|---|" + "---|" * len(args.solvers))
    for family in args.family:
        out = []
        for solver in args.solvers:
            walls = [r["wall_s"] for r in rows if r["family"] == family and r["solver"] == solver]
            out.append(f"{max(walls) / T:.2f}" if walls else "")
        if any(out):
            print(f"| {family} | " + " | ".join(out) + " |")
    print("\nCell = vehicles / distance / gap to BKS distance (CPU seconds used). Distances: exact Euclidean (Solomon, "
          "Li & Lim), round(euclid) per arc (X). Solomon and X ranked on distance only, Li & Lim "
          "vehicles first (fixed cost 10 000 per vehicle for every solver). Planner: 2 cores "
          "(PyVRP warm start, then OR-Tools GLS); PyVRP: 1 core; VROOM: 2 threads.")
    print(f"Load average at the end: {os.getloadavg()[0]:.1f} (other jobs share the machine: "
          "CPU seconds show what each solver really got).")


if __name__ == "__main__":
    main()
