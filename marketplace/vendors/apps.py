from django.apps import AppConfig


class VendorsConfig(AppConfig):
    """Vendors: shops, artisans and producers, their dashboard, orders and statements."""

    name = "marketplace.vendors"
    label = "vendors"
    verbose_name = "Vendeurs"
