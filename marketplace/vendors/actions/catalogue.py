"""Writes on a vendor's catalogue: save locally first, then push to Saleor through the port."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.text import slugify

from marketplace.saleor.errors import SaleorError
from marketplace.vendors.error_codes import VendorErrorCode as Code
from marketplace.vendors.error_codes import error

from ..models import Product, ProductImage, ProductVariant, Vendor
from .onboarding import SyncOutcome
from .saleor_sync import push_images, push_product, push_stock

NOT_SYNCED = "Enregistré ici, mais pas encore envoyé à la boutique en ligne ({error}). Réessayez plus tard avec « Renvoyer »."


def _unique_slug(base: str, model, field: str = "slug", exclude_pk: int | None = None) -> str:
    base = slugify(base)[:100] or "produit"
    candidate, n = base, 2
    while model.objects.filter(**{field: candidate}).exclude(pk=exclude_pk).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _push(product: Product, done: str) -> SyncOutcome:
    try:
        push_product(product)
    except SaleorError as exc:
        return SyncOutcome(False, NOT_SYNCED.format(error=exc))
    return SyncOutcome(True, done)


def save_product(vendor: Vendor, product: Product, variants: Iterable[ProductVariant]) -> SyncOutcome:
    """Save a product of ``vendor`` and its variants, then push them to Saleor.

    ``product`` and ``variants`` may be unsaved instances (from forms). Empty slugs and SKUs
    are generated from the vendor's and product's names.

    Raises
    ------
    ValidationError
        When ``product`` already belongs to another vendor (nothing is saved).
    """
    if product.pk and Product.objects.filter(pk=product.pk).exclude(vendor=vendor).exists():
        raise error(Code.NOT_OWNER)
    with transaction.atomic():
        product.vendor = vendor
        if not product.slug:
            product.slug = _unique_slug(f"{vendor.slug}-{product.name}", Product, exclude_pk=product.pk)
        product.save()
        for variant in variants:
            variant.product = product
            if not variant.sku:
                variant.sku = _unique_slug(f"{product.slug}-{variant.name}", ProductVariant, "sku")[:64]
            variant.save()
    return _push(product, "Produit enregistré et publié dans la boutique en ligne.")


def retry_push(product: Product) -> SyncOutcome:
    """Push a product again after a failure (idempotent: Saleor ids already stored are reused)."""
    return _push(product, "Produit envoyé à la boutique en ligne.")


def update_stock(vendor: Vendor, quantities: Mapping[int, int]) -> SyncOutcome:
    """Set the stock of some of ``vendor``'s variants (variant id -> quantity) and push each one.

    Ids of other vendors' variants are ignored: they are not looked up outside ``vendor``.

    Raises
    ------
    ValidationError
        When a quantity is negative (nothing is saved).
    """
    bad = {pk: q for pk, q in quantities.items() if q < 0}
    if bad:
        raise error(Code.NEGATIVE_STOCK, bad=bad)
    variants = list(
        ProductVariant.objects.select_related("product__vendor")
        .filter(product__vendor=vendor, pk__in=list(quantities)).order_by("pk")
    )
    changed = [v for v in variants if v.stock != quantities[v.pk]]
    with transaction.atomic():
        for variant in changed:
            variant.stock = quantities[variant.pk]
            variant.save(update_fields=["stock"])
    failures = []
    for variant in changed:
        try:
            push_stock(variant)
        except SaleorError as exc:
            failures.append(f"{variant}: {exc}")
    if failures:
        return SyncOutcome(False, NOT_SYNCED.format(error="; ".join(failures)))
    return SyncOutcome(True, f"Stock mis à jour ({len(changed)} déclinaison(s) modifiée(s)).")


def add_image(product: Product, image: ProductImage) -> SyncOutcome:
    """Attach an image (uploaded file or URL) to ``product`` and push it as Saleor product media."""
    image.product = product
    image.position = product.images.count()
    image.full_clean(exclude=["product"])
    image.save()
    try:
        push_images(product)
    except SaleorError as exc:
        return SyncOutcome(False, NOT_SYNCED.format(error=exc))
    return SyncOutcome(True, "Photo ajoutée et envoyée à la boutique en ligne.")
