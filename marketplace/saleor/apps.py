"""Django app configuration of the Saleor adapter."""

from django.apps import AppConfig


class SaleorAppConfig(AppConfig):
    """The Saleor adapter (label ``saleor_app`` so it never clashes with a ``saleor`` package)."""

    name = "marketplace.saleor"
    label = "saleor_app"
    verbose_name = "Saleor"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Register the system checks."""
        from marketplace.saleor import checks  # noqa: F401
