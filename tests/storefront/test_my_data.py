"""A shopper downloads their data and has it erased from their account page (GDPR)."""

import datetime as dt
import html
import json

import pytest
from django.utils import timezone

from delivery.models import DeliveryDay, DeliveryTask
from marketplace.saleor.models import WebhookEvent
from marketplace.storefront.models import ShopOrder
from marketplace.territory.models import Shopper
from marketplace.vendors.models import VendorOrder


@pytest.fixture
def anne(make_shopper, make_vendor):
    """Anne, with a past order delivered to her home by the van."""
    shopper = make_shopper("anne", "Jolimetz", doorstep_notes="Sonner deux fois", access_codes="Portail 4817",
                           contact_name="Claire", contact_phone="06 00 00 00 00")
    cheese = make_vendor("fromagerie-test", "Maroilles", "39876543")
    past = timezone.localdate() - dt.timedelta(days=3)
    order = ShopOrder.objects.create(saleor_order_id="T3JkZXI6NDI=", number="42", checkout_id="Q2hlY2tvdXQ6NDI=",
                                     shopper=shopper, placed_by=shopper.user, mode="home", date=past,
                                     payment="cash", total_cents=1550)
    day = DeliveryDay.objects.create(date=past)
    DeliveryTask.objects.create(day=day, kind="home", source="order:T3JkZXI6NDI=:fromagerie-test:deliver",
                                name="Anne Test", address=shopper.address, phone=shopper.phone, lon=shopper.lon,
                                lat=shopper.lat, access_codes="Portail 4817", status="delivered",
                                payment_method="cash", payment_cents=1550)
    VendorOrder.objects.create(vendor=cheese, saleor_order_id=order.saleor_order_id, number="42",
                               placed_at=timezone.now(), customer_name="Anne Test", commission_rate="10.00")
    WebhookEvent.objects.create(saleor_api_url="https://saleor.example/graphql/", event_type="ORDER_CREATED",
                                delivery_key="a" * 64, payload={"order": {"id": "T3JkZXI6NDI=", "userEmail": "anne@exemple.fr"}})
    return shopper


def test_the_page_is_in_the_shopper_area_and_needs_a_sign_in(client, anne):
    assert client.get("/boutique/mes-donnees/").status_code == 302
    client.force_login(anne.user)
    page = client.get("/boutique/mes-donnees/").content.decode()
    assert "Mes données personnelles" in page and "Télécharger mes données" in page
    assert "effacés 90 jours après la livraison" in page
    assert 'href="/boutique/mes-donnees/"' in client.get("/boutique/commandes/").content.decode()


def test_the_download_holds_the_profile_orders_and_deliveries(client, anne):
    client.force_login(anne.user)
    response = client.get("/boutique/mes-donnees/telecharger/")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-marche-mormal-')
    data = json.loads(response.content)
    assert data["compte"]["email"] == "anne@exemple.fr"
    assert data["profil_de_livraison"]["codes_d_acces"] == "Portail 4817"
    assert data["profil_de_livraison"]["contact_en_cas_d_echec"]["nom"] == "Claire"
    assert [(o["numero"], o["total_euros"]) for o in data["commandes"]] == [("42", "15.50")]
    assert [d["statut"] for d in data["livraisons"]] == ["Faite"]


def test_someone_else_downloads_only_their_own_data(client, anne, make_shopper):
    bob = make_shopper("bob")
    client.force_login(bob.user)
    data = json.loads(client.get("/boutique/mes-donnees/telecharger/").content)
    assert data["compte"]["identifiant"] == "bob" and data["commandes"] == [] and data["livraisons"] == []


def test_erasure_needs_the_password_and_then_forgets_the_person_but_keeps_the_figures(client, anne):
    client.force_login(anne.user)
    wrong = client.post("/boutique/mes-donnees/effacer/", {"password": "devine", "confirm": "1"})
    assert wrong.status_code == 400
    assert "Mot de passe incorrect : votre compte n'a pas été effacé." in html.unescape(wrong.content.decode())
    assert Shopper.objects.get(pk=anne.pk).address.startswith("3 rue Pasteur")
    # with the password and the box ticked
    done = client.post("/boutique/mes-donnees/effacer/", {"password": "mot-de-passe-2026", "confirm": "1"}, follow=True)
    assert "Vos données personnelles ont été effacées et votre compte est fermé." in done.content.decode()
    assert "_auth_user_id" not in client.session
    shopper = Shopper.objects.select_related("user").get(pk=anne.pk)
    assert (shopper.address, shopper.phone, shopper.access_codes, shopper.contact_name) == ("", "", "", "")
    assert (shopper.lon, shopper.lat) == (shopper.commune.lon, shopper.commune.lat)
    user = shopper.user
    assert (user.username, user.email, user.first_name, user.is_active, user.has_usable_password()) == (
        f"efface-{user.pk}", "", "", False, False)
    task = DeliveryTask.objects.get()
    assert (task.name, task.access_codes, task.payment_cents) == ("Destinataire effacé", "", 1550)
    assert VendorOrder.objects.get().customer_name == "Client effacé"
    assert ShopOrder.objects.get().total_cents == 1550
    assert "anne@exemple.fr" not in json.dumps(WebhookEvent.objects.get().payload)
    assert not client.login(username="anne", password="mot-de-passe-2026")


def test_erasure_waits_while_an_order_is_in_progress(client, anne):
    ShopOrder.objects.filter(pk=ShopOrder.objects.get().pk).update(date=timezone.localdate() + dt.timedelta(days=2))
    client.force_login(anne.user)
    response = client.post("/boutique/mes-donnees/effacer/", {"password": "mot-de-passe-2026", "confirm": "1"})
    assert response.status_code == 400
    assert "Une commande est encore en cours (commande 42 du" in response.content.decode()
    assert "Vos données n'ont pas été modifiées." in html.unescape(response.content.decode())
    assert Shopper.objects.get(pk=anne.pk).access_codes == "Portail 4817"
