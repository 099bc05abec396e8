"""Typed values exchanged with Saleor through the port (frozen dataclasses and enums).

Money is :class:`decimal.Decimal` in euros; weights are kilograms; quantities are integers;
identifiers are Saleor global IDs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

#: Slug of the product attribute (dropdown) that names a product's vendor.
VENDOR_ATTRIBUTE_SLUG = "vendor"
#: Metadata key holding the vendor slug on products, variants and warehouses.
VENDOR_METADATA_KEY = "mormal.vendor"
#: Metadata key marking what a warehouse stands for: "vendor" or "relay".
WAREHOUSE_ROLE_METADATA_KEY = "mormal.role"
#: Prefix of the order metadata keys that list the vendors of an order ("mormal.vendor.<slug>": "1").
ORDER_VENDOR_METADATA_PREFIX = "mormal.vendor."


class ClickAndCollect(enum.StrEnum):
    """Saleor's ``WarehouseClickAndCollectOptionEnum``."""

    DISABLED = "DISABLED"
    LOCAL = "LOCAL"  # collection point using this warehouse's own stock (a vendor's shop)
    ALL = "ALL"  # collection point served from every warehouse's stock (a relay point)


class PaymentFlow(enum.StrEnum):
    """Saleor's ``TransactionFlowStrategyEnum``: what ``transactionInitialize`` asks the payment app for."""

    CHARGE = "CHARGE"  # card: the amount is taken at once
    AUTHORIZATION = "AUTHORIZATION"  # pay on delivery: authorised now, charged when the money is collected


class TransactionAction(enum.StrEnum):
    """Saleor's ``TransactionActionEnum``: what ``transactionRequestAction`` asks the payment app to do."""

    CHARGE = "CHARGE"
    CANCEL = "CANCEL"
    REFUND = "REFUND"


# ---------------------------------------------------------------------------------- shared values


@dataclass(frozen=True)
class Money:
    """An amount in one currency (Saleor ``Money``)."""

    amount: Decimal
    currency: str = "EUR"


@dataclass(frozen=True)
class Address:
    """A postal address (Saleor ``Address`` / ``AddressInput``); country is ISO 3166-1 alpha-2."""

    street_address_1: str
    postal_code: str
    city: str
    country: str = "FR"
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    street_address_2: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CollectionPoint:
    """A warehouse offered as a pickup place at checkout (``Checkout.availableCollectionPoints``)."""

    id: str
    name: str
    click_and_collect: ClickAndCollect
    address: Address


# ---------------------------------------------------------------------------------- warehouses


@dataclass(frozen=True)
class WarehouseInput:
    """Fields to create or update a warehouse (one per vendor, one per relay point)."""

    name: str
    address: Address
    slug: str = ""
    email: str = ""
    click_and_collect: ClickAndCollect = ClickAndCollect.DISABLED
    is_private: bool = True
    external_reference: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Warehouse:
    """A Saleor warehouse."""

    id: str
    name: str
    slug: str
    email: str
    address: Address
    click_and_collect: ClickAndCollect
    is_private: bool
    external_reference: str | None
    metadata: Mapping[str, str]


# ---------------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Category:
    """A product category."""

    id: str
    name: str
    slug: str
    parent_id: str | None = None


@dataclass(frozen=True)
class ProductType:
    """A product type; ``has_variants`` false means one default variant per product.

    ``kind`` is Saleor's ``ProductTypeKindEnum``: ``NORMAL``, or ``GIFT_CARD`` for the e-vouchers
    (paying one issues a gift card; the goods catalogue leaves them out).
    """

    id: str
    name: str
    slug: str
    has_variants: bool
    kind: str = "NORMAL"


@dataclass(frozen=True)
class ProductInput:
    """Fields to create or update a product.

    ``vendor_slug`` is written both as the ``vendor`` dropdown attribute value and as the
    ``mormal.vendor`` metadata. ``attributes`` maps other attribute slugs to a plain value.
    """

    name: str
    product_type_id: str
    category_id: str
    vendor_slug: str
    slug: str = ""
    description: str = ""
    weight_kg: Decimal | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    metadata: Mapping[str, str] = field(default_factory=dict)
    external_reference: str = ""
    is_published: bool = True


@dataclass(frozen=True)
class StockLevel:
    """Stock of one variant in one warehouse."""

    warehouse_id: str
    quantity: int
    quantity_allocated: int = 0


@dataclass(frozen=True)
class VariantInput:
    """Fields to create or update a variant; ``stocks`` replaces stock per listed warehouse.

    ``price`` ``None`` leaves the variant without a price in the channel: it cannot be bought
    (an imported product whose VAT rate is unknown waits unpriced, never at a guessed price).
    """

    sku: str
    price: Decimal | None
    name: str = ""
    weight_kg: Decimal | None = None
    track_inventory: bool = True
    stocks: Sequence[StockLevel] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    external_reference: str = ""


@dataclass(frozen=True)
class Variant:
    """A sellable variant with its channel price and stock per warehouse."""

    id: str
    product_id: str
    sku: str | None
    name: str
    price: Money | None
    weight_kg: Decimal | None
    track_inventory: bool
    stocks: tuple[StockLevel, ...]
    quantity_available: int
    metadata: Mapping[str, str]
    #: Saleor's ``quantityLimitPerCustomer``: the most of this variant one checkout line may
    #: hold (None: the shop-wide ``limitQuantityPerCheckout`` applies).
    quantity_limit: int | None = None


@dataclass(frozen=True)
class ProductMedia:
    """An image of a product, stored by Saleor from a URL."""

    id: str
    url: str
    alt: str


@dataclass(frozen=True)
class Product:
    """A product with its vendor, category, variants and media."""

    id: str
    name: str
    slug: str
    description: str
    vendor_slug: str | None
    category: Category | None
    product_type: ProductType
    attributes: Mapping[str, str]
    variants: tuple[Variant, ...]
    media: tuple[ProductMedia, ...]
    metadata: Mapping[str, str]
    is_published: bool
    is_available_for_purchase: bool
    updated_at: datetime | None = None

    @property
    def thumbnail_url(self) -> str | None:
        """URL of the first image, if any."""
        return self.media[0].url if self.media else None


@dataclass(frozen=True)
class ProductQuery:
    """Storefront/vendor listing filters; all optional and combined with AND."""

    search: str = ""
    category_ids: Sequence[str] = ()
    vendor_slugs: Sequence[str] = ()
    warehouse_ids: Sequence[str] = ()
    ids: Sequence[str] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    only_published: bool = True
    first: int = 50
    after: str | None = None


@dataclass(frozen=True)
class ProductPage:
    """One page of products (Relay cursor pagination)."""

    products: tuple[Product, ...]
    total_count: int
    end_cursor: str | None
    has_next_page: bool


# ---------------------------------------------------------------------------------- gift cards


@dataclass(frozen=True)
class GiftCard:
    """A Saleor gift card: the one place a territory voucher's balance lives.

    ``code`` is the secret the shopper types or the driver scans; ``expiry_date`` is the last
    day it can be used (Saleor's ``active(date=today)`` keeps ``expiryDate >= today``).
    """

    id: str
    code: str
    last4: str
    is_active: bool
    expiry_date: date | None
    initial_balance: Money
    current_balance: Money
    tags: tuple[str, ...]
    created: datetime
    last_used_on: datetime | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    def expired_on(self, day: date) -> bool:
        """Whether the card can no longer be used on ``day`` (its expiry date has passed)."""
        return self.expiry_date is not None and self.expiry_date < day


@dataclass(frozen=True)
class GiftCardProduct:
    """A gift-card product (product type kind ``GIFT_CARD``, not shipped): paying one issues a card.

    ``variants`` maps each face value (euros) to the variant a shopper buys.
    """

    product_id: str
    slug: str
    variants: Mapping[Decimal, str]


@dataclass(frozen=True)
class AppliedGiftCard:
    """A gift card attached to a checkout (``Checkout.giftCards``): what it will take at completion."""

    id: str
    last4: str
    current_balance: Money
