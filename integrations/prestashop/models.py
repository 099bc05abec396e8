"""What the bridge remembers: the shops it reads, the ids of both sides, and its runs.

``IdMapping`` makes every import idempotent: a PrestaShop record is created in Saleor once,
then updated only when its content hash changes. ``SyncRun`` holds the cursor (offset of the
next page of products) so that an interrupted run resumes where it stopped.
"""

from __future__ import annotations

from django.db import models


class PrestaShopSource(models.Model):
    """One PrestaShop shop (the CCI platform, or a merchant's own shop).

    The Webservice key is typed by staff into the admin form and stored only encrypted
    (``FIELD_ENCRYPTION_KEY``). There is deliberately no way to name an environment variable
    instead: that would let an admin send any of the server's secrets to a URL of their choice.
    """

    class VendorMode(models.TextChoices):
        """What stands for a merchant on the shop."""

        MANUFACTURER = "manufacturer", "Fabricant (marque)"
        SUPPLIER = "supplier", "Fournisseur"
        SHOP = "shop", "Boutique"

    name = models.CharField(max_length=160, verbose_name="nom")
    url = models.URLField(help_text="Adresse de la boutique, par exemple https://boutique.example/", verbose_name="adresse de la boutique")
    key_encrypted = models.TextField(blank=True, verbose_name="clé d'API (chiffrée)")
    output_format = models.CharField(max_length=4, default="XML", choices=[("XML", "XML"), ("JSON", "JSON")], verbose_name="format des réponses")
    vendor_mode = models.CharField(max_length=20, choices=VendorMode.choices, default=VendorMode.MANUFACTURER, verbose_name="rattachement aux commerces")
    default_vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Vendeur des produits dont le fabricant n'est pas relié.", verbose_name="commerce par défaut",
    )
    french_language_id = models.PositiveIntegerField(
        "identifiant de la langue française", null=True, blank=True,
        help_text="À renseigner seulement si la clé Webservice ne peut pas lire les langues de la boutique "
                  "(ressource « languages ») : l'identifiant de la langue française dans PrestaShop "
                  "(International > Localisation > Langues). Sans lui, la synchronisation refuse de "
                  "deviner la langue des noms.",
    )
    active = models.BooleanField(default=True, verbose_name="active")
    ps_version = models.CharField(max_length=20, blank=True, verbose_name="version de PrestaShop")
    last_date_upd = models.CharField(max_length=19, blank=True, help_text="Plus grand date_upd importé (heure boutique).", verbose_name="dernière modification lue")
    orders_pulled_until = models.CharField(
        max_length=19, blank=True,
        help_text="Date de la dernière commande à livrer lue (heure boutique) : la relève suivante repart de là.", verbose_name="commandes lues jusqu'au",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créée le")

    class Meta:
        """Django options."""

        verbose_name = "boutique PrestaShop"

    def __str__(self) -> str:
        return self.name

    def set_key(self, key: str) -> None:
        """Store ``key`` encrypted (call ``save()`` afterwards)."""
        from marketplace.saleor.crypto import encrypt

        self.key_encrypted = encrypt(key)

    def key(self) -> str:
        """The Webservice key, decrypted.

        Raises
        ------
        ValueError
            When no key was entered, or the stored key cannot be decrypted.
        """
        if not self.key_encrypted:
            raise ValueError(f"PrestaShop source {self.pk} has no key")
        from marketplace.saleor.crypto import decrypt

        return decrypt(self.key_encrypted)


class VendorLink(models.Model):
    """A PrestaShop vendor (``manufacturer:3``, ``supplier:2``, ``shop:1``) -> our vendor."""

    source = models.ForeignKey(PrestaShopSource, on_delete=models.CASCADE, related_name="vendor_links")
    vendor_ref = models.CharField(max_length=40)
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="prestashop_links")

    class Meta:
        """Django options."""

        verbose_name = "lien vendeur PrestaShop"
        verbose_name_plural = "liens vendeurs PrestaShop"

        constraints = [models.UniqueConstraint(fields=["source", "vendor_ref"], name="prestashop_vendorlink_unique")]

    def __str__(self) -> str:
        return f"{self.vendor_ref} -> {self.vendor}"


class IdMapping(models.Model):
    """One PrestaShop record and the Saleor object made from it.

    ``ps_id`` is ``"12"`` for product 12 and ``"12:3"`` for its combination 3 (``"12:0"`` for
    the variant of a product without combinations).
    """

    class Resource(models.TextChoices):
        """Kinds of mapped records."""

        PRODUCT = "product", "Produit"
        VARIANT = "variant", "Déclinaison"
        CATEGORY = "category", "Catégorie"

    source = models.ForeignKey(PrestaShopSource, on_delete=models.CASCADE, related_name="mappings", verbose_name="boutique PrestaShop")
    resource = models.CharField(max_length=20, choices=Resource.choices, verbose_name="ressource")
    ps_id = models.CharField(max_length=40, verbose_name="identifiant PrestaShop")
    saleor_id = models.CharField(max_length=100, blank=True, verbose_name="identifiant Saleor")
    content_hash = models.CharField(max_length=64, blank=True, verbose_name="empreinte du contenu")
    ps_date_upd = models.CharField(max_length=19, blank=True, verbose_name="modifié dans PrestaShop le")
    ps_stock_available_id = models.PositiveIntegerField(null=True, blank=True, verbose_name="identifiant du stock PrestaShop")
    last_quantity = models.IntegerField(null=True, blank=True, help_text="Dernier stock PrestaShop recopié.", verbose_name="dernière quantité lue")
    extra = models.JSONField(default=dict, blank=True, verbose_name="compléments")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="modifiée le")

    class Meta:
        """Django options."""

        verbose_name = "correspondance d'identifiants"
        verbose_name_plural = "correspondances d'identifiants"

        constraints = [
            models.UniqueConstraint(fields=["source", "resource", "ps_id"], name="prestashop_idmapping_unique"),
        ]
        indexes = [models.Index(fields=["saleor_id"], name="prestashop_idmap_saleor")]

    def __str__(self) -> str:
        return f"{self.resource} {self.ps_id} -> {self.saleor_id}"


class SyncRun(models.Model):
    """One import run, with the cursor that lets it resume after an interruption."""

    class Kind(models.TextChoices):
        """What the run does."""

        FULL = "full", "Catalogue complet"
        INCREMENTAL = "incremental", "Modifications"
        STOCK = "stock", "Stock"

    class Status(models.TextChoices):
        """Where the run is."""

        RUNNING = "running", "En cours"
        FAILED = "failed", "Interrompu"
        DONE = "done", "Terminé"

    source = models.ForeignKey(PrestaShopSource, on_delete=models.CASCADE, related_name="runs", verbose_name="boutique PrestaShop")
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name="type de lecture")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING, verbose_name="état")
    since = models.CharField(max_length=19, blank=True, verbose_name="depuis le")
    next_offset = models.PositiveIntegerField(default=0, verbose_name="position suivante")
    pages = models.PositiveIntegerField(default=0, verbose_name="pages lues")
    created = models.PositiveIntegerField(default=0, verbose_name="créés")
    updated = models.PositiveIntegerField(default=0, verbose_name="modifiés")
    unchanged = models.PositiveIntegerField(default=0, verbose_name="inchangés")
    skipped = models.JSONField(default=list, blank=True, verbose_name="ignorés")
    review = models.JSONField(
        default=list, blank=True,
        help_text="Produits importés hors vente, à revoir : identifiant PrestaShop, code et raison.", verbose_name="à vérifier",
    )
    max_date_upd = models.CharField(max_length=19, blank=True, verbose_name="dernière modification vue")
    requests = models.PositiveIntegerField(default=0, verbose_name="requêtes")
    error = models.TextField(blank=True, verbose_name="erreur")
    resumed = models.PositiveIntegerField(default=0, help_text="Nombre de reprises après interruption.", verbose_name="reprises")
    started_at = models.DateTimeField(auto_now_add=True, verbose_name="commencée le")
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name="terminée le")

    class Meta:
        """Django options."""

        verbose_name = "synchronisation"
        verbose_name_plural = "synchronisations"

        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} ({self.get_status_display()})"


class StockDecrement(models.Model):
    """One sale on our side to subtract from PrestaShop's stock, applied at most once.

    ``sale_key`` is ``"<saleor order id>:<order line id>"`` (``":cancel"`` appended for the
    give-back when the order is cancelled).
    """

    class Status(models.TextChoices):
        """Push state."""

        PENDING = "pending", "À envoyer"
        DONE = "done", "Envoyé"
        FAILED = "failed", "Échec"

    source = models.ForeignKey(PrestaShopSource, on_delete=models.CASCADE, related_name="stock_decrements", verbose_name="boutique PrestaShop")
    sale_key = models.CharField(max_length=200, verbose_name="clé de la vente")
    stock_available_id = models.PositiveIntegerField(verbose_name="identifiant du stock PrestaShop")
    quantity = models.IntegerField(help_text="Quantité vendue (négative pour une annulation).", verbose_name="quantité")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name="état")
    method = models.CharField(max_length=10, blank=True, help_text="PATCH ou PUT.", verbose_name="méthode HTTP")
    result_quantity = models.IntegerField(null=True, blank=True, verbose_name="quantité après envoi")
    error = models.TextField(blank=True, verbose_name="erreur")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créée le")
    applied_at = models.DateTimeField(null=True, blank=True, verbose_name="appliquée le")

    class Meta:
        """Django options."""

        verbose_name = "baisse de stock"
        verbose_name_plural = "baisses de stock"

        constraints = [models.UniqueConstraint(fields=["source", "sale_key"], name="prestashop_decrement_unique")]

    def __str__(self) -> str:
        return f"{self.sale_key}: -{self.quantity}"
