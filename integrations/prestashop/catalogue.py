"""The normalised catalogue read from a shop: typed values and their documented JSON form.

``pull-catalogue`` writes :meth:`Catalogue.to_json`; ``docs/prestashop-mapping.md`` shows an
example and the schema (``CATALOGUE_SCHEMA_VERSION``). Money is a decimal string in euros with
two decimals; tax rates are percentages as decimal strings (``"5.5"``); quantities are integers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

CATALOGUE_SCHEMA_VERSION = 2


class ReviewCode(StrEnum):
    """Why an imported product waits, unpublished, for a person to look at it."""

    NO_FRENCH_NAME = "no_french_name"
    TAX_RATE_UNKNOWN = "tax_rate_unknown"


#: What staff and the vendor read for each code (one place; the JSON carries both).
REVIEW_REASONS = {
    ReviewCode.NO_FRENCH_NAME: "Pas de nom en français sur la boutique PrestaShop : saisissez le nom français "
                               "avant la mise en vente (jamais affiché dans une autre langue).",
    ReviewCode.TAX_RATE_UNKNOWN: "Taux de TVA inconnu : {detail}. Le prix TTC n'est pas calculé tant que le taux "
                                 "n'est pas connu.",
}


@dataclass(frozen=True)
class Review:
    """One reason a product is imported unpublished, with the French sentence people read."""

    code: ReviewCode
    reason: str

    @classmethod
    def of(cls, code: ReviewCode, detail: str = "") -> Review:
        """The review item for ``code``, its sentence filled with ``detail``."""
        return cls(code, REVIEW_REASONS[code].format(detail=detail))


@dataclass(frozen=True)
class Vendor:
    """A merchant as PrestaShop sees it: a shop, a manufacturer or a supplier.

    ``ref`` (``"manufacturer:3"``) is the stable key the marketplace links to one vendor.
    """

    ref: str
    kind: str
    ps_id: int
    name: str


@dataclass(frozen=True)
class Category:
    """A PrestaShop category, with its names by language (French first)."""

    ps_id: int
    name: str
    parent_ps_id: int | None


@dataclass(frozen=True)
class Price:
    """A unit price in euros: tax excluded (PrestaShop's stored price), tax included, rate %."""

    excl_tax: Decimal
    incl_tax: Decimal | None
    tax_rate: Decimal | None


@dataclass(frozen=True)
class Variant:
    """One sellable item: a combination, or the product itself (``ps_combination_id == 0``)."""

    ps_combination_id: int
    external_reference: str
    reference: str
    ean13: str
    name: str
    attributes: dict[str, str]
    price: Price
    quantity: int | None
    ps_stock_available_id: int | None
    is_default: bool
    weight_kg: Decimal | None = None
    volume_ml: int | None = None
    unit_quantity: Decimal = Decimal(1)


@dataclass(frozen=True)
class Product:
    """A PrestaShop product with its variants and everything the marketplace shows.

    ``name`` is the French name, ``None`` when the shop has none (``names`` keeps every
    language read). ``review`` lists why the product must wait unpublished for a person.
    ``temperature`` (a :mod:`delivery.coldchain` class, ``unknown`` when no feature states it),
    ``unit`` and each variant's ``weight_kg``/``volume_ml`` come from PrestaShop's features;
    ``to_fill`` lists what the vendor must state before it can be sold for delivery.
    """

    ps_id: int
    external_reference: str
    vendor_ref: str
    name: str | None
    names: dict[str, str]
    description: str
    category_ps_id: int | None
    category_path: list[str]
    image_urls: list[str]
    active: bool
    date_upd: str
    variants: list[Variant]
    review: list[Review] = field(default_factory=list)
    temperature: str = "unknown"
    unit: str = "unit"
    to_fill: list[str] = field(default_factory=list)

    @property
    def sellable(self) -> bool:
        """Whether nothing stops the product from being published (its shop's ``active`` aside)."""
        return not self.review

    def content_hash(self) -> str:
        """SHA-256 of the product's content, without ``date_upd`` and stock quantities.

        Equal hashes mean the product and its variants need no update; stock is compared
        separately because it changes far more often than the catalogue.
        """
        data = asdict(self)
        data.pop("date_upd")
        for variant in data["variants"]:
            variant.pop("quantity")
        text = json.dumps(_jsonable(data), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A record left out, with the reason (logged as well)."""

    resource: str
    ps_id: str
    reason: str


@dataclass
class Catalogue:
    """Everything read from one shop in one pull."""

    source_url: str
    fetched_at: str
    ps_version: str | None
    languages: dict[str, str] = field(default_factory=dict)
    french_language_id: int | None = None
    french_language_from: str = ""
    vendors: list[Vendor] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    request_count: int = 0

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (see ``docs/prestashop-mapping.md``)."""
        return _jsonable({
            "schema_version": CATALOGUE_SCHEMA_VERSION,
            "source": {"url": self.source_url, "prestashop_version": self.ps_version,
                       "fetched_at": self.fetched_at, "request_count": self.request_count},
            "languages": self.languages,
            "french_language": {"id": self.french_language_id, "from": self.french_language_from},
            "vendors": [asdict(v) for v in self.vendors],
            "categories": [asdict(c) for c in self.categories],
            "products": [asdict(p) for p in self.products],
            "skipped": [asdict(s) for s in self.skipped],
            "review": [{"ps_id": p.ps_id, "code": r.code, "reason": r.reason} for p in self.products for r in p.review],
            "totals": {"vendors": len(self.vendors), "products": len(self.products),
                       "variants": sum(len(p.variants) for p in self.products),
                       "skipped": len(self.skipped),
                       "review": sum(1 for p in self.products if p.review)},
        })


def _jsonable(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
