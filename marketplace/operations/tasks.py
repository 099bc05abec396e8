"""Operations jobs: thin, idempotent Celery tasks with bounded retries."""

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(name="operations.remind_vendors", autoretry_for=(OperationalError,), max_retries=3, retry_backoff=True)
def remind_vendors(date_iso: str | None = None) -> int:
    """Remind vendors of tomorrow's orders (or ``date_iso``'s); safe to run again."""
    from .reminders import send_reminders

    date = dt.date.fromisoformat(date_iso) if date_iso else timezone.localdate() + dt.timedelta(days=1)
    return send_reminders(date)


@shared_task(name="operations.refresh_indicators", autoretry_for=(OperationalError,), max_retries=3, retry_backoff=True)
def refresh_indicators() -> dict:
    """Bring the indicators' fact tables up to date (nightly)."""
    from marketplace.indicators.facts import refresh_all

    return refresh_all()
