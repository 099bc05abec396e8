"""Who handles which Saleor webhook: other apps register here from their ``AppConfig.ready()``.

The adapter never imports the storefront or the vendors app; they call, for example::

    from marketplace.saleor.registry import register_handler, register_shipping_provider

    register_handler("ORDER_FULLY_PAID", "storefront.create_delivery_tasks", create_tasks)
    register_shipping_provider(delivery_offers)

Handlers run in a Celery worker after the webhook's transaction commits, at most once per
(event, handler) pair. A handler receives a :class:`ReceivedEvent`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marketplace.saleor.port import Order, ShippingOffer, ShippingRequest, Variant

#: Async events declared in the manifest (and emitted by the stand-in).
ASYNC_EVENTS = (
    "ORDER_CREATED",
    "ORDER_FULLY_PAID",
    "ORDER_UPDATED",
    "ORDER_CANCELLED",
    "PRODUCT_VARIANT_STOCK_UPDATED",
)
#: Sync events declared in the manifest.
SYNC_EVENTS = ("SHIPPING_LIST_METHODS_FOR_CHECKOUT",)


@dataclass(frozen=True)
class ReceivedEvent:
    """A verified, recorded webhook delivery, as given to handlers.

    ``order`` is filled for ORDER_* events, ``variant`` and ``warehouse_id`` for
    PRODUCT_VARIANT_STOCK_UPDATED; ``payload`` is the raw subscription result.
    """

    event_id: int
    event_type: str
    saleor_api_url: str
    payload: dict[str, Any]
    order: Order | None = None
    variant: Variant | None = None
    warehouse_id: str | None = None


Handler = Callable[[ReceivedEvent], None]
ShippingProvider = Callable[[ShippingRequest], list[ShippingOffer]]

_handlers: dict[str, dict[str, Handler]] = {event: {} for event in ASYNC_EVENTS}
_shipping_provider: list[ShippingProvider] = []


def register_handler(event_type: str, name: str, handler: Handler) -> None:
    """Run ``handler`` for every ``event_type`` delivery; ``name`` must be stable and unique.

    Raises
    ------
    ValueError
        For an event the manifest does not subscribe to, or a name taken by another function.
    """
    if event_type not in _handlers:
        raise ValueError(f"{event_type!r} is not an async event of the manifest: {ASYNC_EVENTS}")
    existing = _handlers[event_type].get(name)
    if existing is not None and existing is not handler:
        raise ValueError(f"handler name {name!r} is already registered for {event_type}")
    _handlers[event_type][name] = handler


def unregister_handler(event_type: str, name: str) -> None:
    """Remove a handler (tests)."""
    _handlers.get(event_type, {}).pop(name, None)


def handlers_for(event_type: str) -> dict[str, Handler]:
    """The handlers registered for ``event_type``, by name."""
    return dict(_handlers.get(event_type, {}))


def handler(event_type: str, name: str) -> Handler | None:
    """One handler by event and name, or None."""
    return _handlers.get(event_type, {}).get(name)


def register_shipping_provider(provider: ShippingProvider | None) -> None:
    """Set (or clear with None) the function answering SHIPPING_LIST_METHODS_FOR_CHECKOUT."""
    _shipping_provider.clear()
    if provider is not None:
        _shipping_provider.append(provider)


def shipping_provider() -> ShippingProvider | None:
    """The registered shipping provider, if any."""
    return _shipping_provider[0] if _shipping_provider else None
