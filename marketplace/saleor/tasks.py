"""Celery tasks of the Saleor adapter: run one registered handler for one recorded webhook."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.saleor import registry
from marketplace.saleor.models import WebhookEvent, WebhookHandling
from marketplace.saleor.webhooks import received_event

logger = logging.getLogger(__name__)


@shared_task(
    name="saleor.run_webhook_handler",
    autoretry_for=(Exception,),
    max_retries=5,
    retry_backoff=10,
    retry_jitter=True,
)
def run_webhook_handler(event_id: int, handler_name: str) -> str:
    """Run ``handler_name`` for webhook event ``event_id`` at most once.

    The handler runs inside the transaction that marks it done, so a crash leaves it undone
    (and retried, at most 5 times) and a second run after success does nothing.

    Returns
    -------
    str
        ``"done"``, ``"already-done"`` or ``"no-handler"``.
    """
    event = WebhookEvent.objects.get(pk=event_id)
    func = registry.handler(event.event_type, handler_name)
    if func is None:
        logger.warning("no handler %r for %s any more", handler_name, event.event_type)
        return "no-handler"
    WebhookHandling.objects.get_or_create(event=event, handler_name=handler_name)
    try:
        with transaction.atomic():
            handling = WebhookHandling.objects.select_for_update().get(
                event=event, handler_name=handler_name
            )
            if handling.done_at is not None:
                return "already-done"
            func(received_event(event))
            handling.done_at = timezone.now()
            handling.attempts = F("attempts") + 1
            handling.last_error = ""
            handling.save(update_fields=["done_at", "attempts", "last_error"])
    except Exception as exc:
        # the handler's work was rolled back with it; remember why, then let Celery retry
        WebhookHandling.objects.filter(event=event, handler_name=handler_name).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning("handler %s failed for event %s: %s", handler_name, event_id, exc)
        raise
    return "done"
