"""Addresses in the territory: postcode–commune checked against the 52 communes, placed on the map, chosen."""

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError

from marketplace.shoppers.models import SavedAddress
from marketplace.storefront import checkout, offers
from marketplace.territory import geocoding
from marketplace.territory.addresses import check_address

PARIS = {"street": "1 rue de Rivoli", "postcode": "75001", "city": "Paris"}


def test_the_postcode_commune_pair_is_checked_as_people_write_it(communes):
    for city in ("Le Quesnoy", "Quesnoy", "le quesnoy", "LE-QUESNOY"):
        assert check_address("2 rue Thiers", "59530", city).commune.insee == "59481"  # Le Quesnoy
    assert check_address("1 place", "59144", "Orée de Mormal").commune.name == "Orée de Mormal"
    assert check_address("1 place", "59570", "oree de mormal").commune.name == "Orée de Mormal"  # two postcodes
    with pytest.raises(ValidationError) as wrong:
        check_address("3 rue Pasteur", "59530", "Bavay")  # Bavay is 59570
    assert wrong.value.code == "commune_mismatch" and "Jolimetz" in wrong.value.messages[0]
    with pytest.raises(ValidationError) as short:
        check_address("3 rue Pasteur", "5953", "Jolimetz")
    assert short.value.code == "bad_postcode"
    outside = check_address(**PARIS)
    assert outside.commune is None and not outside.in_territory and outside.one_line == "1 rue de Rivoli, 75001 Paris"


def test_offline_the_position_is_the_town_hall_and_says_so(communes, settings):
    settings.GEOCODER_URL = ""
    jolimetz = communes.get(name="Jolimetz")
    position = geocoding.locate("3 rue Pasteur", "59530", jolimetz)
    assert (position.lon, position.lat) == (jolimetz.town_hall_lon, jolimetz.town_hall_lat)
    assert position.label == "position approximative (mairie)" and position.approximate


class _BAN(BaseHTTPRequestHandler):
    answers: list = []
    seen: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).seen.append(self.path)
        body = json.dumps({"type": "FeatureCollection", "features": type(self).answers}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def ban(settings):
    """A local stand-in for the BAN search endpoint (GeoJSON), on a free port."""
    server = HTTPServer(("127.0.0.1", 0), _BAN)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
    _BAN.answers, _BAN.seen = [], []
    yield _BAN
    server.shutdown()
    server.server_close()


def _feature(lon, lat, citycode, kind="housenumber", score=0.9, label="3 Rue Pasteur 59530 Jolimetz"):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"label": label, "score": score, "citycode": citycode, "type": kind}}


def test_the_ban_position_is_used_and_cached(communes, ban):
    jolimetz = communes.get(name="Jolimetz")
    ban.answers = [_feature(3.6881, 50.2279, jolimetz.insee)]
    first = geocoding.locate("3 rue Pasteur", "59530", jolimetz)
    assert (first.lon, first.lat, first.approximate) == (3.6881, 50.2279, False) and "Pasteur" in first.label
    assert "citycode=" + jolimetz.insee in ban.seen[0] and "postcode=59530" in ban.seen[0]
    again = geocoding.locate("3 rue Pasteur", "59530", jolimetz)
    assert again == first and len(ban.seen) == 1  # from the cache


def test_a_ban_answer_in_another_commune_or_too_vague_gives_the_town_hall(communes, ban):
    jolimetz = communes.get(name="Jolimetz")
    ban.answers = [_feature(2.35, 48.85, "75101"), _feature(3.7, 50.2, jolimetz.insee, kind="municipality")]
    position = geocoding.locate("3 rue Inconnue", "59530", jolimetz)
    assert position.label == "position approximative (mairie)"


def test_a_ban_that_does_not_answer_gives_the_town_hall_and_a_french_notice(communes, settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nobody listens there
    settings.GEOCODER_URL = f"http://127.0.0.1:{port}/search/"
    position = geocoding.locate("3 rue Pasteur", "59530", communes.get(name="Jolimetz"))
    assert position.approximate and "ne répond pas" in position.notice


def test_shopper_adds_addresses_chooses_one_and_paris_is_refused_for_home(client, make_shopper, two_vendors,
                                                                           calendar_for, relay, saleor):
    # given a shopper with no address yet, bread in the cart, the van serving Jolimetz
    calendar_for("Jolimetz")
    shopper = make_shopper("odette")
    shopper.address, shopper.commune, shopper.lon, shopper.lat = "", None, None, None
    shopper.save()
    client.force_login(shopper.user)
    client.post("/boutique/panier/ajouter/", {"variant": two_vendors["bread"].variants.get().saleor_variant_id})
    # when she adds a Paris address
    response = client.post("/compte/adresses/", PARIS, follow=True)
    page = html.unescape(response.content.decode())
    # then it is kept, and she is told in French the van does not deliver there
    assert "en dehors des 52 communes du Pays de Mormal" in page and "ne livre pas à domicile" in page
    delivery = html.unescape(client.get("/boutique/commande/livraison/").content.decode())
    assert "La camionnette ne livre à domicile que dans les 52 communes du Pays de Mormal" in delivery
    assert "1 rue de Rivoli, 75001 Paris est en dehors" in delivery
    assert "Mairie de Jolimetz" in delivery and 'name="mode" id="h1"' not in delivery  # relay offered, home not
    # when she adds her address in Jolimetz
    client.post("/compte/adresses/", {"street": "3 rue Pasteur", "postcode": "59530", "city": "jolimetz"})
    shopper.refresh_from_db()
    assert shopper.address == "3 rue Pasteur, 59530 Jolimetz" and shopper.commune.name == "Jolimetz"
    assert shopper.lon is not None and SavedAddress.objects.filter(shopper=shopper).count() == 2
    # then home slots are offered, and the chosen slot puts that address on the Saleor checkout
    delivery = client.get("/boutique/commande/livraison/").content.decode()
    assert 'name="mode" id="h1"' in delivery
    cart = saleor.checkout.get(client.session["storefront_checkout_id"])
    checkout.choose_delivery(cart, shopper, offers.home_options(shopper.commune)[0].key, saleor)
    shipped = saleor.checkout.get(cart.id).shipping_address
    assert shipped.street_address_1 == "3 rue Pasteur" and shipped.postal_code == "59530" and shipped.city == "JOLIMETZ"
    # and choosing Paris again makes home delivery refused by the server too
    paris = SavedAddress.objects.get(shopper=shopper, postcode="75001")
    client.post(f"/compte/adresses/{paris.pk}/choisir/")
    shopper.refresh_from_db()
    with pytest.raises(checkout.StorefrontError) as refused:
        checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(relay.commune)[0].key, saleor)
    assert refused.value.code == "home_outside_territory"


def test_a_commune_that_does_not_match_the_postcode_is_explained(client, make_shopper):
    client.force_login(make_shopper("odette").user)
    response = client.post("/compte/adresses/", {"street": "3 rue Pasteur", "postcode": "59530", "city": "Bavay"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and "La commune « Bavay » n'a pas le code postal 59530" in page


def test_nobody_can_touch_anothers_addresses(client, make_shopper):
    owner, other = make_shopper("odette"), make_shopper("hugo")
    client.force_login(owner.user)
    client.post("/compte/adresses/", {"street": "8 chemin du Moulin", "postcode": "59530", "city": "Jolimetz"})
    saved = SavedAddress.objects.get(shopper=owner)
    client.get("/compte/adresses/")  # the confirmation message is read
    client.force_login(other.user)
    assert client.post(f"/compte/adresses/{saved.pk}/supprimer/").status_code == 404
    assert client.post(f"/compte/adresses/{saved.pk}/choisir/").status_code == 404
    assert "chemin du Moulin" not in client.get("/compte/adresses/").content.decode()


def test_no_form_asks_to_type_coordinates(admin_client, communes, two_vendors):
    pages = ["/compte/adresses/", "/vendeur/gestion/nouveau/", "/admin/territory/relaypoint/add/",
             "/admin/territory/shopper/add/", "/admin/vendors/vendor/add/", "/admin/shortcircuit/pickuppoint/add/",
             f"/admin/vendors/vendor/{two_vendors['cheese'].pk}/change/"]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert 'name="lon"' not in body and 'name="lat"' not in body, url
