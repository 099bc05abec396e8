"""The quantity fields are bounded by the stock on sale and Saleor's per-line limit; refusals are French."""

import re

from marketplace.saleor import port


def _max_of(body: str, field_id: str) -> int:
    tag = re.search(rf'<input id="{field_id}"[^>]*>', body).group(0)
    return int(re.search(r'max="(\d+)"', tag).group(1))


def _restock(saleor, product, quantity):
    variant = saleor.catalogue.get_product(product.saleor_product_id).variants[0]
    saleor.catalogue.set_variant_stocks(variant.id, [port.StockLevel(s.warehouse_id, quantity) for s in variant.stocks])


def test_product_quantity_is_bounded_by_stock_then_by_saleors_line_limit(client, saleor, two_vendors):
    # given 20 Maroilles on sale: the field stops at 20
    url = f"/boutique/produit/{two_vendors['maroilles'].slug}/"
    body = client.get(url).content.decode()
    assert _max_of(body, "quantite") == 20 and "Au plus <span id=\"quantite-max\">20</span>" in body
    # when 300 are in stock, Saleor's per-line limit (50 on a fresh Saleor) is the bound
    _restock(saleor, two_vendors["maroilles"], 300)
    from django.core.cache import cache
    cache.clear()
    assert _max_of(client.get(url).content.decode(), "quantite") == 50


def test_adding_past_the_limit_or_the_stock_is_refused_in_french(client, saleor, two_vendors):
    variant_id = two_vendors["bread"].variants.get().saleor_variant_id
    # more than the 30 loaves in stock
    page = client.post("/boutique/panier/ajouter/", {"variant": variant_id, "quantite": "31"}, follow=True)
    body = page.content.decode()
    assert "Ce produit n&#x27;a pas été ajouté. Il n&#x27;en reste que 30 en stock" in body
    assert "Only" not in body and "Saleor refused" not in body
    # more than Saleor's per-line limit, with enough stock
    _restock(saleor, two_vendors["bread"], 500)
    body = client.post("/boutique/panier/ajouter/", {"variant": variant_id, "quantite": "51"}, follow=True).content.decode()
    assert "Vous pouvez commander au plus 50 fois cet article par commande" in body
    assert "Cannot add" not in body


def test_cart_line_quantity_is_bounded_and_an_update_past_it_is_refused_in_french(client, two_vendors):
    variant_id = two_vendors["maroilles"].variants.get().saleor_variant_id
    client.post("/boutique/panier/ajouter/", {"variant": variant_id, "quantite": "2"})
    body = client.get("/boutique/panier/").content.decode()
    assert _max_of(body, "ligne-1-1") == 20 and "au plus 20" in body
    line = re.search(r'name="(ligne-[^"]+)"', body).group(1)
    body = client.post("/boutique/panier/modifier/", {line: "25"}, follow=True).content.decode()
    assert "Le panier n&#x27;a pas été modifié. Il n&#x27;en reste que 20 en stock" in body
