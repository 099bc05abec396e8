"""Vouchers against a real Saleor 3.23 (skipped unless SALEOR_API_URL and SALEOR_APP_TOKEN are set).

Run under the live lock, as /work/saleor-live/README says for the other live tests::

    source live-tests.env; flock live.lock python3 run.py test tests/saleor/test_live_gift_cards.py

Checks what the stand-in imitates: issuing cards with amount, expiry and tag, looking one up by
code, ``giftCardBalanceAdjust`` (3.23) and its clamp at zero, Saleor's refusal of an unknown code
at checkout, a card paying a checkout and losing that balance at completion, and the payment
app's door spending (the card debited, a "Chèque cadeau" transaction on the order, the cash
authorisation lowered, the rest charged once collected).
"""

from __future__ import annotations

import datetime as dt
import re
import types
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.payments import actions as payments
from marketplace.payments import gift_card
from marketplace.saleor import port
from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.errors import SaleorValidationError
from marketplace.saleor.gateway import SaleorGateway
from tests.saleor.test_live_saleor import (  # noqa: F401  (fixtures and helpers)
    API_URL,
    TOKEN,
    _live_pay_on_delivery_order,
    _live_transaction,
    installed_app,
    live,
    live_market,
    needs_staff,
)

pytestmark = [
    pytest.mark.saleor_live,
    pytest.mark.skipif(not (API_URL and TOKEN), reason="no real Saleor configured: set SALEOR_API_URL and "
                                                       "SALEOR_APP_TOKEN to run these flows against one"),
]


def _today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


def test_live_cards_are_issued_found_by_code_and_debited_never_below_zero(live):  # noqa: F811
    tag = f"CCAS live {uuid.uuid4().hex[:6]}"
    expiry = _today() + dt.timedelta(days=365)
    cards = live.gift_cards.bulk_create(2, Decimal("20"), expiry, tags=[tag])
    assert len(cards) == 2 and all(c.current_balance == port.Money(Decimal("20.00"), "EUR") for c in cards)
    assert all(c.expiry_date == expiry and c.tags == (tag.lower(),) and c.is_active for c in cards)  # lowered
    assert all(re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){2}", c.code) for c in cards)
    assert live.gift_cards.find_by_code(cards[0].code) == live.gift_cards.get(cards[0].id)
    assert live.gift_cards.find_by_code(f"NOPE{uuid.uuid4().hex[:8].upper()}") is None
    assert {c.id for c in live.gift_cards.find(tags=[tag])} == {c.id for c in cards}
    # giftCardBalanceAdjust takes by a delta, and clamps a deduction larger than the balance at zero
    assert live.gift_cards.adjust_balance(cards[0].id, Decimal("-7.50")).current_balance.amount == Decimal("12.50")
    assert live.gift_cards.adjust_balance(cards[0].id, Decimal("-100")).current_balance.amount == 0
    print(f"\nLIVE gift cards: codes={[c.code[-4:] for c in cards]} after -7.50 then -100: 0.00")


def test_live_saleor_refuses_a_past_expiry(live):  # noqa: F811
    with pytest.raises(SaleorValidationError) as refused:
        live.gift_cards.create(Decimal("10"), _today() - dt.timedelta(days=1))
    print(f"\nLIVE past expiry: {[(e.field, e.code, e.message) for e in refused.value.errors]}")
    assert refused.value.errors[0].code == "INVALID" and refused.value.errors[0].field == "expiryDate"


def test_live_a_card_pays_a_checkout_and_saleor_takes_its_balance_at_completion(live, live_market):  # noqa: F811
    checkout = live.checkout.create([port.CheckoutLineInput(live_market["bread_v"].id, 2),
                                     port.CheckoutLineInput(live_market["eggs_v"].id, 1)], email="anne@example.fr")
    live.checkout.set_billing_address(checkout.id, live_market["home"])
    checkout = live.checkout.set_delivery_method(checkout.id, live_market["relay"].id)
    assert checkout.total.amount == Decimal("5.00")
    # an unknown code is refused the way the stand-in refuses it
    with pytest.raises(SaleorValidationError) as unknown:
        live.checkout.add_promo_code(checkout.id, f"NOPE{uuid.uuid4().hex[:8].upper()}")
    print(f"\nLIVE unknown promo code: {[(e.field, e.code, e.message) for e in unknown.value.errors]}")
    assert (unknown.value.errors[0].code, unknown.value.errors[0].field) == ("INVALID", "promoCode")
    # a 50 € card covers the 5 € cart
    card = live.gift_cards.create(Decimal("50"), tags=["live checkout"])
    checkout = live.checkout.add_promo_code(checkout.id, card.code)
    print(f"LIVE checkout with card: total={checkout.total.amount} cards={checkout.gift_cards} "
          f"authorize={checkout.authorize_status} charge={checkout.charge_status}")
    assert [g.id for g in checkout.gift_cards] == [card.id]
    assert checkout.total.amount == 0
    order = live.checkout.complete(checkout.id)
    after = live.gift_cards.get(card.id)
    print(f"LIVE order with card: total={order.total.amount} charge={order.charge_status} "
          f"authorize={order.authorize_status} card balance={after.current_balance.amount}")
    assert after.current_balance.amount == Decimal("45.00")


@needs_staff
def test_live_the_driver_pays_part_of_a_cash_order_with_a_voucher(live, installed_app, settings,  # noqa: F811
                                                                  eager_celery):
    gateway = SaleorGateway(SaleorGraphQLClient(API_URL, installed_app), live.channel_slug)
    # given a 9,40 € order authorised in cash by our payment app, and a 5 € voucher
    order, result = _live_pay_on_delivery_order(gateway, "voucher")
    assert result.result == "AUTHORIZATION_SUCCESS", (result.result, result.message)
    card = gateway.gift_cards.create(Decimal("5"), _today() + dt.timedelta(days=30), tags=["live door"])
    shop_order = types.SimpleNamespace(  # the storefront's ShopOrder fields the door step reads
        transaction_id=result.transaction.id, payment="cash", saleor_order_id=order.id, number=order.number,
        total_cents=int(order.total.amount * 100))
    # when the driver scans it at the door, twice
    spent = gift_card.spend_at_door(gateway, card.code, shop_order, timezone.now(), by="live")
    again = gift_card.spend_at_door(gateway, card.code, shop_order, timezone.now(), by="live")
    # then Saleor's card lost 5 € once, the order shows the voucher, and only the rest stays to collect
    assert (spent.amount, spent.balance_after, spent.due_after) == (Decimal("5.00"), 0, Decimal("4.40"))
    assert again.repeated and gateway.gift_cards.get(card.id).current_balance.amount == 0
    seen = gateway.orders.get(order.id)
    vouchers = [t for t in seen.transactions if t.name == gift_card.TRANSACTION_NAME]
    assert len(vouchers) == 1 and vouchers[0].charged.amount == 5
    assert gateway.payments.get(result.transaction.id).authorized.amount == Decimal("4.40")
    # and once the cash is collected, Saleor charges the 4,40 € and the order is fully paid
    payments.record_collection(result.transaction.id, timezone.now())
    assert payments.charge_collected(gateway, result.transaction.id) is not None
    _live_transaction(gateway, result.transaction.id, lambda t: t.charged.amount == Decimal("4.40"),
                      "the charge of the rest in cash")
    print(f"\nLIVE door voucher: {spent.sentence} order={gateway.orders.get(order.id).charge_status}")
    assert gateway.orders.get(order.id).charge_status == "FULL"


@needs_staff
def test_live_a_cancelled_order_gives_the_voucher_back_once_and_its_transaction_is_refunded(  # noqa: F811
        live, installed_app, settings, eager_celery):  # noqa: F811
    gateway = SaleorGateway(SaleorGraphQLClient(API_URL, installed_app), live.channel_slug)
    # given a cash order of which a 5 € voucher paid part at the door
    order, result = _live_pay_on_delivery_order(gateway, "voucher")
    assert result.result == "AUTHORIZATION_SUCCESS", (result.result, result.message)
    card = gateway.gift_cards.create(Decimal("5"), _today() + dt.timedelta(days=30), tags=["live give back"])
    shop_order = types.SimpleNamespace(transaction_id=result.transaction.id, payment="cash", saleor_order_id=order.id,
                                       number=order.number, total_cents=int(order.total.amount * 100))
    gift_card.spend_at_door(gateway, card.code, shop_order, timezone.now(), by="live")
    assert gateway.gift_cards.get(card.id).current_balance.amount == 0
    # when the order is cancelled in Saleor and the App gives the vouchers back (twice: a replayed webhook)
    gateway.orders.cancel(order.id)
    first = gift_card.give_back_order(gateway, order.id, timezone.now())
    second = gift_card.give_back_order(gateway, order.id, timezone.now())
    # then Saleor's card holds its 5 € again (a positive giftCardBalanceAdjust), once
    assert len(first) == 1 and second == []
    assert gateway.gift_cards.get(card.id).current_balance.amount == Decimal("5.00")
    # and the order's "Chèque cadeau" transaction reads refunded (transactionUpdate by its owner)
    voucher_tx = [t for t in gateway.orders.get(order.id).transactions if t.name == gift_card.TRANSACTION_NAME][0]
    print(f"\nLIVE give back: card={gateway.gift_cards.get(card.id).current_balance.amount} "
          f"tx charged={voucher_tx.charged.amount} refunded={voucher_tx.amount('refunded')}")
    assert voucher_tx.charged.amount == 0 and voucher_tx.amount("refunded") == Decimal("5.00")
