"""Cards only through a card gateway Saleor lists; a cancelled paid order is refunded through Saleor."""

from decimal import Decimal

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from marketplace.payments import demo_card
from marketplace.payments.methods import DEMO_CARD_GATEWAY
from marketplace.storefront import card_checkout, checkout, offers
from marketplace.storefront.error_codes import StorefrontErrorCode as Code
from marketplace.storefront.errors import StorefrontError
from marketplace.storefront.models import Reservation, ShopOrder
from marketplace.storefront.session import CART_KEY
from marketplace.vendors import statements
from marketplace.vendors.models import VendorOrder


@pytest.fixture
def run_webhooks():
    """Run webhook handlers in-process (Celery eager), as the worker would."""
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="lucie"):
    calendar_for("Jolimetz")
    shopper = make_shopper(name)
    cart = checkout.add_to_cart(None, two_vendors["maroilles"].variants.get().saleor_variant_id, 1, saleor)
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    return cart, shopper


def test_without_a_card_gateway_the_card_is_refused_and_nothing_is_charged(
        settings, saleor, two_vendors, calendar_for, make_shopper):
    # given a shop whose Saleor lists no card gateway (the demo one is off)
    settings.PAYMENT_DEMO_GATEWAY = False
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper)
    # when the shopper asks to pay by card
    with pytest.raises(StorefrontError) as refused:
        checkout.place_order(cart.id, shopper, shopper.user, "card", saleor, card=demo_card.ACCEPTED_CARD)
    # then the storefront refuses before any transaction, and the cart is still there
    assert refused.value.code == Code.CARD_UNAVAILABLE
    assert saleor.checkout.get(cart.id) is not None and not ShopOrder.objects.exists()


def test_a_card_the_demo_gateway_refuses_places_no_order(saleor, two_vendors, calendar_for, make_shopper):
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper)
    with pytest.raises(StorefrontError) as refused:
        checkout.place_order(cart.id, shopper, shopper.user, "card", saleor, card=demo_card.REFUSED_CARD)
    assert refused.value.code == Code.PAYMENT_REFUSED and "refusée" in refused.value.message
    assert not ShopOrder.objects.exists() and saleor.checkout.get(cart.id) is not None


def test_the_demo_gateway_is_listed_only_in_the_demo(settings, saleor, two_vendors):
    cart = checkout.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 1, saleor)
    assert DEMO_CARD_GATEWAY in {g.id for g in saleor.payments.gateways(cart.id)}
    settings.PAYMENT_DEMO_GATEWAY = False
    assert DEMO_CARD_GATEWAY not in {g.id for g in saleor.payments.gateways(cart.id)}


def test_check_deploy_refuses_the_demo_gateway(settings):
    # given the demo card gateway on (MORMAL_DEMO): the deployment checks name it as an error
    settings.PAYMENT_DEMO_GATEWAY = True
    problems = {m.id: m for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert "payments.E001" in problems and problems["payments.E001"].is_serious()
    # and without it, that error is gone (the check runs only with --deploy)
    settings.PAYMENT_DEMO_GATEWAY = False
    assert "payments.E001" not in {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    settings.PAYMENT_DEMO_GATEWAY = True
    assert "payments.E001" not in {m.id for m in run_checks(tags=["security"])}


def test_a_cancelled_card_order_is_refunded_through_saleor_and_the_statement_shows_it(
        saleor, two_vendors, calendar_for, make_shopper, django_capture_on_commit_callbacks, run_webhooks):
    # given an order paid by (demo) card
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper)
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "card", saleor, card=demo_card.ACCEPTED_CARD)
    total = Decimal(record.total_cents) / 100
    assert saleor.payments.get(record.transaction_id).charged.amount == total
    # when the order is cancelled in Saleor (ORDER_CANCELLED reaches the App)
    with django_capture_on_commit_callbacks(execute=True):
        saleor.orders.cancel(record.saleor_order_id)
    # then the App asked Saleor for the refund, and the card gateway refunded the whole amount
    tx = saleor.payments.get(record.transaction_id)
    assert tx.amount("refunded") == total and tx.charged.amount == 0
    # and the vendor's statement lists the order as refunded, outside the sales
    share = VendorOrder.objects.get(saleor_order_id=record.saleor_order_id)
    assert share.status == VendorOrder.Status.CANCELLED and share.refunded_at is not None
    month = statements.monthly_statement(share.vendor, share.placed_at.year, share.placed_at.month)
    assert [r.number for r in month.refunds] == [share.number] and month.sales_ttc == 0
    assert "annulée, remboursée au client" in statements.statement_csv(month)


def test_a_cancelled_cash_order_releases_the_authorisation(
        saleor, two_vendors, calendar_for, make_shopper, django_capture_on_commit_callbacks, run_webhooks):
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="remi")
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)
    with django_capture_on_commit_callbacks(execute=True):
        saleor.orders.cancel(record.saleor_order_id)
    tx = saleor.payments.get(record.transaction_id)
    assert tx.authorized.amount == 0 and tx.amount("canceled") == Decimal(record.total_cents) / 100


def test_a_card_whose_bank_asks_for_3ds_goes_through_the_gateways_client_step(
        saleor, two_vendors, calendar_for, make_shopper):
    # given a card for which the (demo) bank asks a 3-D Secure confirmation
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="alice")
    with pytest.raises(card_checkout.CardStepNeeded) as step:
        checkout.place_order(cart.id, shopper, shopper.user, "card", saleor, card=demo_card.THREE_D_SECURE_CARD)
    # then nothing is charged or ordered yet, and the delivery place stays held (not for good)
    assert saleor.payments.get(step.value.transaction_id).charged.amount == 0
    assert not ShopOrder.objects.exists()
    hold = Reservation.objects.get(checkout_id=cart.id)
    assert hold.order_id == "" and hold.expires_at is not None
    # when the shopper confirms at the gateway's step, Saleor processes the transaction (transactionProcess)
    record = card_checkout.finish_card_order(cart.id, step.value.transaction_id, {"confirmed": True}, shopper,
                                        shopper.user, saleor)
    # then the card is charged and the order placed, its place held for good
    assert saleor.payments.get(record.transaction_id).charged.amount == Decimal(record.total_cents) / 100
    assert Reservation.objects.get(checkout_id=cart.id).order_id == record.saleor_order_id


def test_a_3ds_step_refused_places_no_order(saleor, two_vendors, calendar_for, make_shopper):
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="bruno")
    with pytest.raises(card_checkout.CardStepNeeded) as step:
        checkout.place_order(cart.id, shopper, shopper.user, "card", saleor, card=demo_card.THREE_D_SECURE_CARD)
    with pytest.raises(StorefrontError) as refused:
        card_checkout.finish_card_order(cart.id, step.value.transaction_id, {"confirmed": False}, shopper,
                                   shopper.user, saleor)
    assert refused.value.code == Code.PAYMENT_REFUSED and not ShopOrder.objects.exists()
    assert saleor.checkout.get(cart.id) is not None


def test_the_card_step_page_confirms_then_shows_the_order(client, saleor, two_vendors, calendar_for, make_shopper):
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="chloe")
    client.force_login(shopper.user)
    session = client.session
    session[CART_KEY] = cart.id
    session.save()
    answer = client.post(reverse("storefront:payment"), {"paiement": "card", "carte": demo_card.THREE_D_SECURE_CARD})
    assert answer.status_code == 302 and answer["Location"] == reverse("storefront:card_step")
    page = client.get(reverse("storefront:card_step")).content.decode()
    assert "Je confirme le paiement" in page and "aucun débit réel" in page
    done = client.post(reverse("storefront:card_step"), {"confirmer": "oui"})
    record = ShopOrder.objects.get(shopper=shopper)
    assert done.status_code == 302 and done["Location"] == checkout.order_path(record)
