"""Placing cycle orders: the closing minute, caps, slots, and the order held by Saleor."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.saleor.port import OrderQuery
from shortcircuit import actions
from shortcircuit.error_codes import ShortCircuitErrorCode as Code
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
    held = saleor.orders.get(order.saleor_order_id)
    assert held.authorize_status == "FULL"
    assert held.total.amount == Decimal("30.00") == order.goods_total
    assert held.delivery.kind == "collection_point"
    assert held.metadata["mormal.circuit.cycle"] == str(cycle.pk)
    assert sorted((ln.product_name, ln.quantity) for ln in held.lines) == [("Maroilles fermier", 2), ("Pommes Reinette", 3)]



def test_an_order_one_microsecond_before_the_closing_minute_is_accepted(cycle, customer):
    # given the cycle closes at a whole minute
    last_moment = cycle.closes_at - dt.timedelta(microseconds=1)
    # when an order comes in just before it
    order = actions.place_order(cycle, customer, pickup(cycle, cycle.shop_slot, apples=1), now=last_moment)
    # then it is taken
    assert order.status == CycleOrder.Status.CONFIRMED


@pytest.mark.parametrize("late", [dt.timedelta(0), dt.timedelta(seconds=30), dt.timedelta(minutes=1), dt.timedelta(days=3)])
def test_an_order_at_the_closing_minute_or_after_is_refused_with_a_clear_message(cycle, customer, late, saleor):
    # given the cycle's closing minute
    orders_in_saleor = len(saleor.orders.find(OrderQuery()))
    # when an order comes in at that minute or after
    with pytest.raises(ShortCircuitError) as refused:
        actions.place_order(cycle, customer, pickup(cycle, cycle.shop_slot, apples=1), now=cycle.closes_at + late)
    # then it is refused, in French, naming the cycle and the closing time, and nothing is kept
    assert refused.value.code == Code.CYCLE_CLOSED
    assert "sont closes depuis le" in refused.value.message and "Semaine test" in refused.value.message
    assert f"à {timezone.localtime(cycle.closes_at):%H:%M}" in refused.value.message
    assert not CycleOrder.objects.exists()
    assert len(saleor.orders.find(OrderQuery())) == orders_in_saleor


def test_a_cycle_closed_by_the_closing_job_refuses_orders_even_if_the_clock_says_otherwise(cycle, customer):
    # given a cycle the closing job has already closed
    actions.close_cycle(cycle.pk, now=cycle.closes_at)
    cycle.refresh_from_db()
    # when an order arrives with a clock still before the closing minute
    with pytest.raises(ShortCircuitError) as refused:
        actions.place_order(cycle, customer, pickup(cycle, cycle.shop_slot, apples=1),
                            now=cycle.closes_at - dt.timedelta(hours=1))
    # then it is refused
    assert refused.value.code == Code.CYCLE_CLOSED


def test_a_cycle_that_has_not_opened_refuses_orders(cycle, customer):
    with pytest.raises(ShortCircuitError) as refused:
        actions.place_order(cycle, customer, pickup(cycle, cycle.shop_slot, apples=1),
                            now=cycle.opens_at - dt.timedelta(seconds=1))
    assert refused.value.code == Code.CYCLE_NOT_OPEN


def test_the_cycle_cap_of_a_product_is_never_exceeded(cycle, customer, make_customer):
    # given yoghurts capped at 5 in the cycle, 4 already sold
    actions.place_order(cycle, customer, pickup(cycle, cycle.shop_slot, yoghurt=4))
    other = make_customer("marcel", "Marcel", "Leroy")
    # when another customer asks for 2
    with pytest.raises(ShortCircuitError) as refused:
        actions.place_order(cycle, other, pickup(cycle, cycle.shop_slot, yoghurt=2))
    # then it is refused, saying how many are left, and the last one can still be bought
    assert refused.value.code == Code.LIMIT_REACHED and "Il ne reste que 1" in refused.value.message
    actions.place_order(cycle, other, pickup(cycle, cycle.shop_slot, yoghurt=1))


def test_a_full_slot_is_not_offered_and_refuses_orders(cycle, customer, make_customer):
    from shortcircuit.selectors import offered_slots

    # given the café's only place taken
    actions.place_order(cycle, customer, pickup(cycle, cycle.cafe_slot, apples=1))
    # then the slot is no longer offered and a second order there is refused
    assert cycle.cafe_slot.pk not in {s.pk for s in offered_slots(cycle)}
    assert cycle.shop_slot.pk in {s.pk for s in offered_slots(cycle)}
    with pytest.raises(ShortCircuitError) as refused:
        actions.place_order(cycle, make_customer("marcel"), pickup(cycle, cycle.cafe_slot, apples=1))
    assert refused.value.code == Code.SLOT_FULL


def test_chilled_goods_cannot_wait_at_a_point_without_a_fridge(cycle, customer):
    with pytest.raises(ShortCircuitError) as refused:
        actions.place_order(cycle, customer, pickup(cycle, cycle.cafe_slot, cheese=1, apples=1))
    assert refused.value.code == Code.POINT_NOT_CHILLED and "produits frais" in refused.value.message
    assert not CycleOrder.objects.exists()


def test_home_delivery_uses_the_cycle_shipping_method_and_adds_the_fee(cycle, customer, saleor):
    # when Jeanne asks for home delivery by the van
    order = actions.place_order(cycle, customer, actions.OrderRequest({cycle.apples.pk: 2}, "home"))
    # then Saleor's order carries our shipping method and the fee
    held = saleor.orders.get(order.saleor_order_id)
    assert held.delivery.kind == "shipping_method" and "camionnette" in held.delivery.name
    assert held.total.amount == Decimal("11.00")
    assert held.shipping_address.street_address_1 == "3 rue Pasteur"


def test_someone_collects_for_me_and_both_see_the_order(cycle, customer, make_customer, client, mailoutbox):
    from shortcircuit.selectors import orders_for_user

    # given Marcel collects Jeanne's order
    marcel = make_customer("marcel", "Marcel", "Leroy")
    order = actions.place_order(cycle, customer, actions.OrderRequest({cycle.apples.pk: 1}, "pickup", cycle.shop_slot.pk,
                                                                      collector=marcel))
    # then both see it, on their pages and by email; a third member does not
    assert list(orders_for_user(customer)) == [order] == list(orders_for_user(marcel))
    assert sorted(mailoutbox[-1].to) == ["jeanne@exemple.fr", "marcel@exemple.fr"]
    client.force_login(marcel)
    page = client.get(f"/circuit-court/commandes/{order.pk}/")
    assert page.status_code == 200 and "Marcel Leroy" in page.content.decode() and "Jeanne Dupont" in page.content.decode()
    client.force_login(make_customer("odette"))
    assert client.get(f"/circuit-court/commandes/{order.pk}/").status_code == 404


def test_an_order_stuck_half_way_frees_its_place_after_fifteen_minutes(cycle, customer, make_customer):
    from shortcircuit.selectors import offered_slots

    # given the café's only place is held by an order whose Saleor call never finished
    stuck = CycleOrder.objects.create(cycle=cycle, customer=customer, mode="pickup", slot=cycle.cafe_slot)
    assert cycle.cafe_slot.pk not in {s.pk for s in offered_slots(cycle)}
    # when the clean-up runs before and after fifteen minutes
    assert actions.expire_pending(now=stuck.created_at + dt.timedelta(minutes=14)) == 0
    assert actions.expire_pending(now=stuck.created_at + dt.timedelta(minutes=16)) == 1
    # then the place is offered again and can be taken
    assert cycle.cafe_slot.pk in {s.pk for s in offered_slots(cycle)}
    actions.place_order(cycle, make_customer("marcel"), pickup(cycle, cycle.cafe_slot, apples=1))
