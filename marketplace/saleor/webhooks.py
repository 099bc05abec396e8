"""Receive Saleor webhooks once: record each delivery, then hand it to registered handlers.

:func:`record_delivery` is the single intake for both real webhooks (after the view checked the
signature) and the stand-in's in-process events. A redelivery (same instance, event type and
body) hits the unique constraint and changes nothing but a counter.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef

from common import money
from marketplace.saleor import parsing, registry
from marketplace.saleor.models import WebhookEvent, WebhookHandling
from marketplace.saleor.port import ShippingOffer

logger = logging.getLogger(__name__)


def delivery_key(body: bytes) -> str:
    """SHA-256 hex digest of the raw body (Saleor sends no delivery id header)."""
    return hashlib.sha256(body).hexdigest()


def record_delivery(saleor_api_url: str, event_type: str, body: bytes) -> tuple[WebhookEvent, bool]:
    """Store one delivery and, if new, schedule its handlers after commit.

    Returns
    -------
    (WebhookEvent, bool)
        The stored event and whether it was new.

    Raises
    ------
    ValueError
        When ``body`` is not a JSON object.
    """
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise ValueError("a Saleor webhook body must be a JSON object")
    key = delivery_key(body)
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                saleor_api_url=saleor_api_url,
                event_type=event_type,
                delivery_key=key,
                payload=payload,
            )
    except IntegrityError:
        WebhookEvent.objects.filter(
            saleor_api_url=saleor_api_url, event_type=event_type, delivery_key=key
        ).update(redeliveries=F("redeliveries") + 1)
        event = WebhookEvent.objects.get(
            saleor_api_url=saleor_api_url, event_type=event_type, delivery_key=key
        )
        logger.info("Saleor %s redelivered (event %s): ignored", event_type, event.pk)
        return event, False
    schedule_handlers(event)
    return event, True


def schedule_handlers(event: WebhookEvent) -> list[str]:
    """Queue one Celery task per registered handler, after the current transaction commits."""
    from marketplace.saleor.tasks import run_webhook_handler

    names = sorted(registry.handlers_for(event.event_type))
    for name in names:
        transaction.on_commit(lambda name=name: _dispatch(run_webhook_handler, event.pk, name))
    return names


def _dispatch(task, event_id: int, handler_name: str) -> None:
    """Queue one handler run; if the broker is down, leave it for the sweeper.

    The event is already stored in PostgreSQL, so a broker outage must neither fail the
    webhook request nor lose the work: ``operations.resume_pending_webhooks`` queues every
    handler run that is still not done a few minutes later.
    """
    try:
        task.delay(event_id, handler_name)
    except Exception as exc:  # noqa: BLE001 - kombu raises several types when the broker is away
        logger.warning(
            "could not queue %s for event %s (%s); the sweeper will", handler_name, event_id, exc
        )


def received_event(event: WebhookEvent) -> registry.ReceivedEvent:
    """Parse a stored delivery into the typed value handlers receive."""
    inner: dict[str, Any] = event.payload.get("event") or event.payload
    order = parsing.order(inner["order"]) if inner.get("order") else None
    variant = None
    if inner.get("productVariant"):
        from django.conf import settings

        variant = parsing.variant(inner["productVariant"], settings.SALEOR_CHANNEL)
    return registry.ReceivedEvent(
        event_id=event.pk,
        event_type=event.event_type,
        saleor_api_url=event.saleor_api_url,
        payload=event.payload,
        order=order,
        variant=variant,
        warehouse_id=(inner.get("warehouse") or {}).get("id"),
    )


def offer_json(offer: ShippingOffer) -> dict[str, Any]:
    """One item of the list Saleor expects from SHIPPING_LIST_METHODS_FOR_CHECKOUT."""
    return {
        "id": offer.id,
        "name": offer.name[:100],
        "amount": float(money.round_cents(offer.amount)),
        "currency": offer.currency,
        "maximum_delivery_days": offer.maximum_delivery_days,
        "minimum_delivery_days": offer.minimum_delivery_days,
        "description": offer.description[:255] or None,
        "metadata": dict(offer.metadata),
    }


def shipping_methods_response(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Answer a SHIPPING_LIST_METHODS_FOR_CHECKOUT payload with the provider's offers.

    An empty list when no provider is registered or the payload has no checkout.
    """
    provider = registry.shipping_provider()
    inner = payload.get("event") or payload
    checkout = inner.get("checkout")
    if provider is None or not checkout:
        return []
    return [offer_json(o) for o in provider(parsing.shipping_request(checkout))]


#: What a forgotten body becomes: the row stays (a redelivery is still recognised by its key).
FORGOTTEN_PAYLOAD = {"erased": True}


def forget_payloads(received_before) -> int:
    """Erase the bodies (names, addresses, e-mails) of events received before ``received_before``.

    An event whose handlers have not all run keeps its body: it is still needed to retry them.
    Returns how many bodies were erased.
    """
    pending = WebhookHandling.objects.filter(event=OuterRef("pk"), done_at__isnull=True)
    return (WebhookEvent.objects.filter(received_at__lt=received_before).exclude(payload=FORGOTTEN_PAYLOAD)
            .exclude(Exists(pending)).update(payload=FORGOTTEN_PAYLOAD))


def forget_order_payloads(order_ids) -> int:
    """Erase the bodies of every event about the Saleor orders ``order_ids`` (a shopper's erasure)."""
    return (WebhookEvent.objects.filter(payload__order__id__in=list(order_ids))
            .update(payload=FORGOTTEN_PAYLOAD))
