"""Placing an order in a cycle: check the clock, the limits and the slot, then hand it to Saleor.

The place in a pickup slot is taken in our database first, under row locks, and only then is
Saleor called; if Saleor refuses, the order is cancelled and the place freed. Locks, always in
this order: the cycle (shared, so orders run side by side but the closing waits for them),
the slot, then the cycle's products.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from delivery import coldchain
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.territory.models import Shopper

from ..error_codes import ShortCircuitErrorCode as Code
from ..error_codes import message
from ..errors import ShortCircuitError
from ..models import (
    CycleOrder,
    CycleOrderLine,
    CycleProduct,
    OrderCycle,
    PickupSlot,
    StandingBasket,
)
from ..selectors import sold_quantities
from . import saleor_sync

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderRequest:
    """What a customer asks for: quantities per :class:`CycleProduct` id, and how to receive it."""

    quantities: Mapping[int, int]
    mode: str = CycleOrder.Mode.PICKUP
    slot_id: int | None = None
    collector: object | None = None  # a user who collects the order for the customer
    share_name: bool = False


def local(moment: dt.datetime) -> str:
    """``"lundi 7 décembre 2026 à 18:00"`` in the site's time zone."""
    moment = timezone.localtime(moment)
    return f"{date_format(moment, 'l j F Y')} à {moment:%H:%M}"


def closed_message(cycle: OrderCycle) -> str:
    """The refusal shown for an order at or after the closing minute."""
    return message(Code.CYCLE_CLOSED, cycle=cycle.name, closes=local(cycle.closes_at))


def _lock_cycle_shared(cycle_id: int) -> OrderCycle:
    """The cycle row under ``FOR SHARE``: concurrent orders pass, the closing (FOR UPDATE) waits."""
    rows = list(OrderCycle.objects.raw("SELECT * FROM shortcircuit_ordercycle WHERE id = %s FOR SHARE", [cycle_id]))
    if not rows:
        raise ShortCircuitError(Code.CYCLE_UNKNOWN)
    return rows[0]


def _check_clock(cycle: OrderCycle, now: dt.datetime, early_ok: bool) -> None:
    if cycle.closed_at is not None or now >= cycle.closes_at:
        raise ShortCircuitError(Code.CYCLE_CLOSED, cycle=cycle.name, closes=local(cycle.closes_at))
    if now < cycle.opens_at and not early_ok:
        raise ShortCircuitError(Code.CYCLE_NOT_OPEN, cycle=cycle.name, opens=local(cycle.opens_at))


def _products(cycle: OrderCycle, quantities: Mapping[int, int]) -> list[CycleProduct]:
    products = list(
        CycleProduct.objects.select_for_update(of=("self",)).select_related("variant__product__vendor")
        .filter(cycle=cycle, pk__in=list(quantities)).order_by("pk")
    )
    if len(products) != len(quantities):
        raise ShortCircuitError(Code.NOT_IN_CYCLE)
    sold = sold_quantities(p.pk for p in products)
    for product in products:
        if product.max_quantity is not None:
            left = product.max_quantity - sold.get(product.pk, 0)
            if quantities[product.pk] > left:
                raise ShortCircuitError(Code.LIMIT_REACHED, left=max(left, 0), variant=product.variant)
    return products


def _slot(cycle: OrderCycle, slot_id: int | None, temperatures: set[str]) -> PickupSlot:
    slot = (PickupSlot.objects.select_for_update(of=("self",)).select_related("pickup__point")
            .filter(pk=slot_id or 0, pickup__cycle=cycle).first())
    if slot is None:
        raise ShortCircuitError(Code.SLOT_UNKNOWN)
    point = slot.pickup.point
    refused = sorted(t for t in temperatures if not point.accepts(t))
    if refused:
        what = " et ".join({"chilled": "les produits frais", "frozen": "les surgelés"}[t] for t in refused)
        raise ShortCircuitError(Code.POINT_NOT_CHILLED, point=point.name, what=what)
    taken = slot.orders.exclude(status=CycleOrder.Status.CANCELLED).count()
    if taken >= slot.capacity:
        raise ShortCircuitError(Code.SLOT_FULL, slot=slot)
    return slot


def _reserve(cycle_id: int, customer, request: OrderRequest, now: dt.datetime | None, early_ok: bool,
             basket: StandingBasket | None) -> CycleOrder:
    """Check everything and write the pending order, in one transaction holding the locks."""
    with transaction.atomic():
        cycle = _lock_cycle_shared(cycle_id)
        _check_clock(cycle, now or timezone.now(), early_ok)
        products = _products(cycle, request.quantities)
        temperatures = {coldchain.compartment_for(p.variant.product.temperature) for p in products}
        slot, fee = None, 0
        if request.mode == CycleOrder.Mode.PICKUP:
            slot = _slot(cycle, request.slot_id, temperatures)
        elif request.mode == CycleOrder.Mode.HOME:
            if cycle.home_delivery_on is None:
                raise ShortCircuitError(Code.NO_HOME_DELIVERY)
            if not Shopper.objects.filter(user=customer).exists():
                raise ShortCircuitError(Code.NO_ADDRESS)
            fee = cycle.home_delivery_fee
        else:
            raise ShortCircuitError(Code.MODE_UNKNOWN)
        collector = request.collector if request.collector is not None and request.collector != customer else None
        order = CycleOrder.objects.create(
            cycle=cycle, customer=customer, collector=collector, share_name=request.share_name, mode=request.mode,
            slot=slot, delivery_fee=fee, standing_basket=basket,
        )
        for product in products:
            variant = product.variant
            grams = coldchain.item_mass_g(variant.weight_kg, variant.product.unit, variant.unit_quantity)
            CycleOrderLine.objects.create(
                order=order, product=product, vendor=variant.product.vendor, product_name=variant.product.name,
                variant_name=variant.name, temperature=coldchain.compartment_for(variant.product.temperature),
                quantity=request.quantities[product.pk], unit_price=variant.price, weight_g=grams,
            )
    return order


def place_order(cycle: OrderCycle, customer, request: OrderRequest, *, now: dt.datetime | None = None,
                saleor: port.SaleorPort | None = None, basket: StandingBasket | None = None,
                early_ok: bool = False) -> CycleOrder:
    """Place ``customer``'s order in ``cycle`` and create it in Saleor (payment at pickup).

    ``now`` is the moment of the order (default: the clock, read once the cycle is locked).
    ``early_ok`` lets a standing basket be placed in a cycle that is not open yet.

    Raises
    ------
    ShortCircuitError
        ``CYCLE_CLOSED`` at or after the closing minute; ``CYCLE_NOT_OPEN`` before opening;
        ``EMPTY_ORDER``; ``NEGATIVE_QUANTITY``; ``NOT_IN_CYCLE``; ``LIMIT_REACHED``; ``SLOT_UNKNOWN``;
        ``SLOT_FULL``; ``POINT_NOT_CHILLED``; ``NO_HOME_DELIVERY``; ``NO_ADDRESS``; ``SALEOR_FAILED`` when
        Saleor refuses (the place is freed, nothing is kept).
    """
    quantities = {int(pk): int(q) for pk, q in request.quantities.items() if int(q) > 0}
    if any(int(q) < 0 for q in request.quantities.values()):
        raise ShortCircuitError(Code.NEGATIVE_QUANTITY)
    if not quantities:
        raise ShortCircuitError(Code.EMPTY_ORDER)
    request = OrderRequest(quantities, request.mode, request.slot_id, request.collector, request.share_name)
    order = _reserve(cycle.pk, customer, request, now, early_ok, basket)
    try:
        placed = saleor_sync.submit_order(order, saleor or port.get_saleor())
    except (SaleorError, ValueError) as exc:
        CycleOrder.objects.filter(pk=order.pk).update(status=CycleOrder.Status.CANCELLED)
        log.warning("cycle order %s refused by Saleor: %s", order.pk, exc)
        raise ShortCircuitError(Code.SALEOR_FAILED, detail=exc) from exc
    prices = {ln.variant_id: ln.unit_price.amount for ln in placed.lines}
    with transaction.atomic():
        for line in order.lines.select_related("product__variant"):
            price = prices.get(line.product.variant.saleor_variant_id)
            if price is not None and price != line.unit_price:
                line.unit_price = price
                line.save(update_fields=["unit_price"])
        order.saleor_order_id, order.saleor_number = placed.id, str(placed.number)
        order.status = CycleOrder.Status.CONFIRMED
        order.save(update_fields=["saleor_order_id", "saleor_number", "status"])
    _confirm_by_email(order)
    return order


def _confirm_by_email(order: CycleOrder) -> None:
    """Tell the customer (and the member collecting for them) what was ordered and where to collect."""
    recipients = [u.email for u in (order.customer, order.collector) if u is not None and u.email]
    if not recipients:
        return
    body = render_to_string("shortcircuit/email/order_confirmed.txt", {"order": order, "lines": order.lines.all()})
    send_mail(f"Votre commande en circuit court n° {order.saleor_number}", body, settings.DEFAULT_FROM_EMAIL,
              recipients, fail_silently=True)


def expire_pending(older_than: dt.timedelta = dt.timedelta(minutes=15), now: dt.datetime | None = None) -> int:
    """Cancel orders left pending (the process died while calling Saleor); free their places.

    Returns how many were cancelled. An order pending for ``older_than`` never got its Saleor
    order id, so nobody was told it was placed.
    """
    limit = (now or timezone.now()) - older_than
    return CycleOrder.objects.filter(status=CycleOrder.Status.PENDING, saleor_order_id="",
                                     created_at__lt=limit).update(status=CycleOrder.Status.CANCELLED)
