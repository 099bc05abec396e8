"""Writes of the bridge on other apps: PrestaShop home-delivery orders become van tasks."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from .catalogue import Skipped
from .models import IdMapping, PrestaShopSource, VendorLink
from .orders import DeliveryRequest, pull_delivery_requests
from .sync import client_for

log = logging.getLogger(__name__)
#: How far back the first pull of a source looks for orders (later pulls start at the last order read).
FIRST_PULL_DAYS = 7


def check_source(source: PrestaShopSource, client=None) -> tuple[str | None, int | None, str]:
    """The connection check: a real Webservice root, an accepted key, and the French language.

    Returns
    -------
    tuple
        The PrestaShop version, the French language id (``None`` if the shop has none) and how
        it was found (``"iso_code"`` or ``"given"``).

    Raises
    ------
    PrestaShopError
        :class:`~.errors.NotPrestaShopAnswer` when the URL is not a Webservice root,
        :class:`~.errors.PrestaShopAuthError` for a refused key,
        :class:`~.errors.LanguageUnknown` when ``languages`` is not readable and the source has no
        French language id.
    """
    from .pull import read_languages

    own = client is None
    client = client or client_for(source)
    try:
        version = client.probe()
        languages = read_languages(client, french_id=source.french_language_id)
    finally:
        if own:
            client.close()
    return version, languages.french_id, languages.found_from


def task_specs(source: PrestaShopSource, request: DeliveryRequest) -> list:
    """The delivery tasks for one order: per vendor, a collect at the shop paired with the home drop.

    Lines whose product has no known vendor are delivered from a single home task (the
    merchant brings the parcel to the depot), so nothing ordered is left out. What each share
    weighs, takes and how it keeps comes from the imported products' catalogue rows, the one
    place the storefront's orders read too (:func:`marketplace.storefront.loads.line_facts`).
    """
    from delivery.actions import TaskSpec
    from marketplace.storefront.loads import line_facts

    variant_ids = {m.ps_id: m.saleor_id for m in IdMapping.objects.filter(
        source=source, resource=IdMapping.Resource.VARIANT,
        ps_id__in=[f"{line.ps_product_id}:{line.ps_combination_id}" for line in request.lines])}
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
    def loads_of(vendor_id) -> dict[str, tuple[int, int]]:
        lines = [line for line in request.lines if vendor_by_product.get(str(line.ps_product_id)) == vendor_id]
        loads: dict[str, tuple[int, int]] = {}
        for fact in line_facts(("", variant_ids.get(f"{ln.ps_product_id}:{ln.ps_combination_id}", ""), ln.quantity)
                               for ln in lines):
            grams, ml = loads.get(fact.temperature, (0, 0))
            loads[fact.temperature] = (grams + fact.mass_g, ml + fact.volume_ml)
        return loads

    specs = []
    for vendor_id in vendors:
        vendor = links.get(vendor_id)
        loads = loads_of(vendor_id)
        if vendor is None:
            specs.append(TaskSpec(source=f"{request.source}:home", loads=loads, **home))
            continue
        key = f"{request.source}:vendor:{vendor.pk}"
        specs.append(TaskSpec(kind="collect", source=f"{key}:collect", name=vendor.name, address=vendor.address,
                              lon=vendor.lon, lat=vendor.lat, phone=vendor.phone, shipment_key=key, loads=loads))
        specs.append(TaskSpec(source=f"{key}:home", shipment_key=key, loads=loads, **home))
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


@dataclass
class VanOrderPull:
    """What one pull of a source's van orders did."""

    planned: dict[int, str] = field(default_factory=dict)  # PrestaShop order id -> delivery day (ISO)
    already_planned: list[int] = field(default_factory=list)
    refused: list[Skipped] = field(default_factory=list)  # orders the delivery app refused, with the reason
    not_for_the_van: list[Skipped] = field(default_factory=list)


def delivery_day_for(request: DeliveryRequest, now: dt.datetime) -> dt.date:
    """The first van day serving the order's commune whose orders are still open at ``now``.

    A commune without a service area gets the first open van day (the 52 communes all have one
    in production; the fallback keeps an order from being lost).
    """
    from delivery import calendar
    from marketplace.territory.models import Commune

    commune = Commune.objects.filter(insee=request.insee).first()
    if commune is not None:
        first = next(calendar.service_days(commune, now), None)
        if first is not None:
            return first[0]
    day = calendar.first_open_day(now)
    return day if calendar.van_runs_on(day) else calendar.next_van_day(day)


def pull_van_orders(source: PrestaShopSource, *, now: dt.datetime, client=None) -> VanOrderPull:
    """Pull the source's new home-delivery orders in the area into van tasks (what beat runs).

    Orders are read from the last order seen (``orders_pulled_until``, or ``FIRST_PULL_DAYS``
    back the first time). Each order goes, whole, to the first van day serving its commune that
    is still open at ``now``; an order that already has tasks is left alone, so running twice
    (or overlapping reads) changes nothing. An order the delivery app refuses is listed with the
    reason and read again next time.

    Raises
    ------
    PrestaShopError
        When the shop refuses the key, does not answer, or answers something else.
    """
    from delivery.actions import get_or_create_day, upsert_tasks
    from delivery.models import DeliveryTask

    since = source.orders_pulled_until or (timezone.localtime(now) - dt.timedelta(days=FIRST_PULL_DAYS)).strftime(
        "%Y-%m-%d %H:%M:%S")
    own = client is None
    client = client or client_for(source)
    try:
        requests, skipped = pull_delivery_requests(client, since=since)
    finally:
        if own:
            client.close()
    outcome = VanOrderPull(not_for_the_van=skipped)
    failed_at: list[str] = []
    for request in requests:
        if DeliveryTask.objects.filter(source__startswith=f"{request.source}:").exists():
            outcome.already_planned.append(request.ps_order_id)
            continue
        day = delivery_day_for(request, now)
        try:
            upsert_tasks(get_or_create_day(day), task_specs(source, request))
        except ValidationError as exc:
            log.warning("PrestaShop order %s not planned: %s", request.ps_order_id, exc)
            outcome.refused.append(Skipped("orders", str(request.ps_order_id), "; ".join(exc.messages)))
            failed_at.append(request.placed_at)
            continue
        outcome.planned[request.ps_order_id] = day.isoformat()
    seen = [r.placed_at for r in requests if r.placed_at]
    until = min(failed_at) if failed_at else max(seen, default="")
    if until and until > source.orders_pulled_until:
        source.orders_pulled_until = until
        source.save(update_fields=["orders_pulled_until"])
    return outcome
