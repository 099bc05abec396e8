from django.apps import AppConfig


class PrestaShopConfig(AppConfig):
    """The bridge to the CCI Grand Hainaut PrestaShop marketplace: sources, id mappings, runs."""

    name = "integrations.prestashop"
    label = "prestashop"
    verbose_name = "Passerelle PrestaShop"

    def ready(self) -> None:
        """Subscribe to Saleor order events so that sales decrement PrestaShop's stock."""
        from . import stock

        stock.register_handlers()
