"""pytest starts the same way whatever command launches it (run.py, python -m pytest, CI)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pytest_loads_the_settings_without_mormal_dev_or_a_settings_module_in_the_environment():
    # given the environment of someone who only set the database (as for the live Saleor tests)
    env = {k: v for k, v in os.environ.items()
           if k not in {"MORMAL_DEV", "DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "TEST_REDIS_URL",
                        "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "SALEOR_API_URL", "SALEOR_APP_TOKEN"}}
    # when pytest is started directly on the live Saleor module
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/saleor/test_live_saleor.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    # then the settings load (no "DJANGO_SECRET_KEY must be set") and the module is collected
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "skipped" in out.stdout and "error" not in out.stdout.lower()


def test_the_suite_gets_development_secrets_and_the_test_redis_database(settings):
    from marketplace.celery import app

    assert settings.SECRET_KEY == "dev-only-insecure-key-never-in-production"
    assert app.conf.broker_url == os.environ["TEST_REDIS_URL"] == app.conf.result_backend
