"""Import a PrestaShop catalogue into the marketplace through the Saleor port, idempotently.

A run reads pages of products (see :mod:`.pull`), and for each product creates or updates the
Saleor product, its variants (TTC price, stock in the vendor's warehouse) and new images. The
ids of both sides are kept in :class:`~.models.IdMapping`, with a content hash, so a second run
creates nothing and a changed product is updated. After each page the run's cursor
(``next_offset``) is saved: an interrupted run resumes at the page it was on.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError

from .catalogue import Product, Skipped
from .client import PrestaShopClient
from .errors import PrestaShopError, staff_message
from .mapping import shelf_for
from .models import IdMapping, PrestaShopSource, SyncRun, VendorLink
from .ports import PrestaShopPort
from .pull import iter_product_pages, read_reference

log = logging.getLogger(__name__)

PRODUCT_TYPE_SLUG = "produit-local"  # shared with the vendors app's own products
PRODUCT_TYPE_NAME = "Produit local"
REF_METADATA_KEY = "mormal.prestashop"
VAT_METADATA_KEY = "mormal.vat_rate"


ADVISORY_LOCK_CLASS = 7_340_099  # "a PrestaShop import holds this source"


class ImportBusy(RuntimeError):
    """Another worker is importing this source right now; this call did nothing."""


def client_for(source: PrestaShopSource, **kwargs) -> PrestaShopClient:
    """The HTTP client for a source, with its decrypted (or environment) key."""
    return PrestaShopClient(source.url, source.key(), output_format=source.output_format, **kwargs)


class _ImportContext:
    """Per-run lookups: vendor ref -> our vendor (warehouse ensured once), shelf -> Saleor category."""

    def __init__(self, source: PrestaShopSource, saleor: port.SaleorPort) -> None:
        self.source, self.saleor = source, saleor
        self.links = {link.vendor_ref: link.vendor for link in VendorLink.objects.filter(source=source).select_related("vendor__commune")}
        self.ready: set[int] = set()
        self.categories: dict[str, str] = {}

    def category_id(self, shelf: str) -> str:
        """Saleor id of a storefront shelf, looked up once per run."""
        if shelf not in self.categories:
            self.categories[shelf] = self.saleor.catalogue.ensure_category(_shelf_label(shelf), shelf).id
        return self.categories[shelf]

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
    careful = run.resumed > 0  # the interrupted page may hold a product created without its mapping
    try:
        client.probe()
        reading = read_reference(client, vendor_mode=source.vendor_mode, french_id=source.french_language_id)
        vendors = _ImportContext(source, saleor)
        product_type = saleor.catalogue.ensure_product_type(PRODUCT_TYPE_NAME, PRODUCT_TYPE_SLUG, has_variants=True)
        for page in iter_product_pages(client, reading, page_size=page_size, start=run.next_offset,
                                       since=run.since or None):
            skipped = list(page.skipped)
            for product in page.products:
                try:
                    outcome = upsert_product(source, product, saleor, vendors, product_type.id, careful=careful)
                except ValueError as exc:
                    log.error("PrestaShop product %s not imported: %s", product.ps_id, exc)
                    skipped.append(Skipped("products", str(product.ps_id), str(exc)))
                    continue
                setattr(run, outcome, getattr(run, outcome) + 1)
                run.review = [r for r in run.review if r["ps_id"] != product.ps_id]
                run.review += [{"ps_id": product.ps_id, "code": str(r.code), "reason": r.reason} for r in product.review]
            careful = False
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


def _find_in_saleor(saleor: port.SaleorPort, external_reference: str) -> str | None:
    page = saleor.catalogue.list_products(port.ProductQuery(metadata={REF_METADATA_KEY: external_reference},
                                                  only_published=False, first=1))
    return page.products[0].id if page.products else None


def upsert_product(
    source: PrestaShopSource, product: Product, saleor: port.SaleorPort, vendors: _ImportContext, product_type_id: str,
    *, careful: bool = False,
) -> str:
    """Create, update or leave one product; return ``"created"``, ``"updated"`` or ``"unchanged"``.

    Raises
    ------
    ValueError
        When the product has no linked vendor. A product with something to review (no French
        name, no known VAT rate) is imported unpublished, its unknown prices left unset.
    SaleorError
        When Saleor refuses a write (the mapping keeps what was done, the hash is not saved).
    """
    vendor = vendors.get(product.vendor_ref)
    if vendor is None:
        raise ValueError(f"vendor {product.vendor_ref} is not linked to a marketplace vendor (add a VendorLink)")
    digest = product.content_hash()
    mapping, _ = IdMapping.objects.get_or_create(source=source, resource=IdMapping.Resource.PRODUCT, ps_id=str(product.ps_id))
    if mapping.saleor_id and mapping.content_hash == digest:
        _sync_quantities(source, product, saleor, vendor.saleor_warehouse_id)
        mapping.ps_date_upd = product.date_upd
        mapping.save(update_fields=["ps_date_upd", "updated_at"])
        return "unchanged"
    category_id = vendors.category_id(shelf_for(product.category_path, product.name or ""))
    name = product.name or untranslated_name(product)
    data = port.ProductInput(
        name=name[:250], product_type_id=product_type_id, category_id=category_id, vendor_slug=vendor.slug,
        slug=slugify(f"{name[:60]}-ps{source.pk}-{product.ps_id}"), description=product.description,
        metadata={REF_METADATA_KEY: product.external_reference,
                  VAT_METADATA_KEY: str(product.variants[0].price.tax_rate or "")},
        external_reference=product.external_reference, is_published=product.active and product.sellable,
    )
    outcome = "updated"
    if not mapping.saleor_id and careful:
        mapping.saleor_id = _find_in_saleor(saleor, product.external_reference) or ""
    if mapping.saleor_id:
        saleor.catalogue.update_product(mapping.saleor_id, data)
    else:
        mapping.saleor_id = saleor.catalogue.create_product(data).id
        mapping.save(update_fields=["saleor_id", "updated_at"])
        outcome = "created"
    _upsert_variants(source, product, saleor, mapping.saleor_id, vendor)
    done = set(mapping.extra.get("images", []))
    for url in product.image_urls:
        if url not in done:
            saleor.catalogue.add_product_media(mapping.saleor_id, url, product.name)
            done.add(url)
            mapping.extra = {**mapping.extra, "images": sorted(done)}
            mapping.save(update_fields=["extra", "updated_at"])
    mapping.content_hash, mapping.ps_date_upd = digest, product.date_upd
    mapping.extra = {**mapping.extra, "vendor_ref": product.vendor_ref, "vendor": vendor.pk}
    mapping.save(update_fields=["content_hash", "ps_date_upd", "extra", "updated_at"])
    return outcome


def untranslated_name(product: Product) -> str:
    """The name an unpublished product without a French name carries until someone writes one."""
    return f"Produit PrestaShop n° {product.ps_id} (nom français à saisir)"


def _shelf_label(slug: str) -> str:
    try:
        from marketplace.vendors.models import Product as LocalProduct

        return str(LocalProduct.Category(slug).label)
    except (ImportError, ValueError):
        return slug.replace("-", " ").capitalize()


def _upsert_variants(source: PrestaShopSource, product: Product, saleor: port.SaleorPort, product_id: str, vendor) -> None:
    warehouse_id = vendor.saleor_warehouse_id
    for variant in product.variants:
        key = f"{product.ps_id}:{variant.ps_combination_id}"
        quantity = max(variant.quantity or 0, 0)
        data = port.VariantInput(
            sku=f"PS{source.pk}-{key.replace(':', '-')}", price=variant.price.incl_tax, name=variant.name[:250],
            stocks=(port.StockLevel(warehouse_id=warehouse_id, quantity=quantity),) if warehouse_id else (),
            metadata={port.VENDOR_METADATA_KEY: vendor.slug, REF_METADATA_KEY: variant.external_reference,
                      "mormal.prestashop.reference": variant.reference},
            external_reference=variant.external_reference,
        )
        with transaction.atomic():
            mapping, _ = IdMapping.objects.select_for_update().get_or_create(
                source=source, resource=IdMapping.Resource.VARIANT, ps_id=key)
        if mapping.saleor_id:
            saleor.catalogue.update_variant(mapping.saleor_id, data)
        else:
            mapping.saleor_id = saleor.catalogue.create_variant(product_id, data).id
        mapping.ps_stock_available_id = variant.ps_stock_available_id
        mapping.last_quantity = variant.quantity
        mapping.extra = {**mapping.extra, "product": product_id, "warehouse": warehouse_id}
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
    mapping.last_quantity = ps_quantity
    mapping.save(update_fields=["last_quantity", "updated_at"])
