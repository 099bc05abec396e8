"""A shopper's saved addresses; the chosen one is their home for the van and Saleor's shipping address."""

from django.db import models

from marketplace.territory.models import Commune, Shopper


class SavedAddress(models.Model):
    """An address the shopper typed (street, postcode, commune), checked and placed on the map.

    ``commune`` is empty for an address outside the 52 communes (kept, but no home delivery).
    ``position_label`` says what the point is: the Base Adresse Nationale's label, or
    ``position approximative (mairie)``.
    """

    shopper = models.ForeignKey(Shopper, on_delete=models.CASCADE, related_name="saved_addresses")
    street = models.CharField("numéro et rue", max_length=200)
    postcode = models.CharField("code postal", max_length=5)
    city = models.CharField("commune", max_length=120)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    position_label = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "adresse enregistrée"
        verbose_name_plural = "adresses enregistrées"

    def __str__(self) -> str:
        return self.one_line

    @property
    def one_line(self) -> str:
        """``"3 rue Pasteur, 59530 Jolimetz"``."""
        return f"{self.street}, {self.postcode} {self.city}"
