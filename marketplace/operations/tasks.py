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


@shared_task(name="operations.resume_pending_webhooks", autoretry_for=(OperationalError,), max_retries=3, retry_backoff=True)
def resume_pending_webhooks(min_age_s: int = 120, max_age_days: int = 7) -> int:
    """Queue again every webhook handler run still not done (the broker was down); return how many.

    Runs are at most once by construction (see ``saleor.run_webhook_handler``), so queueing one
    that is already waiting in the broker is harmless. Runs that used up their retries are left
    to the dead-letter list.
    """
    from marketplace.saleor import registry
    from marketplace.saleor.models import WebhookEvent, WebhookHandling
    from marketplace.saleor.tasks import run_webhook_handler

    now = timezone.now()
    events = WebhookEvent.objects.filter(received_at__lte=now - dt.timedelta(seconds=min_age_s),
                                         received_at__gte=now - dt.timedelta(days=max_age_days))
    settled = {(h.event_id, h.handler_name) for h in WebhookHandling.objects.filter(event__in=events)
               .exclude(done_at__isnull=True, attempts__lt=run_webhook_handler.max_retries + 1)}
    queued = 0
    for event in events.only("pk", "event_type"):
        for name in registry.handlers_for(event.event_type):
            if (event.pk, name) not in settled:
                run_webhook_handler.delay(event.pk, name)
                queued += 1
    return queued
