"""Solve time and quality of our planner as a Mormal day grows: 50, 100, 200 and 400 stops.

    python benchmarks/scaling.py [--sizes 50 100 200 400] [--time-limit S] [--seed 1]

Each size is a generated Mormal day (straight-line travel) with one van per 50 stops (at
least 2). Our planner solves the full problem (cold chain, relay fridges) within a time limit
that grows with the size (10/20/40/60 s unless --time-limit is given); VROOM solves the
relaxed problem (no time-in-van, no fridge limit) with the same limit as the peer in the same
run. Every solution is re-evaluated identically (see benchmarks/mormal_day.py).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.mormal_day import evaluate, relaxed, solve_ours, solve_vroom  # noqa: E402
from delivery.scenarios.mormal_day import mormal_day  # noqa: E402

DEFAULT_LIMITS = {50: 10.0, 100: 20.0, 200: 40.0, 400: 60.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rows = []
    for size in args.sizes:
        vans = max(2, math.ceil(size / 50))
        limit = args.time_limit or DEFAULT_LIMITS.get(size, size / 5)
        model = mormal_day(stops=size, vans=vans, seed=args.seed)
        started = time.perf_counter()
        problem = model.problem()
        matrix_s = time.perf_counter() - started
        limits = dict(problem.max_in_van_s)
        ours, _ = solve_ours("ours", model, limit, args.seed)
        relaxed_problem = relaxed(mormal_day(stops=size, vans=vans, seed=args.seed)).problem()
        peer = solve_vroom(relaxed_problem, limit)
        rows.append((size, vans, limit, matrix_s, ours, evaluate(problem, ours, limits), peer,
                     evaluate(problem, peer, limits)))

    print(f"\nScaling of the planner on generated Mormal days ({os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the end); costs in €\n")
    print("| stops | vans | limit s | ours 1st sol. s | ours wall s | ours cost | ours km | ours unassigned "
          "| ours cold viol. | VROOM wall s | VROOM cost (relaxed) | VROOM unassigned | VROOM cold viol. |")
    print("|------:|-----:|--------:|----------------:|------------:|----------:|--------:|----------------:"
          "|----------------:|-------------:|---------------------:|-----------------:|-----------------:|")
    for size, vans, limit, _, ours, e_ours, peer, e_peer in rows:
        first = ours.stats.get("first_phase_s")
        first_s = f"{first:>15.1f}" if isinstance(first, int | float) else f"{'-':>15}"
        print(f"| {size:>5} | {vans:>4} | {limit:>7.0f} | {first_s} | {ours.seconds:>11.1f} | {e_ours['cost_c'] / 100:>9.2f} "
              f"| {e_ours['km']:>7.1f} | {ours.unassigned:>15} | {e_ours['violations']:>15} "
              f"| {peer.seconds:>12.1f} | {e_peer['cost_c'] / 100:>20.2f} | {peer.unassigned:>16} "
              f"| {e_peer['violations']:>16} |")
    for size, _, _, _, ours, *_ in rows:
        print(f"{size} stops, ours unassigned by reason: {ours.stats.get('reasons', {})}")
    print("\nUnassigned stops carry no cost in these columns: compare costs only at equal unassigned "
          "counts. Ours respects the cold chain (violations must be 0); VROOM cannot express it.")


if __name__ == "__main__":
    main()
