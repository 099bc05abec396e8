"""p95 latency of the storefront pages with 50 concurrent shoppers on loopback.

Starts the app (waitress, 8 threads) in a subprocess on the seeded demo data, then runs
``--shoppers`` simulated shoppers for ``--seconds``: each browses the catalogue, a search,
a vendor page and a product page, adds to the cart and views it, with a think time between
pages. It prints per page the client-side p50/p95 and the server-side p95 with and without
the time spent in Saleor (the stand-in here), measured from a ``Server-Timing`` header, next
to a peer measured in the same run: a static file served by WhiteNoise (the floor of the stack).

    python benchmarks/storefront_latency.py [--shoppers 50] [--seconds 60] [--think 1.0]

Uses DATABASE_URL when set (the benchmark database is migrated and seeded), otherwise the
embedded PostgreSQL of the demo.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 200.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_env() -> dict:
    env = dict(os.environ, MORMAL_DEV="1", CELERY_BROKER_URL="memory://", CELERY_RESULT_BACKEND="cache+memory://")
    sys.path.insert(0, str(ROOT))
    if not env.get("DATABASE_URL"):
        from marketplace.launcher import DEMO_DIR, start_embedded_postgres

        env["DATABASE_URL"] = start_embedded_postgres(DEMO_DIR / "pgdata", "mormal")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def catalogue_facts(base: str) -> tuple[list[str], list[str], list[str]]:
    """Product slugs, vendor slugs and variant ids scraped from the catalogue."""
    html = httpx.get(base + "/boutique/", timeout=30).text
    products = sorted(set(re.findall(r'/boutique/produit/([\w-]+)/', html)))
    vendors = sorted(set(re.findall(r'/boutique/commerce/([\w-]+)/', html)))
    variants = []
    for slug in products[:10]:
        variants += re.findall(r'name="variant"[^>]*value="([^"]+)"', httpx.get(f"{base}/boutique/produit/{slug}/", timeout=30).text)
    return products, vendors, variants


class Recorder:
    """Thread-safe samples per page: client ms, server total ms, server Saleor ms, status."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)
        self.errors = defaultdict(int)

    def add(self, page: str, response: httpx.Response | None, client_ms: float) -> None:
        total = saleor = None
        if response is not None:
            timing = dict(re.findall(r"(\w+);dur=([\d.]+)", response.headers.get("server-timing", "")))
            total, saleor = float(timing.get("total", "nan")), float(timing.get("saleor", "0"))
        with self.lock:
            if response is None or response.status_code >= 400:
                self.errors[page] += 1
            else:
                self.samples[page].append((client_ms, total, saleor))


def shopper(base: str, facts, stop_at: float, think: float, rec: Recorder, seed: int) -> None:
    rng = random.Random(seed)
    products, vendors, variants = facts
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        def hit(page, method, url, **kw):
            started = time.perf_counter()
            try:
                response = client.request(method, url, **kw)
            except httpx.HTTPError:
                response = None
            rec.add(page, response, (time.perf_counter() - started) * 1000)
            time.sleep(rng.uniform(0, 2 * think))
            return response

        hit("static (peer)", "GET", "/static/css/site.css")
        while time.time() < stop_at:
            hit("catalogue", "GET", "/boutique/")
            hit("search", "GET", "/boutique/", params={"q": rng.choice(["pain", "fromage", "miel", "oeufs", "lait"])})
            hit("vendor", "GET", f"/boutique/commerce/{rng.choice(vendors)}/")
            page = hit("product", "GET", f"/boutique/produit/{rng.choice(products)}/")
            token = client.cookies.get("csrftoken") or ""
            if page is not None and variants:
                hit("add to cart", "POST", "/boutique/panier/ajouter/",
                    data={"variant": rng.choice(variants), "quantite": "1", "csrfmiddlewaretoken": token},
                    headers={"Referer": base + "/boutique/"})
            hit("cart", "GET", "/boutique/panier/")
            hit("static (peer)", "GET", "/static/css/site.css")


def pct(values, q):
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between pages, seconds")
    args = parser.parse_args()

    env = prepare_env()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={port}", "--threads=8",
                               "benchmarks.timed_wsgi:application"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(base + "/boutique/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        facts = catalogue_facts(base)
        rec = Recorder()
        stop_at = time.time() + args.seconds
        threads = [threading.Thread(target=shopper, args=(base, facts, stop_at, args.think, rec, i)) for i in range(args.shoppers)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - started
    finally:
        server.terminate()
        server.wait(10)

    print(f"\nStorefront latency: {args.shoppers} shoppers, {args.seconds:.0f} s, think {args.think} s, "
          f"waitress 8 threads, {os.cpu_count()} cores, Saleor = {'stand-in (in process)' if not os.environ.get('SALEOR_API_URL') else 'real'}\n")
    header = f"{'page':<16}{'requests':>9}{'errors':>8}{'client p50':>12}{'client p95':>12}{'server p95':>12}{'ours p95':>10}{'vs peer':>9}"
    print(header)
    print("-" * len(header))
    peer = rec.samples.get("static (peer)", [])
    peer_p95 = pct([c for c, _, _ in peer], 95)
    worst_ours = 0.0
    for page in ["static (peer)", "catalogue", "search", "vendor", "product", "add to cart", "cart"]:
        rows = rec.samples.get(page, [])
        client = [c for c, _, _ in rows]
        server_total = [t for _, t, _ in rows]
        ours = [t - s for _, t, s in rows]
        p95_ours = pct(ours, 95)
        if page != "static (peer)":
            worst_ours = max(worst_ours, p95_ours)
        print(f"{page:<16}{len(rows):>9}{rec.errors.get(page, 0):>8}{pct(client, 50):>11.1f} {pct(client, 95):>11.1f} "
              f"{pct(server_total, 95):>11.1f} {p95_ours:>9.1f} {pct(client, 95) / peer_p95 if peer_p95 else float('nan'):>8.1f}x")
    total = sum(len(v) for v in rec.samples.values())
    print(f"\nthroughput: {total / elapsed:.1f} requests/s; errors: {sum(rec.errors.values())}")
    print(f"'ours p95' = server time minus time inside Saleor calls (ms). Goal <= {GOAL_MS:.0f} ms: "
          f"{'met' if worst_ours <= GOAL_MS else 'NOT met'} (worst page {worst_ours:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
