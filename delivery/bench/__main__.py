"""Command line: ``python -m delivery.bench solve FILE --format solomon|lilim|cvrplib --time-limit S``.

Prints ONE JSON object on stdout: ``{"routes": [[labels...], ...], "distance": float,
"vehicles": int}``. Routes use the customer numbers of the file's solution convention, depot
excluded; distance is exact Euclidean (Solomon, Li & Lim) or ``round(euclid)`` per arc
(CVRPLIB). Diagnostics go to stderr. Exit status: 0 feasible, 1 infeasible answer, 2 bad input.
"""

from __future__ import annotations

import time

_SEEN = time.monotonic()  # before the heavy imports: they count against the time limit

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def _process_age() -> float:
    """Seconds since this process started (interpreter start-up included), 0.2 if unknown."""
    try:
        with open("/proc/self/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.2


_STARTED = _SEEN - _process_age()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m delivery.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("solve", help="solve one instance file with the planner")
    p.add_argument("file")
    p.add_argument("--format", required=True, choices=["solomon", "lilim", "cvrplib"])
    p.add_argument("--time-limit", type=float, required=True, help="wall-clock seconds, start-up included")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--objective", choices=["distance", "vehicles-first"],
                   help="default: vehicles-first for lilim, distance otherwise")
    p.add_argument("--processes", type=int, default=2, choices=[1, 2])
    p.add_argument("--no-warm-start", action="store_true",
                   help="OR-Tools alone, without the PyVRP warm start (for comparison)")
    args = parser.parse_args(argv)

    from delivery.bench.instances import read_instance
    from delivery.bench.planner import solve_instance

    if args.time_limit <= 0:
        print("error: --time-limit must be positive", file=sys.stderr)
        return 2
    try:
        instance = read_instance(args.file, args.format)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = solve_instance(instance, args.time_limit, objective=args.objective, seed=args.seed,
                            processes=args.processes, started_at=_STARTED,
                            warm=not args.no_warm_start)
    print(json.dumps({"routes": result.routes, "distance": result.check.distance,
                      "vehicles": result.check.vehicles}))
    sys.stdout.flush()
    status = "feasible" if result.check.feasible else "INFEASIBLE: " + "; ".join(result.check.errors[:3])
    print(f"{instance.name}: {status}; source: {result.source}; {json.dumps(result.stats)}", file=sys.stderr)
    return 0 if result.check.feasible else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # the answer is out: skip the slow teardown of the solver libraries
