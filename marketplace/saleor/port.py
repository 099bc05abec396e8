"""The Saleor port: typed values and the one interface the rest of the product uses.

Every other app (vendors, storefront, shortcircuit, PrestaShop import) talks to Saleor only
through :class:`SaleorPort`, obtained from :func:`get_saleor`. It is implemented once, by
:class:`marketplace.saleor.gateway.SaleorGateway`, which sends the ``graphql/*.graphql``
documents over one of two transports:

- :class:`marketplace.saleor.client.SaleorGraphQLClient`, HTTP to a real Saleor 3.23;
- :class:`marketplace.saleor.standin.transport.StandInTransport`, the stand-in used by the demo
  and the service tests: graphql-core executes the same documents against Saleor's own schema,
  with resolvers over documents kept in PostgreSQL (shared by web and worker, kept on restart).

Identifiers are Saleor global IDs (base64 of ``"Warehouse:<uuid>"`` and so on) in both.
Money is :class:`decimal.Decimal` in euros; weights are kilograms; quantities are integers.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

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


class PaymentMode(enum.StrEnum):
    """How the app records a checkout's payment through the Transactions API."""

    CHARGE = "CHARGE"  # test gateway: the amount is charged at once
    AUTHORIZE = "AUTHORIZE"  # pay on delivery: authorised now, charged when cash is collected


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
    """A product type; ``has_variants`` false means one default variant per product."""

    id: str
    name: str
    slug: str
    has_variants: bool


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
    """Fields to create or update a variant; ``stocks`` replaces stock per listed warehouse."""

    sku: str
    price: Decimal
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


# ---------------------------------------------------------------------------------- checkout


@dataclass(frozen=True)
class CheckoutLineInput:
    """A variant and a quantity to put in a checkout."""

    variant_id: str
    quantity: int


@dataclass(frozen=True)
class CheckoutLine:
    """A checkout line; ``vendor_slug`` comes from the product's metadata."""

    id: str
    variant_id: str
    sku: str | None
    product_id: str
    product_name: str
    variant_name: str
    vendor_slug: str | None
    quantity: int
    unit_price: Money
    total_price: Money


@dataclass(frozen=True)
class ShippingMethod:
    """A shipping method offered for a checkout (zone method or app-provided via sync webhook)."""

    id: str
    name: str
    price: Money
    minimum_delivery_days: int | None = None
    maximum_delivery_days: int | None = None
    description: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SelectedDelivery:
    """The delivery chosen on a checkout or order: a collection point or a shipping method."""

    kind: str  # "collection_point" or "shipping_method"
    id: str
    name: str
    price: Money


@dataclass(frozen=True)
class Checkout:
    """A Saleor checkout (the shopper's one cart across vendors)."""

    id: str
    token: str
    email: str | None
    lines: tuple[CheckoutLine, ...]
    shipping_address: Address | None
    billing_address: Address | None
    delivery: SelectedDelivery | None
    subtotal: Money
    shipping_price: Money
    total: Money
    is_shipping_required: bool
    authorize_status: str
    charge_status: str
    metadata: Mapping[str, str]


@dataclass(frozen=True)
class Transaction:
    """A Transactions API item recorded by the app on a checkout or order."""

    id: str
    name: str
    psp_reference: str
    authorized: Money
    charged: Money


# ---------------------------------------------------------------------------------- orders


@dataclass(frozen=True)
class OrderLine:
    """An order line; ``warehouse_ids`` are where its stock was allocated or fulfilled from."""

    id: str
    variant_id: str | None
    sku: str | None
    product_name: str
    variant_name: str
    vendor_slug: str | None
    quantity: int
    quantity_fulfilled: int
    unit_price: Money
    total_price: Money
    warehouse_ids: tuple[str, ...]


@dataclass(frozen=True)
class FulfillmentLineInput:
    """Quantity of one order line fulfilled from one warehouse."""

    order_line_id: str
    warehouse_id: str
    quantity: int


@dataclass(frozen=True)
class Fulfillment:
    """A fulfillment (a vendor's prepared share of an order)."""

    id: str
    number: int
    status: str
    warehouse_id: str | None
    lines: tuple[tuple[str, int], ...]  # (order line id, quantity)


@dataclass(frozen=True)
class Order:
    """A Saleor order; ``status`` and ``charge_status`` are Saleor's enum names."""

    id: str
    number: str
    created: datetime
    status: str
    charge_status: str
    authorize_status: str
    email: str | None
    lines: tuple[OrderLine, ...]
    shipping_address: Address | None
    billing_address: Address | None
    delivery: SelectedDelivery | None
    total: Money
    metadata: Mapping[str, str]
    fulfillments: tuple[Fulfillment, ...]
    checkout_id: str | None = None

    @property
    def vendor_slugs(self) -> tuple[str, ...]:
        """Vendors with at least one line in this order, sorted."""
        return tuple(sorted({ln.vendor_slug for ln in self.lines if ln.vendor_slug}))

    def lines_for_vendor(self, vendor_slug: str) -> tuple[OrderLine, ...]:
        """The vendor's own share of the order."""
        return tuple(ln for ln in self.lines if ln.vendor_slug == vendor_slug)


@dataclass(frozen=True)
class OrderQuery:
    """Order listing filters; ``vendor_slug`` uses the ``mormal.vendor.<slug>`` order metadata.

    Saleor has no order filter by warehouse, so ``warehouse_id`` keeps, among the fetched
    orders, those with a line allocated in (or fulfilled from) that warehouse.
    """

    vendor_slug: str = ""
    warehouse_id: str = ""  # lines allocated/fulfilled there (filtered after fetching)
    ids: Sequence[str] = ()
    numbers: Sequence[str] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None
    statuses: Sequence[str] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    first: int = 100


# ---------------------------------------------------------------------------------- the port


@runtime_checkable
class SaleorPort(Protocol):
    """What the product needs from Saleor. Both implementations raise :mod:`.errors` types.

    Raises (every method)
    ---------------------
    SaleorValidationError
        Saleor refused the input; ``.errors`` holds its ``{field, code, message}`` items.
    SaleorNotFoundError
        The object id does not exist.
    SaleorPermissionError
        The app token lacks a permission.
    SaleorNetworkError
        Saleor could not be reached after the bounded retries (HTTP client only).
    """

    is_stand_in: bool
    channel_slug: str

    # -- set-up
    def ensure_sales_setup(
        self, name: str = "Pays de Mormal", currency: str = "EUR", country: str = "FR"
    ) -> dict:
        """Create the channel and a shipping zone for ``country`` if missing (idempotent)."""

    # -- warehouses
    def create_warehouse(self, data: WarehouseInput) -> Warehouse:
        """Create a warehouse in the channel and its zone, with click & collect and privacy."""

    def update_warehouse(self, warehouse_id: str, data: WarehouseInput) -> Warehouse:
        """Update name, address, email, click & collect option, privacy and metadata."""

    def get_warehouse(self, warehouse_id: str) -> Warehouse | None:
        """Return the warehouse, or None when the id is unknown."""

    def list_warehouses(self, ids: Sequence[str] = ()) -> list[Warehouse]:
        """Return the given warehouses (all of them when ``ids`` is empty)."""

    # -- catalogue set-up
    def ensure_category(self, name: str, slug: str, parent_id: str | None = None) -> Category:
        """Return the category with this slug, creating it if needed."""

    def list_categories(self) -> list[Category]:
        """Return every category."""

    def ensure_product_type(self, name: str, slug: str, has_variants: bool = True) -> ProductType:
        """Return the product type with this slug, creating it (with the vendor attribute)."""

    # -- products and variants
    def create_product(self, data: ProductInput) -> Product:
        """Create a product, set its vendor attribute and list it in the channel."""

    def update_product(self, product_id: str, data: ProductInput) -> Product:
        """Update a product's fields, attributes, metadata and publication."""

    def get_product(self, product_id: str = "", slug: str = "") -> Product | None:
        """Return a product by id or slug, or None."""

    def list_products(self, query: ProductQuery) -> ProductPage:
        """Return one page of products matching the query."""

    def delete_product(self, product_id: str) -> None:
        """Delete a product and its variants."""

    def set_product_published(self, product_id: str, published: bool) -> Product:
        """Publish or unpublish a product in the channel."""

    def create_variant(self, product_id: str, data: VariantInput) -> Variant:
        """Create a variant with its channel price and stocks."""

    def update_variant(self, variant_id: str, data: VariantInput) -> Variant:
        """Update a variant's sku, name, weight, price and the listed stocks."""

    def set_variant_stocks(self, variant_id: str, stocks: Sequence[StockLevel]) -> Variant:
        """Set the quantity in each listed warehouse (``productVariantStocksUpdate``)."""

    def add_product_media(self, product_id: str, media_url: str, alt: str = "") -> ProductMedia:
        """Attach an image fetched by Saleor from ``media_url`` (``productMediaCreate``)."""

    def update_metadata(
        self, object_id: str, items: Mapping[str, str], private: bool = False
    ) -> None:
        """Set (merge) public or private metadata on any object."""

    # -- checkout
    def create_checkout(
        self,
        lines: Sequence[CheckoutLineInput],
        email: str | None = None,
        shipping_address: Address | None = None,
        billing_address: Address | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Checkout:
        """Create a checkout in the channel; lines may come from several vendors."""

    def get_checkout(self, checkout_id: str) -> Checkout | None:
        """Return the checkout, or None when unknown or already completed."""

    def add_checkout_lines(self, checkout_id: str, lines: Sequence[CheckoutLineInput]) -> Checkout:
        """Add lines (quantities add up for a variant already in the checkout)."""

    def update_checkout_lines(self, checkout_id: str, lines: Sequence[tuple[str, int]]) -> Checkout:
        """Set quantities by checkout line id; quantity 0 removes the line."""

    def set_checkout_email(self, checkout_id: str, email: str) -> Checkout:
        """Set the shopper's email."""

    def set_checkout_shipping_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the delivery address."""

    def set_checkout_billing_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the billing address."""

    def available_collection_points(self, checkout_id: str) -> list[CollectionPoint]:
        """Warehouses where this checkout can be collected."""

    def shipping_methods(self, checkout_id: str) -> list[ShippingMethod]:
        """Shipping methods offered (zone methods plus app methods from the sync webhook)."""

    def set_checkout_delivery_method(self, checkout_id: str, delivery_method_id: str) -> Checkout:
        """Choose a collection-point warehouse id or a shipping method id."""

    def pay_checkout(
        self, checkout_id: str, mode: PaymentMode, psp_reference: str, name: str = ""
    ) -> Transaction:
        """Record a payment covering the checkout total through ``transactionCreate``."""

    def complete_checkout(
        self, checkout_id: str, metadata: Mapping[str, str] | None = None
    ) -> Order:
        """Turn a paid (or authorised) checkout into an order."""

    # -- orders
    def get_order(self, order_id: str) -> Order | None:
        """Return the order, or None."""

    def list_orders(self, query: OrderQuery) -> list[Order]:
        """Return orders matching the query, newest first."""

    def fulfill_order(
        self, order_id: str, lines: Sequence[FulfillmentLineInput], notify_customer: bool = False
    ) -> list[Fulfillment]:
        """Fulfil order lines from the given warehouses (a vendor's prepared share)."""

    def charge_transaction(self, transaction_id: str, amount: Decimal) -> Transaction:
        """Turn an authorised (pay-on-delivery) amount into a charged one."""

    def cancel_order(self, order_id: str) -> Order:
        """Cancel an unfulfilled order; its stock allocations are released (ORDER_CANCELLED)."""


def get_saleor() -> SaleorPort:
    """Return the Saleor implementation for this process.

    Over HTTP when ``settings.SALEOR_API_URL`` is set, otherwise over the PostgreSQL-backed
    stand-in. One gateway per process (the HTTP one reuses its connection pool).
    """
    from django.conf import settings

    if settings.SALEOR_API_URL:
        from marketplace.saleor.client import shared_client

        return shared_client()
    from marketplace.saleor.standin.transport import shared_stand_in

    return shared_stand_in()


# ---------------------------------------------------------------------------------- sync webhook


@dataclass(frozen=True)
class ShippingRequestLine:
    """One line of a checkout asking for shipping methods."""

    variant_id: str
    sku: str | None
    product_name: str
    vendor_slug: str | None
    quantity: int
    unit_price: Money


@dataclass(frozen=True)
class ShippingRequest:
    """What the SHIPPING_LIST_METHODS_FOR_CHECKOUT webhook tells us about a checkout."""

    checkout_id: str
    email: str | None
    shipping_address: Address | None
    lines: tuple[ShippingRequestLine, ...]
    metadata: Mapping[str, str]


@dataclass(frozen=True)
class ShippingOffer:
    """One method our app offers; serialised into the list Saleor expects.

    ``id`` is ours (for example ``"slot:2026-12-03:am"``); Saleor wraps it into a
    ShippingMethod id. ``amount`` is in the checkout's currency.
    """

    id: str
    name: str
    amount: Decimal
    currency: str = "EUR"
    minimum_delivery_days: int | None = None
    maximum_delivery_days: int | None = None
    description: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
