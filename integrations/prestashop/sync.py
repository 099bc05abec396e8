"""Import a PrestaShop catalogue into the marketplace, idempotently, through the one product push rule.

A run reads pages of products (see :mod:`.pull`). Each PrestaShop product becomes (or updates)
a product of its vendor's catalogue (``vendors.Product`` and its variants, images), exactly
like the vendors' own products, and is pushed to Saleor by the same function as theirs
(:func:`marketplace.vendors.actions.saleor_sync.push_product`). So the planner, the pick lists
and the storefront read its temperature, unit, weight and volume from the one place every
product lives, and the vendor fills in on their page what PrestaShop did not say.

PrestaShop stays authoritative for what it states (names, description, prices, stock, and
the goods facts its features give); what it does not state is never overwritten by a guess:
an unknown temperature stays ``unknown``, an unknown weight empty, an unknown VAT rate leaves
the price unknown and the product unpublished. The ids of both sides are kept in
:class:`~.models.IdMapping`, with a content hash, so a second run changes nothing. After each
page the run's cursor (``next_offset``) is saved: an interrupted run resumes at the page it
was on, and the push never duplicates (Saleor ids are stored on the local rows as they are made).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from common import money
from delivery import coldchain
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError

from .catalogue import Product, ReviewCode, Skipped
from .client import PrestaShopClient
from .errors import PrestaShopError, staff_message
from .mapping import shelf_for
from .models import IdMapping, PrestaShopSource, SyncRun, VendorLink
from .ports import PrestaShopPort
from .pull import iter_product_pages, read_reference

log = logging.getLogger(__name__)

ADVISORY_LOCK_CLASS = 7_340_099  # "a PrestaShop import holds this source"


class ImportBusy(RuntimeError):
    """Another worker is importing this source right now; this call did nothing."""


def client_for(source: PrestaShopSource, **kwargs) -> PrestaShopClient:
    """The HTTP client for a source, with its decrypted (or environment) key."""
    return PrestaShopClient(source.url, source.key(), output_format=source.output_format, **kwargs)


class _ImportContext:
    """Per-run lookups: vendor ref -> our vendor (its Saleor warehouse ensured once)."""

    def __init__(self, source: PrestaShopSource, saleor: port.SaleorPort) -> None:
        self.source, self.saleor = source, saleor
        self.links = {link.vendor_ref: link.vendor for link in VendorLink.objects.filter(source=source).select_related("vendor__commune")}
        self.ready: set[int] = set()

    def get(self, ref: str):
        vendor = self.links.get(ref) or self.source.default_vendor
        if vendor is None:
            return None
        if vendor.pk not in self.ready:
            if not vendor.saleor_warehouse_id:
                from marketplace.vendors.actions.saleor_sync import sync_vendor_warehouse

                sync_vendor_warehouse(vendor, self.saleor)
            self.ready.add(vendor.pk)
        return vendor


def _open_run(source: PrestaShopSource, kind: str) -> SyncRun:
    """Resume the last unfinished run of this kind, or start a new one."""
    unfinished = SyncRun.objects.filter(source=source, kind=kind, status__in=[SyncRun.Status.RUNNING, SyncRun.Status.FAILED]).first()
    if unfinished is not None:
        unfinished.status, unfinished.error = SyncRun.Status.RUNNING, ""
        unfinished.resumed += 1
        unfinished.save(update_fields=["status", "error", "resumed"])
        return unfinished
    since = source.last_date_upd if kind == SyncRun.Kind.INCREMENTAL else ""
    return SyncRun.objects.create(source=source, kind=kind, since=since)


def import_catalogue(
    source: PrestaShopSource, *, incremental: bool = False, client: PrestaShopPort | None = None,
    saleor: port.SaleorPort | None = None, page_size: int = 100,
) -> SyncRun:
    """Import (or update) the source's catalogue; resume an interrupted run of the same kind.

    Parameters
    ----------
    incremental : bool
        Only products with ``date_upd`` at or after the last imported one (``date=1`` filter).

    Returns
    -------
    SyncRun
        The finished run with its counts and the skipped records (id and reason).

    Raises
    ------
    PrestaShopError
        When the shop refuses the key or keeps failing; the run is left ``failed`` with its
        cursor, and the next call resumes it.
    SaleorError
        When Saleor refuses a write; same resume behaviour.
    ImportBusy
        When another worker holds this source's import lock (nothing is done).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_LOCK_CLASS, source.pk])
        if not cursor.fetchone()[0]:
            raise ImportBusy(f"PrestaShop source {source.pk} is being imported by another worker")
    try:
        return _import(source, incremental=incremental, client=client, saleor=saleor, page_size=page_size)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_LOCK_CLASS, source.pk])


def _import(source: PrestaShopSource, *, incremental: bool, client: PrestaShopPort | None,
            saleor: port.SaleorPort | None, page_size: int) -> SyncRun:
    kind = SyncRun.Kind.INCREMENTAL if incremental else SyncRun.Kind.FULL
    run = _open_run(source, kind)
    own_client = client is None
    client = client or client_for(source)
    saleor = saleor or port.get_saleor()
    try:
        client.probe()
        reading = read_reference(client, vendor_mode=source.vendor_mode, french_id=source.french_language_id)
        vendors = _ImportContext(source, saleor)
        for page in iter_product_pages(client, reading, page_size=page_size, start=run.next_offset,
                                       since=run.since or None):
            skipped = list(page.skipped)
            for product in page.products:
                try:
                    outcome = upsert_product(source, product, saleor, vendors)
                except ValueError as exc:
                    log.error("PrestaShop product %s not imported: %s", product.ps_id, exc)
                    skipped.append(Skipped("products", str(product.ps_id), str(exc)))
                    continue
                setattr(run, outcome, getattr(run, outcome) + 1)
                run.review = [r for r in run.review if r["ps_id"] != product.ps_id]
                run.review += [{"ps_id": product.ps_id, "code": str(r.code), "reason": r.reason} for r in product.review]
            run.skipped = [*run.skipped, *(asdict(s) for s in skipped)]
            run.next_offset, run.pages = page.next_offset, run.pages + 1
            run.max_date_upd = max(run.max_date_upd, page.max_date_upd)
            run.save()
        run.status, run.finished_at = SyncRun.Status.DONE, timezone.now()
        run.requests += client.request_count
        run.save()
        source.last_date_upd = max(source.last_date_upd, run.max_date_upd)
        source.ps_version = client.version or source.ps_version
        source.save(update_fields=["last_date_upd", "ps_version"])
        return run
    except (PrestaShopError, SaleorError) as exc:
        run.status = SyncRun.Status.FAILED
        run.error = staff_message(exc) if isinstance(exc, PrestaShopError) else str(exc)
        run.requests += client.request_count
        run.save(update_fields=["status", "error", "requests"])
        raise
    finally:
        if own_client:
            client.close()


def upsert_product(source: PrestaShopSource, product: Product, saleor: port.SaleorPort, vendors: _ImportContext) -> str:
    """Create, update or leave one product; return ``"created"``, ``"updated"`` or ``"unchanged"``.

    The product is written into its vendor's catalogue (:func:`write_local_product`) and pushed
    to Saleor by the vendors' own push (:func:`~marketplace.vendors.actions.saleor_sync.push_product`).

    Raises
    ------
    ValueError
        When the product has no linked vendor. A product with something to review (no French
        name, no known VAT rate) is imported unpublished, its unknown prices left unset.
    SaleorError
        When Saleor refuses a write (the local rows and Saleor ids made so far are kept, the
        hash is not saved, so the next run finishes the push without duplicating).
    """
    from marketplace.vendors.actions.saleor_sync import push_product
    from marketplace.vendors.models import Product as LocalProduct

    vendor = vendors.get(product.vendor_ref)
    if vendor is None:
        raise ValueError(f"vendor {product.vendor_ref} is not linked to a marketplace vendor (add a VendorLink)")
    digest = product.content_hash()
    mapping, _ = IdMapping.objects.get_or_create(source=source, resource=IdMapping.Resource.PRODUCT, ps_id=str(product.ps_id))
    local = LocalProduct.objects.filter(pk=mapping.extra.get("local")).first() if mapping.extra.get("local") else None
    if local is not None and mapping.saleor_id and mapping.content_hash == digest:
        _sync_quantities(source, product, saleor, vendor.saleor_warehouse_id)
        mapping.ps_date_upd = product.date_upd
        mapping.save(update_fields=["ps_date_upd", "updated_at"])
        return "unchanged"
    outcome = "created" if local is None else "updated"
    local = write_local_product(source, product, vendor, local)
    mapping.extra = {**mapping.extra, "local": local.pk, "vendor_ref": product.vendor_ref, "vendor": vendor.pk}
    mapping.save(update_fields=["extra", "updated_at"])
    push_product(local, saleor)
    mapping.saleor_id = local.saleor_product_id
    for variant in product.variants:
        _remember_variant(source, product, variant, local, vendor.saleor_warehouse_id)
    mapping.content_hash, mapping.ps_date_upd = digest, product.date_upd
    mapping.save(update_fields=["saleor_id", "content_hash", "ps_date_upd", "updated_at"])
    return outcome


def untranslated_name(product: Product) -> str:
    """The name an unpublished product without a French name carries until someone writes one."""
    return f"Produit PrestaShop n° {product.ps_id} (nom français à saisir)"


def _vat_field(rate: Decimal | None) -> str:
    """A VAT percentage as the vendors' ``vat_rate`` field holds it (``"5.50"``); ``""`` when unknown."""
    return "" if rate is None else str(money.to_decimal(rate).quantize(money.CENT))


@transaction.atomic
def write_local_product(source: PrestaShopSource, product: Product, vendor, local=None):
    """Write a PrestaShop product into its vendor's catalogue (``vendors.Product``, variants, images).

    Only what PrestaShop states is written over what is there; what it leaves unknown (the
    temperature, a weight, the French name, the VAT rate) keeps what the vendor filled in, or
    stays unknown on a new product. The product is published only when the shop has it active
    and nothing is left to review (a French name, a known rate: the shop's or the vendor's).
    """
    from marketplace.vendors.models import Product as LocalProduct
    from marketplace.vendors.models import ProductImage, ProductVariant

    placeholder = untranslated_name(product)
    if local is None:
        local = LocalProduct(
            vendor=vendor, slug=slugify(f"{(product.name or 'produit')[:60]}-ps{source.pk}-{product.ps_id}")[:120],
            source_ref=product.external_reference, name=placeholder, temperature=coldchain.UNKNOWN,
            unit=product.unit, vat_rate="", weight_must_be_stated=True,
        )
    local.vendor = vendor
    local.name = (product.name or local.name or placeholder)[:200]
    local.description = product.description
    local.category = shelf_for(product.category_path, product.name or "")
    if coldchain.is_known(product.temperature):
        local.temperature = product.temperature
    if product.unit != "unit":
        local.unit = product.unit
    known_rate = _vat_field(product.variants[0].price.tax_rate if product.variants else None)
    local.vat_rate = known_rate or local.vat_rate
    unresolved = {r.code for r in product.review}
    if local.name != placeholder:
        unresolved.discard(ReviewCode.NO_FRENCH_NAME)
    if local.vat_rate:
        unresolved.discard(ReviewCode.TAX_RATE_UNKNOWN)
    local.published = product.active and not unresolved
    local.save()
    for variant in product.variants:
        key = f"{product.ps_id}:{variant.ps_combination_id}"
        mapped = IdMapping.objects.filter(source=source, resource=IdMapping.Resource.VARIANT, ps_id=key).first()
        sku = f"PS{source.pk}-{key.replace(':', '-')}"
        row = (ProductVariant.objects.filter(pk=mapped.extra.get("local"), product=local).first() if mapped else None) \
            or ProductVariant.objects.filter(product=local, sku=sku).first() or ProductVariant(product=local, sku=sku)
        row.name = variant.name[:120]
        if variant.price.incl_tax is not None:
            row.price = variant.price.incl_tax
        elif local.vat_rate:  # the vendor stated the rate PrestaShop did not give
            row.price = money.incl_vat(variant.price.excl_tax, local.vat_rate)
        else:
            row.price = None
        row.unit_quantity = variant.unit_quantity
        row.stock = max(variant.quantity or 0, 0)
        if variant.weight_kg:
            row.weight_kg = variant.weight_kg.quantize(Decimal("0.001"))
        if variant.volume_ml:
            row.volume_ml = variant.volume_ml
        row.save()
        IdMapping.objects.update_or_create(
            source=source, resource=IdMapping.Resource.VARIANT, ps_id=key,
            defaults={"extra": {**(mapped.extra if mapped else {}), "local": row.pk}})
    known = set(local.images.values_list("url", flat=True))
    for position, url in enumerate(product.image_urls):
        if url not in known:
            ProductImage.objects.create(product=local, url=url, alt=local.name[:200], position=position)
    return local


def _remember_variant(source: PrestaShopSource, product: Product, variant, local, warehouse_id: str) -> None:
    """Keep the Saleor id of a pushed variant beside its PrestaShop ids (stock copies and decrements use it)."""
    from marketplace.vendors.models import ProductVariant

    mapping = IdMapping.objects.get(source=source, resource=IdMapping.Resource.VARIANT,
                                    ps_id=f"{product.ps_id}:{variant.ps_combination_id}")
    row = ProductVariant.objects.get(pk=mapping.extra["local"])
    mapping.saleor_id = row.saleor_variant_id
    mapping.ps_stock_available_id = variant.ps_stock_available_id
    mapping.last_quantity = variant.quantity
    mapping.extra = {**mapping.extra, "product": local.saleor_product_id, "warehouse": warehouse_id}
    mapping.save()


def _sync_quantities(source: PrestaShopSource, product: Product, saleor: port.SaleorPort, warehouse_id: str) -> None:
    """Copy changed PrestaShop quantities of an otherwise unchanged product."""
    mappings = {m.ps_id: m for m in IdMapping.objects.filter(
        source=source, resource=IdMapping.Resource.VARIANT, ps_id__in=[f"{product.ps_id}:{v.ps_combination_id}" for v in product.variants])}
    for variant in product.variants:
        mapping = mappings.get(f"{product.ps_id}:{variant.ps_combination_id}")
        if mapping and variant.quantity is not None and variant.quantity != mapping.last_quantity:
            push_quantity(saleor, mapping, warehouse_id, variant.quantity)


def push_quantity(saleor: port.SaleorPort, mapping: IdMapping, warehouse_id: str, ps_quantity: int) -> None:
    """Make Saleor's available stock equal PrestaShop's ``quantity`` (which is already net of sales).

    Saleor counts a sale as allocated until it is fulfilled, so the stock written is
    PrestaShop's quantity plus what Saleor still holds allocated in the vendor's warehouse.
    """
    allocated = 0
    product = saleor.catalogue.get_product(product_id=mapping.extra.get("product", "")) if mapping.extra.get("product") else None
    for variant in product.variants if product else ():
        if variant.id == mapping.saleor_id:
            allocated = sum(s.quantity_allocated for s in variant.stocks if s.warehouse_id == warehouse_id)
    saleor.catalogue.set_variant_stocks(mapping.saleor_id, [port.StockLevel(warehouse_id=warehouse_id,
                                                                  quantity=max(ps_quantity, 0) + allocated)])
    if mapping.extra.get("local"):  # the vendor's page shows the same stock
        from marketplace.vendors.models import ProductVariant

        ProductVariant.objects.filter(pk=mapping.extra["local"]).update(stock=max(ps_quantity, 0))
    mapping.last_quantity = ps_quantity
    mapping.save(update_fields=["last_quantity", "updated_at"])
