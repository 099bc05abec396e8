"""Writes of the bridge on other apps: PrestaShop home-delivery orders become van tasks."""

from __future__ import annotations

import datetime as dt

from .models import IdMapping, PrestaShopSource, VendorLink
from .orders import DeliveryRequest, pull_delivery_requests
from .sync import client_for


def task_specs(source: PrestaShopSource, request: DeliveryRequest) -> list:
    """The delivery tasks for one order: per vendor, a collect at the shop paired with the home drop.

    Lines whose product has no known vendor are delivered from a single home task (the
    merchant brings the parcel to the depot), so nothing ordered is left out.
    """
    from delivery.actions import TaskSpec

    product_ids = [str(line.ps_product_id) for line in request.lines]
    vendor_by_product = {
        m.ps_id: m.extra.get("vendor") for m in IdMapping.objects.filter(
            source=source, resource=IdMapping.Resource.PRODUCT, ps_id__in=product_ids)
    }
    links = {link.vendor_id: link.vendor for link in VendorLink.objects.filter(source=source).select_related("vendor")}
    if source.default_vendor_id:
        links.setdefault(source.default_vendor_id, source.default_vendor)
    vendors = sorted({vendor_by_product.get(p) for p in product_ids}, key=lambda v: (v is None, v or 0))
    home = {"kind": "home", "name": request.recipient, "address": request.address, "lon": request.lon,
            "lat": request.lat, "phone": request.phone, "doorstep_notes": request.note[:255]}
    specs = []
    for vendor_id in vendors:
        vendor = links.get(vendor_id)
        if vendor is None:
            specs.append(TaskSpec(source=f"{request.source}:home", **home))
            continue
        key = f"{request.source}:vendor:{vendor.pk}"
        specs.append(TaskSpec(kind="collect", source=f"{key}:collect", name=vendor.name, address=vendor.address,
                              lon=vendor.lon, lat=vendor.lat, phone=vendor.phone, shipment_key=key))
        specs.append(TaskSpec(source=f"{key}:home", shipment_key=key, **home))
    return specs


def plan_prestashop_orders(source: PrestaShopSource, day: dt.date, *, since: str, client=None) -> list:
    """Pull the source's home-delivery orders in the area and upsert their van tasks for ``day``.

    Idempotent: tasks are keyed by order (and vendor), so a second pull changes nothing.

    Raises
    ------
    PrestaShopError
        When the shop refuses the key or keeps failing.
    django.core.exceptions.ValidationError
        When the delivery app refuses a task (for example after the day's cut-off).
    """
    from delivery.actions import get_or_create_day, upsert_tasks

    own = client is None
    client = client or client_for(source)
    try:
        requests, _skipped = pull_delivery_requests(client, since=since)
    finally:
        if own:
            client.close()
    specs = [spec for request in requests for spec in task_specs(source, request)]
    return upsert_tasks(get_or_create_day(day), specs) if specs else []
