"""Each shopper with an account is a Saleor customer; their checkouts and orders belong to it.

Through the real gateway over the stand-in, which runs our GraphQL documents on Saleor's schema.
"""

import re

import pytest
from django.core import mail

from marketplace.payments.demo_card import ACCEPTED_CARD
from marketplace.saleor.errors import SaleorValidationError
from marketplace.shoppers import customers
from marketplace.storefront import checkout, offers
from marketplace.storefront.models import ShopOrder
from marketplace.territory.models import Shopper
from tests.shoppers.test_accounts import PASSWORD, _link


def _confirmed_account(client, capture, email="odette@exemple.fr"):
    client.post("/compte/inscription/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    with capture(execute=True):
        client.get(_link(mail.outbox[-1]))
    return Shopper.objects.select_related("user").get(user__email=email)


def test_confirming_the_email_creates_the_saleor_customer(client, saleor, django_capture_on_commit_callbacks):
    shopper = _confirmed_account(client, django_capture_on_commit_callbacks)
    assert shopper.saleor_customer_id
    customer = saleor.customers.get(customer_id=shopper.saleor_customer_id)
    assert customer.email == "odette@exemple.fr" and customer.is_active
    assert customer.external_reference == customers.external_reference(shopper)
    assert customer.external_reference.startswith(f"mormal-user-{shopper.user_id}-")
    assert saleor.customers.get(email="ODETTE@exemple.fr").id == customer.id


def test_an_unconfirmed_account_is_not_a_saleor_customer(client, saleor):
    client.post("/compte/inscription/", {"email": "odette@exemple.fr", "password1": PASSWORD, "password2": PASSWORD})
    assert saleor.customers.get(email="odette@exemple.fr") is None


def test_changed_email_reaches_the_saleor_customer(client, saleor, django_capture_on_commit_callbacks):
    shopper = _confirmed_account(client, django_capture_on_commit_callbacks)
    client.post("/compte/adresse-email/", {"action_add": "", "email": "odette.b@exemple.fr"})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_link(mail.outbox[-1]))
    assert saleor.customers.get(customer_id=shopper.saleor_customer_id).email == "odette.b@exemple.fr"


def test_an_existing_saleor_customer_with_the_email_is_adopted_not_duplicated(saleor, make_shopper):
    shopper = make_shopper("marcel")
    made_in_dashboard = saleor.customers.create("marcel@exemple.fr", "Marcel", "Test")
    with pytest.raises(SaleorValidationError) as refused:
        saleor.customers.create("MARCEL@exemple.fr")  # Saleor's e-mails are unique, case aside
    assert "UNIQUE" in refused.value.codes
    assert customers.ensure_customer(shopper, saleor) == made_in_dashboard.id


def test_the_order_belongs_to_the_customer_in_saleor(two_vendors, saleor, calendar_for, make_shopper, relay,
                                                     django_capture_on_commit_callbacks):
    # given a demo shopper (account made by the seed, never a Saleor customer yet) with bread in a cart
    calendar_for("Jolimetz")
    shopper = make_shopper("marcel")
    cart = saleor.checkout.create([checkout.port.CheckoutLineInput(two_vendors["bread"].variants.get().saleor_variant_id, 1)])
    assert cart.customer_id is None
    # when she chooses the relay point and pays
    option = next(o for o in offers.relay_options(checkout.cart_facts(cart)) if o.key.startswith(f"relay:{relay.pk}:"))
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, option.key, saleor)
    # then the checkout is attached to her new Saleor customer, and so is the order
    shopper.refresh_from_db()
    attached = saleor.checkout.get(cart.id)
    assert attached.customer_id == shopper.saleor_customer_id and attached.email == "marcel@exemple.fr"
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "card", saleor, card=ACCEPTED_CARD)
    order = saleor.orders.get(record.saleor_order_id)
    assert order.customer_id == shopper.saleor_customer_id and order.email == "marcel@exemple.fr"


def test_a_guest_order_carries_only_an_email(client, two_vendors, calendar_for, relay, saleor,
                                             django_capture_on_commit_callbacks):
    calendar_for("Jolimetz")
    client.post("/boutique/panier/ajouter/", {"variant": two_vendors["bread"].variants.get().saleor_variant_id})
    client.post("/boutique/commande/sans-compte/", {"email": "paulette@exemple.fr", "telephone": "0327123456"})
    page = client.get("/boutique/commande/livraison/").content.decode()
    client.post("/boutique/commande/livraison/", {"mode": re.search(r'value="(relay:[^"]+)"', page).group(1)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/boutique/commande/paiement/", {"paiement": "card", "carte": ACCEPTED_CARD})
    order = saleor.orders.get(ShopOrder.objects.get().saleor_order_id)
    assert order.customer_id is None and order.email == "paulette@exemple.fr"
    assert saleor.customers.get(email="paulette@exemple.fr") is None
