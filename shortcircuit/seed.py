"""Demo seed for the short circuit: pickup points, a closed cycle and this week's open cycle.

The closed cycle is closed by the real closing action, so it has packing lists and van tasks.
Idempotent: a closed cycle is made once, an open one only when none is open; points by name. It needs the vendors'
producers; when none is in the database yet it runs the vendors app's own (idempotent) seeder.
Demo emails of the closing are not sent (the console backend would print the PDFs).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from marketplace.territory.models import Commune, Shopper
from marketplace.vendors.models import ProductVariant, Vendor

from . import actions, selectors
from .errors import ShortCircuitError
from .models import CyclePickup, CycleProducer, CycleProduct, OrderCycle, PickupPoint, PickupSlot

POINTS = [
    # name, commune, address, chilled, frozen
    ("Halle fermière de Bavay", "Bavay", "Place du Général de Gaulle, 59570 Bavay", True, True),
    ("Tiers-lieu La Fabrique, Le Quesnoy", "Le Quesnoy", "12 rue Thiers, 59530 Le Quesnoy", True, False),
]
SLOTS = [(dt.time(10), dt.time(12), 6), (dt.time(17), dt.time(19), 8)]
# (customer login, {product index: quantity}, point index or None for home, share name, collector login)
DEMO_ORDERS = [
    ("client01", {0: 1, 3: 2}, 0, True, ""),
    ("client02", {1: 2, 5: 1}, 0, False, "client03"),
    ("client04", {2: 1, 6: 1}, 1, True, ""),
    ("client05", {4: 2}, None, False, ""),
    ("client06", {0: 1, 7: 1}, 1, False, ""),
]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.isoweekday() - 1)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _points() -> list[PickupPoint]:
    points = []
    for name, commune_name, address, chilled, frozen in POINTS:
        commune = Commune.objects.get(name=commune_name)
        point, _ = PickupPoint.objects.get_or_create(name=name, defaults={
            "commune": commune, "address": address, "lon": commune.town_hall_lon + 0.001,
            "lat": commune.town_hall_lat + 0.001, "holds_chilled": chilled, "holds_frozen": frozen})
        points.append(point)
    return points


def _offer(stdout) -> list[ProductVariant]:
    """Up to four producers' variants still in stock, ambient and chilled first (frozen last)."""
    producers = Vendor.objects.filter(kind=Vendor.Kind.PRODUCER, active=True).exclude(saleor_warehouse_id="")
    if not producers.exists():
        from marketplace.vendors.seed import run as seed_vendors  # noqa: PLC0415 - only when missing

        seed_vendors(stdout)
    variants = []
    for vendor in producers.order_by("name")[:4]:
        rows = (ProductVariant.objects.filter(product__vendor=vendor, product__published=True, stock__gte=5)
                .exclude(saleor_variant_id="").exclude(product__temperature="frozen").order_by("product__name")[:2])
        variants.extend(rows)
    return variants


def _make_cycle(name: str, opens: dt.datetime, closes: dt.datetime, ready: dt.date, points, variants,
                minimums: dict[int, Decimal]) -> OrderCycle:
    cycle = OrderCycle.objects.create(name=name, opens_at=opens, closes_at=closes, home_delivery_on=ready,
                                      home_delivery_fee=Decimal("3.00"))
    for vendor_id in sorted({v.product.vendor_id for v in variants}):
        CycleProducer.objects.create(cycle=cycle, vendor_id=vendor_id, minimum_amount=minimums.get(vendor_id, Decimal("0")))
    for variant in variants:
        CycleProduct.objects.create(cycle=cycle, variant=variant, max_quantity=20)
    for point in points:
        pickup = CyclePickup.objects.create(cycle=cycle, point=point, ready_on=ready)
        for starts, ends, capacity in SLOTS:
            PickupSlot.objects.create(pickup=pickup, date=ready, starts=starts, ends=ends, capacity=capacity)
    return cycle


def _orders(cycle: OrderCycle, at: dt.datetime, stdout) -> int:
    User = get_user_model()
    products = list(cycle.products.order_by("pk"))
    slots = {p.point_id: p.slots.order_by("starts").last() for p in cycle.pickups.all()}
    points = list(cycle.pickups.order_by("point__name").values_list("point_id", flat=True))
    placed = 0
    for login, wanted, point_index, share, collector_login in DEMO_ORDERS:
        customer = User.objects.filter(username=login).first()
        if customer is None or not Shopper.objects.filter(user=customer).exists():
            continue
        quantities = {products[i].pk: q for i, q in wanted.items() if i < len(products)}
        slot = slots[points[point_index]] if point_index is not None and point_index < len(points) else None
        request = actions.OrderRequest(quantities, "pickup" if slot else "home", slot.pk if slot else None,
                                       User.objects.filter(username=collector_login).first(), share)
        try:
            actions.place_order(cycle, customer, request, now=at)
            placed += 1
        except ShortCircuitError as exc:
            stdout.write(f"shortcircuit: demo order of {login} not placed: {exc.message}")
    return placed


def run(stdout) -> None:
    """Seed the pickup points, a closed cycle (once) and an open cycle (when none is open)."""
    now = timezone.now()
    today = timezone.localdate(now)
    points = _points()
    variants = _offer(stdout)
    if not variants:
        stdout.write("shortcircuit: no producer products in Saleor yet, cycles not seeded")
        return
    first_vendor = variants[0].product.vendor_id
    this_monday = _monday(today)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        if not OrderCycle.objects.filter(closed_at__isnull=False).exists():
            opens = min(_at(this_monday - dt.timedelta(days=7), 8), now - dt.timedelta(days=2))
            closes = (now - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
            closed_name = f"Cycle clos le {timezone.localtime(closes):%d/%m/%Y} (démo)"
            # a high minimum for the first producer shows lines cancelled at closing
            cycle = _make_cycle(closed_name, opens, closes, today + dt.timedelta(days=1), points, variants,
                                {first_vendor: Decimal("500.00")})
            placed = _orders(cycle, opens + dt.timedelta(hours=1), stdout)
            report = actions.close_cycle(cycle.pk, now=closes)
            stdout.write(f"shortcircuit: closed demo cycle with {placed} orders, {report['van_tasks']} van tasks")
        if not selectors.open_cycles(now).exists():
            closes = max(_at(this_monday + dt.timedelta(days=3), 18), _at(today + dt.timedelta(days=2), 18))
            ready = timezone.localdate(closes) + dt.timedelta(days=2)
            open_name = f"Semaine du {_monday(ready):%d/%m/%Y}"
            cycle = _make_cycle(open_name, now - dt.timedelta(days=1), closes, ready, points, variants,
                                {first_vendor: Decimal("25.00")})
            placed = _orders(cycle, now, stdout)
            stdout.write(f"shortcircuit: open cycle « {open_name} » with {placed} orders")
    stdout.write(f"shortcircuit: {PickupPoint.objects.count()} pickup points, {OrderCycle.objects.count()} cycles")
