"""Reads of the vendors app. Every vendor-scoped read starts from the vendor, never from an id alone.

Views resolve objects only through these functions, so an id belonging to another vendor is
simply not found (HTTP 404), whatever the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError

from .models import (
    Product,
    ProductImage,
    ProductVariant,
    Vendor,
    VendorMembership,
    VendorOrder,
    VendorOrderLine,
)


def vendor_for_user(user) -> Vendor | None:
    """The vendor ``user`` works for, or None (anonymous, staff without vendor, shopper)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = VendorMembership.objects.select_related("vendor__commune").filter(user=user, vendor__active=True).first()
    return membership.vendor if membership else None


def membership_for_user(user) -> VendorMembership | None:
    """The user's membership (with its role), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return VendorMembership.objects.select_related("vendor").filter(user=user).first()


def products_of(vendor: Vendor) -> QuerySet[Product]:
    """The vendor's products with their variants and images prefetched, by name."""
    return (
        Product.objects.filter(vendor=vendor)
        .prefetch_related(Prefetch("variants", queryset=ProductVariant.objects.order_by("price")), "images")
        .order_by("name")
    )


def product_of(vendor: Vendor, pk: int) -> Product:
    """One of the vendor's products.

    Raises
    ------
    Http404
        When no product with this id belongs to ``vendor``.
    """
    product = products_of(vendor).filter(pk=pk).first()
    if product is None:
        raise Http404("Produit introuvable.")
    return product


def image_of(vendor: Vendor, product_pk: int, pk: int) -> ProductImage:
    """One image of one of the vendor's products.

    Raises
    ------
    Http404
        When the image is not on a product of ``vendor``.
    """
    image = ProductImage.objects.filter(product__vendor=vendor, product_id=product_pk, pk=pk).first()
    if image is None:
        raise Http404("Photo introuvable.")
    return image


def variants_of(vendor: Vendor) -> QuerySet[ProductVariant]:
    """Every variant of the vendor's products, by product name."""
    return ProductVariant.objects.filter(product__vendor=vendor).select_related("product").order_by("product__name", "price")


def orders_of(vendor: Vendor, status: str = "") -> QuerySet[VendorOrder]:
    """The vendor's shares of orders, newest first, with line counts; optionally one status."""
    qs = VendorOrder.objects.filter(vendor=vendor).annotate(
        line_count=Count("lines"), prepared_count=Count("lines", filter=Q(lines__prepared_at__isnull=False)),
    )
    return qs.filter(status=status) if status else qs


def order_of(vendor: Vendor, pk: int) -> VendorOrder:
    """One of the vendor's order shares with its lines.

    Raises
    ------
    Http404
        When the order share is not ``vendor``'s.
    """
    order = (
        VendorOrder.objects.filter(vendor=vendor, pk=pk)
        .prefetch_related(Prefetch("lines", queryset=VendorOrderLine.objects.select_related("variant")))
        .first()
    )
    if order is None:
        raise Http404("Commande introuvable.")
    return order


def orders_to_prepare(vendor: Vendor) -> QuerySet[VendorOrder]:
    """The vendor's order shares still to prepare, oldest first (the pick list's content)."""
    return (
        VendorOrder.objects.filter(vendor=vendor, status=VendorOrder.Status.NEW)
        .prefetch_related("lines").order_by("placed_at")
    )


@dataclass(frozen=True)
class LiveStock:
    """Saleor's stock of one variant in the vendor's warehouse, as the shop sells it now.

    ``on_hand`` is what Saleor counts in the warehouse; ``allocated`` the part already promised
    to orders not yet handed over; ``for_sale`` what shoppers can still buy.
    """

    on_hand: int
    allocated: int

    @property
    def for_sale(self) -> int:
        """What shoppers can still buy."""
        return max(0, self.on_hand - self.allocated)


def live_stock(vendor: Vendor, saleor: port.SaleorPort | None = None) -> dict[str, LiveStock] | None:
    """Saleor's live stock of the vendor's variants in its warehouse, by Saleor variant id.

    None when Saleor cannot be reached (the pages then say so and show our last known stock).
    """
    saleor = saleor or port.get_saleor()
    found: dict[str, LiveStock] = {}
    after = None
    try:
        while True:
            page = saleor.catalogue.list_products(port.ProductQuery(
                vendor_slugs=(vendor.slug,), only_published=False, first=100, after=after))
            for product in page.products:
                for variant in product.variants:
                    level = next((s for s in variant.stocks if s.warehouse_id == vendor.saleor_warehouse_id), None)
                    found[variant.id] = LiveStock(level.quantity if level else 0, level.quantity_allocated if level else 0)
            if not page.has_next_page:
                return found
            after = page.end_cursor
    except SaleorError:
        return None


def low_stock(vendor: Vendor, threshold: int = 3, live: dict[str, LiveStock] | None = None) -> list[ProductVariant]:
    """The vendor's published variants with ``threshold`` items or fewer left for sale.

    With Saleor's ``live`` stock, what shoppers can still buy counts (60 baguettes with 4
    promised to orders leave 56); without it, our last known stock.
    """
    variants = list(variants_of(vendor).filter(product__published=True))
    if live is None:
        return [v for v in variants if v.stock <= threshold]
    return [v for v in variants if v.saleor_variant_id in live and live[v.saleor_variant_id].for_sale <= threshold]
