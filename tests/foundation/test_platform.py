"""The foundation: PostgreSQL only, settings from the environment, health, Celery on Redis, compose."""

import re
from pathlib import Path

import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_is_postgresql(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version_num")
        assert int(cur.fetchone()[0]) >= 130000


def test_the_52_communes_load_with_their_population(communes):
    assert communes.count() == 52
    total = sum(c.population for c in communes)
    assert total == 48441  # the CCPM's population, as quoted in the territory plan
    bavay = communes.get(insee="59053")
    assert bavay.name == "Bavay" and 50.2 < bavay.town_hall_lat < 50.4


def test_health_says_only_ok_to_the_public_and_details_to_staff(client, admin_client, db, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    from marketplace.celery import app

    app.conf.broker_url = redis_url
    # anyone: the status and nothing else
    public = client.get("/sante/")
    assert public.status_code == 200
    assert public.json() == {"status": "ok"}
    # staff: which database and broker answered
    body = admin_client.get("/sante/").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["detail"].startswith("PostgreSQL")
    assert body["broker"]["ok"] and body["broker"]["detail"] == "redis"


def test_health_is_503_when_broker_is_down_and_the_error_is_for_staff_only(client, admin_client, db, monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its configuration
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    staff = admin_client.get("/sante/")
    assert staff.status_code == 503
    assert staff.json()["broker"]["ok"] is False and "127.0.0.1:1" in staff.json()["broker"]["detail"]


def test_a_task_round_trips_through_a_real_worker_on_redis(redis_url):
    from celery.contrib.testing.worker import start_worker

    from marketplace.celery import app, ping

    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert ping.delay().get(timeout=20) == "pong"


def test_settings_refuse_anything_but_postgresql(monkeypatch):
    import subprocess
    import sys

    env = {"DATABASE_URL": "sqlite:///x.db", "MORMAL_DEV": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='marketplace.settings';django.setup()"],
                         env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0 and "PostgreSQL" in out.stderr


def test_compose_has_every_service_with_pinned_images_and_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ["saleor-api", "saleor-dashboard", "postgres", "redis", "web", "worker", "beat"]:
        assert name in services, name
    assert services["saleor-api"]["image"].startswith("ghcr.io/saleor/saleor:3.23")
    for name, svc in services.items():
        if "image" in svc:
            image = svc["image"]
            assert re.search(r":[\w.\-]+$", image) and not image.endswith(":latest"), f"{name} image not pinned: {image}"
        assert "healthcheck" in svc, f"{name} lacks a health check"
    assert {"postgres-data", "redis-data"} <= set(compose["volumes"])


def test_ci_runs_the_readme_test_command():
    ci_lines = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    last = ci_lines[-1].removeprefix("exec ").strip()
    assert last in (ROOT / "README.md").read_text()


def test_pure_routing_core_never_imports_django():
    for path in (ROOT / "delivery" / "routing").rglob("*.py"):
        assert "django" not in path.read_text(), f"{path} imports Django"


def test_home_lists_demo_accounts_only_in_the_demo(client, db, settings):
    settings.SHOW_DEMO_ACCOUNTS = False
    assert "Comptes de démonstration" not in client.get("/").content.decode()
    settings.SHOW_DEMO_ACCOUNTS = True
    body = client.get("/").content.decode()
    assert "Comptes de démonstration" in body and "mormal-equipe-2026" in body
