"""Each vendor's share of a marketplace order: a local projection of the Saleor order lines."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from common import money

from .catalogue import ProductVariant
from .vendor import Vendor


class VendorOrder(models.Model):
    """The part of one Saleor order that one vendor prepares.

    ``commission_rate`` is copied from the vendor when the order is recorded, so a later change
    of rate never rewrites past statements. Amounts are euros TTC.
    """

    class Status(models.TextChoices):
        """Preparation states."""

        NEW = "new", "À préparer"
        PREPARED = "prepared", "Préparée"
        CANCELLED = "cancelled", "Annulée"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="orders", verbose_name="commerce")
    saleor_order_id = models.CharField(max_length=100, verbose_name="identifiant de commande Saleor")
    number = models.CharField("numéro", max_length=40)
    placed_at = models.DateTimeField("passée le")
    customer_name = models.CharField("client", max_length=160, blank=True)
    delivery_method = models.CharField("mode de retrait", max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, verbose_name="état")
    commission_rate = models.DecimalField(max_digits=5, decimal_places=2, verbose_name="taux de commission")
    currency = models.CharField(max_length=3, default="EUR", verbose_name="devise")
    saleor_fulfillment_id = models.CharField(max_length=100, blank=True, verbose_name="identifiant d'expédition Saleor")
    refunded_at = models.DateTimeField(
        "remboursée le", null=True, blank=True,
        help_text="A cancelled order whose payment Saleor's payment app refunded (shown in the statement).")
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name="enregistrée le")

    class Meta:
        """Django options."""

        verbose_name = "commande vendeur"
        verbose_name_plural = "commandes vendeurs"

        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "saleor_order_id"], name="vendor_order_once_per_vendor"),
        ]

    def __str__(self) -> str:
        return f"Commande {self.number} – {self.vendor}"

    @property
    def total(self) -> Decimal:
        """Sum of the line totals (euros TTC)."""
        return sum((line.total_price for line in self.lines.all()), Decimal("0"))


class VendorOrderLine(models.Model):
    """One order line from this vendor's warehouse, and whether it has been prepared."""

    order = models.ForeignKey(VendorOrder, on_delete=models.CASCADE, related_name="lines")
    saleor_line_id = models.CharField(max_length=100)
    variant = models.ForeignKey(ProductVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=120, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=9, decimal_places=2, help_text="Euros TTC.")
    total_price = models.DecimalField(max_digits=10, decimal_places=2, help_text="Euros TTC.")
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent.")
    temperature = models.CharField(max_length=10, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        """Django options."""

        verbose_name = "ligne de commande vendeur"
        verbose_name_plural = "lignes de commande vendeur"

        ordering = ["product_name", "variant_name"]
        constraints = [
            models.UniqueConstraint(fields=["order", "saleor_line_id"], name="vendor_order_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} {self.variant_name}".strip()

    @property
    def total_excl_tax(self) -> Decimal:
        """The line total without VAT (euros, half-up to the cent; see :func:`common.money.excl_vat`)."""
        return money.excl_vat(self.total_price, self.vat_rate)
