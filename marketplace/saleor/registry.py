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
    "ORDER_REFUNDED",
    "ORDER_FULLY_REFUNDED",
    "PRODUCT_VARIANT_STOCK_UPDATED",
)
#: Sync events declared in the manifest: shipping, then the payment app's six.
PAYMENT_SYNC_EVENTS = (
    "PAYMENT_GATEWAY_INITIALIZE_SESSION",
    "TRANSACTION_INITIALIZE_SESSION",
    "TRANSACTION_PROCESS_SESSION",
    "TRANSACTION_CHARGE_REQUESTED",
    "TRANSACTION_CANCELATION_REQUESTED",
    "TRANSACTION_REFUND_REQUESTED",
)
SYNC_EVENTS = ("SHIPPING_LIST_METHODS_FOR_CHECKOUT", *PAYMENT_SYNC_EVENTS)


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
#: Answers one sync payment webhook: (Saleor API URL, event payload) -> the JSON Saleor expects.
PaymentResponder = Callable[[str, dict[str, Any]], dict[str, Any]]

_handlers: dict[str, dict[str, Handler]] = {event: {} for event in ASYNC_EVENTS}
_shipping_provider: list[ShippingProvider] = []
_payment_responders: dict[str, PaymentResponder] = {}


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


#: A step of ``manage.py saleor_setup`` another app owns: (the Saleor port) -> one line saying what is ready.
SetupStep = Callable[[Any], str]
_setup_steps: dict[str, SetupStep] = {}


def register_setup_step(name: str, step: SetupStep) -> None:
    """Have ``saleor_setup`` run ``step`` after the channel's set-up (idempotent steps only; ``name`` stable)."""
    _setup_steps[name] = step


def setup_steps() -> dict[str, SetupStep]:
    """The registered set-up steps, by name, in registration order."""
    return dict(_setup_steps)


def register_payment_responder(event_type: str, responder: PaymentResponder | None) -> None:
    """Set (or clear with None) the function answering one sync payment webhook.

    Raises
    ------
    ValueError
        For an event that is not one of :data:`PAYMENT_SYNC_EVENTS`.
    """
    if event_type not in PAYMENT_SYNC_EVENTS:
        raise ValueError(f"{event_type!r} is not a payment sync event: {PAYMENT_SYNC_EVENTS}")
    if responder is None:
        _payment_responders.pop(event_type, None)
    else:
        _payment_responders[event_type] = responder


def payment_responder(event_type: str) -> PaymentResponder | None:
    """The function answering ``event_type``, if any."""
    return _payment_responders.get(event_type)


#: A payment app the stand-in Saleor has "installed" besides this App: (event type, payload) -> answer.
StandInPaymentApp = Callable[[str, dict[str, Any]], dict[str, Any]]
_stand_in_payment_apps: dict[str, StandInPaymentApp] = {}


def register_stand_in_payment_app(gateway_id: str, app: StandInPaymentApp) -> None:
    """Let the stand-in offer another payment gateway (the demonstration's card gateway).

    The stand-in lists it only while ``settings.PAYMENT_DEMO_GATEWAY`` is on.
    """
    _stand_in_payment_apps[gateway_id] = app


def stand_in_payment_apps() -> dict[str, StandInPaymentApp]:
    """The extra payment apps of the stand-in, by gateway id."""
    return dict(_stand_in_payment_apps)
