"""Celery tasks of the bridge: thin, idempotent, bounded retries; each loads a source and calls one action."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from .errors import LanguageNotFrench, LanguageUnknown, PrestaShopAuthError, PrestaShopError

log = logging.getLogger(__name__)
#: A refused key or an unknown French language is a setting to fix, not a hiccup: never retried.
RETRY = {"autoretry_for": (PrestaShopError,),
         "dont_autoretry_for": (PrestaShopAuthError, LanguageUnknown, LanguageNotFrench),
         "max_retries": 3, "retry_backoff": 60, "retry_jitter": True}


def _source(source_id: int):
    from .models import PrestaShopSource

    return PrestaShopSource.objects.filter(pk=source_id, active=True).first()


@shared_task(name="prestashop.import_catalogue", **RETRY)
def import_catalogue_task(source_id: int, incremental: bool = True) -> dict:
    """Import (or resume importing) a source's catalogue; returns the run's counts."""
    from .sync import ImportBusy, import_catalogue

    source = _source(source_id)
    if source is None:
        return {"status": "no-source"}
    try:
        run = import_catalogue(source, incremental=incremental)
    except ImportBusy:
        return {"status": "busy"}
    return {"run": run.pk, "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
            "skipped": len(run.skipped)}


@shared_task(name="prestashop.sync_stock", **RETRY)
def sync_stock_task(source_id: int) -> dict:
    """Copy PrestaShop's stock to Saleor for one source."""
    from .stock import sync_stock
    from .sync import client_for

    source = _source(source_id)
    if source is None:
        return {"status": "no-source"}
    with client_for(source) as client:
        run = sync_stock(source, client=client)
    return {"run": run.pk, "updated": run.updated}


@shared_task(name="prestashop.push_stock_decrements", **RETRY)
def push_stock_decrements(source_id: int) -> int:
    """Send pending sale decrements of one source to PrestaShop; returns how many were applied."""
    from .stock import push_pending
    from .sync import client_for

    source = _source(source_id)
    if source is None:
        return 0
    with client_for(source) as client:
        return push_pending(source, client)


@shared_task(name="prestashop.sync_all")
def sync_all(full: bool = False) -> int:
    """Beat entry point: queue, for every active source, an import, a stock copy and the decrements.

    The import is incremental unless ``full`` (the nightly run). Returns how many sources.
    """
    from .models import PrestaShopSource

    ids = list(PrestaShopSource.objects.filter(active=True).values_list("pk", flat=True))
    for source_id in ids:
        import_catalogue_task.delay(source_id, not full)
        sync_stock_task.delay(source_id)
        push_stock_decrements.delay(source_id)
    return len(ids)


@shared_task(name="prestashop.pull_van_orders", **RETRY)
def pull_van_orders_task(source_id: int, day: str, since: str) -> int:
    """Turn the source's home-delivery orders in the area into van tasks for ``day`` (ISO date)."""
    from .actions import plan_prestashop_orders

    source = _source(source_id)
    if source is None:
        return 0
    return len(plan_prestashop_orders(source, dt.date.fromisoformat(day), since=since))
