"""Benchmark: PrestaShop catalogue imports into the Saleor stand-in, at growing catalogue sizes.

Runs :func:`benchmarks.prestashop_import.run_import` (a vendor, the PrestaShop Webservice
double on loopback, a first import then an unchanged re-import) for each ``--sizes`` value and
prints, per run, the wall time, the PrestaShop requests, the GraphQL documents the port sent
to the stand-in, and the stand-in's stored documents afterwards. Per-product time staying flat
as the size grows is what shows the store scales (it grew quadratically before indexed lookups).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mormal_bench MORMAL_DEV=1 \\
        python benchmarks/standin_import.py --sizes 200 1000 5000

Each size imports into the same database on top of the previous ones (as vendors would).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a scratch PostgreSQL database")

    from benchmarks.prestashop_import import run_import

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per PrestaShop request
    from marketplace.saleor.models import StandInDocument
    from marketplace.saleor.standin import transport

    sent: Counter[str] = Counter()
    execute = transport.StandInTransport.execute

    def counting(self, name, variables=None):
        sent[name] += 1
        return execute(self, name, variables)

    transport.StandInTransport.execute = counting
    from integrations.prestashop import sync

    per_run: list[int] = []
    import_catalogue = sync.import_catalogue

    def counted_import(*a, **kw):
        start = sum(sent.values())
        try:
            return import_catalogue(*a, **kw)
        finally:
            per_run.append(sum(sent.values()) - start)

    sync.import_catalogue = counted_import  # run_import looks it up at call time

    print("\nPrestaShop import into the Saleor stand-in (PostgreSQL), loopback double\n")
    print(f"| {'products':>8} | {'run':<28} | {'seconds':>8} | {'ms/product':>10} | "
          f"{'PS requests':>11} | {'GraphQL docs':>12} | {'stored docs':>11} | result |")
    print(f"|{'-' * 10}:|{'-' * 30}|{'-' * 10}:|{'-' * 12}:|{'-' * 13}:|{'-' * 14}:|{'-' * 13}:|--------|")
    for size in args.sizes:
        per_run.clear()
        rows = run_import(size, args.page_size)
        stored = StandInDocument.objects.count()
        for (label, seconds, requests, result), graphql in zip(rows, per_run, strict=True):
            print(f"| {size:>8} | {label:<28} | {seconds:>8.2f} | {1000 * seconds / size:>10.1f} | "
                  f"{requests:>11} | {graphql:>12} | {stored:>11} | {result} |", flush=True)
    print(f"\nGraphQL documents sent, by name: {dict(sent.most_common())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
