"""A card through Saleor's Stripe app: the card page's client step, the return page, one order.

The stand-in Saleor lists a Stripe-app-shaped gateway (:mod:`marketplace.saleor.standin.stripe_app`);
the tests play the browser's ``stripe.confirmPayment`` by setting the PaymentIntent's status.
"""

import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from marketplace.payments import card_gateways
from marketplace.saleor.standin import stripe_app
from marketplace.storefront import card_checkout, checkout, offers
from marketplace.storefront.error_codes import StorefrontErrorCode as Code
from marketplace.storefront.error_codes import message
from marketplace.storefront.errors import StorefrontError
from marketplace.storefront.models import ShopOrder
from marketplace.storefront.session import CART_KEY


def _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="lucie"):
    calendar_for("Jolimetz")
    shopper = make_shopper(name)
    cart = checkout.add_to_cart(None, two_vendors["maroilles"].variants.get().saleor_variant_id, 1, saleor)
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    return cart, shopper


def _signed_in(client, shopper, cart):
    client.force_login(shopper.user)
    session = client.session
    session[CART_KEY] = cart.id
    session.save()


def _page_config(page: str) -> dict:
    found = re.search(r'<script id="carte-stripe" type="application/json">(.*?)</script>', page, re.S)
    assert found, page
    return json.loads(found.group(1))


def test_the_stripe_app_answers_as_its_source_says(stripe_gateway, saleor, two_vendors, calendar_for, make_shopper):
    # given a checkout and Saleor's Stripe app
    cart, _shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper)
    # when the storefront asks for the gateway and opens a card payment
    [gateway] = [g for g in saleor.payments.gateways(cart.id) if g.id == card_gateways.STRIPE]
    paid = saleor.payments.initialize(cart.id, card_gateways.STRIPE, card_gateways.initialize_data(card_gateways.STRIPE),
                                      checkout.port.PaymentFlow.CHARGE, idempotency_key="k-1")
    # then the shapes are the app's: a publishable key, a client secret, an action required, nothing charged
    assert card_gateways.publishable_key(gateway.data).startswith("pk_")
    assert paid.result == "CHARGE_ACTION_REQUIRED" and paid.psp_reference.startswith("pi_")
    assert card_gateways.client_secret(paid.data).startswith(paid.psp_reference + "_secret_")
    assert paid.transaction is not None and paid.transaction.charged.amount == 0
    # and anything but {"paymentIntent": {"paymentMethod": "card"}} is refused by the app
    with pytest.raises(card_gateways.CardGatewayError):
        card_gateways.client_secret({"paymentIntent": {"errors": [{"code": "ParseError"}]}})


def test_the_card_page_shows_the_payment_element_and_a_reload_reuses_the_payment(
        client, stripe_gateway, saleor, two_vendors, calendar_for, make_shopper):
    # given a shopper whose Saleor offers Stripe's app for cards
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper)
    _signed_in(client, shopper, cart)
    # when she chooses the card on the payment page
    answer = client.post(reverse("storefront:payment"), {"paiement": "card"})
    # then she goes to the card page, which carries Stripe's publishable key and the client secret
    assert answer.status_code == 302 and answer["Location"] == reverse("storefront:card_pay")
    first = client.get(reverse("storefront:card_pay"))
    config = _page_config(first.content.decode())
    assert config["publishableKey"] == stripe_app.PUBLISHABLE_KEY
    assert "_secret_" in config["clientSecret"] and config["locale"] == "fr"
    assert config["returnUrl"].endswith(reverse("storefront:card_return"))
    assert "https://js.stripe.com/v3/" in first.content.decode()
    # and only this page lets Stripe's script in
    assert "script-src 'self' https://js.stripe.com" in first["Content-Security-Policy"]
    assert "js.stripe.com" not in client.get(reverse("storefront:payment")).get("Content-Security-Policy", "")
    # when she reloads the card page
    again = _page_config(client.get(reverse("storefront:card_pay")).content.decode())
    # then Saleor got the same idempotency key: the same transaction and PaymentIntent, nothing new
    assert again["clientSecret"] == config["clientSecret"]
    [tx_key] = saleor_transactions(cart.id)
    assert tx_key
    assert not ShopOrder.objects.exists()


def saleor_transactions(checkout_id):
    """The stand-in's transaction keys of a checkout (one card payment = one transaction)."""
    from marketplace.saleor.standin.store import Store

    return Store().get_by_gid(checkout_id, "Checkout")[1].get("transactions") or []


def test_a_succeeded_return_places_the_order_once(
        client, stripe_gateway, saleor, two_vendors, calendar_for, make_shopper, django_capture_on_commit_callbacks):
    # given a card page opened for a cart
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="chloe")
    _signed_in(client, shopper, cart)
    client.post(reverse("storefront:payment"), {"paiement": "card"})
    config = _page_config(client.get(reverse("storefront:card_pay")).content.decode())
    intent_id = config["clientSecret"].split("_secret_")[0]
    # when Stripe.js confirms the card and sends her back
    stripe_app.confirm(intent_id, "succeeded")
    back = reverse("storefront:card_return") + f"?payment_intent={intent_id}&redirect_status=succeeded"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.get(back)
    # then Saleor charged the card, the checkout is complete and the order is placed
    record = ShopOrder.objects.get(shopper=shopper)
    assert done.status_code == 302 and done["Location"] == checkout.order_path(record)
    assert record.payment == ShopOrder.Payment.CARD and record.transaction_id
    charged = saleor.payments.get(record.transaction_id)
    assert charged is not None and charged.charged.amount == charged.charged.amount.__class__(record.total_cents) / 100
    # when she reloads the return page
    reload = client.get(back)
    # then the same order is shown and no second one is placed
    assert reload.status_code == 302 and reload["Location"] == checkout.order_path(record)
    assert ShopOrder.objects.count() == 1


def test_a_declined_card_returns_to_the_card_page_with_a_french_sentence_and_no_order(
        client, stripe_gateway, saleor, two_vendors, calendar_for, make_shopper):
    # given a card page opened for a cart
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="marc")
    _signed_in(client, shopper, cart)
    client.post(reverse("storefront:payment"), {"paiement": "card"})
    config = _page_config(client.get(reverse("storefront:card_pay")).content.decode())
    intent_id = config["clientSecret"].split("_secret_")[0]
    # when the bank refused the card (Stripe sends her back with requires_payment_method)
    stripe_app.confirm(intent_id, "requires_payment_method")
    back = client.get(reverse("storefront:card_return")
                      + f"?payment_intent={intent_id}&redirect_status=requires_payment_method", follow=True)
    # then she is back on the card page (the same PaymentIntent, to try another card), told in French
    assert back.redirect_chain[-1][0] == reverse("storefront:card_pay")
    assert escape(message(Code.CARD_DECLINED)) in back.content.decode()
    assert _page_config(back.content.decode())["clientSecret"] == config["clientSecret"]
    # and nothing is ordered or charged, the cart is still there
    assert not ShopOrder.objects.exists() and saleor.checkout.get(cart.id) is not None


def test_a_cancelled_or_unfinished_payment_places_no_order(stripe_gateway, saleor, two_vendors, calendar_for,
                                                           make_shopper):
    # given a card payment opened through the card page's action
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="paul")
    page = card_checkout.start_card_payment(cart.id, shopper, shopper.user, saleor)
    # when the shopper left the bank's confirmation unfinished
    stripe_app.confirm(page.step.payment_intent, "requires_action")
    with pytest.raises(StorefrontError) as pending:
        card_checkout.finish_card_return(cart.id, page.step.transaction_id, page.step.payment_intent, "",
                                    shopper, shopper.user, saleor)
    assert pending.value.code == Code.CARD_ACTION_PENDING
    # when the payment was cancelled
    stripe_app.confirm(page.step.payment_intent, "canceled")
    with pytest.raises(StorefrontError) as cancelled:
        card_checkout.finish_card_return(cart.id, page.step.transaction_id, page.step.payment_intent, "canceled",
                                    shopper, shopper.user, saleor)
    assert cancelled.value.code == Code.CARD_CANCELLED
    # and a return naming another PaymentIntent is refused
    with pytest.raises(StorefrontError) as unknown:
        card_checkout.finish_card_return(cart.id, page.step.transaction_id, "pi_someone_else", "succeeded",
                                    shopper, shopper.user, saleor)
    assert unknown.value.code == Code.CARD_RETURN_UNKNOWN
    assert not ShopOrder.objects.exists()


def test_a_changed_cart_gets_a_new_idempotency_key(stripe_gateway, saleor, two_vendors, calendar_for, make_shopper):
    cart, _shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="ines")
    before = saleor.checkout.get(cart.id)
    checkout.add_to_cart(cart.id, two_vendors["maroilles"].variants.get().saleor_variant_id, 1, saleor)
    after = saleor.checkout.get(cart.id)
    assert card_checkout.card_idempotency_key(before) == card_checkout.card_idempotency_key(before)
    assert card_checkout.card_idempotency_key(before) != card_checkout.card_idempotency_key(after)
    assert card_checkout.card_idempotency_key(before) != card_checkout.card_idempotency_key(before, attempt=1)


def test_adyen_stays_refused_with_its_french_sentence(settings, saleor):
    from marketplace.payments.actions import PaymentOptions

    settings.PAYMENT_DEMO_GATEWAY = False
    with pytest.raises(StorefrontError) as refused:
        checkout.check_payment_offered(ShopOrder.Payment.CARD, PaymentOptions((), card_gateways.ADYEN))
    assert refused.value.code == Code.CARD_NOT_LINKED and "banque" in refused.value.message
    checkout.check_payment_offered(ShopOrder.Payment.CARD, PaymentOptions((), card_gateways.STRIPE))


def test_the_demo_never_lists_the_stripe_stand_in(settings, saleor, two_vendors):
    # the demo keeps its own card gateway; the Stripe-shaped one is a test fixture only
    settings.PAYMENT_DEMO_GATEWAY = True
    assert settings.STANDIN_STRIPE_APP is False
    cart = checkout.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 1, saleor)
    assert card_gateways.STRIPE not in {g.id for g in saleor.payments.gateways(cart.id)}


def test_a_charged_card_whose_order_can_no_longer_be_placed_is_refunded(
        stripe_gateway, saleor, two_vendors, calendar_for, make_shopper):
    import datetime as dt

    from django.utils import timezone

    # given a card the shopper confirmed at Stripe
    cart, shopper = _cart_with_delivery(saleor, two_vendors, calendar_for, make_shopper, name="rose")
    page = card_checkout.start_card_payment(cart.id, shopper, shopper.user, saleor)
    stripe_app.confirm(page.step.payment_intent, "succeeded")
    # when she comes back only after the delivery day's orders closed
    with pytest.raises(StorefrontError) as refunded:
        card_checkout.finish_card_return(cart.id, page.step.transaction_id, page.step.payment_intent, "succeeded",
                                    shopper, shopper.user, saleor, now=timezone.now() + dt.timedelta(days=30))
    # then no order, and Saleor was asked to give the money back, said in French
    assert refunded.value.code == Code.CARD_REFUNDED and "remboursé" in refunded.value.message
    assert not ShopOrder.objects.exists()
    tx = saleor.payments.get(page.step.transaction_id)
    assert tx is not None and tx.charged.amount == 0 and tx.amount("refunded") > 0
