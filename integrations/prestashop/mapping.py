"""Pure mapping from PrestaShop records (decoded dicts) to the normalised catalogue.

The rules are written down in ``docs/prestashop-mapping.md``. In short: a product and its
combinations become one product with variants (a product without combinations gets one
variant, combination id 0); the variant price is the product's tax-excluded price plus the
combination's impact, and the tax-included price applies the French rate of the product's tax
rules group; names are taken in French only (a product without a French name is flagged for review); images become public URLs; stock comes from the
``stock_availables`` row of each (product, combination) pair.

Every function raises :class:`MappingError` (a ``ValueError``) with one plain sentence naming
the bad value, so the caller can log and skip that record and carry on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from common import money
from delivery import coldchain

from .catalogue import Category, Price, Product, Review, ReviewCode, Variant, Vendor

VENDOR_MODES = ("manufacturer", "supplier", "shop")
CENT = money.CENT
ROOT_CATEGORY_IDS = {1, 2}  # "Racine" and "Accueil" in every PrestaShop install


class MappingError(ValueError):
    """A record cannot be mapped; the message names the record and the bad value."""


# ---------------------------------------------------------------------------- scalar helpers


def text(value: Any) -> str:
    """A plain field as stripped text (``None`` and missing give ``""``)."""
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def as_int(value: Any, what: str, default: int | None = None) -> int | None:
    """Parse an id or quantity (PrestaShop often sends ids as strings)."""
    raw = text(value)
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise MappingError(f"{what} is {raw!r}, not a whole number.") from None
        if number != number.to_integral_value():
            raise MappingError(f"{what} is {raw!r}, not a whole number.") from None
        return int(number)


def as_decimal(value: Any, what: str, default: Decimal | None = None) -> Decimal | None:
    """Parse a price or a rate (``"4.166667"``)."""
    raw = text(value)
    if raw == "":
        return default
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise MappingError(f"{what} is {raw!r}, not a number.") from None
    if not number.is_finite():
        raise MappingError(f"{what} is {raw!r}, not a finite number.")
    return number


def tidy(amount: Decimal) -> Decimal:
    """Keep at most 6 decimals (PrestaShop's precision) and at least 2."""
    exact = amount.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize()
    return exact if -exact.as_tuple().exponent >= 2 else exact.quantize(CENT)


def plain_text(markup: str) -> str:
    """HTML description to plain text (tags removed, entities decoded, spaces collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


# ------------------------------------------------------------------------------- languages

FRENCH = "fr"


def translations(value: Any, languages: Mapping[str, str]) -> dict[str, str]:
    """A multilingual field as ``{iso_code: text}``, French first, then the others by language id.

    ``languages`` maps the shop's language ids to ISO codes (see :func:`~.pull.read_languages`);
    an id it does not know is kept as ``"lang-<id>"`` and is never taken for French. A plain
    string (JSON with one language) is returned under ``"und"``: its language is not known.
    """
    if isinstance(value, list):
        found = {}
        for item in value:
            if not isinstance(item, dict):
                continue
            lang_id = text(item.get("id"))
            found[languages.get(lang_id) or f"lang-{lang_id}"] = text(item.get("value"))
    else:
        found = {"und": text(value)} if text(value) else {}
    return dict(sorted(((k, v) for k, v in found.items() if v), key=lambda kv: kv[0] != FRENCH))


def french_text(value: Any, languages: Mapping[str, str]) -> str:
    """The French text of a multilingual field, or ``""``: never another language in its place."""
    return translations(value, languages).get(FRENCH, "")


# ---------------------------------------------------------------------------- reference data


def tax_rates_by_group(tax_rules: Iterable[dict], taxes: Iterable[dict], country_id: int | None) -> dict[int, Decimal]:
    """Rate (%) of each tax rules group for one country (France for this bridge).

    A group with no rule for the country maps to no rate, and so does a tax without a rate:
    an unknown rate stays unknown, never 0 %. Rules with a state or zip range (``id_state``
    not 0) are ignored: France has no state-level VAT.
    """
    rate_of: dict[int, Decimal] = {}
    for tax in taxes:
        tax_id = as_int(tax.get("id"), "tax id")
        rate = as_decimal(tax.get("rate"), f"rate of tax {tax_id}", None)
        if text(tax.get("active", "1")) in ("1", "") and tax_id is not None and rate is not None:
            rate_of[tax_id] = rate
    rates: dict[int, Decimal] = {}
    for rule in tax_rules:
        if country_id is not None and as_int(rule.get("id_country"), "tax rule country") != country_id:
            continue
        if as_int(rule.get("id_state"), "tax rule state", 0):
            continue
        group = as_int(rule.get("id_tax_rules_group"), "tax rules group")
        tax_id = as_int(rule.get("id_tax"), "tax rule tax")
        if group is not None and tax_id in rate_of:
            rates.setdefault(group, rate_of[tax_id])
    return rates


def map_vendor(kind: str, raw: Mapping[str, Any], languages: Mapping[str, str]) -> Vendor:
    """A shop, manufacturer or supplier record as a :class:`Vendor`."""
    ps_id = as_int(raw.get("id"), f"{kind} id")
    if ps_id is None:
        raise MappingError(f"{kind} record has no id: {dict(raw)!r:.120}")
    name = text(raw.get("name")) or french_text(raw.get("name"), languages) or f"{kind.capitalize()} {ps_id}"
    return Vendor(ref=f"{kind}:{ps_id}", kind=kind, ps_id=ps_id, name=name)


def map_category(raw: Mapping[str, Any], languages: Mapping[str, str]) -> Category:
    """A category record as a :class:`Category` (name in French first)."""
    ps_id = as_int(raw.get("id"), "category id")
    if ps_id is None:
        raise MappingError("category record has no id")
    parent = as_int(raw.get("id_parent"), f"parent of category {ps_id}", None)
    return Category(ps_id=ps_id, name=french_text(raw.get("name"), languages) or f"Catégorie {ps_id}",
                    parent_ps_id=parent or None)


# ------------------------------------------------------------------------------------- goods

#: What a feature's French name says it holds (folded words), and what its value means.
FEATURE_KINDS = (
    ("temperature", ("conservation", "temperature", "stockage")),
    ("weight", ("poids", "masse")),
    ("volume", ("contenance", "volume")),
    ("unit", ("unite de vente", "vendu au", "vendu a", "unite")),
)
TEMPERATURE_WORDS = (
    (coldchain.FROZEN, ("surgel", "congel", "-18")),
    (coldchain.CHILLED, ("frais", "refriger", "0-4", "0 a 4", "froid", "4 c")),
    (coldchain.AMBIENT, ("ambiant", "sec", "hors froid", "temperature ambiante")),
)
QUANTITY = re.compile(r"(\d+(?:[.,]\d+)?)\s*(kg|kilo|g|gr|l|litre|cl|ml)\b")
TO_KG = {"kg": Decimal(1), "kilo": Decimal(1), "g": Decimal("0.001"), "gr": Decimal("0.001")}
TO_ML = {"l": Decimal(1000), "litre": Decimal(1000), "cl": Decimal(10), "ml": Decimal(1)}


def feature_kind(name: str) -> str | None:
    """``"temperature"``, ``"weight"``, ``"volume"`` or ``"unit"`` for a feature's French name; else None."""
    folded = _fold(name)
    return next((kind for kind, words in FEATURE_KINDS if any(w in folded for w in words)), None)


def temperature_of(value: str) -> str:
    """The cold-chain class a feature value states (``"Frais (0-4 °C)"`` -> chilled), else ``unknown``."""
    folded = _fold(value).replace("°", "").replace("–", "-")
    return next((cls for cls, words in TEMPERATURE_WORDS if any(w in folded for w in words)), coldchain.UNKNOWN)


def weight_kg_of(value: str) -> Decimal | None:
    """Kilograms in ``"250 g"``, ``"1,5 kg"``; None when the text holds no mass."""
    match = QUANTITY.search(_fold(value))
    if not match or match.group(2) not in TO_KG:
        return None
    return (Decimal(match.group(1).replace(",", ".")) * TO_KG[match.group(2)]).normalize()


def volume_ml_of(value: str) -> int | None:
    """Millilitres in ``"75 cl"``, ``"1 l"``; None when the text holds no volume."""
    match = QUANTITY.search(_fold(value))
    if not match or match.group(2) not in TO_ML:
        return None
    return int(Decimal(match.group(1).replace(",", ".")) * TO_ML[match.group(2)])


def unit_of(value: str) -> str | None:
    """``"kg"``, ``"l"`` or ``"unit"`` for a unit text (PrestaShop's ``unity``, ``"€/kg"``, ``"le litre"``)."""
    folded = _fold(value)
    if re.search(r"\bkg\b|kilo", folded):
        return "kg"
    if re.search(r"\bl\b|litre", folded):
        return "l"
    if re.search(r"piece|unite|\bpc\b", folded):
        return "unit"
    return None


# ----------------------------------------------------------------------------------- products


@dataclass
class ShopContext:
    """Reference data a product needs to be mapped (read once per pull)."""

    shop_url: str
    source_key: str
    languages: dict[str, str] = field(default_factory=dict)
    tax_rates: dict[int, Decimal] = field(default_factory=dict)
    categories: dict[int, Category] = field(default_factory=dict)
    option_values: dict[int, tuple[str, str]] = field(default_factory=dict)
    features: dict[int, str] = field(default_factory=dict)  # feature id -> French name
    feature_values: dict[int, str] = field(default_factory=dict)  # feature value id -> French value
    vendor_mode: str = "manufacturer"
    default_shop_id: int = 1

    def category_path(self, category_id: int | None) -> list[str]:
        """Names from the top category down to ``category_id``, without Racine/Accueil."""
        path, seen = [], set()
        while category_id and category_id not in seen and category_id not in ROOT_CATEGORY_IDS:
            seen.add(category_id)
            category = self.categories.get(category_id)
            if category is None:
                break
            path.append(category.name)
            category_id = category.parent_ps_id
        return list(reversed(path))


def vendor_ref(raw: Mapping[str, Any], mode: str, default_shop_id: int) -> str:
    """The vendor key of a product: its manufacturer or supplier, else its default shop."""
    if mode not in VENDOR_MODES:
        raise ValueError(f"vendor mode {mode!r} is not one of {VENDOR_MODES}.")
    if mode in ("manufacturer", "supplier"):
        ps_id = as_int(raw.get(f"id_{mode}"), f"id_{mode}", 0)
        if ps_id:
            return f"{mode}:{ps_id}"
    shop_id = as_int(raw.get("id_shop_default"), "id_shop_default", 0) or default_shop_id
    return f"shop:{shop_id}"


def _price(excl: Decimal, rate: Decimal | None) -> Price:
    incl = None if rate is None else money.incl_vat(excl, rate)
    return Price(excl_tax=tidy(excl), incl_tax=incl, tax_rate=None if rate is None else rate.normalize())


def _associations(raw: Mapping[str, Any], name: str) -> list[dict]:
    assoc = raw.get("associations")
    if not isinstance(assoc, dict):
        return []
    items = assoc.get(name) or []
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def map_product(
    raw: Mapping[str, Any],
    combinations: Iterable[Mapping[str, Any]],
    stocks: Iterable[Mapping[str, Any]],
    ctx: ShopContext,
) -> Product:
    """Map one product with its combinations and stock rows.

    Parameters
    ----------
    raw : mapping
        The product record (``display=full``).
    combinations : iterable of mapping
        Its ``combinations`` records (possibly none).
    stocks : iterable of mapping
        Its ``stock_availables`` rows (``id_product_attribute`` 0 is the product itself).
    ctx : ShopContext
        Languages, tax rates, categories and option values of the shop.

    A product without a French name is mapped all the same, with ``name`` ``None`` and a
    :class:`~.catalogue.Review` saying so: it is imported unpublished, never shown in another
    language. So is a product whose French VAT rate is unknown (no tax rules group, or a group
    without a French rule): ``tax_rate`` and ``incl_tax`` are ``None``, never a guess.

    Raises
    ------
    MappingError
        If the id, the price, a combination's impact or a quantity is not a number.
    """
    ps_id = as_int(raw.get("id"), "product id")
    if ps_id is None:
        raise MappingError("product record has no id")
    names = translations(raw.get("name"), ctx.languages)
    review = []
    french_name = names.get(FRENCH) or None
    if french_name is None:
        review.append(Review.of(ReviewCode.NO_FRENCH_NAME))
    base_price = as_decimal(raw.get("price"), f"price of product {ps_id}", None)
    if base_price is None or base_price < 0:
        raise MappingError(f"price of product {ps_id} is {text(raw.get('price'))!r}; a price >= 0 is required")
    group = as_int(raw.get("id_tax_rules_group"), f"tax group of product {ps_id}", 0)
    rate = ctx.tax_rates.get(group) if group else None
    if rate is None:
        review.append(Review.of(ReviewCode.TAX_RATE_UNKNOWN, detail=(
            f"le groupe de règles de taxe n° {group} n'a pas de taux pour la France (ou la clé ne peut pas le lire)"
            if group else "le produit n'a pas de groupe de règles de taxe sur PrestaShop")))
    stock_by_attr: dict[int, tuple[int | None, int | None]] = {}
    for row in stocks:
        attr = as_int(row.get("id_product_attribute"), f"stock row of product {ps_id}", 0) or 0
        stock_by_attr[attr] = (as_int(row.get("id"), "stock_available id"),
                               as_int(row.get("quantity"), f"quantity of product {ps_id}/{attr}"))
    reference = text(raw.get("reference"))
    goods = read_goods(raw, ctx, ps_id)
    base_weight = as_decimal(raw.get("weight"), f"weight of product {ps_id}", Decimal(0)) or Decimal(0)
    variants = []
    default_comb = as_int(raw.get("id_default_combination") or raw.get("cache_default_attribute"), "default combination", 0)
    for comb in sorted(combinations, key=lambda c: as_int(c.get("id"), "combination id") or 0):
        comb_id = as_int(comb.get("id"), f"combination id of product {ps_id}")
        if not comb_id:
            raise MappingError(f"a combination of product {ps_id} has no id")
        impact = as_decimal(comb.get("price"), f"price impact of combination {comb_id}", Decimal(0))
        attributes: dict[str, str] = {}
        for value in _associations(comb, "product_option_values"):
            value_id = as_int(value.get("id"), "option value id")
            if value_id in ctx.option_values:
                group_name, value_name = ctx.option_values[value_id]
                attributes[group_name] = value_name
        stock_id, quantity = stock_by_attr.get(comb_id, (None, None))
        comb_weight = base_weight + (as_decimal(comb.get("weight"), f"weight of combination {comb_id}", Decimal(0))
                                     or Decimal(0))
        option_weight = next((weight_kg_of(v) for g, v in attributes.items() if feature_kind(g) == "weight"), None)
        variants.append(Variant(
            ps_combination_id=comb_id,
            external_reference=f"{ctx.source_key}:{ps_id}:{comb_id}",
            reference=text(comb.get("reference")) or reference,
            ean13=text(comb.get("ean13")),
            name=" - ".join(attributes.values()) or f"Déclinaison {comb_id}",
            attributes=attributes,
            price=_price(base_price + impact, rate),
            quantity=quantity,
            ps_stock_available_id=stock_id,
            is_default=text(comb.get("default_on")) == "1" or comb_id == default_comb,
            weight_kg=(comb_weight.normalize() if comb_weight > 0 else option_weight or goods.weight_kg),
            volume_ml=next((volume_ml_of(v) for g, v in attributes.items() if feature_kind(g) == "volume"), None)
            or goods.volume_ml,
            unit_quantity=goods.unit_quantity,
        ))
    if not variants:
        stock_id, quantity = stock_by_attr.get(0, (None, None))
        variants.append(Variant(
            ps_combination_id=0, external_reference=f"{ctx.source_key}:{ps_id}:0", reference=reference,
            ean13=text(raw.get("ean13")), name=french_name or f"Produit {ps_id}", attributes={},
            price=_price(base_price, rate), quantity=quantity, ps_stock_available_id=stock_id, is_default=True,
            weight_kg=base_weight.normalize() if base_weight > 0 else goods.weight_kg, volume_ml=goods.volume_ml,
            unit_quantity=goods.unit_quantity,
        ))
    rewrite = french_text(raw.get("link_rewrite"), ctx.languages) or f"product-{ps_id}"
    images = [f"{ctx.shop_url}{image_id}-large_default/{rewrite}.jpg"
              for image_id in (as_int(i.get("id"), "image id") for i in _associations(raw, "images")) if image_id]
    category_id = as_int(raw.get("id_category_default"), f"category of product {ps_id}", None)
    description = (french_text(raw.get("description_short"), ctx.languages)
                   or french_text(raw.get("description"), ctx.languages))
    return Product(
        ps_id=ps_id,
        external_reference=f"{ctx.source_key}:{ps_id}",
        vendor_ref=vendor_ref(raw, ctx.vendor_mode, ctx.default_shop_id),
        name=french_name,
        names=names,
        description=plain_text(description),
        category_ps_id=category_id or None,
        category_path=ctx.category_path(category_id),
        image_urls=images,
        active=text(raw.get("active")) != "0",
        date_upd=text(raw.get("date_upd")),
        variants=variants,
        review=review,
        temperature=goods.temperature,
        unit=goods.unit,
        to_fill=goods_to_fill(goods.temperature, goods.unit, variants),
    )


@dataclass(frozen=True)
class _Goods:
    temperature: str
    unit: str
    unit_quantity: Decimal
    weight_kg: Decimal | None
    volume_ml: int | None


def read_goods(raw: Mapping[str, Any], ctx: ShopContext, ps_id: int) -> _Goods:
    """Temperature class, price unit, weight and volume stated by a product's features (and ``unity``).

    A PrestaShop price is for one item, so the unit is ``unit`` (a piece) unless ``unity`` or a
    feature says kg or litre; then the item holds ``unit_price_ratio`` of them (price / unit price).
    What no feature states stays unknown: the temperature is ``unknown``, the weight ``None``.
    """
    temperature, weight, volume, unit = coldchain.UNKNOWN, None, None, unit_of(text(raw.get("unity")))
    for item in _associations(raw, "product_features"):
        kind = feature_kind(ctx.features.get(as_int(item.get("id"), "feature id") or 0, ""))
        value = ctx.feature_values.get(as_int(item.get("id_feature_value"), "feature value id") or 0, "")
        if kind == "temperature" and temperature == coldchain.UNKNOWN:
            temperature = temperature_of(value)
        elif kind == "weight" and weight is None:
            weight = weight_kg_of(value)
        elif kind == "volume" and volume is None:
            volume = volume_ml_of(value)
        elif kind == "unit" and unit is None:
            unit = unit_of(value)
    unit = unit or "unit"
    ratio = as_decimal(raw.get("unit_price_ratio"), f"unit price ratio of product {ps_id}", None)
    per_item = ratio.quantize(Decimal("0.001")) if unit != "unit" and ratio and ratio > 0 else Decimal(1)
    return _Goods(temperature, unit, per_item, weight, volume)


def goods_to_fill(temperature: str, unit: str, variants: Iterable[Variant]) -> list[str]:
    """What is missing before the product can be sold for delivery (the cold chain's one rule)."""
    return coldchain.missing_for_delivery(temperature, unit, [v.weight_kg for v in variants])


# ------------------------------------------------------------------------------------ shelves

#: Our storefront shelves (slugs of ``vendors.Product.Category``) and the words that lead there.
SHELF_KEYWORDS = (
    ("boulangerie", ("boulang", "pain", "patiss", "viennois", "brioche")),
    ("boucherie", ("boucher", "charcut", "viande", "saucisse", "jambon")),
    ("fromagerie", ("fromag", "cremerie", "maroilles", "lait", "yaourt", "beurre")),
    ("fruits-legumes", ("fruit", "legume", "pomme", "salade")),
    ("volailles-oeufs", ("volaille", "oeuf", "poulet", "canard")),
    ("miel", ("miel", "confiture")),
    ("boissons", ("boisson", "biere", "vin", "cidre", "jus")),
    ("artisanat", ("artisanat", "decoration", "bijou", "savon", "poterie")),
)
DEFAULT_SHELF = "epicerie"


def _fold(value: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe")


def shelf_for(category_path: list[str], name: str) -> str:
    """The storefront shelf of a product: the deepest category that names one, else its name.

    Falls back to ``"epicerie"``.
    """
    for text_ in [*reversed(category_path), name]:
        folded = _fold(text_)
        for shelf, words in SHELF_KEYWORDS:
            if any(word in folded for word in words):
                return shelf
    return DEFAULT_SHELF
