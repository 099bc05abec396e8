"""The short circuit's calls to Saleor, all through the port: pickup warehouses and cycle orders.

A pickup point is a public warehouse with click & collect ``ALL`` (served from the producers'
stock), by the one collection-point rule (:mod:`marketplace.territory.collection_points`). A cycle order becomes a Saleor checkout, collected at the point's warehouse or sent
with our home-delivery shipping method, authorised for payment at pickup, then completed.
"""

from __future__ import annotations

from marketplace.saleor import port
from marketplace.territory import collection_points
from marketplace.territory.models import Shopper
from marketplace.vendors.actions import push_product

from ..models import CycleOrder, PickupPoint
from ..saleor_webhooks import CYCLE_KEY, MODE_KEY, home_offer_key

ORDER_KEY = "mormal.circuit.order"
#: Saleor's ``mormal.mode``: neither "home" nor "relay", so the storefront's van planner skips
#: our orders (their van tasks are made at closing, per producer and pickup point).
CHANNEL_MODE = "circuit"


def point_warehouse_input(point: PickupPoint) -> port.WarehouseInput:
    """The warehouse fields standing for a pickup point (pure; the rule is :mod:`marketplace.territory.collection_points`)."""
    return collection_points.warehouse_input(
        collection_points.Role.PICKUP_POINT, key=point.pk, name=f"Point de retrait — {point.name}",
        street=point.address, commune=point.commune, active=point.active,
    )


def sync_pickup_point(point: PickupPoint, saleor: port.SaleorPort) -> port.Warehouse:
    """Create or update the pickup point's Saleor warehouse (inactive: private, ``DISABLED``).

    Raises
    ------
    SaleorError
        When Saleor refuses or cannot be reached; the point keeps the id it had.
    """
    return collection_points.sync(point, point_warehouse_input(point), saleor)


def ensure_point_warehouse(point: PickupPoint, saleor: port.SaleorPort) -> str:
    """The pickup point's Saleor warehouse id, creating the warehouse on first use.

    Raises
    ------
    SaleorError
        When Saleor refuses or cannot be reached; the point keeps no id.
    """
    if not point.saleor_warehouse_id:
        sync_pickup_point(point, saleor)
    return point.saleor_warehouse_id


def _billing_address(order: CycleOrder, shopper: Shopper | None) -> port.Address:
    user = order.customer
    if shopper is not None:
        street, commune = shopper.address.split(",")[0], shopper.commune
    else:
        point = order.slot.pickup.point
        street, commune = point.address.split(",")[0], point.commune
    return port.Address(street_address_1=street[:255], postal_code=commune.main_postal_code, city=commune.name.upper(),
                        country="FR", first_name=user.first_name or user.username, last_name=user.last_name)


def submit_order(order: CycleOrder, saleor: port.SaleorPort) -> port.Order:
    """Create, authorise (payment at pickup) and complete the Saleor order of a cycle order.

    Raises
    ------
    SaleorError
        Any refusal (stock, delivery method...) or network failure; the caller cancels ``order``.
    ValueError
        When a home delivery finds no circuit shipping method (the provider is not wired).
    """
    lines = list(order.lines.select_related("product__variant__product__vendor"))
    for line in lines:
        if not line.product.variant.saleor_variant_id:
            push_product(line.product.variant.product, saleor)
            line.product.variant.refresh_from_db(fields=["saleor_variant_id"])
    shopper = Shopper.objects.select_related("commune").filter(user=order.customer).first()
    billing = _billing_address(order, shopper)
    metadata = {"mormal.mode": CHANNEL_MODE, CYCLE_KEY: str(order.cycle_id), MODE_KEY: order.mode,
                ORDER_KEY: str(order.pk), "mormal.payment": "on_pickup"}
    shipping = None
    if order.mode == CycleOrder.Mode.HOME:
        shipping = port.Address(**{**billing.__dict__, "street_address_1": shopper.address.split(",")[0][:255]})
    checkout = saleor.checkout.create(
        [port.CheckoutLineInput(variant_id=ln.product.variant.saleor_variant_id, quantity=ln.quantity) for ln in lines],
        email=order.customer.email or f"membre{order.customer_id}@mormal.invalid",
        billing_address=billing, shipping_address=shipping, metadata=metadata,
    )
    if order.mode == CycleOrder.Mode.PICKUP:
        saleor.checkout.set_delivery_method(checkout.id, ensure_point_warehouse(order.slot.pickup.point, saleor))
    else:
        key = home_offer_key(order.cycle_id)
        method = next((m for m in saleor.checkout.shipping_methods(checkout.id) if m.metadata.get("mormal.offer") == key), None)
        if method is None:
            raise ValueError(f"checkout {checkout.id}: no shipping method {key!r} offered")
        saleor.checkout.set_delivery_method(checkout.id, method.id)
    saleor.payments.pay_checkout(checkout.id, port.PaymentMode.AUTHORIZE, f"circuit-{order.pk}",
                        name="Paiement au retrait (circuit court)")
    return saleor.checkout.complete(checkout.id, metadata=metadata)


def note_cancelled_lines(order: CycleOrder, saleor: port.SaleorPort) -> None:
    """Record on the Saleor order which lines a producer minimum cancelled, and the amount still due.

    The port has no order-line edit, so Saleor keeps the lines; the payment was only
    authorised, and the amount charged at pickup is the ``mormal.circuit.amount_due``.

    Raises
    ------
    SaleorError
        When Saleor cannot be reached.
    """
    if not order.saleor_order_id:
        return
    cancelled = [f"{ln.quantity}x {ln.product_name} {ln.variant_name}".strip()
                 for ln in order.lines.all() if ln.status == ln.Status.CANCELLED]
    saleor.orders.update_metadata(order.saleor_order_id, {
        "mormal.circuit.cancelled_lines": "; ".join(cancelled),
        "mormal.circuit.amount_due": str(order.goods_total + order.delivery_fee),
    })
