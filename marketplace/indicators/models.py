"""Facts the indicators are computed from, one row per event, recorded idempotently.

``synthetic`` marks the demo's seeded history; the dashboard says so wherever it counts them.
Distances are kilometres, money euro cents.
"""

from django.db import models

from marketplace.territory.models import Commune
from marketplace.vendors.models import Vendor


class SaleFact(models.Model):
    """One vendor's share of one order."""

    order_ref = models.CharField(max_length=120)
    date = models.DateField(db_index=True)
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")
    customer_commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, help_text="collect, relay or home")
    channel = models.CharField(max_length=10, default="web")
    amount_cents = models.PositiveIntegerField()
    commission_cents = models.PositiveIntegerField(default=0)
    senior = models.BooleanField(default=False)
    isolated = models.BooleanField(default=False)
    customer_trip_km = models.FloatField(default=0, help_text="Round trip the customer would have driven to this shop.")
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "vente (indicateurs)"
        verbose_name_plural = "ventes (indicateurs)"
        constraints = [models.UniqueConstraint(fields=["order_ref", "vendor"], name="indicators_one_sale_per_vendor_share")]


class DeliveryFact(models.Model):
    """The outcome of one delivery stop (home, relay point or short-circuit pickup point)."""

    task_ref = models.CharField(max_length=200, unique=True)
    date = models.DateField(db_index=True)
    mode = models.CharField(max_length=20)
    commune = models.ForeignKey(Commune, null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12)
    fail_reason = models.CharField(max_length=20, blank=True)
    senior = models.BooleanField(default=False)
    isolated = models.BooleanField(default=False)
    on_time = models.BooleanField(null=True, blank=True, help_text=(
        "Delivered within the promised slot (the task's windows, Paris time, on its day); empty when failed "
        "or when nothing was promised."))
    household = models.CharField(max_length=40, blank=True, help_text="shopper:<id>, to count households served (never shown).")
    synthetic = models.BooleanField(default=False)

    class Meta:
        """Django options."""

        verbose_name = "remise (indicateurs)"
        verbose_name_plural = "remises (indicateurs)"


class RoundFact(models.Model):
    """A van round as planned for a day (the current plan wins)."""

    round_ref = models.CharField(max_length=120, unique=True, help_text="<date>:<van>")
    date = models.DateField(db_index=True)
    van = models.CharField(max_length=80)
    km = models.FloatField()
    hours = models.FloatField()
    deliveries = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)

    class Meta:
        """Django options."""

        verbose_name = "tournée (indicateurs)"
        verbose_name_plural = "tournées (indicateurs)"


class DeclaredRevenue(models.Model):
    """A vendor's whole turnover for a month, as the vendor declared it (to compute our share)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month.")
    revenue_cents = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = "chiffre d'affaires déclaré"
        verbose_name_plural = "chiffres d'affaires déclarés"
        constraints = [models.UniqueConstraint(fields=["vendor", "month"], name="indicators_one_declaration_per_month")]
