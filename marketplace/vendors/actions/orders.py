"""Each vendor's share of marketplace orders: record it from Saleor, mark lines prepared."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.saleor import port  # typed values only; calls go through saleor_sync

from ..models import ProductVariant, Vendor, VendorOrder, VendorOrderLine
from .saleor_sync import fulfil_vendor_share

CANCELLED_STATUSES = {"CANCELED", "CANCELLED", "EXPIRED"}


def _customer_name(order: port.Order) -> str:
    for address in (order.shipping_address, order.billing_address):
        if address and (address.first_name or address.last_name):
            return f"{address.first_name} {address.last_name}".strip()
    return order.email or ""


def _vendor_of_line(line: port.OrderLine, by_warehouse: dict[str, Vendor], by_slug: dict[str, Vendor],
                    by_variant: dict[str, Vendor]) -> Vendor | None:
    for warehouse_id in line.warehouse_ids:
        if warehouse_id in by_warehouse:
            return by_warehouse[warehouse_id]
    if line.vendor_slug and line.vendor_slug in by_slug:
        return by_slug[line.vendor_slug]
    return by_variant.get(line.variant_id or "")


def record_order(order: port.Order) -> list[VendorOrder]:
    """Project a Saleor order into one :class:`VendorOrder` per vendor involved; return them.

    A line belongs to the vendor whose warehouse it was allocated from; failing that, to the
    vendor named by the line's ``vendor`` attribute, then by its variant. Lines of unknown
    vendors are skipped. Safe to call again with the same or an updated order (webhook
    redelivery, status change): rows are updated in place, preparation marks are kept, a
    cancelled order marks every share cancelled, and a cancelled order whose payment Saleor
    refunded marks every share refunded (the statements list it).
    """
    variant_ids = [ln.variant_id for ln in order.lines if ln.variant_id]
    variants = {v.saleor_variant_id: v for v in ProductVariant.objects.select_related("product__vendor")
                .filter(saleor_variant_id__in=variant_ids)}
    vendors = Vendor.objects.all()
    by_warehouse = {v.saleor_warehouse_id: v for v in vendors if v.saleor_warehouse_id}
    by_slug = {v.slug: v for v in vendors}
    by_variant = {vid: v.product.vendor for vid, v in variants.items()}
    shares: dict[Vendor, list[port.OrderLine]] = defaultdict(list)
    for line in order.lines:
        vendor = _vendor_of_line(line, by_warehouse, by_slug, by_variant)
        if vendor is not None:
            shares[vendor].append(line)
    cancelled = order.status.upper() in CANCELLED_STATUSES
    refunded = cancelled and sum((t.amount("refunded") for t in order.transactions), Decimal("0")) > 0
    recorded = []
    with transaction.atomic():
        for vendor, lines in shares.items():
            vendor_order, _ = VendorOrder.objects.select_for_update().get_or_create(
                vendor=vendor, saleor_order_id=order.id,
                defaults={"number": str(order.number), "placed_at": order.created, "commission_rate": vendor.commission_rate},
            )
            vendor_order.number = str(order.number)
            vendor_order.customer_name = _customer_name(order)[:160]
            vendor_order.delivery_method = (order.delivery.name if order.delivery else "")[:200]
            vendor_order.currency = order.total.currency
            if cancelled:
                vendor_order.status = VendorOrder.Status.CANCELLED
            if refunded and vendor_order.refunded_at is None:
                vendor_order.refunded_at = timezone.now()
            vendor_order.save()
            for line in lines:
                variant = variants.get(line.variant_id or "")
                VendorOrderLine.objects.update_or_create(
                    order=vendor_order, saleor_line_id=line.id,
                    defaults={
                        "variant": variant, "product_name": line.product_name[:200], "variant_name": line.variant_name[:120],
                        "sku": (line.sku or "")[:64], "quantity": line.quantity, "unit_price": line.unit_price.amount,
                        "total_price": line.total_price.amount,
                        "vat_rate": Decimal(variant.product.vat_rate) if variant else Decimal("5.50"),
                        "temperature": variant.product.temperature if variant else "",
                    },
                )
            recorded.append(vendor_order)
    return recorded


def set_lines_prepared(vendor: Vendor, vendor_order: VendorOrder, prepared_line_ids: Iterable[int], user) -> VendorOrder:
    """Mark exactly ``prepared_line_ids`` of a vendor's order as prepared (others unmarked).

    When every line is prepared the order becomes ``prepared`` and, once, the vendor's share
    is fulfilled in Saleor from the vendor's warehouse. Line ids outside this order are ignored.

    Raises
    ------
    PermissionError
        When ``vendor_order`` is not ``vendor``'s.
    ValueError
        When the order is cancelled, or already handed over to Saleor as prepared.
    SaleorError
        When the Saleor fulfillment fails; the marks are kept and the order stays "to prepare".
    """
    if vendor_order.vendor_id != vendor.pk:
        raise PermissionError("Cette commande n'appartient pas à votre boutique.")
    if vendor_order.status == VendorOrder.Status.CANCELLED:
        raise ValueError(f"La commande {vendor_order.number} est annulée : rien à préparer.")
    if vendor_order.saleor_fulfillment_id:
        raise ValueError(f"La commande {vendor_order.number} est déjà préparée et remise.")
    wanted = set(prepared_line_ids)
    now = timezone.now()
    with transaction.atomic():
        lines = list(VendorOrderLine.objects.select_for_update().filter(order=vendor_order).order_by("pk"))
        for line in lines:
            if line.pk in wanted and line.prepared_at is None:
                line.prepared_at, line.prepared_by = now, user
            elif line.pk not in wanted:
                line.prepared_at, line.prepared_by = None, None
            line.save(update_fields=["prepared_at", "prepared_by"])
    if lines and all(line.prepared_at for line in lines):
        fulfillment_id = fulfil_vendor_share(vendor, vendor_order.saleor_order_id,
                                             [(ln.saleor_line_id, ln.quantity) for ln in lines])
        vendor_order.saleor_fulfillment_id = fulfillment_id
        vendor_order.status = VendorOrder.Status.PREPARED
        vendor_order.save(update_fields=["saleor_fulfillment_id", "status"])
    return vendor_order

