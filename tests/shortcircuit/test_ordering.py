"""Placing cycle orders: the closing minute, caps, slots, and the order held by Saleor."""

import datetime as dt
from decimal import Decimal

import pytest

from shortcircuit import actions, errors
from shortcircuit.errors import ShortCircuitError
from shortcircuit.models import CycleOrder


def pickup(cycle, slot, **quantities):
    return actions.OrderRequest({getattr(cycle, k).pk: q for k, q in quantities.items()}, "pickup", slot.pk)


def test_an_order_in_an_open_cycle_is_held_by_saleor_for_payment_at_pickup(cycle, customer, saleor):
    # given an open cycle
    # when Jeanne orders two cheeses and apples for the farm shop
    order = actions.place_order(cycle, customer, pickup(cycle, cycle.shop_slot, cheese=2, apples=3))
    # then the order is confirmed and Saleor holds it, authorised, collected at the point
    assert order.status == CycleOrder.Status.CONFIRMED
    held = saleor.get_order(order.saleor_order_id)
    assert held.authorize_status == "FULL"
    assert held.total.amount == Decimal("30.00") == order.goods_total
    assert held.delivery.kind == "collection_point"
    assert held.metadata["mormal.circuit.cycle"] == str(cycle.pk)
    assert sorted((ln.product_name, ln.quantity) for ln in held.lines) == [("Maroilles fermier", 2), ("Pommes Reinette", 3)]

