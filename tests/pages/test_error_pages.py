"""403, 404 and 500 pages are French and in the site's layout; bad addresses never give a 500."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from marketplace.core.views import server_error

LAYOUT = "Aller au contenu"  # the skip link of base.html


def test_404_is_french_in_the_layout(client):
    response = client.get("/cette-page-n-existe-pas/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in body and LAYOUT in body and 'lang="fr"' in body
    assert "Not Found" not in body


def test_unknown_report_year_is_a_404_not_a_500(client, everywhere_user):
    client.force_login(everywhere_user)
    response = client.get("/pilotage/indicateurs/rapport/99999.pdf")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


def test_403_is_french_in_the_layout_and_offers_to_sign_in(client, django_user_model):
    shopper = django_user_model.objects.create_user(username="jeanne", password="mot-de-passe-2026")
    client.force_login(shopper)
    response = client.get("/vendeur/")  # a shopper on the vendors' pages
    body = response.content.decode()
    assert response.status_code == 403 and "Accès refusé" in body and LAYOUT in body
    assert "Cette page est réservée aux vendeurs." in body and "Forbidden" not in body


def test_expired_csrf_form_is_a_french_403(django_user_model):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"login": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403 and "Le formulaire a expiré" in body and LAYOUT in body
    assert "CSRF verification failed" not in body


def test_a_nul_byte_in_a_search_is_a_french_400_not_a_500(client):
    response = client.get("/boutique/", {"q": "pain\x00"})
    assert response.status_code == 400 and "Demande incomprise" in response.content.decode()


def test_driver_expired_link_is_french_in_the_layout(client):
    response = client.get("/livraison/tel/pas-un-lien-valide/")
    body = response.content.decode()
    assert response.status_code == 403 and "Lien de tournée refusé" in body and LAYOUT in body


def test_500_page_is_french_in_the_layout(db):
    request = RequestFactory().get("/boutique/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "Erreur du site" in body and LAYOUT in body


def test_500_page_stands_even_when_the_layout_cannot_render():
    # a request the layout cannot use (no user, no session): the bare French page still answers
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Erreur du site" in response.content.decode()


# ------------------------------------------------------------------------ the hunt for 500s

BAD_VALUES = {"int": ["0", "99999", "99999999999999999999"], "str": ["inconnu", "x" * 300, "%00"],
              "slug": ["inconnu"], "path": ["inconnu"]}
BAD_QUERY = "?annee=99999&mois=13&commune=%00&q=%00&page=-1&after=%00&jour=31-02&date=demain&cycle=abc"
BAD_FORM = {"quantite": "abc", "variant": "inconnu", "prix": "1e400", "date": "31/02/2027", "mode": "inconnu",
            "ligne-x": "-5", "year": "0", "commune": "0"}
SKIPPED_PREFIXES = ("admin/",)  # Django's own admin


def _routes(patterns=None, prefix=""):
    """Every route of the site as (template, [(name, converter)]) with Django's own regex removed."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _fill(route: str) -> list[str]:
    """Addresses for ``route`` with each parameter replaced by every bad value of its kind."""
    urls = [route]
    for whole, kind in re.findall(r"(<(?:(\w+):)?\w+>)", route):
        urls = [u.replace(whole, value, 1) for u in urls for value in BAD_VALUES.get(kind or "str", ["inconnu"])]
    return ["/" + u.lstrip("^").rstrip("$") for u in urls]


def test_no_bad_address_or_parameter_gives_a_500(everywhere_user):
    # given a person who may open every page, and Django's exception not re-raised by the client
    client = Client(raise_request_exception=False)
    client.force_login(everywhere_user)
    crashes = []
    checked = 0
    for route in _routes():
        for url in _fill(route):
            for method, suffix, data in (("get", "", None), ("get", BAD_QUERY, None), ("post", "", {}),
                                         ("post", "", BAD_FORM)):
                if method == "post" and "deconnexion" in url:
                    continue  # signing out would end the walk's session
                response = getattr(client, method)(url + suffix, data)
                checked += 1
                if response.status_code >= 500:
                    crashes.append(f"{response.status_code} {method.upper()} {url + suffix} {data or ''}")
    assert checked > 100
    assert not crashes, "\n".join(crashes)


@pytest.mark.parametrize("url", ["/boutique/produit/inconnu/", "/vendeur/produits/99999999999999999999/"])
def test_not_found_pages_say_it_in_french(client, everywhere_user, url):
    client.force_login(everywhere_user)
    response = client.get(url)
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()
