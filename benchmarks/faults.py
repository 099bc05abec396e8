"""Fault run: the load of ``load.py`` while PostgreSQL or Redis is stopped for 30 seconds.

    python benchmarks/faults.py [--target postgres|redis|both] [--shoppers 50] [--seconds 120]

The fault starts 30 s into the load and lasts ``--outage`` seconds. Afterwards the script
reports how long the app took to answer /sante/ again by itself, the errors during the
outage, and checks that no confirmed order was lost or duplicated.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.load import report, run_load, verify  # noqa: E402
from benchmarks.stack import Stack  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["postgres", "redis", "both"], default="both")
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--outage", type=float, default=30)
    args = parser.parse_args()
    targets = ["postgres", "redis"] if args.target == "both" else [args.target]
    all_good = True
    for target in targets:
        stack = Stack().start()
        recovery = {}

        def fault(run, stack=stack, target=target, recovery=recovery):
            time.sleep(30)
            getattr(stack, f"stop_{target}")()
            recovery["down_at"] = time.time()
            time.sleep(args.outage)
            getattr(stack, f"start_{target}")()
            recovery["up_at"] = time.time()
            recovery["healthy_after_s"] = stack.wait_healthy(120)

        try:
            run, elapsed = run_load(stack, args.shoppers, args.seconds, during=fault)
            after = [ok for t, ok in run.timeline if t > recovery.get("up_at", 0) + recovery.get("healthy_after_s", 0)]
            checks = verify(stack, run.confirmed)
            checks["healthy_after_restart_s"] = round(recovery.get("healthy_after_s", float("nan")), 1)
            checks["errors_during_outage"] = sum(1 for t, ok in run.timeline
                                                 if not ok and recovery.get("down_at", 0) <= t <= recovery.get("up_at", 0) + 5)
            checks["success_rate_after_recovery"] = round(sum(after) / len(after), 3) if after else 0.0
        finally:
            stack.close()
        good = report(run, elapsed, checks, f"Fault: {target} stopped for {args.outage:.0f} s during {args.shoppers} shoppers × {args.seconds:.0f} s")
        good = good and checks["success_rate_after_recovery"] >= 0.99
        all_good = all_good and good
    return 0 if all_good else 1


if __name__ == "__main__":
    sys.exit(main())
