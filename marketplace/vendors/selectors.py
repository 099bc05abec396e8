"""Reads of the vendors app. Every vendor-scoped read starts from the vendor, never from an id alone.

Views resolve objects only through these functions, so an id belonging to another vendor is
simply not found (HTTP 404), whatever the page.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

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


def low_stock(vendor: Vendor, threshold: int = 3) -> QuerySet[ProductVariant]:
    """The vendor's published variants with ``threshold`` items or fewer left."""
    return variants_of(vendor).filter(product__published=True, stock__lte=threshold)
