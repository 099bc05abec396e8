"""Communes of the Pays de Mormal, relay points, and shopper profiles with delivery facts."""

from django.conf import settings
from django.db import models


class Commune(models.Model):
    """One of the 52 communes (INSEE data shipped in ``data/ccpm_communes.csv``)."""

    insee = models.CharField(max_length=5, unique=True, verbose_name="code INSEE")
    name = models.CharField(max_length=120, verbose_name="nom")
    population = models.PositiveIntegerField(verbose_name="population")
    postal_codes = models.CharField(max_length=60, help_text="Space-separated postal codes.", verbose_name="codes postaux")
    lon = models.FloatField(help_text="Centroid longitude, WGS84 degrees.", verbose_name="longitude")
    lat = models.FloatField(help_text="Centroid latitude, WGS84 degrees.", verbose_name="latitude")
    town_hall_lon = models.FloatField(help_text="Town hall longitude, WGS84 degrees.", verbose_name="longitude de la mairie")
    town_hall_lat = models.FloatField(help_text="Town hall latitude, WGS84 degrees.", verbose_name="latitude de la mairie")

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def main_postal_code(self) -> str:
        """The first postal code of the commune."""
        return self.postal_codes.split()[0]


class RelayPoint(models.Model):
    """A place where parcels wait for their owner: a town hall, a shop or a third place.

    ``fridge_capacity_l`` is the chilled volume (litres) shared by every parcel left there on
    one day; ``opening_hours`` maps ISO weekday numbers (``"1"`` = Monday) to lists of
    ``["HH:MM", "HH:MM"]`` intervals.
    """

    class Kind(models.TextChoices):
        TOWN_HALL = "town_hall", "Mairie"
        SHOP = "shop", "Commerce"
        THIRD_PLACE = "third_place", "Tiers-lieu"

    name = models.CharField(max_length=160, verbose_name="nom")
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name="type de lieu")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="relay_points", verbose_name="commune")
    address = models.CharField(max_length=255, verbose_name="adresse")
    lon = models.FloatField(verbose_name="longitude")
    lat = models.FloatField(verbose_name="latitude")
    opening_hours = models.JSONField(default=dict, verbose_name="heures d'ouverture")
    fridge_capacity_l = models.PositiveIntegerField(default=0, help_text="Chilled capacity, litres per day.", verbose_name="capacité du réfrigérateur (l)")
    active = models.BooleanField(default=True, verbose_name="actif")
    saleor_warehouse_id = models.CharField(max_length=100, blank=True, verbose_name="identifiant d'entrepôt Saleor")

    class Meta:
        verbose_name = "point relais"
        verbose_name_plural = "points relais"
        ordering = ["commune__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})"


class Shopper(models.Model):
    """A shopper's delivery profile: address, the facts the driver needs, and who to call.

    Personal data shown to drivers is limited to name, address, phone and doorstep notes.
    ``address``, ``commune`` and the position are the home the van delivers to, copied from the
    chosen saved address (:class:`marketplace.shoppers.models.SavedAddress`); they are empty
    for a new account or a guest until one is given, and ``commune`` stays empty for an address
    outside the territory (no home delivery there).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shopper", verbose_name="compte")
    phone = models.CharField(max_length=30, blank=True, verbose_name="téléphone")
    email = models.EmailField(blank=True, help_text="A guest's e-mail (orders without an account); accounts use their own.", verbose_name="adresse e-mail")
    address = models.CharField(max_length=255, blank=True, verbose_name="adresse")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="shoppers", verbose_name="commune")
    lon = models.FloatField(null=True, blank=True, verbose_name="longitude")
    lat = models.FloatField(null=True, blank=True, verbose_name="latitude")
    saleor_customer_id = models.CharField(max_length=100, blank=True, help_text="The Saleor customer (User) of this account.", verbose_name="identifiant de client Saleor")
    doorstep_notes = models.CharField(max_length=255, blank=True, help_text="Sonner deux fois, chien… (imprimé sur la feuille de route).", verbose_name="consignes de livraison")
    access_codes = models.CharField(max_length=120, blank=True,
                                    help_text="Boîte à clés, digicode, portail : affichés sur le téléphone du chauffeur seulement, jamais imprimés.", verbose_name="codes d'accès")
    is_senior = models.BooleanField(default=False, verbose_name="personne âgée")
    is_isolated = models.BooleanField(default=False, verbose_name="personne isolée")
    contact_name = models.CharField(max_length=120, blank=True, help_text="Relative or CCAS to call on a failed delivery.", verbose_name="personne à prévenir")
    contact_phone = models.CharField(max_length=30, blank=True, verbose_name="téléphone de la personne à prévenir")
    contact_email = models.EmailField(blank=True, verbose_name="e-mail de la personne à prévenir")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def contact_address(self) -> str:
        """Where order e-mails go: the account's e-mail, else the guest's."""
        return self.user.email or self.email

    class Meta:
        """Django options."""

        verbose_name = "client"
        verbose_name_plural = "clients"
