"""One sign-in page for shoppers, vendors and staff: allauth's ``/compte/connexion/``.

Each lands on their own home when the sign-in names no ``next``: vendor members on their
dashboard, staff on the vendor list, shoppers on the site's home. The old vendors' page,
``/comptes/connexion/``, redirects there with its ``next``.
"""

from django.urls import reverse

from tests.vendors.conftest import PASSWORD, make_member, make_vendor, maroilles  # noqa: F401

SIGN_IN = "/compte/connexion/"


def test_the_old_sign_in_address_redirects_to_the_one_page_keeping_next(client):
    response = client.get("/comptes/connexion/?next=/vendeur/stock/")
    assert response.status_code == 301 and response["Location"] == f"{SIGN_IN}?next=/vendeur/stock/"
    assert reverse("accounts:login") == "/comptes/connexion/"  # old links in e-mails keep working


def test_a_page_for_signed_in_people_sends_visitors_to_the_one_page(client):
    response = client.get("/vendeur/stock/")
    assert response.status_code == 302 and response["Location"] == f"{SIGN_IN}?next=/vendeur/stock/"


def test_a_vendor_member_lands_on_the_dashboard(client, maroilles, make_member):  # noqa: F811
    make_member(maroilles, "fromager")
    response = client.post(SIGN_IN, {"login": "fromager", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("vendors:dashboard")
    assert maroilles.name in client.get(response["Location"]).content.decode()
    # signed in, the sign-in page itself sends them back to it
    again = client.get(SIGN_IN)
    assert again.status_code == 302 and again["Location"] == reverse("vendors:dashboard")


def test_a_vendor_member_with_next_goes_there(client, maroilles, make_member):  # noqa: F811
    make_member(maroilles, "fromager")
    response = client.post(f"{SIGN_IN}?next=/vendeur/stock/", {"login": "fromager@exemple.fr", "password": PASSWORD,
                                                                "next": "/vendeur/stock/"})
    assert response.status_code == 302 and response["Location"] == "/vendeur/stock/"


def test_staff_land_on_the_vendor_list(client, django_user_model):
    django_user_model.objects.create_user("agent", "agent@exemple.fr", PASSWORD, is_staff=True)
    response = client.post(SIGN_IN, {"login": "agent", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("vendors:staff_vendor_list")
    assert client.get(response["Location"]).status_code == 200


def test_the_page_says_a_username_or_an_e_mail_will_do(client):
    assert "Identifiant ou adresse e-mail" in client.get(SIGN_IN).content.decode()


def test_a_shopper_lands_on_the_home_page(client, django_user_model):
    django_user_model.objects.create_user("odette", "odette@exemple.fr", PASSWORD)
    response = client.post(SIGN_IN, {"login": "odette", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
