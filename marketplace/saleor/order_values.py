"""Typed values of checkouts, orders and the shipping sync webhook (frozen dataclasses).

Money is :class:`decimal.Decimal` in euros; quantities are integers; identifiers are Saleor global IDs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from marketplace.saleor.values import Address, AppliedGiftCard, Money

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
    #: What Saleor can still sell of the variant (stock less allocations), this line not counted.
    quantity_available: int | None = None
    #: The variant's ``quantityLimitPerCustomer`` (None: the shop-wide limit applies).
    quantity_limit: int | None = None


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
    customer_id: str | None = None  # the Saleor customer (User) the checkout belongs to
    gift_cards: tuple[AppliedGiftCard, ...] = ()  # codes added with checkoutAddPromoCode


@dataclass(frozen=True)
class Customer:
    """A Saleor customer (``User``): a shopper's account as Saleor and its Dashboard see it."""

    id: str
    email: str
    first_name: str
    last_name: str
    is_active: bool
    external_reference: str | None


@dataclass(frozen=True)
class Transaction:
    """A Transactions API item on a checkout or order, as Saleor keeps it.

    Amounts are what Saleor recorded from the payment app's answers; ``*_pending`` amounts are
    requested actions the app has not answered yet (Saleor calls the app in a background task).
    """

    id: str
    name: str
    psp_reference: str
    authorized: Money
    charged: Money
    refunded: Money | None = None
    canceled: Money | None = None
    charge_pending: Money | None = None
    refund_pending: Money | None = None
    cancel_pending: Money | None = None
    gateway_id: str = ""

    def amount(self, name: str) -> Decimal:
        """One of the amounts in euros (``"refunded"``, ``"charge_pending"``...), 0 when absent."""
        value = getattr(self, name)
        return value.amount if value is not None else Decimal("0")


@dataclass(frozen=True)
class PaymentGateway:
    """One gateway of ``paymentGatewayInitialize``: a payment app's id and what it tells the storefront."""

    id: str
    data: object
    errors: tuple[str, ...] = ()


#: Results of ``transactionInitialize``/``transactionProcess`` that mean the money is secured.
SUCCESSFUL_RESULTS = frozenset({"AUTHORIZATION_SUCCESS", "CHARGE_SUCCESS"})


@dataclass(frozen=True)
class TransactionResult:
    """What ``transactionInitialize`` or ``transactionProcess`` answered.

    ``result`` is Saleor's ``TransactionEventTypeEnum`` name of the event the payment app's answer
    created (``AUTHORIZATION_SUCCESS``, ``CHARGE_FAILURE``, ``CHARGE_ACTION_REQUIRED``...);
    ``data`` is what the app returns to the storefront for its client step.
    """

    transaction: Transaction | None
    result: str
    psp_reference: str
    message: str
    data: object

    @property
    def succeeded(self) -> bool:
        """Whether the amount is authorised or charged."""
        return self.result in SUCCESSFUL_RESULTS


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
    transactions: tuple[Transaction, ...] = ()
    customer_id: str | None = None  # the Saleor customer the order belongs to (None: e-mail only)

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
