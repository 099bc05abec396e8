"""Benchmark: one stand-in product lookup as the store grows, indexed store vs a whole-kind scan.

For each ``--sizes`` value the store (a scratch database) is filled with that many products,
each with one variant, then the same lookup a product import or a product page makes (the
product by slug, its variants, the SKU-uniqueness check) is timed two ways in the same run:

* ``indexed``: :class:`marketplace.saleor.standin.store.Store` (indexed slug/sku/parent columns);
* ``whole-kind scan``: the stand-in's earlier way, every Product and ProductVariant document
  read and JSON-decoded, then searched in Python.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mormal_bench MORMAL_DEV=1 \\
        python benchmarks/standin_scaling.py --sizes 100 1000 5000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _fill(size: int) -> None:
    from marketplace.saleor.models import StandInDocument

    StandInDocument.objects.filter(kind__in=["Product", "ProductVariant"]).delete()
    rows = []
    for i in range(size):
        product = {"key": f"p{i}", "slug": f"produit-{i}", "name": f"Produit {i}", "metadata": {}}
        variant = {"key": f"v{i}", "product": f"p{i}", "sku": f"SKU-{i}", "stocks": []}
        rows.append(StandInDocument(kind="Product", key=f"p{i}", slug=product["slug"], data=product))
        rows.append(StandInDocument(kind="ProductVariant", key=f"v{i}", sku=variant["sku"],
                                    parent=f"p{i}", data=variant))
    StandInDocument.objects.bulk_create(rows, batch_size=2000)


def _indexed(slug: str, sku: str) -> None:
    from marketplace.saleor.standin.store import Store

    store = Store()
    product = store.find_one("Product", slug=slug)
    assert store.variants_of(product["key"])
    assert not store.taken("ProductVariant", "sku", sku + "-new")


def _scan(slug: str, sku: str) -> None:
    from marketplace.saleor.models import StandInDocument

    def kind(name: str) -> list[dict]:
        return list(StandInDocument.objects.filter(kind=name).order_by("created_at", "id")
                    .values_list("data", flat=True))

    products, variants = kind("Product"), kind("ProductVariant")
    product = next(p for p in products if p["slug"] == slug)
    assert [v for v in variants if v["product"] == product["key"]]
    assert not any(v["sku"] == sku + "-new" for v in variants)


def _median_ms(func, size: int, repeat: int) -> float:
    func("produit-0", "SKU-0")  # warm-up: connection, query plans
    times = []
    for r in range(repeat):
        i = (r * 7919) % size
        start = time.perf_counter()
        func(f"produit-{i}", f"SKU-{i}")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a scratch PostgreSQL database (its stand-in products are replaced)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print("\nOne product lookup (by slug + its variants + SKU check), median of "
          f"{args.repeat}, PostgreSQL on loopback\n")
    print(f"| {'products':>8} | {'indexed ms':>10} | {'whole-kind scan ms':>18} | {'scan / indexed':>14} |")
    print(f"|{'-' * 10}:|{'-' * 12}:|{'-' * 20}:|{'-' * 16}:|")
    for size in args.sizes:
        _fill(size)
        indexed = _median_ms(_indexed, size, args.repeat)
        scan = _median_ms(_scan, size, args.repeat)
        print(f"| {size:>8} | {indexed:>10.2f} | {scan:>18.1f} | {scan / indexed:>13.1f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
