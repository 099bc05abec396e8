from django.apps import AppConfig


class VouchersConfig(AppConfig):
    """The territory's gift vouchers ("chèques cadeaux du Pays de Mormal"), kept as Saleor gift cards."""

    name = "marketplace.vouchers"
    label = "vouchers"
    verbose_name = "Chèques cadeaux"

    def ready(self) -> None:
        """Keep and e-mail the gift cards Saleor issues when an order of e-vouchers is fully paid; withdraw them when it is cancelled or refunded."""
        from marketplace.saleor.registry import register_handler, register_setup_step

        from . import online, withdraw
        from .online import record_bought

        register_handler("ORDER_FULLY_PAID", "vouchers.record_bought", record_bought)
        withdraw.connect()
        register_setup_step("vouchers.product", online.setup_step)
