"""Copying a cycle a week later, and standing baskets placed in each new cycle until stopped."""

import datetime as dt

from shortcircuit import actions
from shortcircuit.models import CycleOrder, PickupSlot


def test_copying_a_cycle_moves_everything_a_week_later(cycle):
    copy = actions.copy_cycle(cycle)
    week = dt.timedelta(days=7)
    assert (copy.opens_at, copy.closes_at, copy.home_delivery_on) == (
        cycle.opens_at + week, cycle.closes_at + week, cycle.home_delivery_on + week)
    assert sorted(copy.products.values_list("variant_id", "max_quantity")) == sorted(
        cycle.products.values_list("variant_id", "max_quantity"))
    assert sorted(copy.producers.values_list("vendor__slug", "minimum_amount")) == sorted(
        cycle.producers.values_list("vendor__slug", "minimum_amount"))
    assert sorted((s.pickup.point.name, s.date, s.starts, s.capacity) for s in
                  PickupSlot.objects.filter(pickup__cycle=copy)) == sorted(
        (s.pickup.point.name, s.date + week, s.starts, s.capacity) for s in
        PickupSlot.objects.filter(pickup__cycle=cycle))
    assert not copy.orders.exists()


def test_a_standing_basket_is_placed_in_every_copied_cycle_until_stopped(cycle, customer, client):
    # given Jeanne makes her order a weekly basket, collected by nobody else, at the farm shop
    first = actions.place_order(cycle, customer, actions.OrderRequest({cycle.apples.pk: 2, cycle.cheese.pk: 1}, "pickup",
                                                                      cycle.shop_slot.pk))
    basket = actions.start_standing_basket(first)
    # when next week's cycle is copied
    week2 = actions.copy_cycle(cycle)
    # then the same basket is ordered there once, at the same point and time, and held by Saleor
    placed = CycleOrder.objects.get(cycle=week2)
    assert placed.standing_basket == basket and placed.status == CycleOrder.Status.CONFIRMED and placed.saleor_order_id
    assert sorted((ln.product_name, ln.quantity) for ln in placed.lines.all()) == [("Maroilles fermier", 1), ("Pommes Reinette", 2)]
    assert (placed.slot.pickup.point.name, placed.slot.starts) == ("Halle de Bavay", dt.time(17))
    # and placing the baskets again (beat running twice) adds nothing
    assert actions.apply_standing_baskets(week2)["placed"] == []
    assert CycleOrder.objects.filter(cycle=week2).count() == 1
    # when Jeanne stops it from her page, the following cycle gets no order
    client.force_login(customer)
    assert client.post(f"/circuit-court/paniers/{basket.pk}/arreter/").status_code == 302
    week3 = actions.copy_cycle(week2)
    assert not CycleOrder.objects.filter(cycle=week3).exists()


def test_another_member_cannot_stop_my_basket(cycle, customer, make_customer, client):
    basket = actions.start_standing_basket(actions.place_order(
        cycle, customer, actions.OrderRequest({cycle.apples.pk: 1}, "pickup", cycle.shop_slot.pk)))
    client.force_login(make_customer("marcel"))
    assert client.post(f"/circuit-court/paniers/{basket.pk}/arreter/").status_code == 404
    basket.refresh_from_db()
    assert basket.active
