"""Gift cards through the port, over the stand-in shaped like Saleor 3.23: issue, look up, spend."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.payments import actions as payments
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorNotFoundError, SaleorValidationError


def _today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


def test_a_batch_of_cards_is_issued_with_amount_expiry_and_tag(saleor):
    # given an expiry a year ahead of whatever today is
    expiry = _today() + dt.timedelta(days=365)
    # when staff issue three 20 € cards for the CCAS
    cards = saleor.gift_cards.bulk_create(3, Decimal("20"), expiry, tags=["CCAS 2027"])
    # then Saleor drew three distinct codes like 3.23.28 does ("ABCD-EF12-3456"), each card active
    assert len({c.code for c in cards}) == 3 and all(re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){2}", c.code) for c in cards)
    assert all(c.is_active and c.current_balance == port.Money(Decimal("20.00"), "EUR") for c in cards)
    assert all(c.expiry_date == expiry and c.tags == ("ccas 2027",) for c in cards)  # Saleor lowers tags
    # and each can be found by id, by exact code and by tag
    assert saleor.gift_cards.get(cards[0].id) == cards[0]
    assert saleor.gift_cards.find_by_code(cards[1].code) == cards[1]
    assert saleor.gift_cards.find_by_code(cards[1].code.lower()) is None  # Saleor compares as typed
    assert saleor.gift_cards.find_by_code("INCONNU") is None
    assert {c.id for c in saleor.gift_cards.find(tags=["CCAS 2027"])} == {c.id for c in cards}


def test_saleor_refuses_an_expiry_not_after_today_and_an_empty_balance(saleor):
    with pytest.raises(SaleorValidationError) as past:
        saleor.gift_cards.create(Decimal("10"), _today() - dt.timedelta(days=1))
    assert (past.value.errors[0].code, past.value.errors[0].field) == ("INVALID", "expiryDate")
    assert past.value.errors[0].message == "Expiry date must be in the future."  # as the live Saleor says
    with pytest.raises(SaleorValidationError) as today:
        saleor.gift_cards.bulk_create(1, Decimal("10"), _today())
    assert today.value.errors[0].message == "Expiry date cannot be in the past."
    with pytest.raises(SaleorValidationError) as empty:
        saleor.gift_cards.bulk_create(2, Decimal("0"))
    assert empty.value.errors[0].field == "balance"


def test_the_balance_adjusts_by_a_delta_and_a_deduction_clamps_at_zero(saleor):
    card = saleor.gift_cards.create(Decimal("15"), tags=["Employeur Dupont"])
    assert saleor.gift_cards.adjust_balance(card.id, Decimal("-6.50")).current_balance.amount == Decimal("8.50")
    # Saleor 3.23 clamps a deduction larger than the balance at zero: callers must check first
    assert saleor.gift_cards.adjust_balance(card.id, Decimal("-20")).current_balance.amount == 0
    with pytest.raises(SaleorNotFoundError):
        saleor.gift_cards.adjust_balance("R2lmdENhcmQ6bm9uZQ==", Decimal("-1"))


def _cart(saleor, market):
    checkout = saleor.checkout.create(
        [port.CheckoutLineInput(market["bread_v"].id, 2), port.CheckoutLineInput(market["eggs_v"].id, 1)],
        email="anne@example.fr",
    )
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    return saleor.checkout.set_delivery_method(checkout.id, market["relay"].id)


def test_a_card_pays_part_of_a_two_vendor_cart_online_and_its_balance_drops_at_completion(
    saleor, market, isolated_registry
):
    # given a 5,00 € cart from two vendors and a 3 € card
    card = saleor.gift_cards.create(Decimal("3"))
    checkout = _cart(saleor, market)
    assert checkout.total.amount == Decimal("5.00")
    # when the shopper enters the code
    checkout = saleor.checkout.add_promo_code(checkout.id, f"  {card.code} ")
    # then the total drops by the card's balance, and only the rest is to pay
    assert checkout.total.amount == Decimal("2.00")
    assert [(g.id, g.last4, g.current_balance.amount) for g in checkout.gift_cards] == [
        (card.id, card.code[-4:], Decimal("3.00"))]
    payments.pay_by_hand(saleor, checkout.id, "cash", "gc-1")
    order = saleor.checkout.complete(checkout.id)
    # and completing the checkout takes the card's balance
    assert order.authorize_status == "FULL"
    assert saleor.gift_cards.get(card.id).current_balance.amount == 0
    assert saleor.gift_cards.get(card.id).last_used_on is not None


def test_a_card_larger_than_the_cart_keeps_the_rest(saleor, market, isolated_registry):
    card = saleor.gift_cards.create(Decimal("50"))
    checkout = saleor.checkout.add_promo_code(_cart(saleor, market).id, card.code)
    assert checkout.total.amount == 0 and checkout.authorize_status == "FULL"
    saleor.checkout.complete(checkout.id)
    assert saleor.gift_cards.get(card.id).current_balance.amount == Decimal("45.00")


@pytest.mark.parametrize("case", ["unknown", "expired", "inactive_amount"])
def test_an_unusable_code_is_refused_at_checkout_as_saleor_does(saleor, market, case):
    checkout = _cart(saleor, market)
    if case == "unknown":
        code = "PASUNCODE123"
    else:
        card = saleor.gift_cards.create(Decimal("5"), _today() + dt.timedelta(days=1))
        code = card.code
        # the stored card expires (its date passes): Saleor's active(date=today) drops it
        from marketplace.saleor.models import StandInDocument

        row = StandInDocument.objects.get(kind="GiftCard", sku=code)
        row.data["expiryDate" if case == "expired" else "isActive"] = (
            (_today() - dt.timedelta(days=1)).isoformat() if case == "expired" else False)
        row.save()
    with pytest.raises(SaleorValidationError) as refused:
        saleor.checkout.add_promo_code(checkout.id, code)
    assert (refused.value.errors[0].code, refused.value.errors[0].field) == ("INVALID", "promoCode")


def test_money_taken_by_the_app_is_recorded_on_the_order(saleor, market, isolated_registry):
    checkout = _cart(saleor, market)
    payments.pay_by_hand(saleor, checkout.id, "cash", "rec-1")
    order = saleor.checkout.complete(checkout.id)
    tx = saleor.payments.record_charged(order.id, "Chèque cadeau", "cheque-cadeau-1", Decimal("3.00"),
                                        "Chèque cadeau ••••ABCD : reste 2,00 €")
    assert (tx.name, tx.psp_reference, tx.charged.amount) == ("Chèque cadeau", "cheque-cadeau-1", Decimal("3.00"))
    assert [t.psp_reference for t in saleor.orders.get(order.id).transactions][-1] == "cheque-cadeau-1"


def _voucher_product(saleor):
    from marketplace.vouchers import online

    return online.product(saleor)


def _paid_voucher_order(saleor, variant_id: str, quantity: int):
    from marketplace.payments import demo_card

    billing = port.Address(street_address_1="3 rue Pasteur", postal_code="59530", city="JOLIMETZ", country="FR",
                           first_name="Gisèle", last_name="Test", phone="")
    checkout = saleor.checkout.create([port.CheckoutLineInput(variant_id=variant_id, quantity=quantity)],
                                      email="gisele@exemple.fr", billing_address=billing)
    assert not checkout.is_shipping_required and checkout.delivery is None
    demo_card.pay(saleor, checkout.id, f"test-{checkout.id[-6:]}")
    return saleor.checkout.complete(checkout.id)


def test_the_gift_card_product_is_set_up_once_and_not_shipped(saleor):
    # when the App sets up its e-voucher product twice
    first = _voucher_product(saleor)
    again = _voucher_product(saleor)
    # then one product of kind GIFT_CARD with a variant per amount, the same both times
    assert first == again and sorted(first.variants) == [Decimal("10.00"), Decimal("20.00"), Decimal("50.00")]
    product = saleor.catalogue.get_product(first.product_id)
    assert product is not None and product.product_type.slug == "cheque-cadeau-pays-de-mormal-type"
    from marketplace.saleor.models import StandInDocument

    kinds = {d.data["slug"]: (d.data["kind"], d.data["isShippingRequired"])
             for d in StandInDocument.objects.filter(kind="ProductType")}
    assert kinds["cheque-cadeau-pays-de-mormal-type"] == ("GIFT_CARD", False)


def test_paying_a_gift_card_line_issues_one_card_per_unit_fulfilled_by_saleor(saleor, isolated_registry):
    product = _voucher_product(saleor)
    # when an order of three 10 € e-vouchers is paid by card and completed (no delivery chosen)
    order = _paid_voucher_order(saleor, product.variants[Decimal("10.00")], 3)
    # then Saleor fulfilled the line itself and issued three 10 € cards bought by that e-mail for that order
    order = saleor.orders.get(order.id)
    assert order.status == "FULFILLED" and order.charge_status == "FULL" and order.lines[0].quantity_fulfilled == 3
    cards = saleor.gift_card_products.bought_in_order(order.id, product.product_id, "gisele@exemple.fr")
    assert len(cards) == 3 and all(c.initial_balance == port.Money(Decimal("10.00"), "EUR") for c in cards)
    assert all(c.is_active and c.expiry_date is None for c in cards)
    # and another order's cards, or another buyer's, are not these
    other = _paid_voucher_order(saleor, product.variants[Decimal("50.00")], 1)
    assert len(saleor.gift_card_products.bought_in_order(other.id, product.product_id, "gisele@exemple.fr")) == 1
    assert saleor.gift_card_products.bought_in_order(order.id, product.product_id, "autre@exemple.fr") == []


def test_without_automatic_fulfilment_no_card_is_issued(saleor, isolated_registry):
    product = _voucher_product(saleor)
    saleor.setup._s.mutate("channel_update", "channelUpdate", id=saleor.setup.channel()["id"],
                           input={"orderSettings": {"automaticallyFulfillNonShippableGiftCard": False}})
    order = _paid_voucher_order(saleor, product.variants[Decimal("20.00")], 1)
    assert saleor.orders.get(order.id).status == "UNFULFILLED"
    assert saleor.gift_card_products.bought_in_order(order.id, product.product_id, "gisele@exemple.fr") == []
