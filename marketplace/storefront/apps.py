from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The shoppers' side: catalogue, one cart across vendors, three ways to receive the order."""

    name = "marketplace.storefront"
    label = "storefront"
    verbose_name = "Boutique en ligne"

    def ready(self) -> None:
        """Answer Saleor's webhooks, and charge pay-on-delivery orders once the driver delivers."""
        from . import cash_on_delivery, saleor_webhooks

        saleor_webhooks.connect()
        cash_on_delivery.connect()
