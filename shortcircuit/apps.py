from django.apps import AppConfig


class ShortCircuitConfig(AppConfig):
    """Producers' order cycles, pickup points, packing lists and the van collecting from farms."""

    name = "shortcircuit"
    label = "shortcircuit"
    verbose_name = "Circuit court"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Offer the cycle's home delivery through Saleor's shipping sync webhook."""
        from . import saleor_webhooks

        saleor_webhooks.connect()
