from django.apps import AppConfig


class VouchersConfig(AppConfig):
    """The territory's gift vouchers ("chèques cadeaux du Pays de Mormal"), kept as Saleor gift cards."""

    name = "marketplace.vouchers"
    label = "vouchers"
    verbose_name = "Chèques cadeaux"
