"""Keep the fact tables in step with the platform's records (idempotent; run nightly and on view).

- sales: one fact per vendor share of an order (the vendors' order projection), joined with
  the storefront order for the customer's commune, mode and flags;
- deliveries: one fact per delivery stop that is done or failed;
- rounds: one fact per van round of each day's current plan.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from common import money
from delivery.models import DeliveryTask, Round
from delivery.routing.straightline import great_circle_m
from marketplace.storefront.models import ShopOrder
from marketplace.vendors.models import VendorOrder

from .models import DeliveryFact, RoundFact, SaleFact

#: Road distance is about this many times the straight line in the Pays de Mormal (rural grid).
DETOUR = 1.3


def trip_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Estimated road round trip between two points, km (straight line × DETOUR × 2)."""
    return 2 * DETOUR * great_circle_m(lon1, lat1, lon2, lat2) / 1000


def within_promise(day: dt.date, windows, done_at: dt.datetime | None) -> bool | None:
    """Whether a stop done at ``done_at`` kept its promised slot: on ``day``, inside one of ``windows``.

    ``windows`` are ``[start_s, end_s]`` pairs, seconds since Paris midnight (a home slot, or a
    relay point's opening hours). Returns None when nothing was promised or the stop was not done.
    Early counts as on time: the driver waits or the parcel waits in the relay fridge.
    """
    if done_at is None or not windows:
        return None
    local = timezone.localtime(done_at)
    if local.date() != day:
        return local.date() < day
    second = local.hour * 3600 + local.minute * 60 + local.second
    return second <= max(int(end) for _start, end in windows)


@transaction.atomic
def refresh_sales() -> int:
    """Upsert a sale fact per vendor share of a storefront order; return how many were written."""
    orders = {o.saleor_order_id: o for o in ShopOrder.objects.select_related("shopper__commune", "relay_point__commune")}
    count = 0
    shares = VendorOrder.objects.exclude(status=VendorOrder.Status.CANCELLED).select_related("vendor").annotate(
        amount=Sum("lines__total_price"))
    for share in shares:
        order = orders.get(share.saleor_order_id)
        if order is None or share.amount is None:
            continue
        shopper, vendor = order.shopper, share.vendor
        amount = money.to_cents(share.amount)
        # A guest or a shopper from outside the territory has no home commune: count the place of receipt.
        place = order.relay_point if order.relay_point_id else vendor
        commune = shopper.commune or place.commune
        lon, lat = (shopper.lon, shopper.lat) if shopper.commune else (place.lon, place.lat)
        SaleFact.objects.update_or_create(order_ref=order.saleor_order_id, vendor=vendor, defaults={
            "date": order.created_at.date(), "customer_commune": commune, "mode": order.mode,
            "channel": order.channel, "amount_cents": amount,
            "commission_cents": money.to_cents(money.percent_of(share.amount, share.commission_rate)),
            "senior": shopper.is_senior,
            "isolated": shopper.is_isolated, "synthetic": False,
            "customer_trip_km": 0 if order.mode == ShopOrder.Mode.COLLECT else trip_km(lon, lat, vendor.lon, vendor.lat),
        })
        count += 1
    return count


@transaction.atomic
def refresh_deliveries() -> int:
    """Upsert a delivery fact per done or failed delivery stop; return how many were written."""
    orders = {o.saleor_order_id: o for o in ShopOrder.objects.select_related("shopper")}
    count = 0
    tasks = DeliveryTask.objects.exclude(kind__in=[DeliveryTask.Kind.COLLECT, DeliveryTask.Kind.RETURN]).filter(
        status__in=[DeliveryTask.Status.DELIVERED, DeliveryTask.Status.FAILED]).select_related("day", "relay_point")
    for task in tasks:
        order_id = task.source.split(":")[1] if task.source.startswith("order:") else ""
        shopper = orders[order_id].shopper if order_id in orders else None
        commune_id = task.relay_point.commune_id if task.relay_point else (shopper.commune_id if shopper else None)
        DeliveryFact.objects.update_or_create(task_ref=task.source, defaults={
            "date": task.day.date, "mode": task.kind, "commune_id": commune_id, "status": task.status,
            "fail_reason": task.fail_reason, "senior": bool(shopper and shopper.is_senior),
            "isolated": bool(shopper and shopper.is_isolated), "synthetic": False,
            "on_time": within_promise(task.day.date, task.windows, task.done_at) if task.status == DeliveryTask.Status.DELIVERED else None,
            "household": f"shopper:{shopper.pk}" if shopper else "",
        })
        count += 1
    return count


@transaction.atomic
def refresh_rounds() -> int:
    """Upsert a round fact per van round of every day's current plan; return how many."""
    count = 0
    rounds = Round.objects.filter(plan__is_current=True).select_related("plan__day", "shift__van")
    for rnd in rounds:
        deliveries = rnd.stops.exclude(task__kind__in=[DeliveryTask.Kind.COLLECT, DeliveryTask.Kind.RETURN]).count()
        RoundFact.objects.update_or_create(round_ref=f"{rnd.plan.day.date}:{rnd.shift.van.name}", defaults={
            "date": rnd.plan.day.date, "van": rnd.shift.van.name, "km": rnd.distance_m / 1000,
            "hours": rnd.duration_s / 3600, "deliveries": deliveries, "synthetic": False,
        })
        count += 1
    return count


def refresh_all() -> dict[str, int]:
    """Refresh every fact table; return the counts written."""
    return {"sales": refresh_sales(), "deliveries": refresh_deliveries(), "rounds": refresh_rounds()}
