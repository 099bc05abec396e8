"""Celery application, configured from Django settings, with tasks discovered from every app.

Production and tests use Redis (``REDIS_URL``). The embedded demo has no Redis server, so it
sets ``CELERY_BROKER_URL=filesystem://`` and a ``file://`` result backend: tasks still travel
through a real broker transport (kombu's filesystem queue) to a real worker process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("mormal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(bind=True, name="mormal.ping")
def ping(self):
    """Answer ``"pong"``; used by the health check and the broker round-trip test."""
    return "pong"
