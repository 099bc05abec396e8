"""A shopper spends a chèque cadeau online: Saleor's checkout takes the card, the rest is paid another way."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.storefront import checkout, offers
from marketplace.vouchers import actions, selectors
from marketplace.vouchers.error_codes import VoucherError
from marketplace.vouchers.error_codes import VoucherErrorCode as Code
from marketplace.vouchers.models import VoucherSpend


def _cart(saleor, two_vendors, calendar_for, make_shopper, loaves=3):
    calendar_for("Jolimetz")
    shopper = make_shopper("gisele")
    cart = checkout.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, loaves, saleor)
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    return saleor.checkout.get(cart.id), shopper


def test_a_voucher_lowers_the_total_and_saleor_takes_it_when_the_order_is_placed(
        saleor, two_vendors, calendar_for, make_shopper, issue):
    cart, shopper = _cart(saleor, two_vendors, calendar_for, make_shopper)
    gross = cart.total.amount
    voucher = issue("5")
    # when the shopper enters the code (as printed, in groups of four)
    after = actions.apply_online(saleor, cart.id, actions.display_code(voucher.code), timezone.now())
    assert after.total.amount == gross - 5 and [g.last4 for g in after.gift_cards] == [voucher.code[-4:]]
    # and pays the rest in cash at the door
    order = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)
    # then Saleor took the 5 € at completion, our cash authorisation covers only the rest
    assert saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount == 0
    assert saleor.payments.get(order.transaction_id).authorized.amount == gross - 5
    spend = VoucherSpend.objects.get()
    assert (spend.channel, spend.amount, spend.saleor_order_id) == ("online", Decimal("5.00"), order.saleor_order_id)
    figures = selectors.figures(timezone.now())
    assert figures.spent_value == 5 and figures.spent_at_door == 0 and figures.spent_online == 5


def test_a_used_up_voucher_is_refused_online_with_its_french_sentence(saleor, two_vendors, calendar_for,
                                                                      make_shopper, issue):
    cart, _ = _cart(saleor, two_vendors, calendar_for, make_shopper)
    voucher = issue("5")
    saleor.gift_cards.adjust_balance(voucher.gift_card_id, Decimal("-5"))
    with pytest.raises(VoucherError) as refused:
        actions.apply_online(saleor, cart.id, voucher.code, timezone.now())
    assert refused.value.code is Code.EXHAUSTED and not saleor.checkout.get(cart.id).gift_cards


def test_the_payment_page_takes_a_code(client, saleor, two_vendors, calendar_for, make_shopper, issue):
    cart, shopper = _cart(saleor, two_vendors, calendar_for, make_shopper)
    client.force_login(shopper.user)
    session = client.session
    from marketplace.storefront import session as shop_session

    session[shop_session.CART_KEY] = cart.id
    session.save()
    wrong = client.post(reverse("voucher_checkout"), {"code": "zzzz"}, follow=True).content.decode()
    assert "Aucun chèque cadeau ne porte le code « ZZZZ »" in wrong
    voucher = issue("2")
    page = client.post(reverse("voucher_checkout"), {"code": voucher.code.lower()}, follow=True).content.decode()
    assert "Chèque cadeau accepté" in page and f"Chèque cadeau ••••{voucher.code[-4:]}" in page
    assert "Reste à payer" in page
