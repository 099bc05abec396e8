"""The order page a shopper sees after paying: lines per vendor, amounts, delivery, payment, progress."""

import html
import re

from marketplace.storefront.models import ShopOrder


def test_order_page_after_a_two_vendor_home_order(client, two_vendors, calendar_for, make_shopper,
                                                  django_capture_on_commit_callbacks):
    # given a shopper in Jolimetz with cheese and bread in her cart
    calendar_for("Jolimetz")
    shopper = make_shopper("jeanne")
    client.force_login(shopper.user)
    for product, quantity in ((two_vendors["maroilles"], 1), (two_vendors["bread"], 2)):
        client.post("/boutique/panier/ajouter/", {"variant": product.variants.get().saleor_variant_id,
                                                "quantite": str(quantity)})
    # when she picks the first home slot and pays on delivery in cash
    page = client.get("/boutique/commande/livraison/").content.decode()
    slot = re.search(r'value="(slot:\d+)"', page).group(1)
    client.post("/boutique/commande/livraison/", {"mode": slot})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/boutique/commande/paiement/", {"paiement": "cash"})
    record = ShopOrder.objects.get()
    # then she lands on the page of the number she is shown, with a clear confirmation
    assert response["Location"] == f"/boutique/commandes/{record.number}/"
    page = html.unescape(re.sub(r"<[^>]+>", "", client.get(response["Location"]).content.decode()))
    page = re.sub(r"\s+", " ", page)
    assert f"Merci ! Votre commande n° {record.number} est enregistrée." in page
    # and the lines per vendor with amounts, the delivery day and slot, the payment state and the progress
    assert "Fromagerie Test" in page and "Boulangerie Test" in page
    assert "1 × Maroilles AOP" in page and "2 × Pain de campagne" in page
    assert "Sous-total Fromagerie Test : 12,50 €" in page and "Sous-total Boulangerie Test : 6,40 €" in page
    assert "Livraison : 3,00" in page
    assert "Réception : livraison à domicile" in page and "Livraison à domicile le" in page and "entre 9h et 12h" in page
    assert "À payer à la livraison : espèces à la livraison." in page
    assert "Préparée par Fromagerie Test" in page and "Dans la camionnette" in page
    # and the confirmation is said once, not on every later visit
    assert "Merci ! Votre commande" not in client.get(response["Location"]).content.decode()
