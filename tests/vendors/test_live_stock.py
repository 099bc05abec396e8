"""The vendor's stock page and low-stock alert show Saleor's live stock: on hand, promised, for sale."""

import re

from django.urls import reverse

from marketplace.saleor.standin.store import Store

from .conftest import PASSWORD


def _allocate(variant, quantity):
    """Saleor allocates stock to an order until it is handed over (done here in the stand-in's store)."""
    store = Store()
    doc = store.get_by_gid(variant.saleor_variant_id, "ProductVariant")[1]
    doc["stocks"][0]["quantityAllocated"] = quantity
    store.put("ProductVariant", doc)


def test_stock_page_shows_what_saleor_sells_not_our_last_count(client, bakery, make_member, make_product):
    # given 60 baguettes, 4 of them promised to orders in Saleor
    product = make_product(bakery, "Baguette", category="boulangerie", temperature="ambient", origin="shop",
                           unit="unit", variants=(("la pièce", "1.20", "1", 60),))
    variant = product.variants.get()
    _allocate(variant, 4)
    client.login(username=make_member(bakery, "boulanger").username, password=PASSWORD)
    body = client.get(reverse("vendors:stock")).content.decode()
    # then the page says 56 are for sale and 4 are promised, and the field keeps the 60 on the shelf
    assert "56 en vente" in body and "4 réservés par des commandes" in body
    assert re.search(r'name="stock-\d+"[^>]*value="60"', body)
    assert "<table" not in body  # cards, not a table to swipe sideways on a phone


def test_low_stock_alert_counts_what_is_left_for_sale(client, bakery, make_member, make_product):
    product = make_product(bakery, "Tarte", category="boulangerie", temperature="ambient", origin="shop",
                           unit="unit", variants=(("entière", "14.50", "1", 5),))
    _allocate(product.variants.get(), 3)
    client.login(username=make_member(bakery, "boulanger").username, password=PASSWORD)
    body = client.get(reverse("vendors:dashboard")).content.decode()
    assert "2 encore en vente" in body and "5 en rayon, dont 3 réservés" in body
