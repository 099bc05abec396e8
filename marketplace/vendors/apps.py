from django.apps import AppConfig


class VendorsConfig(AppConfig):
    """Vendors: shops, artisans and producers, their dashboard, orders and statements."""

    name = "marketplace.vendors"
    label = "vendors"
    verbose_name = "Vendeurs"

    def ready(self) -> None:
        """Subscribe to Saleor's order webhooks, so each vendor's share of an order is recorded."""
        from . import saleor_webhooks

        saleor_webhooks.connect()
