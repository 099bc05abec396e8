# ruff: noqa: D106 - Django Meta and choices classes need no docstring
"""Order cycles, pickup points and slots, cycle orders and standing baskets.

Money is euros TTC (VAT included) as ``Decimal``; masses are grams. A cycle is open from
``opens_at`` (included) to ``closes_at`` (excluded): an order at the closing minute is late.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from delivery import coldchain
from delivery.calendar import delivery_day_problem
from marketplace.territory.models import Commune
from marketplace.vendors.models import ProductVariant, Vendor


class PickupPoint(models.Model):
    """A place where customers collect their cycle orders (a farm shop, a hall, a café).

    ``holds_chilled`` / ``holds_frozen`` say whether it has a fridge / a freezer; a point that
    has neither is offered only for baskets of ambient goods.
    """

    name = models.CharField("nom", max_length=160)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="pickup_points", verbose_name="commune")
    address = models.CharField("adresse", max_length=255)
    lon = models.FloatField(help_text="Longitude WGS84, degrés.", verbose_name="longitude")
    lat = models.FloatField(help_text="Latitude WGS84, degrés.", verbose_name="latitude")
    holds_chilled = models.BooleanField("garde le frais", default=True)
    holds_frozen = models.BooleanField("garde le surgelé", default=False)
    active = models.BooleanField(default=True, verbose_name="actif")
    saleor_warehouse_id = models.CharField(max_length=100, blank=True, verbose_name="identifiant d'entrepôt Saleor")

    class Meta:
        verbose_name_plural = "points de retrait"
        ordering = ["commune__name", "name"]
        verbose_name = "point de retrait"

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})"

    def accepts(self, temperature: str) -> bool:
        """Whether goods of this temperature class may wait here (:func:`delivery.coldchain.may_wait_at`)."""
        return coldchain.may_wait_at(temperature, fridge=self.holds_chilled, freezer=self.holds_frozen)


class OrderCycle(models.Model):
    """One round of orders to the producers, e.g. "Semaine du 7 décembre".

    ``closed_at`` is set once by the closing action; ``close_report`` records what it did.
    ``home_delivery_on`` empty means no home delivery by the van in this cycle.
    """

    name = models.CharField("nom", max_length=120)
    opens_at = models.DateTimeField("ouverture des commandes")
    closes_at = models.DateTimeField("clôture des commandes")
    home_delivery_on = models.DateField("livraison à domicile le", null=True, blank=True)
    home_delivery_fee = models.DecimalField("frais de livraison (€)", max_digits=6, decimal_places=2, default=Decimal("3.00"))
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies", verbose_name="copié du cycle")
    baskets_applied_at = models.DateTimeField(null=True, blank=True, verbose_name="paniers réguliers appliqués le")
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name="clos le")
    close_report = models.JSONField(default=dict, blank=True, verbose_name="bilan de clôture")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créé le")

    class Meta:
        verbose_name_plural = "cycles de commande"
        ordering = ["-opens_at"]
        verbose_name = "cycle de commande"
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="cycle_closes_after_opening")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Keep the closing time on a whole minute, so "the closing minute" is unambiguous."""
        if self.closes_at:
            self.closes_at = self.closes_at.replace(second=0, microsecond=0)
        super().save(*args, **kwargs)

    def is_open(self, now) -> bool:
        """Open at ``now``: after opening, strictly before the closing minute, not yet closed."""
        return self.closed_at is None and self.opens_at <= now < self.closes_at

    def clean(self) -> None:
        """Refuse a home delivery day the van cannot serve with the orders of this cycle."""
        if self.home_delivery_on and self.closes_at:
            problem = delivery_day_problem(self.home_delivery_on, self.closes_at)
            if problem:
                raise ValidationError({"home_delivery_on": f"Livraison à domicile impossible : {problem}."})


class CycleProducer(models.Model):
    """A producer taking part in a cycle, with the minimum (euros TTC) it needs to make the trip."""

    cycle = models.ForeignKey(OrderCycle, on_delete=models.CASCADE, related_name="producers")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="cycle_participations")
    minimum_amount = models.DecimalField("minimum de commandes (€)", max_digits=9, decimal_places=2, default=Decimal("0"))
    minimum_met = models.BooleanField(null=True, blank=True, help_text="Set at closing.")

    class Meta:
        verbose_name = "producteur du cycle"
        verbose_name_plural = "producteurs du cycle"
        ordering = ["vendor__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "vendor"], name="cycle_producer_once")]

    def __str__(self) -> str:
        return f"{self.vendor} — {self.cycle}"


class CycleProduct(models.Model):
    """A variant sold in a cycle; ``max_quantity`` caps the items sold in the whole cycle.

    The price is the variant's Saleor price (Saleor holds prices; the port has no per-line
    price override), so the cycle shows and charges exactly what the Saleor order says.
    """

    cycle = models.ForeignKey(OrderCycle, on_delete=models.CASCADE, related_name="products")
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="cycle_offers")
    max_quantity = models.PositiveIntegerField("quantité maximale", null=True, blank=True)

    class Meta:
        verbose_name = "produit du cycle"
        verbose_name_plural = "produits du cycle"
        ordering = ["variant__product__vendor__name", "variant__product__name", "variant__price"]
        constraints = [models.UniqueConstraint(fields=["cycle", "variant"], name="cycle_product_once")]

    def __str__(self) -> str:
        return f"{self.variant} ({self.cycle})"

    @property
    def vendor(self) -> Vendor:
        """The producer selling it."""
        return self.variant.product.vendor


class CyclePickup(models.Model):
    """A pickup point used in a cycle, and the date orders are ready there."""

    cycle = models.ForeignKey(OrderCycle, on_delete=models.CASCADE, related_name="pickups")
    point = models.ForeignKey(PickupPoint, on_delete=models.PROTECT, related_name="cycle_pickups")
    ready_on = models.DateField("prêt le")

    class Meta:
        verbose_name = "retrait du cycle"
        verbose_name_plural = "retraits du cycle"
        ordering = ["ready_on", "point__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "point"], name="cycle_pickup_once")]

    def __str__(self) -> str:
        return f"{self.point.name} — {self.ready_on:%d/%m}"

    def clean(self) -> None:
        """Refuse a "ready on" day the van cannot serve with the orders of the cycle."""
        cycle = getattr(self, "cycle", None)
        if self.ready_on and cycle is not None and cycle.closes_at:
            problem = delivery_day_problem(self.ready_on, cycle.closes_at)
            if problem:
                raise ValidationError({"ready_on": f"Dépôt au point de retrait impossible : {problem}."})


class PickupSlot(models.Model):
    """An opening window of a pickup point in a cycle; ``capacity`` is a number of orders."""

    pickup = models.ForeignKey(CyclePickup, on_delete=models.CASCADE, related_name="slots", verbose_name="retrait")
    date = models.DateField(verbose_name="date")
    starts = models.TimeField("de")
    ends = models.TimeField("à")
    capacity = models.PositiveSmallIntegerField("commandes au plus", default=10)

    class Meta:
        verbose_name = "créneau de retrait"
        verbose_name_plural = "créneaux de retrait"
        ordering = ["date", "starts"]
        constraints = [models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="slot_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.pickup.point.name}, {self.date:%d/%m} {self.starts:%H:%M}–{self.ends:%H:%M}"


class StandingBasket(models.Model):
    """A weekly basket placed again in every new cycle until the customer stops it."""

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing_baskets", verbose_name="client")
    mode = models.CharField(max_length=10, default="pickup", verbose_name="mode")
    point = models.ForeignKey(PickupPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="point de retrait")
    preferred_start = models.TimeField(null=True, blank=True, verbose_name="heure préférée")
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="personne qui retire")
    share_name = models.BooleanField(default=False, verbose_name="nom visible des producteurs")
    active = models.BooleanField(default=True, verbose_name="actif")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créé le")
    stopped_at = models.DateTimeField(null=True, blank=True, verbose_name="arrêté le")

    class Meta:
        verbose_name = "panier régulier"
        verbose_name_plural = "paniers réguliers"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Panier de {self.customer} ({'actif' if self.active else 'arrêté'})"


class StandingBasketItem(models.Model):
    """One variant and quantity of a standing basket."""

    basket = models.ForeignKey(StandingBasket, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField()

    class Meta:
        """Django options."""

        verbose_name = "article de panier régulier"
        verbose_name_plural = "articles de panier régulier"


class CycleOrder(models.Model):
    """A customer's order in a cycle, held in Saleor as ``saleor_order_id`` (pay at pickup).

    ``pending`` holds the slot place while Saleor is called; ``cancelled`` releases it.
    ``collector`` is another member who collects it; ``share_name`` is the customer's consent
    to show their name to the producers.
    """

    class Mode(models.TextChoices):
        PICKUP = "pickup", "Retrait en point de retrait"
        HOME = "home", "Livraison à domicile"

    class Status(models.TextChoices):
        PENDING = "pending", "En cours d'enregistrement"
        CONFIRMED = "confirmed", "Confirmée"
        CANCELLED = "cancelled", "Annulée"

    cycle = models.ForeignKey(OrderCycle, on_delete=models.PROTECT, related_name="orders", verbose_name="cycle de commande")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cycle_orders", verbose_name="client")
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="cycle_orders_to_collect", verbose_name="personne qui retire")
    share_name = models.BooleanField("nom visible des producteurs", default=False)
    mode = models.CharField(max_length=10, choices=Mode.choices, verbose_name="mode")
    slot = models.ForeignKey(PickupSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="orders", verbose_name="créneau de retrait")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name="état")
    delivery_fee = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"), verbose_name="frais de livraison")
    standing_basket = models.ForeignKey(StandingBasket, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders", verbose_name="panier régulier")
    saleor_order_id = models.CharField(max_length=100, blank=True, verbose_name="identifiant de commande Saleor")
    saleor_number = models.CharField(max_length=40, blank=True, verbose_name="numéro de commande Saleor")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créée le")

    class Meta:
        verbose_name = "commande du cycle"
        verbose_name_plural = "commandes du cycle"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "standing_basket"], name="one_order_per_basket_and_cycle",
                                    condition=Q(standing_basket__isnull=False)),
            models.CheckConstraint(condition=Q(mode="home") | Q(slot__isnull=False), name="pickup_order_has_slot"),
        ]

    def __str__(self) -> str:
        return f"Commande {self.pk} — {self.cycle}"

    @property
    def active_lines(self) -> list["CycleOrderLine"]:
        """Lines not cancelled by a producer minimum."""
        return [ln for ln in self.lines.all() if ln.status == CycleOrderLine.Status.ACTIVE]

    @property
    def goods_total(self) -> Decimal:
        """Total of the active lines (euros TTC), without the delivery fee."""
        return sum((ln.total for ln in self.active_lines), Decimal("0"))


class CycleOrderLine(models.Model):
    """One product of a cycle order; ``unit_price`` is the Saleor order line's price."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Maintenue"
        CANCELLED = "cancelled", "Annulée (minimum du producteur non atteint)"

    order = models.ForeignKey(CycleOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(CycleProduct, on_delete=models.PROTECT, related_name="lines")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="cycle_order_lines")
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=120, blank=True)
    temperature = models.CharField(max_length=10, default="ambient")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    weight_g = models.PositiveIntegerField(default=0, help_text="Grams per item.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = "ligne de commande du cycle"
        verbose_name_plural = "lignes de commande du cycle"
        ordering = ["vendor__name", "product_name", "variant_name"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} {self.variant_name}".strip()

    @property
    def total(self) -> Decimal:
        """``quantity × unit_price`` (euros TTC)."""
        return self.unit_price * self.quantity
