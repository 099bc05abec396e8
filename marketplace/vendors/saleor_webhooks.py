"""What the vendors app does when Saleor calls: each order event refreshes the vendors' shares."""

from __future__ import annotations

from marketplace.saleor.registry import ReceivedEvent, register_handler

from .actions import record_order

#: Order events that (re)project an order into the vendors' shares; the projection is idempotent.
ORDER_EVENTS = ("ORDER_CREATED", "ORDER_UPDATED", "ORDER_FULLY_PAID", "ORDER_CANCELLED", "ORDER_REFUNDED",
                "ORDER_FULLY_REFUNDED")
HANDLER_NAME = "vendors.record_order"


def on_order_event(event: ReceivedEvent) -> None:
    """Record (or refresh) each vendor's share of the order carried by ``event``; ignore others."""
    if event.order is not None:
        record_order(event.order)


def connect() -> None:
    """Subscribe :func:`on_order_event` to every order event (safe to call twice)."""
    for event_type in ORDER_EVENTS:
        register_handler(event_type, HANDLER_NAME, on_order_event)
