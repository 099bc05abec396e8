"""What the App keeps beside Saleor's gift cards: who a batch was for, and each spend it made.

Saleor keeps the balance (one engine, no parallel ledger). :class:`Voucher` is one row per gift
card the App has seen, keyed by its Saleor id: the row staff issue from, the row a door spend
locks (``select_for_update``) so two uses never take the same euros, and a copy of the last
balance read for the staff figures. :class:`VoucherSpend` records each amount the App itself
took at the door, once per voucher and order (the idempotency key), with where it was recorded.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models


class VoucherBatch(models.Model):
    """Vouchers issued together by staff: same amount, expiry and tag (who they are for)."""

    tag = models.CharField("pour", max_length=100, help_text="Par exemple « CCAS 2027 » ou un employeur.")
    amount = models.DecimalField("montant par chèque", max_digits=8, decimal_places=2)
    count = models.PositiveIntegerField("nombre")
    expiry_date = models.DateField("valable jusqu'au", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="émis par")
    issued_at = models.DateTimeField("émis le")

    class Meta:
        verbose_name = "lot de chèques cadeaux"
        verbose_name_plural = "lots de chèques cadeaux"
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.count} × {self.amount} € — {self.tag}"

    @property
    def total(self) -> Decimal:
        """Face value of the whole batch, in euros."""
        return self.amount * self.count


class VoucherPurchase(models.Model):
    """E-vouchers a shopper buys online: one Saleor checkout of the gift-card product, paid by card.

    Saleor issues the cards when the order is fully paid; the ``ORDER_FULLY_PAID`` handler finds
    them (:mod:`.online`), links them here and e-mails the PDF once (``emailed_at``).
    """

    buyer = models.ForeignKey("territory.Shopper", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="voucher_purchases", verbose_name="acheteur")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="passée par")
    amount = models.DecimalField("montant par chèque", max_digits=8, decimal_places=2)
    quantity = models.PositiveIntegerField("nombre")
    recipient_name = models.CharField("pour (nom)", max_length=120, blank=True)
    recipient_email = models.EmailField("pour (e-mail)", blank=True)
    message = models.TextField("message", blank=True, max_length=500)
    checkout_id = models.CharField("panier Saleor", max_length=120, unique=True)
    saleor_order_id = models.CharField("commande Saleor", max_length=120, blank=True)
    order_number = models.CharField("commande", max_length=30, blank=True)
    created_at = models.DateTimeField("créé le")
    paid_at = models.DateTimeField("payé le", null=True, blank=True)
    emailed_at = models.DateTimeField("envoyé le", null=True, blank=True)
    emailed_to = models.EmailField("envoyé à", blank=True)

    class Meta:
        verbose_name = "achat de chèques cadeaux"
        verbose_name_plural = "achats de chèques cadeaux"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.amount} € (commande {self.order_number or 'à payer'})"

    @property
    def total(self) -> Decimal:
        """What the buyer pays, in euros."""
        return self.amount * self.quantity


class DeactivationReason(models.TextChoices):
    """Why the App deactivated a voucher bought online in Saleor."""

    CANCELLED = "cancelled", "Commande annulée"
    REFUNDED = "refunded", "Commande remboursée"


class Voucher(models.Model):
    """One Saleor gift card the App knows, keyed by its Saleor id (the lock for door spends)."""

    class Origin(models.TextChoices):
        BATCH = "batch", "Émis par l'équipe"
        ONLINE = "online", "Acheté en ligne"
        SEEN = "seen", "Présenté à la porte"

    gift_card_id = models.CharField("carte cadeau Saleor", max_length=120, unique=True,
                                    help_text="Identifiant de la carte cadeau (GiftCard) dans Saleor.")
    code = models.CharField("code", max_length=40, unique=True)
    batch = models.ForeignKey(VoucherBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers",
                              verbose_name="lot")
    origin = models.CharField("origine", max_length=10, choices=Origin.choices, default=Origin.BATCH)
    tag = models.CharField("pour", max_length=100, blank=True)
    initial_amount = models.DecimalField("montant initial", max_digits=8, decimal_places=2)
    balance = models.DecimalField("dernier solde lu", max_digits=8, decimal_places=2,
                                  help_text="Copie du solde Saleor à la dernière lecture.")
    expiry_date = models.DateField("valable jusqu'au", null=True, blank=True)
    created_at = models.DateTimeField("créé le")
    balance_read_at = models.DateTimeField("solde lu le")
    purchase = models.ForeignKey(VoucherPurchase, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="vouchers", verbose_name="achat en ligne")
    # Withdrawn when the order that sold it is cancelled or refunded (:mod:`.withdraw`)
    deactivated_at = models.DateTimeField("désactivé le", null=True, blank=True,
                                          help_text="Quand la carte a été désactivée dans Saleor (elle ne peut plus servir).")
    deactivation_reason = models.CharField("motif de désactivation", max_length=20, blank=True,
                                           choices=DeactivationReason.choices)
    spent_before_deactivation = models.DecimalField(
        "déjà dépensé avant la désactivation", max_digits=8, decimal_places=2, null=True, blank=True,
        help_text="Montant initial moins le solde lu dans Saleor au moment de la désactivation.")

    class Status(models.TextChoices):
        ACTIVE = "active", "Actif"
        DEACTIVATED = "deactivated", "Désactivé"

    class Meta:
        verbose_name = "chèque cadeau"
        verbose_name_plural = "chèques cadeaux"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"••••{self.code[-4:]} ({self.initial_amount} €)"

    @property
    def status(self) -> str:
        """``active`` or ``deactivated`` (:class:`Status`)."""
        return self.Status.DEACTIVATED if self.deactivated_at else self.Status.ACTIVE


class VoucherSpend(models.Model):
    """An amount taken from a voucher for one order (once per voucher and order).

    At the door the App takes it itself (``giftCardBalanceAdjust``); online Saleor takes it at
    checkout completion and the App notes what its rule took, for the vendors' statements.
    """

    class Channel(models.TextChoices):
        DOOR = "door", "À la livraison"
        ONLINE = "online", "En ligne"

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="spends", verbose_name="chèque cadeau")
    channel = models.CharField("où", max_length=10, choices=Channel.choices, default=Channel.DOOR)
    saleor_order_id = models.CharField("commande Saleor", max_length=120)
    order_number = models.CharField("commande", max_length=30, blank=True)
    amount = models.DecimalField("montant débité", max_digits=8, decimal_places=2)
    balance_after = models.DecimalField("solde restant", max_digits=8, decimal_places=2)
    due_after = models.DecimalField("reste à encaisser", max_digits=8, decimal_places=2)
    spent_at = models.DateTimeField("débité le")
    by = models.CharField("par", max_length=120, blank=True)
    transaction_id = models.CharField("transaction Saleor", max_length=120, blank=True,
                                      help_text="Transaction Saleor qui l'inscrit sur la commande (vide tant que ce n'est pas fait).")
    recorded_at = models.DateTimeField("inscrit sur la commande le", null=True, blank=True,
                                       help_text="Quand le paiement de la commande a été ajusté.")
    # Given back to the card when the order is cancelled (:func:`marketplace.vouchers.actions.give_back`)
    refund_balance_before = models.DecimalField(
        "solde avant recrédit", max_digits=8, decimal_places=2, null=True, blank=True,
        help_text="Solde de la carte juste avant que l'application la recrédite (noté avant de demander à Saleor).")
    refunded_at = models.DateTimeField("recrédité le", null=True, blank=True,
                                       help_text="Quand le montant est revenu sur la carte cadeau (commande annulée).")
    refund_recorded_at = models.DateTimeField("remboursement inscrit le", null=True, blank=True,
                                              help_text="Quand la transaction du chèque sur la commande a été marquée remboursée.")

    class Meta:
        verbose_name = "débit de chèque cadeau"
        verbose_name_plural = "débits de chèques cadeaux"
        ordering = ["spent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "saleor_order_id"], name="voucher_spent_once_per_order"),
            models.CheckConstraint(condition=models.Q(amount__gt=0) & models.Q(balance_after__gte=0),
                                   name="voucher_spend_positive_never_below_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} € de {self.voucher} (commande {self.order_number})"

    @property
    def psp_reference(self) -> str:
        """Our reference of this spend on the Saleor order (the transaction's ``pspReference``)."""
        return f"mormal-cheque-cadeau-{self.pk}"
