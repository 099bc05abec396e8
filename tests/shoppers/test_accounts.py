"""A shopper's own account: sign up, confirm by the e-mailed link, sign in and out, reset, change e-mail.

Real allauth views over the test client, the locmem outbox read back for the links.
"""

import html
import re

from allauth.account.models import EmailAddress
from django.core import mail

from marketplace.territory.models import Shopper

PASSWORD = "Campagne-Mormal-59"


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _sign_up(client, email="odette@exemple.fr", next_url="/boutique/panier/"):
    return client.post(f"/compte/inscription/?next={next_url}",
                       {"email": email, "password1": PASSWORD, "password2": PASSWORD, "next": next_url})


def test_sign_up_asks_to_confirm_by_email_then_the_link_signs_in_and_returns(client, db):
    # given a visitor who was on her cart
    response = _sign_up(client)
    # then she is told to read her e-mail, in French, and is not signed in yet
    assert response.status_code == 302 and response["Location"] == "/compte/confirmer-email/"
    page = client.get(response["Location"]).content.decode()
    assert "Vérifiez votre adresse e-mail" in page or "vérifi" in page.lower()
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["odette@exemple.fr"]
    assert mail.outbox[0].subject.startswith("[Marché du Pays de Mormal]")
    # when she follows the link
    response = client.get(_link(mail.outbox[0]))
    # then her e-mail is confirmed, she is signed in, back on her cart, with a shopper profile
    assert response.status_code == 302 and response["Location"] == "/boutique/panier/"
    user = EmailAddress.objects.get(email="odette@exemple.fr", verified=True).user
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Shopper.objects.filter(user=user, commune__isnull=True).exists()


def test_unconfirmed_account_cannot_sign_in_until_the_link_is_followed(client, db):
    _sign_up(client)
    client.logout()
    mail.outbox.clear()
    response = client.post("/compte/connexion/", {"login": "odette@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/compte/confirmer-email/"
    assert "_auth_user_id" not in client.session


def test_demo_and_staff_made_accounts_sign_in_with_their_username_as_before(client, make_shopper):
    shopper = make_shopper("marcel")
    response = client.post("/compte/connexion/?next=/boutique/", {"login": "marcel", "password": "mot-de-passe-2026",
                                                                 "next": "/boutique/"})
    assert response.status_code == 302 and response["Location"] == "/boutique/"
    assert int(client.session["_auth_user_id"]) == shopper.user_id


def test_wrong_password_is_refused_in_french(client, make_shopper):
    make_shopper("marcel")
    body = client.post("/compte/connexion/", {"login": "marcel", "password": "faux"}).content.decode()
    assert "_auth_user_id" not in client.session
    assert "incorrect" in body.lower()


def test_sign_out_from_the_header_of_a_storefront_page(client, make_shopper):
    shopper = make_shopper("marcel")
    client.force_login(shopper.user)
    page = client.get("/boutique/").content.decode()
    assert "Mon compte" in page and 'action="/compte/deconnexion/"' in page and "Se déconnecter" in page
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    page = client.get("/boutique/").content.decode()
    assert "Se connecter" in page and "Créer un compte" in page and "Se déconnecter" not in page


def test_password_reset_by_email_link(client, make_shopper):
    make_shopper("marcel")
    response = client.post("/compte/mot-de-passe/oublie/", {"email": "marcel@exemple.fr"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    assert "mot de passe" in mail.outbox[0].body.lower()
    link = _link(mail.outbox[0])
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "Nouveau-Mormal-2027", "password2": "Nouveau-Mormal-2027"})
    assert response.status_code == 302
    assert client.login(username="marcel", password="Nouveau-Mormal-2027")


def test_change_email_is_confirmed_by_a_link_sent_to_the_new_address(client, db):
    _sign_up(client)
    client.get(_link(mail.outbox[0]))
    mail.outbox.clear()
    response = client.post("/compte/adresse-email/", {"action_add": "", "email": "odette.nouvelle@exemple.fr"})
    assert response.status_code == 302 and mail.outbox[0].to == ["odette.nouvelle@exemple.fr"]
    client.get(_link(mail.outbox[0]))
    user = EmailAddress.objects.get(email="odette.nouvelle@exemple.fr").user
    user.refresh_from_db()
    assert user.email == "odette.nouvelle@exemple.fr"
    assert not EmailAddress.objects.filter(email="odette@exemple.fr").exists()  # one address: the new replaces the old


def test_header_counts_the_articles_in_the_cart(client, two_vendors):
    page = client.get("/boutique/").content.decode()
    assert 'class="cart-count" aria-label="0 article">(0)' in page
    client.post("/boutique/panier/ajouter/", {"variant": two_vendors["bread"].variants.get().saleor_variant_id,
                                            "quantite": "3"})
    page = client.get("/compte/connexion/").content.decode()  # an account page has the same header
    assert 'class="cart-count" aria-label="3 articles">(3)' in page


def test_account_page_links_every_action_and_delete_my_account(client, make_shopper):
    client.force_login(make_shopper("marcel").user)
    page = client.get("/compte/").content.decode()
    for link in ("/compte/adresse-email/", "/compte/mot-de-passe/", "/boutique/mes-donnees/",
                 "/boutique/commandes/", "/boutique/pour-un-proche/"):
        assert f'href="{link}"' in page, link
    assert "supprimer mon compte" in page.lower()


def test_shoppers_sign_in_is_throttled_per_account_like_the_others(client, make_shopper, settings):
    make_shopper("marcel"), make_shopper("hugo")

    def sign_in(login, password):
        return client.post("/compte/connexion/", {"login": login, "password": password}, REMOTE_ADDR="203.0.113.7")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("marcel@exemple.fr", "devine")
    response = sign_in("marcel@exemple.fr", "mot-de-passe-2026")  # the right password, too late
    assert "_auth_user_id" not in client.session
    body = html.unescape(response.content.decode())
    assert "Connexion bloquée pour un moment" in body or "Trop de tentatives" in body, body[-3000:]
    # another shopper at the same town-hall computer is not locked out
    assert sign_in("hugo@exemple.fr", "mot-de-passe-2026").status_code == 302
