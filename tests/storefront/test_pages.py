"""The shopper's pages render, in French, with the facts a shopper needs."""

from marketplace.storefront.models import Representative


def test_catalogue_search_and_filters(client, two_vendors):
    page = client.get("/boutique/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Maroilles AOP" in body and "Pain de campagne" in body
    assert "Fromagerie Test" in body and "Maroilles" in body  # by vendor and by commune
    found = client.get("/boutique/", {"q": "maroilles"}).content.decode()
    assert "Maroilles AOP" in found and "Pain de campagne" not in found


def test_product_page_shows_vendor_origin_commune_unit_price_and_cold_mark(client, two_vendors):
    body = client.get(f"/boutique/produit/{two_vendors['maroilles'].slug}/").content.decode()
    assert "Fromagerie Test" in body and "Maroilles" in body
    assert "De la ferme" in body and "Frais" in body
    assert "12.50 €" in body or "12,50 €" in body
    assert "16,67 € / kg" in body or "16.67 € / kg" in body  # 12.50 € for 750 g
    assert "20 disponibles" in body


def test_vendor_and_commune_pages(client, two_vendors):
    assert "Pain de campagne" in client.get("/boutique/commerce/boulangerie-test/").content.decode()
    commune = two_vendors["cheese"].commune
    assert "Fromagerie Test" in client.get(f"/boutique/commune/{commune.insee}/").content.decode()
    assert client.get("/boutique/commerce/inconnu/").status_code == 404
    assert client.get("/boutique/produit/inconnu/").status_code == 404


def test_cart_add_groups_lines_by_vendor(client, two_vendors):
    for product in (two_vendors["maroilles"], two_vendors["bread"]):
        client.post("/boutique/panier/ajouter/", {"variant": product.variants.get().saleor_variant_id, "quantite": "2"})
    body = client.get("/boutique/panier/").content.decode()
    assert body.count("<h2>") >= 2 and "Fromagerie Test" in body and "Boulangerie Test" in body
    assert "31,40" in body or "31.40" in body  # 2 × 12.50 + 2 × 3.20


def test_cart_add_answers_the_product_pages_script_in_json_and_keeps_the_shopper_there(client, two_vendors):
    variant = two_vendors["bread"].variants.get().saleor_variant_id
    answer = client.post("/boutique/panier/ajouter/", {"variant": variant, "quantite": "2"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "message": "Produit ajouté à votre panier.", "count": 2}
    refused = client.post("/boutique/panier/ajouter/", {"variant": variant, "quantite": "0"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and refused.json()["ok"] is False and refused.json()["count"] == 2
    assert refused.json()["message"]  # the French sentence of the refusal
    page = client.get(f"/boutique/produit/{two_vendors['bread'].slug}/").content.decode()
    assert "data-ajout-panier" in page and "storefront/cart.js" in page and 'id="annonces"' in page


def test_cart_add_goes_back_to_our_own_pages_only(client, two_vendors):
    variant = two_vendors["bread"].variants.get().saleor_variant_id
    back = client.post("/boutique/panier/ajouter/", {"variant": variant, "retour": "/boutique/produit/pain/"})
    assert back.status_code == 302 and back["Location"] == "/boutique/produit/pain/"
    away = client.post("/boutique/panier/ajouter/", {"variant": variant, "retour": "https://ailleurs.example/"})
    assert away.status_code == 302 and away["Location"] == "/boutique/panier/"


def test_checkout_pages_say_why_they_need_to_know_who_orders(client):
    body = client.get("/boutique/commande/livraison/").content.decode()
    assert "Qui commande ?" in body and "Votre panier est gardé" in body
    assert '/compte/connexion/?next=/boutique/commande/livraison/' in body
    assert '/compte/inscription/?next=/boutique/commande/livraison/' in body
    assert "Continuer sans compte" in body


def test_only_representatives_or_staff_may_order_for_someone(client, make_shopper):
    person, stranger, relative = make_shopper("lucienne"), make_shopper("hugo"), make_shopper("claire")
    Representative.objects.create(person=person, user=relative.user, relation="relative")
    client.force_login(stranger.user)
    response = client.post("/boutique/pour-un-proche/", {"person": person.pk, "channel": "phone", "method": "phone",
                                                         "statement": "du pain"})
    assert response.status_code == 200 and "storefront_acting_for" not in client.session
    client.force_login(relative.user)
    response = client.post("/boutique/pour-un-proche/", {"person": person.pk, "channel": "phone", "method": "phone",
                                                         "statement": "du pain et du fromage"})
    assert response.status_code == 302 and client.session["storefront_acting_for"] == person.pk
    assert person.consents.get().statement == "du pain et du fromage"


def _order(shopper, number, placed_by=None):
    import datetime as dt

    from marketplace.storefront.models import ShopOrder

    return ShopOrder.objects.create(
        saleor_order_id=f"O-{number}", number=number, checkout_id=f"C-{number}", shopper=shopper,
        placed_by=placed_by or shopper.user, mode=ShopOrder.Mode.COLLECT, collect_vendor_slug="boulangerie-test",
        date=dt.date(2026, 5, 4), payment=ShopOrder.Payment.CASH, total_cents=640,
    )


def test_order_pages_show_only_ones_own_orders(client, make_shopper):
    # given André's order, Béatrice's order, and one Claire placed for her mother Lucienne
    andre, beatrice = make_shopper("andre"), make_shopper("beatrice")
    lucienne, claire = make_shopper("lucienne"), make_shopper("claire")
    own, other = _order(andre, "1001"), _order(beatrice, "2002")
    for_mother = _order(lucienne, "3003", placed_by=claire.user)
    # when André looks at his orders
    client.force_login(andre.user)
    listing = client.get("/boutique/commandes/")
    # then he sees his own and nobody else's, and cannot open another's by its number
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Commande 1001" in body and "Commande 2002" not in body and "Commande 3003" not in body
    assert client.get(f"/boutique/commandes/{own.number}/").status_code == 200
    assert client.get(f"/boutique/commandes/{other.number}/").status_code == 404
    assert client.get(f"/boutique/commandes/{for_mother.number}/").status_code == 404
    assert client.get(f"/boutique/commandes/{own.pk}/").status_code == 404  # the URL is the number shown, not an id
    assert 'href="/boutique/commandes/1001/"' in body
    # and an order placed for someone is seen by the person who placed it and by its recipient
    for person in (claire, lucienne):
        client.force_login(person.user)
        assert "Commande 3003" in client.get("/boutique/commandes/").content.decode()
        assert client.get(f"/boutique/commandes/{for_mother.number}/").status_code == 200
    assert "Commande 2002" not in client.get("/boutique/commandes/").content.decode()
