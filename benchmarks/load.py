"""Load run: 50 shoppers browse and check out for 2 minutes against a copy of the demo stack.

    python benchmarks/load.py [--shoppers 50] [--seconds 120]

Each shopper signs in (demo accounts client01..), browses, fills a cart, picks the first way
to receive it that is still offered (home slot, relay point, then shop pickup) and places the
order (cash on delivery where allowed, else the test card). The run prints throughput, p95
latency per step and errors, then checks in the database that every order a shopper saw
confirmed exists exactly once, in our records and in Saleor (the stand-in), and that each
van order got its delivery tasks exactly once.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would drown the report
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.stack import ROOT, Stack  # noqa: E402

STEPS = ["catalogue", "product", "add", "cart", "delivery", "choose", "pay"]


class Run:
    """Latencies, errors and confirmed orders, shared by the shopper threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.refused: dict[str, int] = defaultdict(int)
        self.confirmed: list[int] = []
        self.timeline: list[tuple[float, bool]] = []

    def record(self, step: str, ms: float, ok: bool) -> None:
        with self.lock:
            self.timeline.append((time.time(), ok))
            if ok:
                self.latency[step].append(ms)
            else:
                self.errors[step] += 1


def csrf(client: httpx.Client) -> str:
    return client.cookies.get("csrftoken") or ""


class Shopper:
    """One simulated shopper with its own session."""

    def __init__(self, base: str, number: int, run: Run, products: list[str]):
        self.base, self.run, self.products = base, run, products
        self.username = f"client{number:02d}"
        self.rng = random.Random(number)
        self.client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)

    def step(self, name: str, method: str, url: str, **kw) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = self.client.request(method, url, **kw)
        except httpx.HTTPError:
            response = None
        ok = response is not None and response.status_code < 500
        self.run.record(name, (time.perf_counter() - started) * 1000, ok)
        return response if ok else None

    def post(self, name: str, url: str, data: dict) -> httpx.Response | None:
        return self.step(name, "POST", url, data={**data, "csrfmiddlewaretoken": csrf(self.client)},
                         headers={"Referer": self.base + url})

    def login(self) -> bool:
        self.step("login", "GET", "/compte/connexion/")
        r = self.post("login", "/compte/connexion/", {"login": self.username, "password": "mormal-client-2026"})
        return r is not None and r.status_code == 302

    def shop_once(self) -> None:
        self.step("catalogue", "GET", "/boutique/")
        for slug in self.rng.sample(self.products, k=self.rng.choice([1, 2])):
            page = self.step("product", "GET", f"/boutique/produit/{slug}/")
            variants = re.findall(r'name="variant"[^>]*value="([^"]+)"(?![^>]*disabled)', page.text) if page else []
            if variants:
                self.post("add", "/boutique/panier/ajouter/", {"variant": variants[0], "quantite": "1"})
        self.step("cart", "GET", "/boutique/panier/")
        page = self.step("delivery", "GET", "/boutique/commande/livraison/")
        if page is None or page.status_code != 200:
            return
        options = re.findall(r'name="mode"[^>]*value="([^"]+)"', page.text)
        choice = next((o for prefix in ("slot:", "relay:", "collect:") for o in options if o.startswith(prefix)), None)
        if choice is None:
            with self.run.lock:
                self.run.refused["no way to receive"] += 1
            self.post("cart", "/boutique/panier/modifier/", {})
            return
        r = self.post("choose", "/boutique/commande/livraison/", {"mode": choice})
        if r is None or r.status_code != 302:
            why = re.search(r'class="msg-error">([^<]{0,110})', r.text) if r is not None else None
            with self.run.lock:
                self.run.refused[html.unescape(why.group(1)).strip() if why else "delivery step failed"] += 1
            return
        pay = self.step("pay", "GET", "/boutique/commande/paiement/")
        methods = re.findall(r'name="paiement"[^>]*value="([^"]+)"', pay.text) if pay else []
        method = "cash" if "cash" in methods else "card"
        r = self.post("pay", "/boutique/commande/paiement/", {"paiement": method})
        match = re.search(r"/boutique/commandes/(\d+)/", r.headers.get("location", "")) if r is not None else None
        if match:
            with self.run.lock:
                self.run.confirmed.append(int(match.group(1)))

    def loop(self, stop_at: float) -> None:
        while time.time() < stop_at and not self.login():
            time.sleep(1)
        while time.time() < stop_at:
            try:
                self.shop_once()
            except Exception:  # noqa: BLE001 - a broken page counts as an error, the shopper goes on
                self.run.record("other", 0, False)
            time.sleep(self.rng.uniform(0.2, 1.0))
        self.client.close()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] if values else float("nan")


def verify(stack: Stack, confirmed: list[int], drain_s: float = 90) -> dict:
    """Check the stack's database after the run, in a child process with the stack's settings."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.verify_orders", str(drain_s)], cwd=ROOT,
                          env=stack.env, input=json.dumps(confirmed), capture_output=True, text=True, timeout=drain_s + 300)
    if done.returncode != 0:
        raise RuntimeError(f"verification failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_load(stack: Stack, shoppers: int, seconds: float, during=None) -> tuple[Run, float]:
    """Run the shoppers for ``seconds``; ``during(run)`` runs in a thread alongside (faults)."""
    html = httpx.get(stack.base + "/boutique/", timeout=60).text
    products = sorted(set(re.findall(r"/boutique/produit/([\w-]+)/", html)))
    run = Run()
    stop_at = time.time() + seconds
    threads = [threading.Thread(target=Shopper(stack.base, i + 1, run, products).loop, args=(stop_at,)) for i in range(shoppers)]
    if during is not None:
        threads.append(threading.Thread(target=during, args=(run,)))
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return run, time.time() - started


def report(run: Run, elapsed: float, checks: dict, title: str) -> bool:
    """Print the tables; return True when nothing was lost or duplicated."""
    total = sum(len(v) for v in run.latency.values())
    print(f"\n{title}\n")
    print(f"{'step':<12}{'ok':>8}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for step in ["login", *STEPS, "other"]:
        if run.latency.get(step) or run.errors.get(step):
            values = run.latency.get(step, [])
            print(f"{step:<12}{len(values):>8}{run.errors.get(step, 0):>8}{pct(values, 50):>10.0f}{pct(values, 95):>10.0f}")
    print(f"\nthroughput {total / elapsed:.1f} ok requests/s over {elapsed:.0f} s; errors {sum(run.errors.values())}; "
          f"orders confirmed {len(run.confirmed)} ({len(run.confirmed) / elapsed * 60:.1f}/min); "
          f"refused for capacity {dict(run.refused)}")
    print("checks:", ", ".join(f"{k}={v}" for k, v in checks.items()))
    good = (checks["lost"] == 0 and checks["duplicate_orders"] == 0 and checks["saleor_without_record"] == 0
            and checks["van_orders_without_tasks"] == 0 and checks["duplicate_tasks"] == 0
            and checks["confirmed"] == checks["confirmed_distinct"])
    print("RESULT:", "every confirmed order exists exactly once" if good else "LOST OR DUPLICATED WORK")
    return good


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    stack = Stack().start()
    try:
        run, elapsed = run_load(stack, args.shoppers, args.seconds)
        checks = verify(stack, run.confirmed)
    finally:
        stack.close()
    ok = report(run, elapsed, checks, f"Load: {args.shoppers} shoppers for {args.seconds:.0f} s on loopback (2 cores)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
