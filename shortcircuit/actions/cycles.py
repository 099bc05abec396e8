"""Cycles over the weeks: copy last week's cycle, and place every standing basket in a new cycle."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from marketplace.saleor import port

from ..errors import ShortCircuitError
from ..models import (
    CycleOrder,
    CyclePickup,
    CycleProducer,
    CycleProduct,
    OrderCycle,
    PickupSlot,
    StandingBasket,
    StandingBasketItem,
)
from .ordering import OrderRequest, place_order

log = logging.getLogger(__name__)


def copy_cycle(cycle: OrderCycle, *, days: int = 7, name: str = "") -> OrderCycle:
    """A new cycle like ``cycle``, ``days`` later: producers, products, pickup points and slots.

    Minimums, caps and capacities are copied; orders are not. Standing baskets are placed in
    the copy right away (see :func:`apply_standing_baskets`).
    """
    shift = dt.timedelta(days=days)
    with transaction.atomic():
        copy = OrderCycle.objects.create(
            name=name or f"{cycle.name} (+{days} j)", opens_at=cycle.opens_at + shift, closes_at=cycle.closes_at + shift,
            home_delivery_on=cycle.home_delivery_on + shift if cycle.home_delivery_on else None,
            home_delivery_fee=cycle.home_delivery_fee, copied_from=cycle,
        )
        CycleProducer.objects.bulk_create(
            CycleProducer(cycle=copy, vendor_id=p.vendor_id, minimum_amount=p.minimum_amount) for p in cycle.producers.all())
        CycleProduct.objects.bulk_create(
            CycleProduct(cycle=copy, variant_id=p.variant_id, max_quantity=p.max_quantity) for p in cycle.products.all())
        for pickup in cycle.pickups.prefetch_related("slots"):
            new = CyclePickup.objects.create(cycle=copy, point_id=pickup.point_id, ready_on=pickup.ready_on + shift)
            PickupSlot.objects.bulk_create(
                PickupSlot(pickup=new, date=s.date + shift, starts=s.starts, ends=s.ends, capacity=s.capacity)
                for s in pickup.slots.all())
    apply_standing_baskets(copy)
    return copy


def _slot_for(basket: StandingBasket, cycle: OrderCycle) -> int | None:
    """The slot of the basket's point in this cycle closest to its preferred start, with room left."""
    slots = PickupSlot.objects.filter(pickup__cycle=cycle, pickup__point=basket.point).order_by("date", "starts")
    free = [s for s in slots if s.orders.exclude(status=CycleOrder.Status.CANCELLED).count() < s.capacity]
    if not free:
        return None
    if basket.preferred_start is None:
        return free[0].pk

    def distance(slot: PickupSlot) -> int:
        a, b = slot.starts, basket.preferred_start
        return abs((a.hour * 60 + a.minute) - (b.hour * 60 + b.minute))

    return min(free, key=distance).pk


def apply_standing_baskets(cycle: OrderCycle, saleor: port.SaleorPort | None = None) -> dict:
    """Place every active standing basket in ``cycle`` once; return what happened.

    Items not sold in this cycle are left out; a basket with nothing left, or whose point has
    no free slot, is reported and skipped. Safe to run again: a basket already placed in the
    cycle is not placed twice (a unique constraint backs this up).
    """
    report = {"placed": [], "skipped": []}
    offers = {p.variant_id: p.pk for p in cycle.products.all()}
    baskets = StandingBasket.objects.filter(active=True).prefetch_related("items").select_related("customer", "point")
    for basket in baskets.order_by("pk"):
        if CycleOrder.objects.filter(cycle=cycle, standing_basket=basket).exclude(status=CycleOrder.Status.CANCELLED).exists():
            continue
        quantities = {offers[i.variant_id]: i.quantity for i in basket.items.all() if i.variant_id in offers}
        if not quantities:
            report["skipped"].append({"basket": basket.pk, "reason": "aucun produit du panier dans ce cycle"})
            continue
        slot_id = None
        if basket.mode == CycleOrder.Mode.PICKUP:
            slot_id = _slot_for(basket, cycle) if basket.point else None
            if slot_id is None:
                report["skipped"].append({"basket": basket.pk, "reason": "pas de créneau libre au point habituel"})
                continue
        request = OrderRequest(quantities, basket.mode, slot_id, basket.collector, basket.share_name)
        try:
            order = place_order(cycle, basket.customer, request, basket=basket, early_ok=True, saleor=saleor)
        except ShortCircuitError as exc:
            log.warning("standing basket %s not placed in cycle %s: %s", basket.pk, cycle.pk, exc)
            report["skipped"].append({"basket": basket.pk, "reason": exc.message})
            continue
        report["placed"].append(order.pk)
    OrderCycle.objects.filter(pk=cycle.pk).update(baskets_applied_at=timezone.now())
    return report


def start_standing_basket(order: CycleOrder) -> StandingBasket:
    """Make ``order`` a weekly basket: the same products, point, time, collector and consent."""
    with transaction.atomic():
        basket = StandingBasket.objects.create(
            customer=order.customer, mode=order.mode, point=order.slot.pickup.point if order.slot else None,
            preferred_start=order.slot.starts if order.slot else None, collector=order.collector,
            share_name=order.share_name,
        )
        StandingBasketItem.objects.bulk_create(
            StandingBasketItem(basket=basket, variant_id=ln.product.variant_id, quantity=ln.quantity)
            for ln in order.lines.select_related("product"))
        CycleOrder.objects.filter(pk=order.pk).update(standing_basket=basket)
    return basket


def stop_standing_basket(basket: StandingBasket, user) -> StandingBasket:
    """Stop a basket; orders already placed stay.

    Raises
    ------
    PermissionError
        When ``user`` is not the basket's customer.
    """
    if basket.customer_id != user.pk:
        raise PermissionError("Ce panier n'est pas le vôtre.")
    basket.active, basket.stopped_at = False, timezone.now()
    basket.save(update_fields=["active", "stopped_at"])
    return basket
