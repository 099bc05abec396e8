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
def pull_van_orders_task(source_id: int, now_iso: str | None = None) -> dict:
    """Turn the source's new home-delivery orders in the area into van tasks (idempotent).

    ``now_iso`` is the instant to act at (ISO 8601 with offset); beat's fan-out passes its own.
    """
    from django.utils import timezone

    from .actions import pull_van_orders

    source = _source(source_id)
    if source is None:
        return {"status": "no-source"}
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    outcome = pull_van_orders(source, now=now)
    return {"planned": outcome.planned, "already_planned": outcome.already_planned,
            "refused": [{"ps_id": s.ps_id, "reason": s.reason} for s in outcome.refused]}


@shared_task(name="prestashop.pull_all_van_orders")
def pull_all_van_orders(now_iso: str | None = None) -> int:
    """Beat entry point: queue the van-order pull of every active source; returns how many sources."""
    from django.utils import timezone

    from .models import PrestaShopSource

    now_iso = now_iso or timezone.now().isoformat()
    ids = list(PrestaShopSource.objects.filter(active=True).values_list("pk", flat=True))
    for source_id in ids:
        pull_van_orders_task.delay(source_id, now_iso)
    return len(ids)
