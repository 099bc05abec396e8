"""Health probes: database and Celery broker, each reported separately."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    """Run ``SELECT 1`` on the default database; return ``{"ok": bool, "detail": str}``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0]
        return {"ok": True, "detail": version.split(",")[0]}
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported verbatim
        return {"ok": False, "detail": f"{type(exc).__name__}: {exc}"}


def check_broker(timeout: float = 2.0) -> dict:
    """Open a connection to the Celery broker within ``timeout`` seconds."""
    from marketplace.celery import app

    url = settings.CELERY_BROKER_URL
    scheme = url.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return {"ok": True, "detail": scheme}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "detail": f"{scheme}: {type(exc).__name__}: {exc}"}
