"""A vendor (shop, artisan or producer), the people who run it, and invitations to join it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from marketplace.territory.models import Commune
from marketplace.vendors.error_codes import VendorErrorCode as Code
from marketplace.vendors.error_codes import error

from ..validators import validate_opening_hours, validate_siret, validate_vat_number

WEEKDAYS_FR = {"1": "Lundi", "2": "Mardi", "3": "Mercredi", "4": "Jeudi", "5": "Vendredi", "6": "Samedi", "7": "Dimanche"}


class Vendor(models.Model):
    """One seller on the marketplace, with its legal identity, place and Saleor warehouse.

    ``commission_rate`` is a percentage (0–30) of the TTC sales the platform keeps.
    ``opening_hours`` maps ISO weekday numbers (``"1"`` = Monday) to lists of
    ``["HH:MM", "HH:MM"]`` intervals, like ``territory.RelayPoint``.
    """

    class Kind(models.TextChoices):
        """Kinds of vendor."""

        MERCHANT = "merchant", "Commerçant"
        ARTISAN = "artisan", "Artisan"
        PRODUCER = "producer", "Producteur"

    name = models.CharField("enseigne", max_length=160)
    slug = models.SlugField(unique=True, max_length=80, verbose_name="identifiant d'adresse (slug)")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True, verbose_name="description")
    legal_name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    vat_number = models.CharField("TVA intracommunautaire", max_length=13, blank=True, validators=[validate_vat_number])
    email = models.EmailField(blank=True, verbose_name="adresse e-mail")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="vendors", verbose_name="commune")
    lon = models.FloatField(help_text="Longitude WGS84, degrés.", verbose_name="longitude")
    lat = models.FloatField(help_text="Latitude WGS84, degrés.", verbose_name="latitude")
    opening_hours = models.JSONField("horaires", default=dict, blank=True, validators=[validate_opening_hours])
    accepts_click_and_collect = models.BooleanField("retrait en boutique", default=True)
    commission_rate = models.DecimalField(
        "commission (%)", max_digits=5, decimal_places=2, default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))],
    )
    saleor_warehouse_id = models.CharField(max_length=100, blank=True, verbose_name="identifiant d'entrepôt Saleor")
    active = models.BooleanField(default=True, verbose_name="actif")
    referred_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="recruits", verbose_name="recommandé par",
        help_text="Le vendeur qui a invité cette entreprise depuis son tableau de bord (recrutement entre pairs).")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créé le")

    class Meta:
        """Django options."""

        verbose_name = "vendeur"
        verbose_name_plural = "vendeurs"

        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0, commission_rate__lte=30), name="vendor_commission_0_30",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Check that the VAT number, when given, belongs to the SIRET's company (same SIREN).

        Raises
        ------
        ValidationError
            On ``vat_number`` when its SIREN differs from the SIRET's first nine digits.
        """
        from django.core.exceptions import ValidationError

        if self.vat_number and self.siret and len(self.vat_number) == 13 and self.vat_number[4:] != self.siret[:9]:
            raise ValidationError(
                {"vat_number": error(Code.VAT_SIREN_MISMATCH, siren=self.siret[:9])}
            )

    @property
    def siren(self) -> str:
        """The company identifier: the SIRET's first nine digits."""
        return self.siret[:9]

    def hours_by_day(self) -> list[tuple[str, list[list[str]]]]:
        """Opening hours as ``(French weekday, intervals)`` pairs, Monday first, closed days included."""
        return [(label, self.opening_hours.get(day, [])) for day, label in WEEKDAYS_FR.items()]


class VendorMembership(models.Model):
    """A user who works for a vendor. A user account belongs to at most one vendor."""

    class Role(models.TextChoices):
        """Roles of a member."""

        OWNER = "owner", "Responsable"
        STAFF = "staff", "Employé"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_membership")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} @ {self.vendor} ({self.get_role_display()})"

    class Meta:
        """Django options."""

        verbose_name = "membre d'un vendeur"
        verbose_name_plural = "membres des vendeurs"


class Invitation(models.Model):
    """An emailed invitation to join a vendor; only the SHA-256 of its secret token is stored."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="invitations", verbose_name="commerce")
    email = models.EmailField(verbose_name="adresse e-mail")
    role = models.CharField("rôle", max_length=10, choices=VendorMembership.Role.choices, default=VendorMembership.Role.OWNER)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name="empreinte du jeton")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="invité par")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créée le")
    expires_at = models.DateTimeField(verbose_name="expire le")
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name="acceptée le")
    accepted_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="compte créé")

    class Meta:
        """Django options."""

        verbose_name = "invitation"
        verbose_name_plural = "invitations"

        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.vendor}"

    @property
    def is_usable(self) -> bool:
        """Not yet accepted and not expired."""
        return self.accepted_at is None and timezone.now() < self.expires_at
