"""Vouchers against a real Saleor 3.23 (skipped unless SALEOR_API_URL and SALEOR_APP_TOKEN are set).

Run under the live lock, as /work/saleor-live/README says for the other live tests::

    source live-tests.env; flock live.lock python3 run.py test tests/saleor/test_live_gift_cards.py

Checks what the stand-in imitates: issuing cards with amount, expiry and tag, looking one up by
code, ``giftCardBalanceAdjust`` (3.23) and its clamp at zero, Saleor's refusal of an unknown code
at checkout, a card paying a checkout and losing that balance at completion, and the payment
app's door spending (the card debited, a "Chèque cadeau" transaction on the order, the cash
authorisation lowered, the rest charged once collected), and an e-voucher bought as Saleor's
gift-card product: paid in full, Saleor fulfils it and issues the card the App then records.
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
    _wait_for,
    installed_app,
    live,
    live_market,
    needs_staff,
    storefront_on_live_saleor,
)

pytestmark = [
    pytest.mark.saleor_live,
    pytest.mark.skipif(not (API_URL and TOKEN), reason="no real Saleor configured: set SALEOR_API_URL and "
                                                       "SALEOR_APP_TOKEN to run these flows against one"),
]


def _today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


def _jolimetz_buyer(communes, username: str, email: str, first_name: str, last_name: str, street: str):
    """A shopper living at ``street`` in Jolimetz, with the billing address Saleor gets."""
    from django.contrib.auth import get_user_model

    from marketplace.territory.models import Shopper

    user = get_user_model().objects.create_user(username, email=email, first_name=first_name, last_name=last_name)
    commune = communes.get(name="Jolimetz")
    buyer = Shopper.objects.create(user=user, address=f"{street}, {commune.main_postal_code} Jolimetz",
                                   commune=commune, lon=commune.lon, lat=commune.lat)
    billing = port.Address(street, commune.main_postal_code, "JOLIMETZ", country="FR", first_name=first_name,
                           last_name=last_name)
    return user, buyer, billing


def _bought_through_the_app(saleor, user, buyer, billing, amount: str, reference: str):
    """One e-voucher of ``amount`` bought, paid and completed; waits for the App to record it.

    The App learns of it from Saleor's own signed ORDER_FULLY_PAID. Returns (purchase, order, voucher).
    """
    from marketplace.vouchers import online
    from marketplace.vouchers.models import Voucher

    purchase = online.start(saleor, buyer, user, amount=amount, quantity="1", billing=billing, now=timezone.now())
    checkout = saleor.checkout.get(purchase.checkout_id)
    saleor.payments.record_charged(checkout.id, "Carte (test live)", reference, checkout.total.amount)
    order = saleor.checkout.complete(checkout.id)
    _wait_for(lambda: Voucher.objects.filter(purchase_id=purchase.pk).exists(), timeout_s=120,
              what="the voucher recorded from Saleor's ORDER_FULLY_PAID webhook")
    return purchase, order, Voucher.objects.get(purchase_id=purchase.pk)


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


def test_live_an_e_voucher_bought_and_paid_becomes_a_gift_card_the_app_records(live, communes, settings):  # noqa: F811
    """Saleor's gift-card product: paid in full, Saleor fulfils the line and issues the card (BOUGHT)."""
    from django.core import mail

    from marketplace.saleor.registry import ReceivedEvent
    from marketplace.vouchers import online
    from marketplace.vouchers.models import Voucher, VoucherPurchase

    tag = uuid.uuid4().hex[:8]
    # the App's set-up: a GIFT_CARD product type (not shipped), a variant per amount, run twice
    product = online.product(live)
    assert online.product(live) == product and sorted(product.variants) == list(online.AMOUNTS)
    # a shopper opens the purchase of two 20 € e-vouchers for someone
    user, buyer, billing = _jolimetz_buyer(communes, f"live-{tag}", f"acheteur-{tag}@example.fr", "Anne", "Leroy",
                                           "3 rue Pasteur")
    purchase = online.start(live, buyer, user, amount="20", quantity="2", recipient_name="Jeanne",
                            recipient_email=f"jeanne-{tag}@example.fr", message="Bon anniversaire", billing=billing,
                            now=timezone.now())
    checkout = live.checkout.get(purchase.checkout_id)
    print(f"\nLIVE e-voucher checkout: total={checkout.total.amount} shipping required={checkout.is_shipping_required}")
    assert checkout.total.amount == Decimal("40.00") and not checkout.is_shipping_required
    # paid in full (the App records the charge, as the door step does) and completed with no delivery
    live.payments.record_charged(checkout.id, "Carte (test live)", f"live-cheques-{tag}", checkout.total.amount)
    order = live.checkout.complete(checkout.id)
    # then Saleor issued two 20 € cards for that order (BOUGHT event), and fulfilled the line itself
    cards = _wait_for(lambda: live.gift_card_products.bought_in_order(order.id, product.product_id, order.email),
                      what="the gift cards of the paid e-voucher order")
    seen = live.orders.get(order.id)
    print(f"LIVE e-voucher order {seen.number}: status={seen.status} charge={seen.charge_status} "
          f"cards={[(c.code[-4:], c.initial_balance.amount, c.expiry_date) for c in cards]}")
    assert len(cards) == 2 and all(c.initial_balance.amount == Decimal("20.00") and c.is_active for c in cards)
    assert seen.charge_status == "FULL" and seen.status == "FULFILLED"
    # and the App's ORDER_FULLY_PAID handler keeps them as vouchers bought online and e-mails the PDF
    online.record_bought(ReceivedEvent(event_id=0, event_type="ORDER_FULLY_PAID", saleor_api_url=API_URL, payload={},
                                       order=seen), saleor=live)
    online.record_bought(ReceivedEvent(event_id=0, event_type="ORDER_FULLY_PAID", saleor_api_url=API_URL, payload={},
                                       order=seen), saleor=live)  # a redelivery: nothing more
    rows = Voucher.objects.filter(purchase=VoucherPurchase.objects.get(pk=purchase.pk))
    assert {v.gift_card_id for v in rows} == {c.id for c in cards} and all(v.origin == "online" for v in rows)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [f"jeanne-{tag}@example.fr"]


@needs_staff
def test_live_saleors_order_fully_paid_webhook_brings_the_bought_vouchers_to_the_app(  # noqa: F811
        storefront_on_live_saleor, communes):  # noqa: F811
    """The installed App (manifest permissions): Saleor's own ORDER_FULLY_PAID reaches our live server after the cards exist."""
    from django.core import mail

    from marketplace.vouchers.models import VoucherPurchase

    saleor = storefront_on_live_saleor
    tag = uuid.uuid4().hex[:8]
    user, buyer, billing = _jolimetz_buyer(communes, f"live-wh-{tag}", f"offre-{tag}@example.fr", "Paul", "Martin",
                                           "5 rue Pasteur")
    purchase, order, voucher = _bought_through_the_app(saleor, user, buyer, billing, "10", f"live-wh-{tag}")
    # then Saleor's signed ORDER_FULLY_PAID came to the App, which found the card and e-mailed the PDF
    done = VoucherPurchase.objects.get(pk=purchase.pk)
    print(f"\nLIVE webhook e-voucher: order {order.number} -> voucher ••••{voucher.code[-4:]} "
          f"{voucher.initial_amount} EUR, e-mailed to {done.emailed_to}")
    assert (voucher.origin, voucher.initial_amount, done.saleor_order_id) == ("online", Decimal("10.00"), order.id)
    assert saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount == Decimal("10.00")
    assert [m.to for m in mail.outbox] == [[f"offre-{tag}@example.fr"]]


@needs_staff
def test_live_a_refunded_e_voucher_order_has_its_card_deactivated_by_the_app(  # noqa: F811
        storefront_on_live_saleor, communes):  # noqa: F811
    """Saleor keeps a bought card active after a refund; its signed ORDER_REFUNDED makes the App deactivate it."""
    from marketplace.vouchers.models import Voucher

    saleor = storefront_on_live_saleor
    tag = uuid.uuid4().hex[:8]
    user, buyer, billing = _jolimetz_buyer(communes, f"live-rf-{tag}", f"rembourse-{tag}@example.fr", "Luc", "Petit",
                                           "7 rue Pasteur")
    # given a 20 € e-voucher bought and paid, recorded by the App from Saleor's ORDER_FULLY_PAID
    _purchase, order, voucher = _bought_through_the_app(saleor, user, buyer, billing, "20", f"live-rf-{tag}")
    # and 3,50 € of it already spent (taken in Saleor)
    saleor.gift_cards.adjust_balance(voucher.gift_card_id, Decimal("-3.50"))
    # Saleor refuses orderCancel on the order it fulfilled itself: a refund is the way back
    with pytest.raises(SaleorValidationError):
        saleor.orders.cancel(order.id)
    # when the card payment is refunded in full (the App owns that transaction: transactionUpdate)
    (tx,) = [t for t in saleor.orders.get(order.id).transactions if t.name == "Carte (test live)"]
    saleor.payments.record_refunded(tx.id, Decimal("0"), Decimal("20.00"), "Remboursé (test live)")
    # then Saleor's signed ORDER_REFUNDED / ORDER_FULLY_REFUNDED reach the App, which deactivates the card
    _wait_for(lambda: Voucher.objects.filter(pk=voucher.pk, deactivated_at__isnull=False).exists(), timeout_s=120,
              what="the voucher deactivated from Saleor's ORDER_REFUNDED webhook")
    voucher.refresh_from_db()
    card = saleor.gift_cards.get(voucher.gift_card_id)
    from marketplace.saleor.models import WebhookEvent

    seen = sorted({e.event_type for e in WebhookEvent.objects.filter(payload__order__id=order.id)})
    print(f"\nLIVE refunded e-voucher: order {order.number} events={seen} card active={card.is_active} "
          f"balance={card.current_balance.amount} spent before={voucher.spent_before_deactivation} "
          f"reason={voucher.deactivation_reason}")
    assert not card.is_active and card.current_balance.amount == Decimal("16.50")
    assert (voucher.deactivation_reason, voucher.spent_before_deactivation) == ("refunded", Decimal("3.50"))
    assert "ORDER_REFUNDED" in seen
    # and asking Saleor again (a redelivered webhook) is harmless: the card stays inactive, its balance kept
    again = saleor.gift_cards.deactivate(voucher.gift_card_id)
    assert not again.is_active and again.current_balance.amount == Decimal("16.50")
