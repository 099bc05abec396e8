"""Connect the storefront to the Saleor adapter: order webhooks and the shipping sync webhook."""

from marketplace.saleor.registry import register_handler, register_shipping_provider

ORDER_EVENTS = ("ORDER_CREATED", "ORDER_FULLY_PAID")
HANDLER_NAME = "storefront.plan_order"


def connect() -> None:
    """Register our handlers (idempotent: safe on every ``ready()``)."""
    from . import collection
    from .offers import shipping_offers
    from .planner import handle_order_event

    for event in ORDER_EVENTS:
        register_handler(event, HANDLER_NAME, handle_order_event)
    register_shipping_provider(shipping_offers)
    collection.connect()
