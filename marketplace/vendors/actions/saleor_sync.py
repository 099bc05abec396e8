"""Pushes vendors, relay points, catalogues and fulfillments to Saleor; the only vendors module calling the port.

Mapping (see docs/saleor-mapping.md):

- a vendor is one private warehouse; when the shop accepts pickups it is public with
  click & collect ``LOCAL`` (served from its own stock), otherwise ``DISABLED``;
- a relay point is a public warehouse with click & collect ``ALL`` and no stock of its own
  (both by the one collection-point rule, :mod:`marketplace.territory.collection_points`);
- a product carries the ``vendor`` attribute (the vendor's slug) and ``mormal.vendor``
  metadata, plus the ``temperature``, ``origin`` and ``unit`` attributes; its variants hold
  the TTC price in the channel and their stock in the vendor's warehouse only.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.territory import collection_points
from marketplace.territory.models import RelayPoint

from ..models import Product, ProductImage, ProductVariant, Vendor

log = logging.getLogger(__name__)

PRODUCT_TYPE_SLUG = "produit-local"
PRODUCT_TYPE_NAME = "Produit local"
#: Product metadata keys (strings, as Saleor metadata).
VAT_RATE_KEY = "mormal.vat_rate"
UNIT_KEY = "mormal.unit"
UNIT_QUANTITY_KEY = "mormal.unit_quantity"
LOCAL_ID_KEY = "mormal.local_id"
TEMPERATURE_KEY = "mormal.temperature"
ORIGIN_KEY = "mormal.origin"
COMMUNE_KEY = "mormal.commune_insee"
#: Where a product is kept up to date outside (``prestashop:<host>:<id>``), when it is.
SOURCE_KEY = "mormal.source"


def vendor_warehouse_input(vendor: Vendor) -> port.WarehouseInput:
    """The warehouse fields standing for ``vendor`` (pure; the rule is :mod:`marketplace.territory.collection_points`)."""
    return collection_points.warehouse_input(
        collection_points.Role.VENDOR, key=vendor.pk, slug_key=vendor.slug, name=vendor.name,
        street=vendor.address, commune=vendor.commune, active=vendor.accepts_click_and_collect,
        email=vendor.email, metadata={port.VENDOR_METADATA_KEY: vendor.slug},
    )


def sync_vendor_warehouse(vendor: Vendor, saleor: port.SaleorPort | None = None) -> port.Warehouse:
    """Create or update the vendor's Saleor warehouse and remember its id.

    Raises
    ------
    SaleorError
        Any adapter error (validation, permission, network); the vendor row is left unchanged.
    """
    saleor = saleor or port.get_saleor()
    return collection_points.sync(vendor, vendor_warehouse_input(vendor), saleor)


def relay_warehouse_input(relay: RelayPoint) -> port.WarehouseInput:
    """The warehouse fields standing for a relay point (a collection point for every stock)."""
    return collection_points.warehouse_input(
        collection_points.Role.RELAY, key=relay.pk, name=relay.name, street=relay.address,
        commune=relay.commune, active=relay.active, metadata={"mormal.fridge_l": str(relay.fridge_capacity_l)},
    )


def sync_relay_points(saleor: port.SaleorPort | None = None, only_missing: bool = False) -> int:
    """Create or update one collection-point warehouse per relay point; return how many were pushed.

    Inactive relay points keep their warehouse but stop being collection points. With
    ``only_missing`` (the demo seed), relay points that already have a warehouse are skipped.

    Raises
    ------
    SaleorError
        On the first adapter error; relay points already pushed keep their warehouse id.
    """
    saleor = saleor or port.get_saleor()
    count = 0
    for relay in RelayPoint.objects.select_related("commune").order_by("pk"):
        if only_missing and relay.saleor_warehouse_id:
            continue
        collection_points.sync(relay, relay_warehouse_input(relay), saleor)
        count += 1
    return count


def product_input(product: Product, product_type_id: str, category_id: str) -> port.ProductInput:
    """The Saleor product fields for a local product (pure)."""
    first = product.variants.order_by("pk").first()
    return port.ProductInput(
        name=product.name,
        product_type_id=product_type_id,
        category_id=category_id,
        vendor_slug=product.vendor.slug,
        slug=product.slug,
        description=product.description,
        weight_kg=first.weight_kg if first else None,
        attributes={"temperature": product.temperature, "origin": product.origin, "unit": product.unit},
        metadata={VAT_RATE_KEY: product.vat_rate, UNIT_KEY: product.unit, LOCAL_ID_KEY: str(product.pk),
                  TEMPERATURE_KEY: product.temperature, ORIGIN_KEY: product.origin,
                  COMMUNE_KEY: product.vendor.commune.insee,
                  **({SOURCE_KEY: product.source_ref} if product.source_ref else {})},
        external_reference=f"product:{product.pk}",
        is_published=product.published,
    )


def variant_input(variant: ProductVariant) -> port.VariantInput:
    """The Saleor variant fields, with the stock held in the vendor's warehouse (pure)."""
    warehouse_id = variant.product.vendor.saleor_warehouse_id
    stocks = (port.StockLevel(warehouse_id=warehouse_id, quantity=variant.stock),) if warehouse_id else ()
    return port.VariantInput(
        sku=variant.sku,
        price=variant.price,
        name=variant.name,
        weight_kg=variant.weight_kg,
        stocks=stocks,
        metadata={
            port.VENDOR_METADATA_KEY: variant.product.vendor.slug,
            UNIT_KEY: variant.product.unit,
            UNIT_QUANTITY_KEY: str(variant.unit_quantity.normalize() if variant.unit_quantity else Decimal("1")),
        },
        external_reference=f"variant:{variant.pk}",
    )


def image_url(image: ProductImage) -> str:
    """An absolute URL Saleor can fetch: the outside URL, or the upload under ``APP_PUBLIC_URL``."""
    if image.url:
        return image.url
    return settings.APP_PUBLIC_URL.rstrip("/") + reverse("vendors:product_image_file", kwargs={"image_pk": image.pk})


def push_product(product: Product, saleor: port.SaleorPort | None = None) -> port.Product:
    """Create or update the product, its variants (price, stock) and new images in Saleor.

    Saleor ids are stored on the local rows as they are created, so a retry after a failure
    continues where it stopped and never duplicates a product, variant or image.

    Raises
    ------
    SaleorError
        Any adapter error; local data is kept and ``Product.sync_error`` says what failed.
    """
    saleor = saleor or port.get_saleor()
    vendor = product.vendor
    try:
        if not vendor.saleor_warehouse_id:
            sync_vendor_warehouse(vendor, saleor)
        product_type = saleor.catalogue.ensure_product_type(PRODUCT_TYPE_NAME, PRODUCT_TYPE_SLUG, has_variants=True)
        category = saleor.catalogue.ensure_category(product.get_category_display(), product.category)
        data = product_input(product, product_type.id, category.id)
        if product.saleor_product_id:
            saleor.catalogue.update_product(product.saleor_product_id, data)
        else:
            created = saleor.catalogue.create_product(data)
            Product.objects.filter(pk=product.pk).update(saleor_product_id=created.id)
            product.saleor_product_id = created.id
        for variant in product.variants.select_related("product__vendor").order_by("pk"):
            if variant.saleor_variant_id:
                saleor.catalogue.update_variant(variant.saleor_variant_id, variant_input(variant))
            else:
                made = saleor.catalogue.create_variant(product.saleor_product_id, variant_input(variant))
                ProductVariant.objects.filter(pk=variant.pk).update(saleor_variant_id=made.id)
        _push_new_media(product, saleor)
    except SaleorError as exc:
        log.warning("push of product %s to Saleor failed: %s", product.pk, exc)
        Product.objects.filter(pk=product.pk).update(sync_error=str(exc)[:500])
        product.sync_error = str(exc)[:500]
        raise
    now = timezone.now()
    Product.objects.filter(pk=product.pk).update(synced_at=now, sync_error="")
    product.synced_at, product.sync_error = now, ""
    return saleor.catalogue.get_product(product_id=product.saleor_product_id)


def _push_new_media(product: Product, saleor: port.SaleorPort) -> None:
    for image in product.images.filter(saleor_media_id=""):
        media = saleor.catalogue.add_product_media(product.saleor_product_id, image_url(image), image.alt or product.name)
        ProductImage.objects.filter(pk=image.pk).update(saleor_media_id=media.id)


def push_images(product: Product, saleor: port.SaleorPort | None = None) -> None:
    """Add the product's not-yet-pushed images as Saleor media (the whole product if never pushed).

    Raises
    ------
    SaleorError
        Any adapter error; images already pushed keep their media id, the others are retried later.
    """
    saleor = saleor or port.get_saleor()
    if not product.saleor_product_id:
        push_product(product, saleor)
        return
    try:
        _push_new_media(product, saleor)
    except SaleorError as exc:
        Product.objects.filter(pk=product.pk).update(sync_error=str(exc)[:500])
        raise


def push_stock(variant: ProductVariant, saleor: port.SaleorPort | None = None) -> None:
    """Set the variant's stock in the vendor's warehouse; pushes the whole product if never pushed.

    Raises
    ------
    SaleorError
        Any adapter error; the local stock is kept and the product is flagged for a retry.
    """
    saleor = saleor or port.get_saleor()
    product = variant.product
    if not variant.saleor_variant_id or not product.vendor.saleor_warehouse_id:
        push_product(product, saleor)
        return
    try:
        saleor.catalogue.set_variant_stocks(
            variant.saleor_variant_id,
            [port.StockLevel(warehouse_id=product.vendor.saleor_warehouse_id, quantity=variant.stock)],
        )
    except SaleorError as exc:
        Product.objects.filter(pk=product.pk).update(sync_error=str(exc)[:500])
        raise


def fulfil_vendor_share(vendor: Vendor, saleor_order_id: str, lines: list[tuple[str, int]],
                        saleor: port.SaleorPort | None = None) -> str:
    """Fulfil ``(order line id, quantity)`` pairs from the vendor's warehouse; return the fulfillment id.

    Raises
    ------
    SaleorError
        Any adapter error (for instance a line already fulfilled).
    """
    saleor = saleor or port.get_saleor()
    fulfillments = saleor.orders.fulfill(
        saleor_order_id,
        [port.FulfillmentLineInput(order_line_id=line_id, warehouse_id=vendor.saleor_warehouse_id, quantity=qty)
         for line_id, qty in lines],
    )
    mine = [f for f in fulfillments if f.warehouse_id in (None, vendor.saleor_warehouse_id)]
    return (mine or fulfillments)[-1].id if fulfillments else "-"
