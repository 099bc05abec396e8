from django.apps import AppConfig


class ShoppersConfig(AppConfig):
    """Shoppers' own accounts (django-allauth), their Saleor customer and their addresses."""

    name = "marketplace.shoppers"
    verbose_name = "Comptes des clients"

    def ready(self) -> None:
        """Connect allauth's signals (confirmed e-mail, changed e-mail) to the Saleor customer."""
        from . import signals  # noqa: F401
