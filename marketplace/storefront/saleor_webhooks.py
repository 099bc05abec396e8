"""What the storefront does when Saleor calls: order webhooks and the shipping sync webhook.

- ORDER_CREATED / ORDER_FULLY_PAID: the order's van tasks (:mod:`.van_tasks`);
- ORDER_CANCELLED: the order's van tasks are cancelled, goods on board go back (:func:`.van_tasks.cancel_order`);
- SHIPPING_LIST_METHODS_FOR_CHECKOUT: the home-delivery slots (:func:`.offers.shipping_offers`);
- PRODUCT_VARIANT_STOCK_UPDATED: the cached catalogue is forgotten (:func:`.catalogue.forget_catalogue`),
  as it is after every catalogue write through the port and every vendor saved.
"""

from marketplace.saleor.registry import register_handler, register_shipping_provider

ORDER_EVENTS = ("ORDER_CREATED", "ORDER_FULLY_PAID")
HANDLER_NAME = "storefront.plan_order"
CANCEL_HANDLER_NAME = "storefront.cancel_van_tasks"
CATALOGUE_HANDLER_NAME = "storefront.forget_catalogue"


def connect() -> None:
    """Register our handlers with the adapter's registry (idempotent: safe on every ``ready()``)."""
    from django.db.models.signals import post_delete, post_save

    from marketplace.saleor.signals import catalogue_changed
    from marketplace.vendors.models import Vendor

    from .catalogue import forget_catalogue
    from .offers import shipping_offers
    from .van_tasks import handle_order_cancelled, handle_order_event

    for event in ORDER_EVENTS:
        register_handler(event, HANDLER_NAME, handle_order_event)
    register_handler("ORDER_CANCELLED", CANCEL_HANDLER_NAME, handle_order_cancelled)
    register_shipping_provider(shipping_offers)
    register_handler("PRODUCT_VARIANT_STOCK_UPDATED", CATALOGUE_HANDLER_NAME, forget_catalogue)
    catalogue_changed.connect(forget_catalogue, dispatch_uid=CATALOGUE_HANDLER_NAME)
    for signal in (post_save, post_delete):  # a vendor's name, commune or activity shows on the cached pages
        signal.connect(forget_catalogue, sender=Vendor, dispatch_uid=f"{CATALOGUE_HANDLER_NAME}.vendor")
