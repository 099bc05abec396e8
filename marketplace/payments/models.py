"""What this App, as a payment app, knows of each Saleor transaction it handles."""

from decimal import Decimal

from django.db import models


class PaymentSession(models.Model):
    """One Saleor ``TransactionItem`` paid through this App (cash, cheque, voucher).

    Amounts are euros as this App answered Saleor; Saleor keeps the authoritative copy. The
    money is charged only once ``collected_at`` says the driver or the shop has it.
    """

    saleor_api_url = models.CharField(max_length=255)
    transaction_id = models.CharField(max_length=200, help_text="Saleor's TransactionItem id.")
    psp_reference = models.CharField(max_length=64, unique=True, help_text="Our reference, given to Saleor.")
    method = models.CharField(max_length=20)
    source_id = models.CharField(max_length=200, help_text="The Saleor checkout or order paid.")
    currency = models.CharField(max_length=3, default="EUR")
    authorized = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    charged = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    refunded = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    canceled = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    collected_at = models.DateTimeField(null=True, blank=True, help_text="When the driver or the shop took the money.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "paiement en main propre"
        verbose_name_plural = "paiements en main propre"
        constraints = [
            models.UniqueConstraint(fields=["saleor_api_url", "transaction_id"], name="payments_one_session_per_transaction"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.psp_reference}"
