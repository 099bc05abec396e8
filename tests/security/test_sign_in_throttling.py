"""Every sign-in form stops password guessing: after 5 failures the account is locked for a while, in French."""

import pytest
from django.contrib.auth import get_user_model

FORMS = {"accounts": "/compte/connexion/", "admin": "/admin/login/"}
#: The name of the account field in each form (allauth's accepts a username or an e-mail).
ACCOUNT_FIELD = {"/compte/connexion/": "login", "/admin/login/": "username"}


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("fromagerie", "f@example.fr", "bon-mot-de-passe-42", is_staff=True)


def _sign_in(client, url, password, address="203.0.113.7"):
    return client.post(url, {ACCOUNT_FIELD[url]: "fromagerie", "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("form", FORMS)
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, member, form, settings):
    url = FORMS[form]
    # given four wrong passwords from one address: the form again, with its error
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, url, "devine").status_code == 200
    # the fifth locks the account
    assert _sign_in(client, url, "devine").status_code == 429
    # when the right password comes next
    response = _sign_in(client, url, "bon-mot-de-passe-42")
    # then the French lock-out page answers and nobody is signed in
    assert response.status_code == 429
    page = response.content.decode()
    assert "Connexion bloquée pour un moment" in page
    assert "pendant 15 minutes" in page and "(5 essais)" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_account_from_that_address_only(client, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, FORMS["accounts"], "devine")
    assert _sign_in(client, FORMS["accounts"], "bon-mot-de-passe-42").status_code == 429
    # the member signing in from another address (at home, not the town-hall PC) gets in
    response = _sign_in(client, FORMS["accounts"], "bon-mot-de-passe-42", address="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_success_before_the_limit_starts_the_count_again(client, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, FORMS["accounts"], "devine")
    assert _sign_in(client, FORMS["accounts"], "bon-mot-de-passe-42").status_code == 302
    client.post("/compte/deconnexion/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, FORMS["accounts"], "devine")
    assert _sign_in(client, FORMS["accounts"], "bon-mot-de-passe-42").status_code == 302
