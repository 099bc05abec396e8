"""What this App, as a payment app, knows of each Saleor transaction it handles."""

from decimal import Decimal

from django.db import models


class PaymentSession(models.Model):
    """One Saleor ``TransactionItem`` paid through this App (cash, cheque, voucher).

    Amounts are euros as this App answered Saleor; Saleor keeps the authoritative copy. The
    money is charged only once ``collected_at`` says the driver or the shop has it.
    """

    saleor_api_url = models.CharField(max_length=255, verbose_name="adresse de l'API Saleor")
    transaction_id = models.CharField(max_length=200, help_text="Saleor's TransactionItem id.", verbose_name="identifiant de transaction Saleor")
    psp_reference = models.CharField(max_length=64, unique=True, help_text="Our reference, given to Saleor.", verbose_name="référence du prestataire de paiement")
    method = models.CharField(max_length=20, verbose_name="moyen de paiement")
    source_id = models.CharField(max_length=200, help_text="The Saleor checkout or order paid.", verbose_name="identifiant de la source")
    currency = models.CharField(max_length=3, default="EUR", verbose_name="devise")
    authorized = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"), verbose_name="montant autorisé")
    charged = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"), verbose_name="montant encaissé")
    refunded = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"), verbose_name="montant remboursé")
    canceled = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"), verbose_name="montant annulé")
    collected_at = models.DateTimeField(null=True, blank=True, help_text="When the driver or the shop took the money.", verbose_name="encaissé le")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créée le")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="modifiée le")

    class Meta:
        verbose_name = "paiement en main propre"
        verbose_name_plural = "paiements en main propre"
        constraints = [
            models.UniqueConstraint(fields=["saleor_api_url", "transaction_id"], name="payments_one_session_per_transaction"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.psp_reference}"
