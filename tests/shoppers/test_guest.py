"""A first order needs no account: e-mail and phone for click & collect and relay points."""

import html
import re

from django.core import mail

from marketplace.payments.demo_card import ACCEPTED_CARD
from marketplace.storefront.models import ShopOrder


def _add(client, product, quantity=1):
    client.post("/boutique/panier/ajouter/", {"variant": product.variants.get().saleor_variant_id,
                                            "quantite": str(quantity)})


def test_guest_orders_at_a_relay_point_with_email_and_phone_only(client, two_vendors, calendar_for, relay,
                                                                 django_capture_on_commit_callbacks):
    # given a visitor with bread in her cart, who has no account
    calendar_for("Jolimetz")
    _add(client, two_vendors["bread"], 2)
    # when she continues without an account
    response = client.post("/boutique/commande/sans-compte/", {"email": "paulette@exemple.fr", "telephone": "03 27 12 34 56"})
    assert response.status_code == 302 and response["Location"] == "/boutique/commande/livraison/"
    page = client.get("/boutique/commande/livraison/").content.decode()
    # then relay points and shops are offered, home delivery is not (it needs an address)
    assert "Mairie de Jolimetz" in page and 'id="home-refusal"' in page
    key = re.search(rf'value="(relay:{relay.pk}:[^"]+)"', page).group(1)
    assert client.post("/boutique/commande/livraison/", {"mode": key}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/boutique/commande/paiement/", {"paiement": "card", "carte": ACCEPTED_CARD})
    # and the order is hers: confirmation e-mail to her address with an unguessable link to the order page
    record = ShopOrder.objects.get()
    assert record.shopper.email == "paulette@exemple.fr" and record.shopper.phone == "03 27 12 34 56"
    assert record.mode == "relay" and not record.shopper.user.has_usable_password()
    assert response.status_code == 302 and response["Location"].startswith("/boutique/commandes/suivi/")
    assert mail.outbox[-1].to == ["paulette@exemple.fr"]
    page = client.get(response["Location"]).content.decode()
    assert f"Commande {record.number}" in page or record.number in page
    assert "Merci ! Votre commande" in page
    emailed = re.search(r"https?://[^/\s]+(/boutique/commandes/suivi/\S+)", mail.outbox[-1].body).group(1)
    assert record.number in client.get(emailed).content.decode()
    # and nobody guesses it
    assert client.get("/boutique/commandes/suivi/1/").status_code == 404
    assert client.get(f"/boutique/commandes/{record.number}/").status_code == 302  # the number needs her account


def test_guest_home_delivery_is_refused_by_the_server_too(client, two_vendors, calendar_for):
    from marketplace.storefront import offers

    slot = offers.home_options(calendar_for("Jolimetz"))[0]
    _add(client, two_vendors["bread"])
    client.post("/boutique/commande/sans-compte/", {"email": "paulette@exemple.fr", "telephone": "0327123456"})
    response = client.post("/boutique/commande/livraison/", {"mode": slot.key}, follow=True)
    assert "ajoutez d'abord votre adresse" in html.unescape(response.content.decode())


def test_guest_with_a_bad_phone_is_told_why(client, two_vendors):
    _add(client, two_vendors["bread"])
    response = client.post("/boutique/commande/sans-compte/", {"email": "paulette@exemple.fr", "telephone": "12"})
    assert response.status_code == 400 and "numéro de téléphone n'est pas valable" in html.unescape(response.content.decode())
