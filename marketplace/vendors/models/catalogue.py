"""A vendor's catalogue as edited in its dashboard, mirrored to Saleor products and variants."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from common import money
from delivery import coldchain

from .vendor import Vendor

CENT = money.CENT


class Product(models.Model):
    """One product of one vendor. Saleor holds the published copy; ``saleor_product_id`` links them.

    Prices are TTC (VAT included) in euros on each variant; ``vat_rate`` is the VAT percentage.
    """

    class Category(models.TextChoices):
        """Shelves of the storefront (Saleor categories)."""

        BREAD = "boulangerie", "Boulangerie, pâtisserie"
        MEAT = "boucherie", "Boucherie, charcuterie"
        CHEESE = "fromagerie", "Fromages, crèmerie"
        VEGETABLES = "fruits-legumes", "Fruits et légumes"
        POULTRY = "volailles-oeufs", "Volailles et œufs"
        HONEY = "miel", "Miel et confitures"
        GROCERY = "epicerie", "Épicerie"
        DRINKS = "boissons", "Boissons"
        CRAFTS = "artisanat", "Artisanat"

    class Temperature(models.TextChoices):
        """Cold-chain class (:mod:`delivery.coldchain`); ``unknown`` until someone states it."""

        AMBIENT = coldchain.AMBIENT, coldchain.LABELS[coldchain.AMBIENT]
        CHILLED = coldchain.CHILLED, coldchain.LABELS[coldchain.CHILLED]
        FROZEN = coldchain.FROZEN, coldchain.LABELS[coldchain.FROZEN]
        UNKNOWN = coldchain.UNKNOWN, coldchain.LABELS[coldchain.UNKNOWN]

    class Origin(models.TextChoices):
        """Where it is made."""

        FARM = "farm", "De la ferme"
        SHOP = "shop", "De la boutique"

    class Unit(models.TextChoices):
        """What the unit price is per."""

        KG = "kg", "kg"
        UNIT = "unit", "pièce"
        LITRE = "l", "litre"

    class VatRate(models.TextChoices):
        """French VAT rates on food and goods (percent)."""

        REDUCED = "5.50", "5,5 % (alimentation)"
        INTERMEDIATE = "10.00", "10 %"
        STANDARD = "20.00", "20 %"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="products", verbose_name="commerce")
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(max_length=120, unique=True, verbose_name="identifiant d'adresse (slug)")
    description = models.TextField(blank=True, verbose_name="description")
    category = models.CharField("rayon", max_length=30, choices=Category.choices)
    temperature = models.CharField("conservation", max_length=10, choices=Temperature.choices, default=Temperature.AMBIENT)
    origin = models.CharField("origine", max_length=10, choices=Origin.choices, default=Origin.SHOP)
    unit = models.CharField("unité de prix", max_length=5, choices=Unit.choices, default=Unit.UNIT)
    vat_rate = models.CharField("TVA", max_length=6, choices=VatRate.choices, default=VatRate.REDUCED)
    published = models.BooleanField("en vente", default=True)
    weight_must_be_stated = models.BooleanField(
        "poids obligatoire", default=False,
        help_text="Produit importé : chaque déclinaison doit avoir son poids avant la livraison (jamais 500 g supposés).",
    )
    source_ref = models.CharField(
        max_length=120, blank=True,
        help_text="Où le produit est tenu à jour hors d'ici, ex. prestashop:boutique.example:12 (vide : ici).", verbose_name="référence d'origine",
    )
    saleor_product_id = models.CharField(max_length=100, blank=True, verbose_name="identifiant de produit Saleor")
    synced_at = models.DateTimeField(null=True, blank=True, verbose_name="envoyé à Saleor le")
    sync_error = models.CharField(max_length=500, blank=True, help_text="Last Saleor push failure, empty once pushed.", verbose_name="erreur d'envoi à Saleor")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="modifié le")

    class Meta:
        """Django options."""

        verbose_name = "produit"
        verbose_name_plural = "produits"

        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def missing_for_delivery(self) -> list[str]:
        """What the vendor must state before the van may carry it, in French (empty when ready).

        The rule is the cold chain's (:func:`delivery.coldchain.missing_for_delivery`).
        """
        weights = [v.weight_kg for v in self.variants.all()]
        missing = coldchain.missing_for_delivery(self.temperature, self.unit, weights,
                                                 weight_required=self.weight_must_be_stated)
        return [coldchain.DELIVERY_FACTS[key] for key in missing]


class ProductVariant(models.Model):
    """A sellable size or form of a product, with its TTC price and the vendor's stock.

    ``unit_quantity`` is how many price units (kg, pieces or litres) one item holds, so the
    price per unit is ``price / unit_quantity`` (e.g. a 250 g cheese at 4.50 € is 18.00 €/kg).
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField("déclinaison", max_length=120)
    sku = models.CharField("référence", max_length=64, unique=True)
    price = models.DecimalField(
        "prix TTC (€)", max_digits=9, decimal_places=2, validators=[MinValueValidator(CENT)], null=True, blank=True,
        help_text="Vide seulement pour un produit importé dont le taux de TVA est inconnu : pas en vente.",
    )
    unit_quantity = models.DecimalField(
        "quantité par article", max_digits=8, decimal_places=3, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    stock = models.PositiveIntegerField("stock", default=0)
    weight_kg = models.DecimalField("poids (kg)", max_digits=7, decimal_places=3, null=True, blank=True)
    volume_ml = models.PositiveIntegerField("volume (ml)", null=True, blank=True,
                                            help_text="Place prise par un article ; vide : estimée d'après le poids.")
    saleor_variant_id = models.CharField(max_length=100, blank=True)

    class Meta:
        """Django options."""

        verbose_name = "format de produit"
        verbose_name_plural = "formats de produit"

        ordering = ["product__name", "price"]

    def __str__(self) -> str:
        return f"{self.product.name} – {self.name}"

    @property
    def unit_price(self) -> Decimal | None:
        """The TTC price per kg, piece or litre (euros, half-up to the cent; see :mod:`common.money`)."""
        return None if self.price is None else money.per_unit(self.price, self.unit_quantity)

    @property
    def price_excl_tax(self) -> Decimal | None:
        """The price without VAT (euros, half-up to the cent; see :func:`common.money.excl_vat`); None if unknown."""
        if self.price is None or not self.product.vat_rate:
            return None
        return money.excl_vat(self.price, self.product.vat_rate)


class ProductImage(models.Model):
    """A product photo: an uploaded file in MEDIA_ROOT or an outside URL, pushed as Saleor media."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="vendors/products/%Y/%m/", blank=True)
    url = models.URLField(blank=True)
    alt = models.CharField("texte alternatif", max_length=200, blank=True)
    saleor_media_id = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        """Django options."""

        verbose_name = "photo de produit"
        verbose_name_plural = "photos de produit"

        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(image="") | ~models.Q(url=""), name="product_image_has_file_or_url",
            ),
        ]

    def __str__(self) -> str:
        return self.alt or self.url or self.image.name
