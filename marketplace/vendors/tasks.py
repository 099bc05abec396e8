"""Celery tasks of the vendors app: retry the Saleor pushes that failed."""

from __future__ import annotations

import logging

from celery import shared_task

from marketplace.saleor.errors import SaleorError

from .models import Product

log = logging.getLogger(__name__)


@shared_task(name="vendors.push_unsynced_products")
def push_unsynced_products(limit: int = 200) -> int:
    """Push again the products whose last push to Saleor failed; return how many now succeeded.

    Idempotent: Saleor ids already stored are reused, so a product is never duplicated.
    """
    from .actions.saleor_sync import push_product

    done = 0
    for product in Product.objects.exclude(sync_error="").select_related("vendor__commune")[:limit]:
        try:
            push_product(product)
        except SaleorError as exc:
            log.info("product %s still not pushed: %s", product.pk, exc)
            continue
        done += 1
    return done
