"""p95 latency of the storefront pages with 50 signed-in shoppers on loopback.

Starts the app in a subprocess on the seeded demo data, served as production serves it
(gunicorn, 3 workers of 4 threads, as in docker-compose.yml; ``--threads 1`` for sync workers,
``--server waitress`` for 8 threads in one process), with the shared cache of ``--cache-url`` (production: Redis). ``--shoppers`` distinct
accounts (``banc-client-NN``) each sign in through the sign-in form, each from its own loopback
address (127.0.0.N: allauth allows 30 sign-ins a minute per address), and keep their session.
For ``--seconds`` each browses the catalogue, a search, a vendor page and a product page, adds
to the cart and views it, with a think time between pages.

It prints per page the client-side p50/p95 and the server-side p95 with and without the time
spent in Saleor (the stand-in here, in the same processes), measured from a ``Server-Timing``
header, and the client p95 as a ratio to a peer measured in the same run by the same shoppers:
a trivial Django view (``/banc/pair/``, constant text through the same server and middleware).
A static file served by WhiteNoise is shown too. The machine is shared: read the ratio.

    python benchmarks/storefront_latency.py [--shoppers 50] [--seconds 60] [--think 1.0]
        [--server gunicorn|waitress] [--threads 4] [--cache-url redis://127.0.0.1:6379/5] [--skip-seed]

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
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 200.0
PASSWORD = "banc-Mormal-2026"
PEER = "trivial view (peer)"
PAGES = ["static file", PEER, "catalogue", "search", "vendor", "product", "add to cart", "cart"]
#: The shoppers' accounts and their sessions, signed in by Django's own ``login()`` (what the
#: sign-in form calls once the password is checked: a real session, rotated key, auth hash,
#: sign-in signals). Checking 50 passwords through the form took 97 s on the shared machine.
MAKE_SHOPPERS = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from marketplace.territory.models import Shopper
hashed = make_password({password!r})
for i in range(1, {n} + 1):
    user, _ = get_user_model().objects.update_or_create(
        username=f"banc-client-{{i:02d}}", defaults={{"email": f"banc-client-{{i:02d}}@exemple.fr", "password": hashed}})
    Shopper.objects.get_or_create(user=user)
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = f"127.0.0.{{i + 1}}"
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    print("session", request.session.session_key)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_env(shoppers: int, cache_url: str, seed: bool) -> dict:
    env = dict(os.environ, MORMAL_DEV="1", CELERY_BROKER_URL="memory://", CELERY_RESULT_BACKEND="cache+memory://",
               CACHE_URL=cache_url)
    sys.path.insert(0, str(ROOT))
    if not env.get("DATABASE_URL"):
        from marketplace.launcher import DEMO_DIR, start_embedded_postgres

        env["DATABASE_URL"] = start_embedded_postgres(DEMO_DIR / "pgdata", "mormal")
    if seed:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def signed_in_sessions(env: dict, shoppers: int) -> list[str]:
    """The session keys of ``shoppers`` accounts ``banc-client-NN``, each signed in once."""
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", MAKE_SHOPPERS.format(password=PASSWORD, n=shoppers)],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return [line.split()[1] for line in made.stdout.splitlines() if line.startswith("session ")]


def signed_in_client(base: str, number: int, session_key: str) -> httpx.Client:
    """A client carrying shopper ``number``'s session, connecting from 127.0.0.<number + 1>.

    Raises
    ------
    RuntimeError
        When the site does not take the session as signed in.
    """
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False, cookies={"sessionid": session_key},
                          transport=httpx.HTTPTransport(local_address=f"127.0.0.{number + 1}"))
    if "Mon compte" not in client.get("/boutique/panier/").text:
        raise RuntimeError(f"banc-client-{number:02d} is not signed in")
    return client


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
        self.error_kinds: Counter = Counter()

    def add(self, page: str, response: httpx.Response | None, client_ms: float, failure: str = "") -> None:
        total = saleor = None
        if response is not None:
            timing = dict(re.findall(r"(\w+);dur=([\d.]+)", response.headers.get("server-timing", "")))
            total, saleor = float(timing.get("total", "nan")), float(timing.get("saleor", "0"))
        with self.lock:
            if response is None or response.status_code >= 400:
                self.errors[page] += 1
                self.error_kinds[failure or f"HTTP {response.status_code if response is not None else '?'}"] += 1
            else:
                self.samples[page].append((client_ms, total, saleor))


def shopper(client: httpx.Client, facts, stop_at: float, think: float, rec: Recorder, seed: int) -> None:
    rng = random.Random(seed)
    products, vendors, variants = facts
    base = str(client.base_url).rstrip("/")
    try:
        def hit(page, method, url, **kw):
            started = time.perf_counter()
            failure = ""
            try:
                response = client.request(method, url, **kw)
            except httpx.HTTPError as exc:
                response, failure = None, type(exc).__name__
            rec.add(page, response, (time.perf_counter() - started) * 1000, failure)
            time.sleep(rng.uniform(0, 2 * think))
            return response

        time.sleep(rng.uniform(0, 2 * think))  # the shoppers do not all start on the same millisecond
        while time.time() < stop_at:
            hit(PEER, "GET", "/banc/pair/")
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
            hit("static file", "GET", "/static/css/site.css")
    finally:
        client.close()


def pct(values, q):
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def serve(server: str, port: int, env: dict, threads: int = 4) -> subprocess.Popen:
    """Start the timed app as production does (gunicorn, 3 workers of ``threads`` threads) or in waitress (8 threads)."""
    if server == "gunicorn":
        command = ["-m", "gunicorn", f"--bind=127.0.0.1:{port}", "--workers=3", f"--threads={threads}", "--timeout=60",
                   "benchmarks.timed_wsgi:application"]
    else:
        command = ["-m", "waitress", "--host=127.0.0.1", f"--port={port}", "--threads=8", "benchmarks.timed_wsgi:application"]
    log = open(Path(tempfile.gettempdir()) / "storefront_latency_server.log", "w")  # noqa: SIM115 (the server's lifetime)
    return subprocess.Popen([sys.executable, *command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between pages, seconds")
    parser.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (4 as deployed; 1: sync workers)")
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", ""),
                        help="shared cache (production: Redis); empty: each process its own memory")
    parser.add_argument("--skip-seed", action="store_true", help="the database is already migrated and seeded")
    args = parser.parse_args()
    if not 1 <= args.shoppers <= 250:
        parser.error("--shoppers: from 1 to 250 (one loopback address each)")

    load_before = os.getloadavg()[0]
    env = prepare_env(args.shoppers, args.cache_url, seed=not args.skip_seed)
    sessions = signed_in_sessions(env, args.shoppers)
    port = free_port()
    server = serve(args.server, port, env, args.threads)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(base + "/boutique/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        facts = catalogue_facts(base)
        clients = [signed_in_client(base, n, key) for n, key in enumerate(sessions, start=1)]
        rec = Recorder()
        stop_at = time.time() + args.seconds
        threads = [threading.Thread(target=shopper, args=(client, facts, stop_at, args.think, rec, i))
                   for i, client in enumerate(clients)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - started
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()

    saleor = "real" if os.environ.get("SALEOR_API_URL") else "stand-in, in the same processes"
    workers = ("waitress 8 threads" if args.server == "waitress" else "gunicorn 3 sync workers" if args.threads == 1
               else f"gunicorn 3 workers x {args.threads} threads")
    print(f"\nStorefront latency: {args.shoppers} shoppers signed in (distinct accounts and sessions), "
          f"{args.seconds:.0f} s, think {args.think} s, {workers}, cache {'shared: ' + args.cache_url if args.cache_url else 'per process'}, "
          f"{os.cpu_count()} cores (load average before the run {load_before:.1f}, after {os.getloadavg()[0]:.1f}), Saleor = {saleor}\n")
    header = (f"{'page':<21}{'requests':>9}{'errors':>8}{'client p50':>12}{'client p95':>12}{'server p95':>12}"
              f"{'ours p95':>10}{'p95 / peer':>12}")
    print(header)
    print("-" * len(header))
    peer_p95 = pct([c for c, _, _ in rec.samples.get(PEER, [])], 95)
    worst_ours = worst_client = 0.0
    for page in PAGES:
        rows = rec.samples.get(page, [])
        client = [c for c, _, _ in rows]
        server_total = [t for _, t, _ in rows]
        ours = [t - s for _, t, s in rows]
        if page not in (PEER, "static file"):
            worst_ours, worst_client = max(worst_ours, pct(ours, 95)), max(worst_client, pct(client, 95))
        print(f"{page:<21}{len(rows):>9}{rec.errors.get(page, 0):>8}{pct(client, 50):>11.1f} {pct(client, 95):>11.1f} "
              f"{pct(server_total, 95):>11.1f} {pct(ours, 95):>9.1f} {pct(client, 95) / peer_p95 if peer_p95 else float('nan'):>10.1f}x")
    total = sum(len(v) for v in rec.samples.values())
    kinds = ", ".join(f"{n} {kind}" for kind, n in rec.error_kinds.most_common())
    print(f"\nthroughput: {total / elapsed:.1f} requests/s; errors: {sum(rec.errors.values())}{' (' + kinds + ')' if kinds else ''}")
    print("'ours p95' = server time minus time inside Saleor calls (ms); 'p95 / peer' = client p95 over the trivial view's.")
    print(f"Goal p95 <= {GOAL_MS:.0f} ms: ours {'met' if worst_ours <= GOAL_MS else 'NOT met'} (worst page {worst_ours:.1f} ms); "
          f"client side {'met' if worst_client <= GOAL_MS else 'NOT met'} (worst page {worst_client:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
