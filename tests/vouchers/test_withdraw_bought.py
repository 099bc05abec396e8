"""Vouchers bought online are withdrawn when their order is refunded or cancelled (no free money).

Through the pages, the stand-in Saleor (whose refund through the Transactions API sends
ORDER_REFUNDED and leaves the cards active, as Saleor 3.23 does) and the signed webhook endpoint;
every card and euro is followed.
"""

import html
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.saleor.models import WebhookEvent
from marketplace.saleor.values import TransactionAction
from marketplace.storefront import checkout as shop
from marketplace.vouchers import actions, selectors
from marketplace.vouchers.error_codes import VoucherError
from marketplace.vouchers.error_codes import VoucherErrorCode as Code
from marketplace.vouchers.models import DeactivationReason, Voucher
from tests.saleor.test_webhooks import _post
from tests.vouchers.test_bought_online import _buy, run_webhooks  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("run_webhooks")


def _card_tx(saleor, purchase):
    (tx,) = saleor.orders.get(purchase.saleor_order_id).transactions
    return tx


def _staff_page(client, django_user_model) -> str:
    staff = django_user_model.objects.create_user("agent", password="x", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return html.unescape(client.get(reverse("vouchers:staff")).content.decode()).replace("\xa0", " ")


def _redeliver_twice(client, installation, saleor_keys, django_capture_on_commit_callbacks, event_type, order_id,
                     slug):
    event = WebhookEvent.objects.filter(event_type=event_type, payload__order__id=order_id).first()
    body = json.dumps(event.payload).encode()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert _post(client, installation, body, saleor_keys.sign(body, "key-1"), event=slug).status_code == 200


def test_a_refunded_voucher_order_deactivates_its_cards_once_and_shows_what_was_spent(
        client, saleor, make_shopper, two_vendors, calendar_for, installation, saleor_keys, django_user_model,
        django_capture_on_commit_callbacks):
    # given Gisèle bought two 20 € vouchers, and one of them already paid 20 € of bread
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks)
    spent, kept = purchase.vouchers.order_by("pk")
    calendar_for("Jolimetz")
    from marketplace.storefront import offers

    jeanne = purchase.buyer
    cart = shop.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 20, saleor)
    shop.choose_delivery(saleor.checkout.get(cart.id), jeanne, offers.home_options(jeanne.commune)[0].key, saleor)
    actions.apply_online(saleor, cart.id, spent.code, timezone.now())
    shop.place_order(cart.id, jeanne, jeanne.user, "cash", saleor)
    assert saleor.gift_cards.get(spent.gift_card_id).current_balance.amount == 0
    # when the voucher order's 40 € card payment is refunded in Saleor (ORDER_REFUNDED reaches the App)
    with django_capture_on_commit_callbacks(execute=True):
        saleor.payments.request_action(_card_tx(saleor, purchase).id, TransactionAction.REFUND)
    assert _card_tx(saleor, purchase).amount("refunded") == Decimal("40.00")
    assert {e.event_type for e in WebhookEvent.objects.filter(payload__order__id=purchase.saleor_order_id)} >= {
        "ORDER_REFUNDED", "ORDER_FULLY_REFUNDED"}  # as Saleor 3.23's order_refunded sends them
    # then both cards are inactive in Saleor, the unspent one keeps its 20 € there, blocked
    spent.refresh_from_db()
    kept.refresh_from_db()
    assert not saleor.gift_cards.get(spent.gift_card_id).is_active
    assert not saleor.gift_cards.get(kept.gift_card_id).is_active
    assert saleor.gift_cards.get(kept.gift_card_id).current_balance.amount == Decimal("20.00")
    # and the App recorded why, and that 20 € had been spent on one before
    assert (spent.status, spent.deactivation_reason, spent.spent_before_deactivation, spent.balance) == (
        Voucher.Status.DEACTIVATED, DeactivationReason.REFUNDED, Decimal("0.00") + 20, Decimal("0.00"))
    assert (kept.status, kept.spent_before_deactivation, kept.balance) == (
        Voucher.Status.DEACTIVATED, Decimal("0.00"), Decimal("20.00"))
    # and the same ORDER_REFUNDED delivered twice more, signed, changes nothing
    when = (spent.deactivated_at, kept.deactivated_at)
    for event_type in ("ORDER_REFUNDED", "ORDER_FULLY_REFUNDED"):
        _redeliver_twice(client, installation, saleor_keys, django_capture_on_commit_callbacks, event_type,
                         purchase.saleor_order_id, event_type.lower().replace("_", "-"))
    assert tuple(Voucher.objects.filter(pk__in=[spent.pk, kept.pk]).order_by("pk")
                 .values_list("deactivated_at", flat=True)) == when
    # and nothing is outstanding any more; the 20 € spent stay spent
    figures = selectors.figures(timezone.now())
    assert (figures.outstanding_value, figures.outstanding_count) == (Decimal("0.00"), 0)
    assert (figures.withdrawn_count, figures.withdrawn_spent, figures.spent_value) == (2, Decimal("20.00"),
                                                                                      Decimal("20.00"))
    month = timezone.localtime(timezone.now()).date().replace(day=1)
    year = selectors.by_month(month, month.replace(year=month.year + 1), timezone.now())
    assert year.months[0].outstanding_value == Decimal("0.00")
    # and the card left cannot pay any more
    cart2 = shop.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 1, saleor)
    with pytest.raises(VoucherError) as refused:
        actions.apply_online(saleor, cart2.id, kept.code, timezone.now())
    assert refused.value.code == Code.INACTIVE
    # and staff read, in French, what was spent before the refund
    page = _staff_page(client, django_user_model)
    assert "Chèques désactivés (commande annulée ou remboursée)" in page
    assert f"commande n° {purchase.order_number}) : commande remboursée" in page
    assert "déjà dépensé 20,00 € avant l'annulation" in page and "rien n'avait été dépensé" in page
    assert "<dt>Encore à dépenser</dt><dd><strong>0,00 €</strong> sur 0 chèque(s)</dd>" in page


def test_a_partial_refund_withdraws_the_cards_it_covers_the_least_spent_first(
        client, saleor, make_shopper, django_capture_on_commit_callbacks):
    # given three 20 € vouchers, one with 5 € already taken in Saleor
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks, quantity=3)
    first, second, third = purchase.vouchers.order_by("pk")
    saleor.gift_cards.adjust_balance(first.gift_card_id, Decimal("-5"))
    Voucher.objects.filter(pk=first.pk).update(balance=Decimal("15.00"))
    tx = _card_tx(saleor, purchase)
    # when 20 € of the 60 € are refunded
    with django_capture_on_commit_callbacks(execute=True):
        saleor.payments.request_action(tx.id, TransactionAction.REFUND, Decimal("20"))
    # then one unspent card goes, the others stay usable
    active = {v.pk: saleor.gift_cards.get(v.gift_card_id).is_active for v in (first, second, third)}
    assert active == {first.pk: True, second.pk: False, third.pk: True}
    assert selectors.figures(timezone.now()).outstanding_value == Decimal("35.00")
    # when 25 € more are refunded (45 € in all): a second card is needed, the spent one last
    with django_capture_on_commit_callbacks(execute=True):
        saleor.payments.request_action(tx.id, TransactionAction.REFUND, Decimal("25"))
    assert [saleor.gift_cards.get(v.gift_card_id).is_active for v in (first, second, third)] == [False, False, False]
    first.refresh_from_db()
    assert (first.spent_before_deactivation, first.balance) == (Decimal("5.00"), Decimal("15.00"))
    assert selectors.figures(timezone.now()).outstanding_value == Decimal("0.00")


def test_a_cancelled_voucher_order_withdraws_every_card_once(
        client, saleor, make_shopper, installation, saleor_keys, django_capture_on_commit_callbacks):
    # given two bought vouchers
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks)
    # when Saleor reports the order cancelled (signed ORDER_CANCELLED, delivered twice)
    paid = WebhookEvent.objects.get(event_type="ORDER_FULLY_PAID", payload__order__id=purchase.saleor_order_id)
    payload = {**paid.payload, "__typename": "OrderCancelled", "order": {**paid.payload["order"], "status": "CANCELED"}}
    body = json.dumps(payload).encode()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert _post(client, installation, body, saleor_keys.sign(body, "key-1"),
                         event="order-cancelled").status_code == 200
    # then both cards are inactive in Saleor, withdrawn once for the cancel (the refund that followed found them done)
    vouchers = list(purchase.vouchers.order_by("pk"))
    assert [saleor.gift_cards.get(v.gift_card_id).is_active for v in vouchers] == [False, False]
    assert {(v.deactivation_reason, v.spent_before_deactivation) for v in vouchers} == {
        (DeactivationReason.CANCELLED, Decimal("0.00"))}
    # and the card payment of the order was given back by the cancel's own rule
    assert _card_tx(saleor, purchase).amount("refunded") == Decimal("40.00")
    assert selectors.figures(timezone.now()).outstanding_value == Decimal("0.00")


def test_staff_take_a_purchase_back_from_their_page_through_the_same_rule(
        client, saleor, make_shopper, installation, saleor_keys, django_user_model,
        django_capture_on_commit_callbacks):
    # given two 20 € vouchers bought, 5 € of one already spent
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks)
    first, second = purchase.vouchers.order_by("pk")
    saleor.gift_cards.adjust_balance(first.gift_card_id, Decimal("-5"))
    page = _staff_page(client, django_user_model)
    assert "Rembourser et désactiver ses 2 chèque(s)" in page
    # when staff press "Rembourser" (twice: a double click)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(reverse("vouchers:refund_purchase", args=[purchase.pk]), follow=True)
    # then both cards are withdrawn, and the 35 € left on them (not the 5 € spent) went back to the card, once
    assert [saleor.gift_cards.get(v.gift_card_id).is_active for v in (first, second)] == [False, False]
    assert _card_tx(saleor, purchase).amount("refunded") == Decimal("35.00")
    assert _card_tx(saleor, purchase).charged.amount == Decimal("5.00")
    shown = html.unescape(answer.content.decode()).replace("\xa0", " ")
    assert f"Commande n° {purchase.order_number} : 0 chèque(s) désactivé(s), 0,00 € remboursés" in shown
    first.refresh_from_db()
    assert (first.deactivation_reason, first.spent_before_deactivation) == (DeactivationReason.REFUNDED,
                                                                           Decimal("5.00"))
    assert "déjà dépensé 5,00 € avant l'annulation" in shown and "Chèques désactivés." in shown
    # and the refund's own webhook (ORDER_REFUNDED), delivered twice more, changes nothing
    _redeliver_twice(client, installation, saleor_keys, django_capture_on_commit_callbacks, "ORDER_REFUNDED",
                     purchase.saleor_order_id, "order-refunded")
    assert _card_tx(saleor, purchase).amount("refunded") == Decimal("35.00")
    assert selectors.figures(timezone.now()).outstanding_value == Decimal("0.00")


def test_staff_without_the_vouchers_right_cannot_take_a_purchase_back(client, saleor, make_shopper,
                                                                      django_user_model,
                                                                      django_capture_on_commit_callbacks):
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks, quantity=1)
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=False)
    client.force_login(clerk)
    answer = client.post(reverse("vouchers:refund_purchase", args=[purchase.pk]))
    assert answer.status_code in (302, 403)
    assert saleor.gift_cards.get(purchase.vouchers.get().gift_card_id).is_active
