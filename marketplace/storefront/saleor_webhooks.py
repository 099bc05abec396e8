"""What the storefront does when Saleor calls: order webhooks and the shipping sync webhook.

- ORDER_CREATED / ORDER_FULLY_PAID: the order's van tasks (:mod:`.van_tasks`);
- ORDER_CANCELLED: the order's van tasks are cancelled, goods on board go back (:func:`.van_tasks.cancel_order`);
- SHIPPING_LIST_METHODS_FOR_CHECKOUT: the home-delivery slots (:func:`.offers.shipping_offers`).
"""

from marketplace.saleor.registry import register_handler, register_shipping_provider

ORDER_EVENTS = ("ORDER_CREATED", "ORDER_FULLY_PAID")
HANDLER_NAME = "storefront.plan_order"
CANCEL_HANDLER_NAME = "storefront.cancel_van_tasks"


def connect() -> None:
    """Register our handlers with the adapter's registry (idempotent: safe on every ``ready()``)."""
    from .offers import shipping_offers
    from .van_tasks import handle_order_cancelled, handle_order_event

    for event in ORDER_EVENTS:
        register_handler(event, HANDLER_NAME, handle_order_event)
    register_handler("ORDER_CANCELLED", CANCEL_HANDLER_NAME, handle_order_cancelled)
    register_shipping_provider(shipping_offers)
