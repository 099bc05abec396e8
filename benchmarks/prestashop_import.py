"""Benchmark: read N products from the PrestaShop Webservice double, bridge vs a naive peer.

Both approaches run in the same process against the same real HTTP server on loopback and
must produce the same normalised catalogue (checked). The bridge reads a page of products with
``display=full`` and fetches that page's combinations and stock rows with one filtered request
each; the naive peer, as a prestapyt-style script would, lists ids then GETs every product,
every combination and the stock rows of every product one by one.

Optionally (``--import N``) the first N products are also imported into the marketplace
(Saleor stand-in on PostgreSQL), timed, and imported a second time to show the idempotent path.

Usage::

    python benchmarks/prestashop_import.py --products 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mormal_presta MORMAL_DEV=1 \
        python benchmarks/prestashop_import.py --products 5000 --import 300
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from integrations.prestashop.catalogue import Catalogue  # noqa: E402
from integrations.prestashop.client import PrestaShopClient, one_of  # noqa: E402
from integrations.prestashop.mapping import map_product  # noqa: E402
from integrations.prestashop.pull import pull_catalogue, read_reference, shop_url  # noqa: E402
from tests.prestashop.double import DoubleServer  # noqa: E402
from tests.prestashop.seed import KEY, big_shop  # noqa: E402


def naive_pull(client: PrestaShopClient) -> Catalogue:
    """One request per product, per combination and per product's stock rows."""
    client.probe()
    reading = read_reference(client)
    catalogue = Catalogue(source_url=shop_url(client), fetched_at="", ps_version=client.version)
    ids = [int(r["id"]) for r in client.get_list("products", display=None, sort="[id_ASC]")]
    for pid in ids:
        raw = client.get_record("products", pid)
        combos = [client.get_record("combinations", c["id"]) for c in raw.get("associations", {}).get("combinations", [])]
        stocks = client.get_list("stock_availables", filters={"id_product": one_of([pid])})
        catalogue.products.append(map_product(raw, combos, stocks, reading.ctx))
    catalogue.request_count = client.request_count
    return catalogue


def timed(label: str, func, server: DoubleServer, fmt: str):
    server.shop.requests.clear()
    with PrestaShopClient(server.url, KEY, output_format=fmt, timeout=60) as client:
        start = time.perf_counter()
        catalogue = func(client)
        seconds = time.perf_counter() - start
    return label, catalogue, seconds, len(server.shop.requests)


def run_import(n: int, page_size: int) -> list[tuple[str, float, int, str]]:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ.setdefault("MORMAL_DEV", "1")
    django.setup()
    from decimal import Decimal

    from django.core.management import call_command

    from integrations.prestashop.models import PrestaShopSource
    from integrations.prestashop.sync import import_catalogue
    from marketplace.territory.actions import load_communes
    from marketplace.territory.models import Commune
    from marketplace.vendors import actions
    from marketplace.vendors.models import Vendor
    from marketplace.vendors.seed import siret_for

    call_command("migrate", verbosity=0)
    load_communes()
    stamp = str(int(time.time()))
    place = Commune.objects.get(name="Bavay")
    vendor = Vendor(name=f"Bench {stamp}", slug=f"bench-{stamp}", kind=Vendor.Kind.MERCHANT, legal_name="Bench SARL",
                    siret=siret_for(stamp[-8:]), address="1 rue de Bavay", commune=place, lon=place.lon, lat=place.lat,
                    commission_rate=Decimal("10.00"))
    actions.register_vendor(vendor)
    server = DoubleServer(big_shop(n)).start()
    rows = []
    try:
        source = PrestaShopSource(name=f"Bench {stamp}", url=server.url, default_vendor=vendor)
        source.set_key(KEY)
        source.save()
        for label in ("first import", "second import (idempotent)"):
            server.shop.requests.clear()
            start = time.perf_counter()
            run = import_catalogue(source, page_size=page_size)
            rows.append((label, time.perf_counter() - start, len(server.shop.requests),
                         f"created {run.created}, updated {run.updated}, unchanged {run.unchanged}"))
    finally:
        server.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--format", choices=["XML", "JSON"], default="XML")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="server time added to every answer (PHP + network), milliseconds")
    parser.add_argument("--import", dest="import_n", type=int, default=0,
                        help="also import this many products into the Saleor stand-in (needs DATABASE_URL)")
    args = parser.parse_args()

    shop = big_shop(args.products)
    shop.latency_s = args.latency_ms / 1000
    server = DoubleServer(shop).start()
    try:
        runs = [
            timed("bridge (pages + filtered batches)", lambda c: pull_catalogue(c, page_size=args.page_size), server, args.format),
            timed("naive (one request per record)", naive_pull, server, args.format),
        ]
    finally:
        server.stop()
    bridge, naive = runs[0][1].to_json(), runs[1][1].to_json()
    same = bridge["products"] == naive["products"]
    variants = bridge["totals"]["variants"]
    print(f"\nPrestaShop catalogue read: {args.products} products, {variants} variants, format {args.format}, "
          f"page size {args.page_size}, loopback HTTP double, {args.latency_ms:g} ms added per answer\n")
    print(f"| {'approach':<36} | {'requests':>8} | {'seconds':>8} | {'products/s':>10} |")
    print(f"|{'-' * 38}|{'-' * 10}:|{'-' * 10}:|{'-' * 12}:|")
    for label, catalogue, seconds, requests in runs:
        print(f"| {label:<36} | {requests:>8} | {seconds:>8.2f} | {len(catalogue.products) / seconds:>10.0f} |")
    ratio = runs[1][3] / runs[0][3]
    print(f"\nsame catalogue from both: {same}; the naive peer sends {ratio:.0f}x more requests "
          f"and takes {runs[1][2] / runs[0][2]:.1f}x longer.")
    if args.import_n:
        print(f"\nImport into the marketplace (Saleor stand-in on PostgreSQL), {args.import_n} products:\n")
        print(f"| {'run':<28} | {'seconds':>8} | {'PS requests':>11} | result |")
        print(f"|{'-' * 30}|{'-' * 10}:|{'-' * 13}:|--------|")
        for label, seconds, requests, result in run_import(args.import_n, args.page_size):
            print(f"| {label:<28} | {seconds:>8.2f} | {requests:>11} | {result} |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
