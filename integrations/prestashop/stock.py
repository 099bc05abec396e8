"""Two-way stock between PrestaShop (authoritative for its products) and Saleor.

- PrestaShop -> us: :func:`sync_stock` reads every ``stock_availables`` row (1,000 per
  request) and copies changed quantities to the vendor's Saleor warehouse.
- us -> PrestaShop: a Saleor order for a bridged variant records one :class:`StockDecrement`
  per line (unique per order line, so a replayed webhook changes nothing);
  :func:`apply_decrement` then reads the row and writes ``quantity - sold`` with PATCH on
  PrestaShop 8 or later, or with a PUT of the whole row before 8 (PATCH did not exist).
  A cancelled order gives the quantity back the same way.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from marketplace.saleor import port

from .client import version_tuple
from .errors import PrestaShopError
from .mapping import as_int, text
from .models import IdMapping, PrestaShopSource, StockDecrement, SyncRun
from .ports import PrestaShopPort
from .pull import resilient_pages

log = logging.getLogger(__name__)


def sync_stock(source: PrestaShopSource, *, client: PrestaShopPort, saleor: port.SaleorPort | None = None) -> SyncRun:
    """Copy PrestaShop quantities that changed since the last copy; return the run.

    Raises
    ------
    PrestaShopError
        When the shop refuses the key or keeps failing (the run is stored as failed).
    """
    saleor = saleor or port.get_saleor()
    run = SyncRun.objects.create(source=source, kind=SyncRun.Kind.STOCK)
    mappings = {m.ps_id: m for m in IdMapping.objects.filter(source=source, resource=IdMapping.Resource.VARIANT)}
    try:
        for _offset, rows, skipped, _n in resilient_pages(client, "stock_availables", page_size=1000,
                                                          display="[id,id_product,id_product_attribute,quantity]"):
            run.skipped = [*run.skipped, *({"resource": s.resource, "ps_id": s.ps_id, "reason": s.reason} for s in skipped)]
            for row in rows:
                key = f"{text(row.get('id_product'))}:{text(row.get('id_product_attribute')) or '0'}"
                mapping = mappings.get(key)
                quantity = as_int(row.get("quantity"), f"quantity of stock row {text(row.get('id'))}", None)
                if mapping is None or quantity is None:
                    continue
                if quantity == mapping.last_quantity:
                    run.unchanged += 1
                    continue
                from .sync import push_quantity

                push_quantity(saleor, mapping, mapping.extra.get("warehouse", ""), quantity)
                run.updated += 1
        run.status, run.finished_at = SyncRun.Status.DONE, timezone.now()
    except PrestaShopError as exc:
        run.status, run.error = SyncRun.Status.FAILED, str(exc)
        raise
    finally:
        run.requests = client.request_count
        run.save()
    return run


# ------------------------------------------------------------------------------- sales -> PS


def record_sale(order: port.Order, *, cancelled: bool = False) -> list[StockDecrement]:
    """Record one decrement (or give-back) per order line sold from a PrestaShop variant.

    Lines of other vendors are ignored. Calling twice with the same order changes nothing.
    """
    variant_ids = [line.variant_id for line in order.lines if line.variant_id]
    mappings = {m.saleor_id: m for m in IdMapping.objects.filter(resource=IdMapping.Resource.VARIANT,
                                                                 saleor_id__in=variant_ids).select_related("source")}
    made = []
    for line in order.lines:
        mapping = mappings.get(line.variant_id or "")
        if mapping is None or not mapping.ps_stock_available_id:
            continue
        key = f"{order.id}:{line.id}" + (":cancel" if cancelled else "")
        decrement, _ = StockDecrement.objects.get_or_create(
            source=mapping.source, sale_key=key,
            defaults={"stock_available_id": mapping.ps_stock_available_id,
                      "quantity": -line.quantity if cancelled else line.quantity},
        )
        made.append(decrement)
    return made


def apply_decrement(decrement: StockDecrement, client: PrestaShopPort) -> StockDecrement:
    """Write one decrement to PrestaShop (PATCH from version 8, GET + PUT before); at most once.

    The target quantity is stored before writing; if a retry finds the row already at the
    target, the earlier write went through and nothing is sent again.

    Raises
    ------
    PrestaShopError
        When PrestaShop refuses or keeps failing; the decrement stays pending for a retry.
    """
    with transaction.atomic():
        decrement = StockDecrement.objects.select_for_update().get(pk=decrement.pk)
        if decrement.status == StockDecrement.Status.DONE:
            return decrement
        row = client.get_record("stock_availables", decrement.stock_available_id)
        current = as_int(row.get("quantity"), f"quantity of stock row {decrement.stock_available_id}", 0) or 0
        if decrement.result_quantity is not None and current == decrement.result_quantity:
            log.info("decrement %s already applied on PrestaShop", decrement.sale_key)
        else:
            target = max(current - decrement.quantity, 0)
            StockDecrement.objects.filter(pk=decrement.pk).update(result_quantity=target)
            if version_tuple(client.detect_version())[:1] >= (8,):
                client.patch("stock_availables", decrement.stock_available_id, {"quantity": str(target)})
                decrement.method = "PATCH"
            else:
                full = {k: v for k, v in row.items() if k != "id"}
                full["quantity"] = str(target)
                client.update("stock_availables", decrement.stock_available_id, full)
                decrement.method = "PUT"
            decrement.result_quantity = target
        decrement.status, decrement.applied_at, decrement.error = StockDecrement.Status.DONE, timezone.now(), ""
        decrement.save()
    IdMapping.objects.filter(source=decrement.source, resource=IdMapping.Resource.VARIANT,
                             ps_stock_available_id=decrement.stock_available_id).update(last_quantity=decrement.result_quantity)
    return decrement


def push_pending(source: PrestaShopSource, client: PrestaShopPort) -> int:
    """Apply every pending decrement of ``source``; return how many were applied.

    Raises
    ------
    PrestaShopError
        On the first refusal; what was applied stays applied.
    """
    done = 0
    for decrement in StockDecrement.objects.filter(source=source).exclude(status=StockDecrement.Status.DONE).order_by("pk"):
        try:
            apply_decrement(decrement, client)
        except PrestaShopError as exc:
            StockDecrement.objects.filter(pk=decrement.pk).update(status=StockDecrement.Status.FAILED, error=str(exc)[:1000])
            raise
        done += 1
    return done


# ------------------------------------------------------------------------- webhook handlers


def _on_order(event, *, cancelled: bool) -> None:
    if event.order is None:
        return
    decrements = record_sale(event.order, cancelled=cancelled)
    for source_id in sorted({d.source_id for d in decrements}):
        from .tasks import push_stock_decrements

        transaction.on_commit(lambda sid=source_id: push_stock_decrements.delay(sid))


def on_order_created(event) -> None:
    """Saleor ORDER_CREATED: subtract the sold quantities from PrestaShop."""
    _on_order(event, cancelled=False)


def on_order_cancelled(event) -> None:
    """Saleor ORDER_CANCELLED: give the quantities back to PrestaShop."""
    _on_order(event, cancelled=True)


def register_handlers() -> None:
    """Subscribe to the Saleor adapter's order events (called from ``AppConfig.ready``)."""
    try:
        from marketplace.saleor.registry import register_handler
    except ImportError:  # the adapter is not installed (pure CLI use)
        return
    register_handler("ORDER_CREATED", "prestashop.decrement_stock", on_order_created)
    register_handler("ORDER_CANCELLED", "prestashop.restore_stock", on_order_cancelled)
    from .notify import on_order_created as notify_on_created

    register_handler("ORDER_CREATED", "prestashop.notify_merchant", notify_on_created)
