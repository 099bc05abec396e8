from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The shoppers' side: catalogue, one cart across vendors, three ways to receive the order."""

    name = "marketplace.storefront"
    label = "storefront"
    verbose_name = "Boutique en ligne"

    def ready(self) -> None:
        """Register the storefront's Saleor webhook handlers."""
        from . import wiring

        wiring.connect()
