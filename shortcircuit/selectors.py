"""Reads of the short circuit: what is on offer, who ordered what, and the closing's lists.

Producer-scoped reads start from the producer (``vendor``), never from an id alone, so another
producer's cycle is simply not found (HTTP 404).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from delivery import calendar, coldchain
from marketplace.vendors.models import Vendor

from .models import CycleOrder, CycleOrderLine, CycleProduct, OrderCycle, PickupSlot

HOME_LABEL = "Livraison à domicile (camionnette)"


def calendar_problems(cycle: OrderCycle) -> list[str]:
    """Each delivery day of ``cycle`` the van cannot serve with its orders, as a French sentence.

    A day is a problem when the van does not run then, or when the cycle closes after that
    day's order cut-off (its van tasks would reach a day already frozen). See
    :func:`delivery.calendar.delivery_day_problem`.
    """
    days = [("livraison à domicile", cycle.home_delivery_on)] if cycle.home_delivery_on else []
    days += [(f"point de retrait {p.point.name}", p.ready_on) for p in cycle.pickups.select_related("point")]
    problems = []
    for what, day in days:
        problem = calendar.delivery_day_problem(day, cycle.closes_at)
        if problem:
            problems.append(f"{what} : {problem}")
    return problems


def sold_quantities(product_ids) -> dict[int, int]:
    """Items already ordered per cycle product (cancelled orders and lines excluded)."""
    rows = (CycleOrderLine.objects.filter(product_id__in=list(product_ids), status=CycleOrderLine.Status.ACTIVE)
            .exclude(order__status=CycleOrder.Status.CANCELLED).values("product_id").annotate(n=Sum("quantity")))
    return {r["product_id"]: r["n"] for r in rows}


def open_cycles(now: dt.datetime) -> QuerySet[OrderCycle]:
    """Cycles taking orders at ``now``, closing soonest first."""
    return OrderCycle.objects.filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True).order_by("closes_at")


@dataclass(frozen=True)
class Offer:
    """A product on offer in a cycle and how many are left (None: no cap)."""

    product: CycleProduct
    left: int | None

    @property
    def sold_out(self) -> bool:
        """Nothing left under the cycle's cap."""
        return self.left is not None and self.left <= 0


def catalogue(cycle: OrderCycle) -> list[tuple[Vendor, list[Offer]]]:
    """The cycle's products grouped by producer, in the producers' name order."""
    products = list(cycle.products.select_related("variant__product__vendor__commune"))
    sold = sold_quantities(p.pk for p in products)
    grouped: OrderedDict[int, tuple[Vendor, list[Offer]]] = OrderedDict()
    for product in products:
        left = None if product.max_quantity is None else product.max_quantity - sold.get(product.pk, 0)
        grouped.setdefault(product.vendor.pk, (product.vendor, []))[1].append(Offer(product, left))
    return list(grouped.values())


def offered_slots(cycle: OrderCycle) -> list[PickupSlot]:
    """The cycle's pickup slots that still have room, each with ``places_left``; full ones are left out."""
    slots = (PickupSlot.objects.filter(pickup__cycle=cycle).select_related("pickup__point__commune")
             .annotate(taken=Count("orders", filter=~Q(orders__status=CycleOrder.Status.CANCELLED)))
             .order_by("pickup__point__name", "date", "starts"))
    offered = []
    for slot in slots:
        slot.places_left = slot.capacity - slot.taken
        if slot.places_left > 0:
            offered.append(slot)
    return offered


def orders_for_user(user) -> QuerySet[CycleOrder]:
    """Orders the user placed or collects for someone else, newest first."""
    return (CycleOrder.objects.filter(Q(customer=user) | Q(collector=user)).exclude(status=CycleOrder.Status.PENDING)
            .select_related("cycle", "slot__pickup__point", "customer", "collector").prefetch_related("lines"))


def order_for_user(user, pk: int) -> CycleOrder:
    """One order the user placed or collects.

    Raises
    ------
    Http404
        When the user is neither its customer nor its collector.
    """
    order = orders_for_user(user).filter(pk=pk).first()
    if order is None:
        raise Http404("Commande introuvable.")
    return order


def live_lines(cycle: OrderCycle) -> QuerySet[CycleOrderLine]:
    """Lines still to deliver in a cycle: active, in orders that are not cancelled."""
    return (CycleOrderLine.objects.filter(order__cycle=cycle, status=CycleOrderLine.Status.ACTIVE)
            .exclude(order__status=CycleOrder.Status.CANCELLED)
            .select_related("vendor", "order__customer", "order__collector", "order__slot__pickup__point"))


def destination_of(order: CycleOrder) -> tuple[str, dt.date | None]:
    """Where an order goes (pickup point name or home delivery) and on which date."""
    if order.mode == CycleOrder.Mode.HOME:
        return HOME_LABEL, order.cycle.home_delivery_on
    return order.slot.pickup.point.name, order.slot.pickup.ready_on


def customer_label(order: CycleOrder, *, for_producer: bool) -> str:
    """The customer's name; for a producer, only if the customer agreed to share it."""
    if for_producer and not order.share_name:
        return f"Client n° {order.pk}"
    user = order.customer
    return user.get_full_name() or user.username


# ------------------------------------------------------------------------------------------ producer


def producer_cycles(vendor: Vendor) -> QuerySet[OrderCycle]:
    """Cycles the producer takes part in, newest first."""
    return OrderCycle.objects.filter(producers__vendor=vendor).order_by("-opens_at")


def producer_cycle(vendor: Vendor, pk: int) -> OrderCycle:
    """One cycle the producer takes part in.

    Raises
    ------
    Http404
        When ``vendor`` does not take part in cycle ``pk``.
    """
    cycle = producer_cycles(vendor).filter(pk=pk).first()
    if cycle is None:
        raise Http404("Cycle introuvable.")
    return cycle


@dataclass
class ProducerTotals:
    """A producer's share of one cycle: per product, per destination, per order (euros TTC)."""

    vendor: Vendor
    cycle: OrderCycle
    by_product: list[dict] = field(default_factory=list)
    by_destination: list[dict] = field(default_factory=list)
    orders: list[dict] = field(default_factory=list)
    quantity: int = 0
    revenue: Decimal = Decimal("0")
    cancelled: int = 0


def producer_totals(cycle: OrderCycle, vendor: Vendor) -> ProducerTotals:
    """What ``vendor`` must prepare for ``cycle`` and what it earns; names hidden without consent."""
    totals = ProducerTotals(vendor=vendor, cycle=cycle)
    products: OrderedDict[tuple, dict] = OrderedDict()
    places: OrderedDict[tuple, dict] = OrderedDict()
    orders: OrderedDict[int, dict] = OrderedDict()
    lines = live_lines(cycle).filter(vendor=vendor).select_related("order__cycle").order_by(
        "product_name", "variant_name", "order_id")
    for line in lines:
        key = (line.product_name, line.variant_name)
        item = products.setdefault(key, {"product": line.product_name, "variant": line.variant_name,
                                         "temperature": coldchain.LABELS.get(line.temperature, line.temperature),
                                         "quantity": 0, "amount": Decimal("0")})
        item["quantity"] += line.quantity
        item["amount"] += line.total
        name, date = destination_of(line.order)
        place = places.setdefault((name, date), {"name": name, "date": date, "items": OrderedDict(), "quantity": 0})
        place["items"][key] = place["items"].get(key, 0) + line.quantity
        place["quantity"] += line.quantity
        entry = orders.setdefault(line.order_id, {"number": line.order.saleor_number or line.order.pk,
                                                  "customer": customer_label(line.order, for_producer=True),
                                                  "destination": name, "lines": [], "amount": Decimal("0")})
        entry["lines"].append(f"{line.quantity} × {line.product_name} {line.variant_name}".strip())
        entry["amount"] += line.total
        totals.quantity += line.quantity
        totals.revenue += line.total
    totals.by_product = list(products.values())
    totals.by_destination = [{**p, "items": [{"product": k[0], "variant": k[1], "quantity": q} for k, q in p["items"].items()]}
                             for p in sorted(places.values(), key=lambda p: (p["date"] or dt.date.max, p["name"]))]
    totals.orders = list(orders.values())
    totals.cancelled = CycleOrderLine.objects.filter(order__cycle=cycle, vendor=vendor,
                                                     status=CycleOrderLine.Status.CANCELLED).count()
    return totals


# ------------------------------------------------------------------------------------------ packing


@dataclass
class CustomerPack:
    """One order's bag at a destination, its lines split by temperature class."""

    order: CycleOrder
    name: str
    collector: str
    compartments: dict[str, list[CycleOrderLine]]
    quantity: int
    amount: Decimal


@dataclass
class DestinationPack:
    """Everything for one pickup point (or the home round) of a cycle."""

    name: str
    date: dt.date | None
    customers: list[CustomerPack]
    by_temperature: dict[str, dict[str, int]]
    quantity: int
    amount: Decimal


def packing_lists(cycle: OrderCycle) -> list[DestinationPack]:
    """Packing lists by pickup point then customer, chilled and frozen apart from ambient goods.

    ``by_temperature`` sums items per product for each class at a destination; quantities and
    amounts cover active lines only, so they equal the orders' goods totals.
    """
    per_order: OrderedDict[int, list[CycleOrderLine]] = OrderedDict()
    for line in live_lines(cycle).select_related("order__cycle").order_by("order_id", "vendor__name", "product_name"):
        per_order.setdefault(line.order_id, []).append(line)
    places: dict[tuple, DestinationPack] = {}
    for lines in per_order.values():
        order = lines[0].order
        name, date = destination_of(order)
        place = places.setdefault((name, date), DestinationPack(name, date, [], {t: defaultdict(int) for t in coldchain.COMPARTMENTS},
                                                                0, Decimal("0")))
        compartments = {t: [ln for ln in lines if ln.temperature == t] for t in coldchain.COMPARTMENTS}
        quantity, amount = sum(ln.quantity for ln in lines), sum((ln.total for ln in lines), Decimal("0"))
        collector = order.collector.get_full_name() or order.collector.username if order.collector else ""
        place.customers.append(CustomerPack(order, customer_label(order, for_producer=False), collector,
                                            compartments, quantity, amount))
        for line in lines:
            place.by_temperature[line.temperature][f"{line.product_name} {line.variant_name}".strip()] += line.quantity
        place.quantity += quantity
        place.amount += amount
    result = sorted(places.values(), key=lambda p: (p.name == HOME_LABEL, p.date or dt.date.max, p.name))
    for place in result:
        place.customers.sort(key=lambda c: c.name)
        place.by_temperature = {t: dict(sorted(v.items())) for t, v in place.by_temperature.items()}
    return result
