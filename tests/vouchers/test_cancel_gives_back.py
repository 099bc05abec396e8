"""A cancelled order gives its vouchers' money back to their gift cards: once, recorded, the transaction refunded.

Saleor does not restore a gift card's balance when an order is cancelled (the stand-in neither):
the App credits it back (``giftCardBalanceAdjust`` with a positive amount) from the cancel path
(the ORDER_CANCELLED webhook and the staff's cancel button).
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.payments import cancellation, gift_card
from marketplace.saleor.errors import SaleorMutationUncertain
from marketplace.saleor.registry import ReceivedEvent
from marketplace.storefront import checkout, offers
from marketplace.vouchers import actions
from marketplace.vouchers.error_codes import VoucherError
from marketplace.vouchers.error_codes import VoucherErrorCode as Code
from marketplace.vouchers.models import Voucher, VoucherSpend


@pytest.fixture
def run_webhooks():
    """Run webhook handlers in-process (Celery eager), as the worker would."""
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _balance(saleor, voucher) -> Decimal:
    return saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount


def _replay_cancelled(saleor, order) -> None:
    """ORDER_CANCELLED delivered again (a new delivery the store's de-duplication does not catch)."""
    cancellation.on_order_cancelled(ReceivedEvent(event_id=0, event_type="ORDER_CANCELLED", saleor_api_url="",
                                                  payload={}, order=saleor.orders.get(order.saleor_order_id)))


def test_a_voucher_taken_at_the_door_goes_back_on_the_card_when_saleor_cancels_the_order(
        saleor, cash_order, issue, django_capture_on_commit_callbacks, run_webhooks):
    # given a 20 € voucher from which the driver took what the order owed, at the door
    order = cash_order(loaves=2)
    voucher = issue("20")
    spent = gift_card.spend_at_door(saleor, voucher.code, order, timezone.now(), by="Van 1")
    assert _balance(saleor, voucher) == Decimal("20") - spent.amount
    # when the order is cancelled in Saleor (ORDER_CANCELLED reaches the App)
    with django_capture_on_commit_callbacks(execute=True):
        saleor.orders.cancel(order.saleor_order_id)
    # then the card holds its 20 € again, the spend is marked given back, the row's balance too
    assert _balance(saleor, voucher) == Decimal("20")
    spend = VoucherSpend.objects.get()
    assert spend.refunded_at is not None and spend.refund_recorded_at is not None
    assert spend.refund_balance_before == Decimal("20") - spent.amount
    assert Voucher.objects.get(pk=voucher.pk).balance == Decimal("20")
    # and the order's "Chèque cadeau" transaction shows the amount refunded, the cash authorisation released
    tx = {t.psp_reference: t for t in saleor.orders.get(order.saleor_order_id).transactions}[spend.psp_reference]
    assert tx.charged.amount == 0 and tx.amount("refunded") == spent.amount
    assert saleor.payments.get(order.transaction_id).authorized.amount == 0
    # when the webhook comes again, and the staff press "cancel" too: the card is credited once
    _replay_cancelled(saleor, order)
    assert gift_card.give_back_order(saleor, order.saleor_order_id, timezone.now()) == []
    assert _balance(saleor, voucher) == Decimal("20")


def test_a_voucher_spent_online_goes_back_on_the_card_when_staff_cancel_the_order(
        saleor, two_vendors, calendar_for, make_shopper, issue, client, django_user_model,
        django_capture_on_commit_callbacks, run_webhooks):
    # given an order placed online, 5 € paid with a voucher, the rest in cash at the door
    calendar_for("Jolimetz")
    shopper = make_shopper("gisele")
    cart = checkout.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 3, saleor)
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    voucher = issue("5")
    actions.apply_online(saleor, cart.id, voucher.code, timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)
    assert _balance(saleor, voucher) == 0
    # when staff cancel it from the order's page (Saleor cancels: ORDER_CANCELLED)
    client.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("storefront:order_cancel", kwargs={"pk": order.pk}), follow=True)
    # then the 5 € are back on the card, once, and recorded on the spend
    assert page.status_code == 200 and saleor.orders.get(order.saleor_order_id).status == "CANCELED"
    assert _balance(saleor, voucher) == Decimal("5")
    spend = VoucherSpend.objects.get()
    assert spend.channel == "online" and spend.refunded_at is not None
    assert spend.refund_recorded_at is None  # Saleor took the card at checkout: no transaction of ours to mark
    _replay_cancelled(saleor, order)
    assert _balance(saleor, voucher) == Decimal("5")


def test_when_saleor_gives_no_answer_nothing_is_marked_and_a_later_run_credits_once(
        saleor, cash_order, issue, monkeypatch):
    order = cash_order(loaves=2)
    voucher = issue("20")
    spent = gift_card.spend_at_door(saleor, voucher.code, order, timezone.now())

    def lost(gift_card_id, delta):
        raise SaleorMutationUncertain("no answer")

    with monkeypatch.context() as patched:
        patched.setattr(saleor.gift_cards, "adjust_balance", lost)
        with pytest.raises(VoucherError) as refused:
            gift_card.give_back_order(saleor, order.saleor_order_id, timezone.now())
    assert refused.value.code is Code.NOT_GIVEN_BACK and "n'a pas encore été recrédité" in str(refused.value)
    assert VoucherSpend.objects.get().refunded_at is None
    assert gift_card.give_back_order(saleor, order.saleor_order_id, timezone.now())
    assert _balance(saleor, voucher) == Decimal("20")
    assert _balance(saleor, voucher) - spent.amount == VoucherSpend.objects.get().refund_balance_before


def test_a_run_that_died_after_saleor_credited_the_card_is_only_marked(saleor, cash_order, issue):
    # given a give-back that noted the balance, had Saleor credit the card, and died before marking the spend
    order = cash_order(loaves=2)
    voucher = issue("20")
    spent = gift_card.spend_at_door(saleor, voucher.code, order, timezone.now())
    VoucherSpend.objects.update(refund_balance_before=Decimal("20") - spent.amount)
    saleor.gift_cards.adjust_balance(voucher.gift_card_id, spent.amount)
    # when it runs again, the card is not credited a second time
    gift_card.give_back_order(saleor, order.saleor_order_id, timezone.now())
    assert _balance(saleor, voucher) == Decimal("20") and VoucherSpend.objects.get().refunded_at is not None


def test_a_spend_given_back_no_longer_counts_as_spent_on_the_staff_page_nor_for_the_vendor(saleor, cash_order, issue):
    from marketplace.vouchers import selectors

    order = cash_order(loaves=2)
    voucher = issue("20")
    gift_card.spend_at_door(saleor, voucher.code, order, timezone.now())
    gift_card.give_back_order(saleor, order.saleor_order_id, timezone.now())
    figures = selectors.figures(timezone.now())
    assert (figures.spent_value, figures.spent_at_door, figures.spent_online) == (0, 0, 0)
    assert figures.outstanding_value == Decimal("20")
    assert selectors.vouchers_by_order([order.saleor_order_id]) == {}
