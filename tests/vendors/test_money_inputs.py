"""Prices are typed as text: "6,50" and "6.50" mean the same; a ×10 change asks for confirmation."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.core.fields import normalise_decimal

from .conftest import PASSWORD
from .test_catalogue import _product_form


@pytest.mark.parametrize("typed", ["6,50", "6.50", " 6,50 € ", "6,5"])
def test_comma_or_point_give_the_same_price(client, maroilles, make_member, saleor, typed):
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    response = client.post(reverse("vendors:product_create"), _product_form(**{
        "v-TOTAL_FORMS": "1", "v-0-price": typed, "v-0-unit_quantity": "0,18"}))
    assert response.status_code == 302
    variant = maroilles.products.get(name="Maroilles AOP").variants.get()
    assert variant.price == Decimal("6.50") and variant.unit_quantity == Decimal("0.18")
    remote = saleor.catalogue.get_product(product_id=variant.product.saleor_product_id)
    assert remote.variants[0].price.amount == Decimal("6.50")


def test_an_ambiguous_price_is_refused_with_an_example(client, maroilles, make_member):
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    body = client.post(reverse("vendors:product_create"), _product_form(**{
        "v-TOTAL_FORMS": "1", "v-0-price": "1.234,50"})).content.decode()
    assert "une seule virgule" in body and not maroilles.products.exists()


def test_price_field_is_text_with_a_decimal_keypad_and_shows_a_comma(client, maroilles, make_member, make_product):
    product = make_product(maroilles, "Tomme", variants=(("300 g", "7.20", "0.3", 14),))
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    body = client.get(reverse("vendors:product_edit", kwargs={"product_pk": product.pk})).content.decode()
    price = re.search(r'<input[^>]*name="v-0-price"[^>]*>', body).group(0)
    assert 'type="text"' in price and 'inputmode="decimal"' in price and 'value="7,20"' in price
    assert 'type="number"' not in price


def test_a_price_ten_times_higher_needs_confirmation(client, maroilles, make_member, make_product, saleor):
    product = make_product(maroilles, "Tomme", variants=(("300 g", "6.50", "0.3", 14),))
    variant = product.variants.get()
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    url = reverse("vendors:product_edit", kwargs={"product_pk": product.pk})
    form = _product_form(**{"p-name": "Tomme", "v-TOTAL_FORMS": "1", "v-INITIAL_FORMS": "1", "v-0-id": str(variant.pk),
                            "v-0-product": str(product.pk), "v-0-name": "300 g", "v-0-sku": variant.sku,
                            "v-0-price": "65", "v-0-unit_quantity": "0,3", "v-0-stock": "14"})
    # when the owner types 65 instead of 6,50
    body = client.post(url, form).content.decode()
    # then nothing is saved and the page asks, in euros written the French way
    assert "Le prix passe de 6,50 € à 65,00 € : 10 fois plus cher" in body
    assert 'type="checkbox" name="v-0-confirm_price"' in body
    variant.refresh_from_db()
    assert variant.price == Decimal("6.50")
    # when they confirm, it is saved and published
    response = client.post(url, form | {"v-0-confirm_price": "on"})
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.price == Decimal("65.00")
    assert saleor.catalogue.get_product(product_id=product.saleor_product_id).variants[0].price.amount == Decimal("65.00")


def test_normalise_decimal():
    assert normalise_decimal("1\u202f234,50\u00a0€") == "1234.50"
    assert normalise_decimal("0.25") == "0.25"
