"""The Saleor port: typed values and the one interface the rest of the product uses.

Every other app (vendors, storefront, shortcircuit, PrestaShop import) talks to Saleor only
through :class:`SaleorPort`, obtained from :func:`get_saleor`. The port has one attribute per
Saleor domain (``setup``, ``warehouses``, ``catalogue``, ``checkout``, ``payments``,
``orders``), so a call says where it lives: ``saleor.checkout.complete(id)`` runs in
``gateway/checkout.py``. It is implemented once, by
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

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol, runtime_checkable

# The values live in their own module; they are re-exported here so callers keep writing ``port.Order``.
from marketplace.saleor.order_values import (  # noqa: F401
    Checkout,
    CheckoutLine,
    CheckoutLineInput,
    Customer,
    Fulfillment,
    FulfillmentLineInput,
    Order,
    OrderLine,
    OrderQuery,
    PaymentGateway,
    SelectedDelivery,
    ShippingMethod,
    ShippingOffer,
    ShippingRequest,
    ShippingRequestLine,
    Transaction,
    TransactionResult,
)
from marketplace.saleor.values import (  # noqa: F401
    ORDER_VENDOR_METADATA_PREFIX,
    VENDOR_ATTRIBUTE_SLUG,
    VENDOR_METADATA_KEY,
    WAREHOUSE_ROLE_METADATA_KEY,
    Address,
    AppliedGiftCard,
    Category,
    ClickAndCollect,
    CollectionPoint,
    GiftCard,
    GiftCardProduct,
    Money,
    PaymentFlow,
    Product,
    ProductInput,
    ProductMedia,
    ProductPage,
    ProductQuery,
    ProductType,
    StockLevel,
    TransactionAction,
    Variant,
    VariantInput,
    Warehouse,
    WarehouseInput,
)

# ---------------------------------------------------------------------------------- the port
#
# One interface, one attribute per Saleor domain; each domain is one module of
# ``marketplace/saleor/gateway/``. Every method raises the :mod:`.errors` types:
# SaleorValidationError (Saleor refused the input; ``.errors`` holds its {field, code, message}
# items), SaleorNotFoundError (the id does not exist), SaleorPermissionError (the app token
# lacks a permission), SaleorNetworkError (Saleor unreachable after bounded retries, HTTP only).


@runtime_checkable
class SetupPort(Protocol):
    """``saleor.setup``: the channel and shipping zone everything else relies on."""

    def channel(self) -> dict:
        """The channel ``{id, slug, currencyCode}``."""

    def ensure_sales_setup(
        self, name: str = "Pays de Mormal", currency: str = "EUR", country: str = "FR"
    ) -> dict:
        """Create the channel and a shipping zone for ``country`` if missing (idempotent)."""

    def unpaid_orders_fulfillable(self) -> bool:
        """Whether Saleor lets vendors fulfil orders that are only authorised (pay on delivery)."""

    def checkout_line_limit(self) -> int | None:
        """Saleor's shop-wide most of one variant per checkout line (50 unless changed)."""


@runtime_checkable
class WarehousePort(Protocol):
    """``saleor.warehouses``: vendors' shops and collection points."""

    def create(self, data: WarehouseInput) -> Warehouse:
        """Create a warehouse in the channel and its zone, with click & collect and privacy."""

    def update(self, warehouse_id: str, data: WarehouseInput) -> Warehouse:
        """Update name, address, email, click & collect option, privacy and metadata."""

    def get(self, warehouse_id: str) -> Warehouse | None:
        """Return the warehouse, or None when the id is unknown."""

    def find(self, ids: Sequence[str] = (), slugs: Sequence[str] = ()) -> list[Warehouse]:
        """Return the warehouses with the given ids or slugs (all of them when both are empty)."""


@runtime_checkable
class CataloguePort(Protocol):
    """``saleor.catalogue``: categories, product types, products, variants, stock and media."""

    def ensure_category(self, name: str, slug: str, parent_id: str | None = None) -> Category:
        """Return the category with this slug, creating it if needed."""

    def list_categories(self) -> list[Category]:
        """Return every category."""

    def ensure_product_type(self, name: str, slug: str, has_variants: bool = True) -> ProductType:
        """Return the product type with this slug, creating it (with the vendor attribute)."""

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
        """Set (merge) public or private metadata on a product, variant or category."""


@runtime_checkable
class CheckoutPort(Protocol):
    """``saleor.checkout``: a cart, its addresses and delivery choice, then the order."""

    def create(
        self,
        lines: Sequence[CheckoutLineInput],
        email: str | None = None,
        shipping_address: Address | None = None,
        billing_address: Address | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Checkout:
        """Create a checkout in the channel; lines may come from several vendors."""

    def get(self, checkout_id: str) -> Checkout | None:
        """Return the checkout, or None when unknown or already completed."""

    def add_lines(self, checkout_id: str, lines: Sequence[CheckoutLineInput]) -> Checkout:
        """Add lines (quantities add up for a variant already in the checkout)."""

    def update_lines(self, checkout_id: str, lines: Sequence[tuple[str, int]]) -> Checkout:
        """Set quantities by checkout line id; quantity 0 removes the line."""

    def set_email(self, checkout_id: str, email: str) -> Checkout:
        """Set the shopper's email."""

    def set_shipping_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the delivery address."""

    def set_billing_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the billing address."""

    def collection_points(self, checkout_id: str) -> list[CollectionPoint]:
        """Warehouses where this checkout can be collected."""

    def shipping_methods(self, checkout_id: str) -> list[ShippingMethod]:
        """Shipping methods offered (zone methods plus app methods from the sync webhook)."""

    def set_delivery_method(self, checkout_id: str, delivery_method_id: str | None) -> Checkout:
        """Choose a collection-point warehouse id or a shipping method id; ``None`` removes the choice.

        Saleor refuses a new shipping address (``SHIPPING_CHANGE_FORBIDDEN``) while a collection
        point is chosen: remove it first.
        """

    def attach_customer(self, checkout_id: str, customer_id: str) -> Checkout:
        """Make the Saleor customer the checkout's owner (its order will belong to them)."""

    def update_metadata(self, checkout_id: str, items: Mapping[str, str]) -> None:
        """Set (merge) public metadata on the checkout; Saleor copies it onto the order."""

    def complete(self, checkout_id: str, metadata: Mapping[str, str] | None = None) -> Order:
        """Turn a paid (or authorised) checkout into an order."""

    def add_promo_code(self, checkout_id: str, code: str) -> Checkout:
        """Attach a gift card by its code (``checkoutAddPromoCode``): the total drops by its balance.

        Saleor takes the amount from the card's balance when the checkout is completed.
        """


@runtime_checkable
class PaymentPort(Protocol):
    """``saleor.payments``: gateways and transactions (Transactions API; Saleor asks the payment apps)."""

    def gateways(self, source_id: str, gateway_ids: tuple[str, ...] = ()) -> list[PaymentGateway]:
        """The payment gateways the channel offers this checkout or order (``paymentGatewayInitialize``)."""

    def initialize(
        self, source_id: str, gateway_id: str, data: object, flow: PaymentFlow, idempotency_key: str,
        amount: Decimal | None = None,
    ) -> TransactionResult:
        """Pay through one gateway (``transactionInitialize``); its app answers the result."""

    def process(self, transaction_id: str, data: object = None) -> TransactionResult:
        """Finish a payment after the gateway's client step (``transactionProcess``)."""

    def request_action(
        self, transaction_id: str, action: TransactionAction, amount: Decimal | None = None
    ) -> Transaction:
        """Ask the transaction's payment app to charge, cancel or refund (``transactionRequestAction``)."""

    def get(self, transaction_id: str) -> Transaction | None:
        """The transaction as Saleor keeps it now, or None."""

    def set_authorized(self, transaction_id: str, amount: Decimal, message: str = "") -> Transaction:
        """Set what stays authorised on a transaction this App owns (``transactionUpdate``)."""

    def record_charged(self, order_id: str, name: str, psp_reference: str, amount: Decimal,
                       message: str = "") -> Transaction:
        """Record money this App already took for an order (``transactionCreate`` with ``amountCharged``)."""

    def record_refunded(self, transaction_id: str, charged: Decimal, refunded: Decimal,
                        message: str = "") -> Transaction:
        """Set the charged and refunded amounts of a transaction this App owns (``transactionUpdate``)."""


@runtime_checkable
class OrderPort(Protocol):
    """``saleor.orders``: read, fulfil and cancel orders."""

    def get(self, order_id: str) -> Order | None:
        """Return the order, or None."""

    def find(self, query: OrderQuery) -> list[Order]:
        """Return orders matching the query, newest first."""

    def fulfill(
        self, order_id: str, lines: Sequence[FulfillmentLineInput], notify_customer: bool = False
    ) -> list[Fulfillment]:
        """Fulfil order lines from the given warehouses (a vendor's prepared share)."""

    def cancel(self, order_id: str) -> Order:
        """Cancel an unfulfilled order; its stock allocations are released (ORDER_CANCELLED)."""

    def update_metadata(self, order_id: str, items: Mapping[str, str]) -> None:
        """Set (merge) public metadata on the order."""


@runtime_checkable
class CustomerPort(Protocol):
    """``saleor.customers``: the shoppers' accounts as Saleor customers."""

    def create(self, email: str, first_name: str = "", last_name: str = "",
               external_reference: str | None = None) -> Customer:
        """Create a confirmed, active customer (no e-mail from Saleor: the App has confirmed it)."""

    def update(self, customer_id: str, email: str | None = None, first_name: str | None = None,
               last_name: str | None = None, is_active: bool | None = None) -> Customer:
        """Change the fields given."""

    def get(self, customer_id: str | None = None, email: str | None = None,
            external_reference: str | None = None) -> Customer | None:
        """Find a customer by id, e-mail or external reference; None when there is none."""


@runtime_checkable
class GiftCardPort(Protocol):
    """``saleor.gift_cards``: the territory's vouchers, as Saleor gift cards (balance kept by Saleor)."""

    def create(self, amount: Decimal, expiry_date: date | None = None, tags: Sequence[str] = (),
               metadata: Mapping[str, str] | None = None, note: str = "") -> GiftCard:
        """Issue one active card of ``amount`` euros (``giftCardCreate``; Saleor draws the code)."""

    def bulk_create(self, count: int, amount: Decimal, expiry_date: date | None = None,
                    tags: Sequence[str] = ()) -> list[GiftCard]:
        """Issue ``count`` active cards at once (``giftCardBulkCreate``)."""

    def get(self, gift_card_id: str) -> GiftCard | None:
        """The card by id, or None."""

    def find_by_code(self, code: str) -> GiftCard | None:
        """The card with exactly this code, or None."""

    def find(self, tags: Sequence[str] = (), first: int = 100) -> list[GiftCard]:
        """Cards carrying any of ``tags`` (all cards when empty), at most ``first``."""

    def adjust_balance(self, gift_card_id: str, delta: Decimal) -> GiftCard:
        """Add (positive) or take (negative) euros from the balance (``giftCardBalanceAdjust``, 3.23).

        Saleor clamps a deduction at zero: check the balance first (under a lock) to take exactly.
        """

    def deactivate(self, gift_card_id: str) -> GiftCard:
        """Make the card unusable, its balance kept (``giftCardDeactivate``); asking twice is harmless."""


@runtime_checkable
class GiftCardProductPort(Protocol):
    """``saleor.gift_card_products``: e-vouchers sold as Saleor gift-card products (kind ``GIFT_CARD``)."""

    def find(self, slug: str) -> GiftCardProduct | None:
        """The product with its variant per face value, or None."""

    def ensure(self, *, name: str, slug: str, amounts: Sequence[Decimal], warehouse: WarehouseInput,
               category_name: str, category_slug: str) -> GiftCardProduct:
        """Create what is missing (type, product, variants, their warehouse); idempotent."""

    def bought_in_order(self, order_id: str, product_id: str, email: str | None) -> list[GiftCard]:
        """The cards Saleor issued when ``order_id`` was fully paid (their ``BOUGHT`` event names it)."""


@runtime_checkable
class SaleorPort(Protocol):
    """What the product needs from Saleor, one attribute per domain.

    Callers write ``saleor.checkout.complete(...)``, ``saleor.orders.fulfill(...)``: the
    attribute names the domain, and the domain is the module of ``gateway/`` that runs it.
    """

    is_stand_in: bool
    channel_slug: str
    setup: SetupPort
    warehouses: WarehousePort
    catalogue: CataloguePort
    checkout: CheckoutPort
    payments: PaymentPort
    orders: OrderPort
    customers: CustomerPort
    gift_cards: GiftCardPort
    gift_card_products: GiftCardProductPort


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
