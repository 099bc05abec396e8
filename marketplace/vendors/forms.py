"""Forms of the vendor dashboard, the staff onboarding pages and the invitation page (French)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from common.money import format_eur, format_number
from marketplace.core.fields import DecimalTextField, MoneyField
from marketplace.territory import geocoding
from marketplace.vendors.error_codes import VendorErrorCode as Code
from marketplace.vendors.error_codes import error

from .models import Product, ProductImage, ProductVariant, Vendor, VendorMembership
from .models.vendor import WEEKDAYS_FR
from .validators import validate_opening_hours

_INTERVAL = re.compile(r"^(\d{1,2})[:h](\d{2})\s*[-–à]\s*(\d{1,2})[:h](\d{2})$")


def parse_hours(text: str) -> list[list[str]]:
    """Parse ``"9:00-12:00, 14h00-19h00"`` into ``[["09:00", "12:00"], ["14:00", "19:00"]]``.

    An empty text or « fermé » means closed.

    Raises
    ------
    ValidationError
        When a part is not ``HH:MM-HH:MM`` (the message quotes it).
    """
    text = text.strip()
    if not text or text.lower() in {"fermé", "ferme", "-"}:
        return []
    intervals = []
    for part in re.split(r"[,;/]|\s{2,}|\set\s", text):
        part = part.strip()
        if not part:
            continue
        match = _INTERVAL.match(part)
        if not match:
            raise error(Code.HOURS_TEXT, part=part)
        h1, m1, h2, m2 = match.groups()
        intervals.append([f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"])
    return intervals


def format_hours(intervals: list[list[str]]) -> str:
    """The inverse of :func:`parse_hours`: ``"09:00-12:00, 14:00-19:00"`` (empty when closed)."""
    return ", ".join(f"{a}-{b}" for a, b in intervals)


class OpeningHoursMixin(forms.ModelForm):
    """Seven text fields, one per weekday, edited as ``09:00-12:00, 14:00-19:00``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hours = (self.instance.opening_hours or {}) if self.instance else {}
        for day, label in WEEKDAYS_FR.items():
            self.fields[f"hours_{day}"] = forms.CharField(
                label=label, required=False, initial=format_hours(hours.get(day, [])),
                help_text="Ex. 09:00-12:30, 14:30-19:00 ; vide = fermé.",
            )

    def clean(self):
        """Turn the seven day fields into ``opening_hours`` JSON on the instance."""
        data = super().clean()
        hours = {}
        for day in WEEKDAYS_FR:
            try:
                intervals = parse_hours(data.get(f"hours_{day}", ""))
            except ValidationError as exc:
                self.add_error(f"hours_{day}", exc)
                continue
            if intervals:
                hours[day] = intervals
        try:
            validate_opening_hours(hours)
        except ValidationError as exc:
            self.add_error(None, exc)
        self.instance.opening_hours = hours
        return data


class VendorStaffForm(OpeningHoursMixin):
    """Everything about a vendor, for the platform staff."""

    class Meta:
        """Django options."""

        model = Vendor
        fields = ["name", "slug", "kind", "legal_name", "siret", "vat_number", "description", "email", "phone",
                  "address", "commune", "accepts_click_and_collect", "commission_rate", "active"]
        field_classes = {"commission_rate": DecimalTextField}

    def clean(self):
        """Also place the shop on the map from its address and commune (nobody types coordinates)."""
        data = super().clean()
        if self.instance.lon is None or {"address", "commune"} & set(self.changed_data):
            commune = data.get("commune") or (self.instance.commune if self.instance.commune_id else None)
            self.instance.address = data.get("address") or self.instance.address
            if commune is not None:  # no commune typed (a refused form): nothing to place yet
                self.instance.commune = commune
                geocoding.place(self.instance)
        return data


class ShopForm(OpeningHoursMixin):
    """What a vendor's owner may change about the shop (not legal details or commission)."""

    class Meta:
        """Django options."""

        model = Vendor
        fields = ["description", "email", "phone", "accepts_click_and_collect"]


class InviteForm(forms.Form):
    """Invite someone to a vendor's dashboard by email."""

    email = forms.EmailField(label="Adresse e-mail")
    role = forms.ChoiceField(label="Rôle", choices=VendorMembership.Role.choices, initial=VendorMembership.Role.OWNER)


class RecommendForm(forms.Form):
    """A vendor invites another business: what a neighbour can know of it (the team checks the rest)."""

    name = forms.CharField(label="Nom du commerce (enseigne)", max_length=160)
    kind = forms.ChoiceField(label="Type", choices=Vendor.Kind.choices)
    siret = forms.CharField(label="SIRET (14 chiffres)", max_length=20,
                            help_text="Sur une facture ou sur annuaire-entreprises.data.gouv.fr.")
    address = forms.CharField(label="Adresse du commerce", max_length=255)
    commune = forms.ModelChoiceField(label="Commune", queryset=None, empty_label="Choisissez la commune")
    email = forms.EmailField(label="Adresse e-mail du responsable")

    def __init__(self, *args, **kwargs):
        from marketplace.territory.models import Commune

        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")


class AcceptInvitationForm(forms.Form):
    """Choose one's name and password when accepting an invitation."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(label="Mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label="Confirmez le mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_password2(self):
        """Both passwords must match."""
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise error(Code.PASSWORD_MISMATCH)
        return p2


class ProductForm(forms.ModelForm):
    """A product's description and marks (temperature, origin, unit, VAT), and its first photo.

    Words a shop owner uses: "Rayon", "Prix par", "Vient de"; the photo can be taken with the
    phone's camera right here (``capture``), before the first save. A producer's products
    come from the farm unless said otherwise; a new product goes on the shelf of the vendor's
    last one.
    """

    photo = forms.ImageField(
        label="Photo du produit", required=False,
        help_text="Touchez pour prendre une photo avec le téléphone, ou choisissez-en une.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    class Meta:
        """Django options."""

        model = Product
        fields = ["name", "category", "photo", "description", "temperature", "origin", "unit", "vat_rate", "published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": "Nom du produit", "category": "Rayon", "description": "Description (facultatif)",
                  "temperature": "Conservation", "origin": "Vient de", "unit": "Prix par",
                  "vat_rate": "Taux de TVA", "published": "En vente dans la boutique en ligne"}
        help_texts = {"name": "Ex. Baguette de tradition, Maroilles AOP.",
                      "unit": "Pour afficher le prix au kilo, au litre ou à la pièce.",
                      "vat_rate": "5,5 % pour presque toute l'alimentation ; demandez à votre comptable en cas de doute."}

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and vendor is not None:  # the instance's model defaults would win otherwise
            self.initial["origin"] = (Product.Origin.FARM if vendor.kind == vendor.Kind.PRODUCER
                                      else Product.Origin.SHOP)
            last = vendor.products.order_by("-pk").values_list("category", flat=True).first()
            if last:
                self.initial["category"] = last
        if self.instance.pk:
            self.fields["photo"].label = "Ajouter une photo"


class VariantForm(forms.ModelForm):
    """One variant: name, TTC price, quantity per item (for the unit price), stock.

    The price reads "6,50" and "6.50" alike (:class:`~marketplace.core.fields.MoneyField`). A
    saved price changed ten times up or down (6,50 € typed 65 or 0,65) is refused until the
    person ticks "Oui, ce nouveau prix est juste": a misplaced comma must not reach shoppers.
    """

    #: Ratio from which a price change asks for confirmation.
    PRICE_JUMP = 10

    confirm_price = forms.BooleanField(required=False, widget=forms.HiddenInput,
                                       label="Oui, ce nouveau prix est juste")

    class Meta:
        """Django options."""

        model = ProductVariant
        fields = ["price", "stock", "name", "unit_quantity", "weight_kg", "volume_ml", "sku"]
        field_classes = {"price": MoneyField, "unit_quantity": DecimalTextField, "weight_kg": DecimalTextField}
        labels = {"price": "Prix de vente (€)", "stock": "Nombre à vendre", "name": "Format",
                  "unit_quantity": "Quantité vendue", "weight_kg": "Poids (kg, facultatif)",
                  "sku": "Code article (facultatif)"}
        help_texts = {
            "price": "Le prix payé par le client, TVA comprise. Ex. 6,50.",
            "stock": "Combien vous en avez à vendre maintenant.",
            "name": "Ex. 250 g, la pièce, le pot de 500 g. Laissez vide si le produit n'a qu'un format.",
            "unit_quantity": "Sert au prix au kilo : 0,25 pour 250 g. Laissez 1 pour une pièce.",
            "sku": "Votre propre code, si vous en avez un ; sinon il est créé pour vous.",
        }

    #: The name of the only format of a one-size product (the storefront hides it).
    SINGLE = "Format unique"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].required = False
        self.fields["price"].required = True  # only an import may leave it unknown
        self.fields["name"].required = False

    def clean_name(self):
        """A product sold in one format needs no format name."""
        return self.cleaned_data.get("name") or self.SINGLE

    def clean(self):
        """Ask for confirmation of a price changed ×10 or more (either way)."""
        data = super().clean()
        old, new = (self.instance.price if self.instance.pk else None), data.get("price")
        if old and new and max(new / old, old / new) >= self.PRICE_JUMP and not data.get("confirm_price"):
            factor = format_number(max(new / old, old / new), 0)
            way = "plus cher" if new > old else "moins cher"
            self.fields["confirm_price"].widget = forms.CheckboxInput()
            self.add_error("price", error(Code.PRICE_JUMP, old=format_eur(old), new=format_eur(new),
                                          factor=factor, way=way))
        return data

    def validate_unique(self):
        """Report a taken SKU without saying which vendor uses it."""
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
        except ValidationError:
            self.add_error("sku", "Cette référence est déjà utilisée : choisissez-en une autre ou laissez vide.")


VariantFormSet = inlineformset_factory(
    Product, ProductVariant, form=VariantForm, extra=0, min_num=1, validate_min=True, can_delete=False,
)
#: The same with one blank format more ("Ajouter un autre format").
VariantFormSetPlusOne = inlineformset_factory(
    Product, ProductVariant, form=VariantForm, extra=1, min_num=1, validate_min=True, can_delete=False,
)


class ImageForm(forms.ModelForm):
    """Add a photo by upload or by URL, with its text alternative."""

    url = forms.URLField(label="ou adresse web de la photo", required=False, assume_scheme="https")

    class Meta:
        """Django options."""

        model = ProductImage
        fields = ["image", "url", "alt"]
        labels = {"image": "Fichier photo"}

    def clean(self):
        """Require a file or a URL."""
        data = super().clean()
        if not data.get("image") and not data.get("url"):
            raise error(Code.NO_IMAGE)
        return data
