"""Home slots, slot and relay-fridge reservations, orders as the platform sees them, consent.

The van's calendar (service areas, van days, cut-off) lives in :mod:`delivery.calendar`.

Times of day are integer seconds since local midnight; volumes are millilitres.
"""

from django.conf import settings
from django.db import models

from marketplace.territory.models import RelayPoint, Shopper


class SlotPattern(models.Model):
    """A home-delivery slot repeated every service day of an area, with its capacity in orders."""

    area = models.ForeignKey("delivery.ServiceArea", on_delete=models.CASCADE, related_name="patterns")
    start_s = models.PositiveIntegerField()
    end_s = models.PositiveIntegerField()
    capacity = models.PositiveSmallIntegerField(default=10)
    price_cents = models.PositiveIntegerField(default=300, help_text="Delivery fee, euro cents.")

    class Meta:
        ordering = ["area", "start_s"]

    def __str__(self) -> str:
        return f"{self.area.name} {self.start_s // 3600:02d}h–{self.end_s // 3600:02d}h"


class Slot(models.Model):
    """One dated home-delivery slot; created when first offered, locked when reserved."""

    pattern = models.ForeignKey(SlotPattern, on_delete=models.PROTECT, related_name="slots")
    date = models.DateField()
    capacity = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["date", "pattern__start_s"]
        constraints = [models.UniqueConstraint(fields=["pattern", "date"], name="storefront_one_slot_per_day")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m} {self.pattern}"

    @property
    def key(self) -> str:
        """The shipping-offer id of this slot, ``slot:<id>``."""
        return f"slot:{self.pk}"


class Reservation(models.Model):
    """Capacity held for a checkout: a home slot, or chilled room in a relay point's fridge.

    A hold expires unless its checkout becomes an order (``order_id`` set); one checkout holds
    at most one reservation.
    """

    checkout_id = models.CharField(max_length=120, unique=True)
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="reservations")
    relay_point = models.ForeignKey(RelayPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="reservations")
    date = models.DateField()
    chilled_ml = models.PositiveIntegerField(default=0, help_text="Fridge volume held at a relay point.")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty once the order is placed.")
    order_id = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot__isnull=False, relay_point__isnull=True)
                | models.Q(slot__isnull=True, relay_point__isnull=False),
                name="storefront_reservation_slot_xor_relay",
            ),
        ]


class Representative(models.Model):
    """Someone allowed to order for a person: a registered relative, or town-hall / CCAS staff."""

    class Relation(models.TextChoices):
        RELATIVE = "relative", "Proche"
        TOWN_HALL = "town_hall", "Agent de mairie"
        CCAS = "ccas", "CCAS"

    person = models.ForeignKey(Shopper, on_delete=models.CASCADE, related_name="representatives")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="represents")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "user"], name="storefront_one_representation")]


class Consent(models.Model):
    """The person's consent to one order placed on their behalf (who, how, when)."""

    class Method(models.TextChoices):
        PHONE = "phone", "Par téléphone"
        IN_PERSON = "in_person", "En personne"
        WRITTEN = "written", "Par écrit"

    person = models.ForeignKey(Shopper, on_delete=models.PROTECT, related_name="consents")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_taken")
    method = models.CharField(max_length=20, choices=Method.choices)
    statement = models.CharField(max_length=255, help_text="What the person agreed to, in their words.")
    given_at = models.DateTimeField(auto_now_add=True)


class ShopOrder(models.Model):
    """An order as the platform follows it: who it is for, how it is received, where it stands."""

    class Mode(models.TextChoices):
        COLLECT = "collect", "Retrait en boutique"
        RELAY = "relay", "Point relais"
        HOME = "home", "Livraison à domicile"

    class Channel(models.TextChoices):
        WEB = "web", "En ligne"
        PHONE = "phone", "Par téléphone"
        COUNTER = "counter", "Au guichet (mairie, CCAS)"

    class Payment(models.TextChoices):
        CARD = "card", "Carte bancaire"
        CASH = "cash", "Espèces à la livraison"
        CHEQUE = "cheque", "Chèque à la livraison"
        VOUCHER = "voucher", "Bon d'achat à la livraison"

    saleor_order_id = models.CharField(max_length=120, unique=True)
    number = models.CharField(max_length=30)
    checkout_id = models.CharField(max_length=120, unique=True)
    shopper = models.ForeignKey(Shopper, on_delete=models.PROTECT, related_name="orders")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders_placed")
    consent = models.OneToOneField(Consent, null=True, blank=True, on_delete=models.PROTECT)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    collect_vendor_slug = models.CharField(max_length=80, blank=True)
    relay_point = models.ForeignKey(RelayPoint, null=True, blank=True, on_delete=models.PROTECT)
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT)
    date = models.DateField(help_text="Day of collection by the van, or of pickup in the shop.")
    payment = models.CharField(max_length=10, choices=Payment.choices)
    total_cents = models.PositiveIntegerField()
    transaction_id = models.CharField(max_length=120, blank=True, help_text="Saleor transaction of the payment.")
    collected_at = models.DateTimeField(null=True, blank=True, help_text="Pay on delivery: when Saleor was told the money was collected.")
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text="When the order was cancelled (ORDER_CANCELLED or staff).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Commande {self.number}"
