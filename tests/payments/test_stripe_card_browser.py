"""The Stripe card page in real Chromium, desktop and 390 px, with a fake Stripe.js (no network).

Requests to js.stripe.com get ``fake_stripe.js`` (kept here); its ``confirmPayment`` "confirms" the
PaymentIntent through api.stripe.com, which the test answers by setting the intent's status in the
stand-in's Stripe app. Every other outside request is refused. axe finds no serious issue.
"""

import json
import os
from pathlib import Path

import pytest

from marketplace.saleor.standin import stripe_app
from marketplace.storefront.models import ShopOrder

pytestmark = pytest.mark.browser
PASSWORD = "mot-de-passe-2026"
SIZES = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}
FAKE_STRIPE_JS = (Path(__file__).parent / "fake_stripe.js").read_text(encoding="utf-8")


def _shot(page, name):
    folder = os.environ.get("MORMAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _violations(page):
    """axe on the page; the card page's CSP refuses inline scripts, so axe is evaluated, not injected."""
    from tests.browser import axe_source, serious_violations

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source() + "\n;true")
    return serious_violations(page)


def _offline_stripe(page, base):
    """Answer Stripe's hosts from the test; refuse any other request leaving the live server."""
    confirmed = []

    def stripe_js(route):
        route.fulfill(status=200, content_type="application/javascript", body=FAKE_STRIPE_JS)

    def stripe_api(route):
        intent_id = route.request.url.split("/payment_intents/")[1].split("/")[0]
        stripe_app.confirm(intent_id, "succeeded")
        confirmed.append(intent_id)
        route.fulfill(status=200, content_type="application/json", headers={"Access-Control-Allow-Origin": "*"},
                      body=json.dumps({"id": intent_id, "status": "succeeded"}))

    def elsewhere(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", elsewhere)
    page.route("https://js.stripe.com/**", stripe_js)
    page.route("https://api.stripe.com/**", stripe_api)
    return confirmed


@pytest.mark.parametrize("size", SIZES)
def test_a_card_paid_through_stripes_payment_element_places_one_order(
        live_server, settings, two_vendors, calendar_for, make_shopper, size, monkeypatch):
    from tests.browser import chromium_page

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PAYMENT_DEMO_GATEWAY = False
    settings.STANDIN_STRIPE_APP = True
    stripe_app.reset()
    calendar_for("Jolimetz")
    shopper = make_shopper("lea")
    base, problems = live_server.url, []
    with chromium_page(viewport=SIZES[size]) as page:
        confirmed = _offline_stripe(page, base)
        page.goto(base + "/compte/connexion/?next=/boutique/")
        page.fill("input[name=login]", "lea")
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url("**/boutique/")
        page.goto(f"{base}/boutique/produit/{two_vendors['maroilles'].slug}/")
        page.get_by_label("Quantité").fill("1")
        page.get_by_role("button", name="Ajouter au panier").click()
        page.wait_for_selector(".messages")
        page.goto(base + "/boutique/commande/livraison/")
        page.locator("input[name=mode][value^='slot:']").first.check()
        page.get_by_role("button", name="Continuer vers le paiement").click()
        # the card is offered because Saleor lists Stripe's app
        page.get_by_label("Carte bancaire").check()
        page.get_by_role("button", name="Valider la commande").click()
        # the card page: Stripe's Payment Element, in French, with the app's key and client secret
        page.wait_for_selector("#fake-card-number")
        assert page.get_by_role("heading", name="Paiement par carte").is_visible()
        fake = page.evaluate("window.__fakeStripe")
        assert fake["publishableKey"] == stripe_app.PUBLISHABLE_KEY and fake["locale"] == "fr"
        assert "_secret_" in fake["clientSecret"]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "card page scrolls sideways"
        problems += _violations(page)
        _shot(page, f"carte-stripe-{size}")
        # a declined card: Stripe's message on the page, then "rien n'a été débité"; no order
        page.get_by_label("Numéro de carte").fill("4000 0000 0000 0002")
        page.get_by_role("button", name="Payer").click()
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "refusée" in alert.inner_text() and "Rien n'a été débité" in alert.inner_text()
        assert not ShopOrder.objects.exists()
        problems += _violations(page)
        # an accepted card: Stripe sends her back, Saleor reports the checkout paid, the order is placed
        page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
        page.get_by_role("button", name="Réessayer le paiement").click()
        page.wait_for_url("**/boutique/commandes/**")
        record = ShopOrder.objects.get(shopper=shopper)
        assert record.payment == ShopOrder.Payment.CARD and len(confirmed) == 1
        problems += _violations(page)
        _shot(page, f"carte-stripe-commande-{size}")
        # the return URL opened again: the same order page, still one order
        page.goto(f"{base}/boutique/commande/paiement/carte-bancaire/retour/"
                  f"?payment_intent={confirmed[0]}&redirect_status=succeeded")
        page.wait_for_url("**/boutique/commandes/**")
        assert ShopOrder.objects.count() == 1
    stripe_app.reset()
    assert problems == [], problems
