"""Slots and relay fridges: capacity holds, even when two checkouts race for the last place."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from delivery import calendar
from delivery.models import ServiceArea
from marketplace.storefront import offers, reservations
from marketplace.storefront.error_codes import StorefrontErrorCode as Code
from marketplace.storefront.errors import StorefrontError
from marketplace.storefront.models import Reservation, Slot, SlotPattern


@pytest.fixture
def last_place_slot(communes):
    commune = communes.get(name="Bavay")
    area = ServiceArea.objects.create(name="Bavay", weekday=1)
    area.communes.add(commune)
    pattern = SlotPattern.objects.create(area=area, start_s=9 * 3600, end_s=12 * 3600, capacity=1)
    monday, _area = next(calendar.service_days(commune, timezone.now()))  # the first Monday the van serves Bavay
    return Slot.objects.create(pattern=pattern, date=monday, capacity=1)


@pytest.mark.django_db(transaction=True)
def test_the_last_slot_cannot_be_sold_twice_to_concurrent_checkouts(last_place_slot):
    # given two checkouts that reach the reservation at the same moment
    barrier, outcomes = threading.Barrier(2), []

    def race(checkout_id):
        try:
            barrier.wait()
            reservations.reserve_slot(checkout_id, last_place_slot.pk)
            outcomes.append("ok")
        except StorefrontError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(f"checkout-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # then exactly one gets the place, the other is told the slot is full
    assert sorted(outcomes) == ["ok", "slot_full"]
    assert Reservation.objects.filter(slot=last_place_slot).count() == 1


def test_a_full_slot_is_no_longer_offered_and_an_expired_hold_frees_it(last_place_slot, communes):
    now = timezone.now()
    bavay = communes.get(name="Bavay")
    assert [o.key for o in offers.home_options(bavay, now)][0] == last_place_slot.key
    reservations.reserve_slot("checkout-a", last_place_slot.pk)
    assert last_place_slot.key not in [o.key for o in offers.home_options(bavay, now)]
    with pytest.raises(StorefrontError):
        reservations.reserve_slot("checkout-b", last_place_slot.pk)
    # the same checkout may re-take its own place
    reservations.reserve_slot("checkout-a", last_place_slot.pk)
    Reservation.objects.filter(checkout_id="checkout-a").update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    reservations.reserve_slot("checkout-b", last_place_slot.pk)
    assert Reservation.objects.get(slot=last_place_slot, expires_at__gt=timezone.now()).checkout_id == "checkout-b"


def test_relay_fridge_room_is_shared_by_the_day_and_refuses_overflow(relay):
    day = dt.date(2030, 1, 8)
    reservations.reserve_relay("c1", relay.pk, day, 6000)  # 6 of 10 litres
    with pytest.raises(StorefrontError) as full:
        reservations.reserve_relay("c2", relay.pk, day, 5000)
    assert full.value.code == Code.RELAY_FULL
    reservations.reserve_relay("c2", relay.pk, day, 4000)  # exactly the rest fits
    reservations.reserve_relay("c3", relay.pk, day + dt.timedelta(days=1), 9000)  # another day is empty
    assert reservations.relay_used_ml(relay, day) == 10000


def test_relay_is_offered_only_while_its_fridge_has_room_and_never_for_frozen(relay, calendar_for):
    calendar_for("Jolimetz")
    # given a Tuesday morning: every hold and every offer below is made at that same instant
    now = timezone.make_aware(dt.datetime(2030, 1, 8, 9, 0))
    small = offers.CartFacts(vendor_slugs=("a",), chilled_ml=3000, frozen_ml=0)
    options = offers.relay_options(small, now)
    assert [o.label for o in options] == [relay.name]
    reservations.reserve_relay("other", relay.pk, options[0].date, 8000, now=now)
    assert offers.relay_options(small, now) == []  # 3 l no longer fit in the 2 l left
    assert offers.relay_options(offers.CartFacts(("a",), 0, 0), now)  # a dry cart still can
    assert offers.relay_options(offers.CartFacts(("a",), 0, 500), now) == []  # frozen never


def test_orders_close_at_the_cutoff_the_day_before(settings):
    settings.ORDER_CUTOFF = "18:00"
    day = dt.date(2030, 3, 12)
    before = timezone.make_aware(dt.datetime(2030, 3, 11, 17, 59))
    at = timezone.make_aware(dt.datetime(2030, 3, 11, 18, 0))
    assert calendar.first_open_day(before) == day
    assert calendar.first_open_day(at) == day + dt.timedelta(days=1)


def test_the_slot_a_checkout_holds_is_still_offered_to_it_by_the_shipping_webhook(last_place_slot):
    from marketplace.saleor import port

    reservations.reserve_slot("checkout-holder", last_place_slot.pk)
    address = port.Address(street_address_1="1 rue", postal_code="59570", city="BAVAY")

    def offered(checkout_id):
        request = port.ShippingRequest(checkout_id=checkout_id, email=None, shipping_address=address, lines=(), metadata={})
        return [o.id for o in offers.shipping_offers(request)]

    assert last_place_slot.key in offered("checkout-holder")  # its own place
    assert last_place_slot.key not in offered("someone-else")  # full for everybody else


def test_a_saleor_refusal_after_the_hold_gives_the_place_back(last_place_slot, monkeypatch, two_vendors, saleor, make_shopper):
    from marketplace.saleor.errors import FieldError, SaleorValidationError
    from marketplace.storefront import checkout as actions

    shopper = make_shopper("roland", "Bavay")
    cart = actions.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 1, saleor)

    def refuse(*args, **kwargs):
        raise SaleorValidationError("checkoutShippingAddressUpdate", [FieldError("shippingAddress", "INVALID", "refused")])

    monkeypatch.setattr(saleor.checkout, "set_shipping_address", refuse)
    with pytest.raises(SaleorValidationError):
        actions.choose_delivery(saleor.checkout.get(cart.id), shopper, last_place_slot.key, saleor)
    assert not Reservation.objects.filter(checkout_id=cart.id).exists()


def test_a_delivery_chosen_before_the_cut_off_cannot_be_paid_after_it(two_vendors, saleor, calendar_for, make_shopper,
                                                                    settings):
    from marketplace.storefront import checkout as actions
    from marketplace.storefront.models import ShopOrder

    # given a cart whose home slot was chosen one minute before that day's cut-off
    settings.ORDER_CUTOFF = "18:00"
    calendar_for("Jolimetz")
    shopper = make_shopper("lucienne")
    cart = actions.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 1, saleor)
    start = timezone.now()
    slot = offers.home_options(shopper.commune, start)[0]
    just_before = calendar.order_cutoff(slot.date) - dt.timedelta(minutes=1)
    actions.choose_delivery(saleor.checkout.get(cart.id), shopper, slot.key, saleor, now=just_before)

    # when the shopper pays at the cut-off, the order is refused and nothing is charged
    with pytest.raises(StorefrontError) as refused:
        actions.place_order(cart.id, shopper, shopper.user, "card", saleor, now=calendar.order_cutoff(slot.date))
    assert refused.value.code == Code.DAY_CLOSED and f"{slot.date:%d/%m/%Y}" in refused.value.messages[0]
    assert not ShopOrder.objects.exists()
    assert saleor.checkout.get(cart.id).charge_status == "NONE"  # the checkout is still there, unpaid

    # and choosing that day again after the cut-off is refused too
    with pytest.raises(StorefrontError) as again:
        actions.choose_delivery(saleor.checkout.get(cart.id), shopper, slot.key, saleor,
                                now=calendar.order_cutoff(slot.date))
    assert again.value.code == Code.DAY_CLOSED


def test_a_relay_day_the_van_does_not_serve_is_refused_even_if_typed_by_hand(two_vendors, saleor, relay,
                                                                             make_shopper):
    from marketplace.storefront import checkout as actions

    # given Jolimetz's relay point and no service area at all: the van never serves it
    shopper = make_shopper("octave")
    cart = actions.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 1, saleor)
    day = calendar.first_open_day(timezone.now())
    with pytest.raises(StorefrontError) as refused:
        actions.choose_delivery(saleor.checkout.get(cart.id), shopper, f"relay:{relay.pk}:{day.isoformat()}", saleor)
    assert refused.value.code == Code.NO_DELIVERY
    assert not Reservation.objects.filter(checkout_id=cart.id).exists()
