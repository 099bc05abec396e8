"""Products, variants, stock and photos edited in the dashboard reach Saleor through the port."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from marketplace.saleor.port import ProductQuery
from marketplace.vendors.models import Product, ProductVariant

from .conftest import PASSWORD


def _product_form(**over):
    data = {
        "p-name": "Maroilles AOP", "p-description": "Affiné 5 semaines", "p-category": "fromagerie",
        "p-temperature": "chilled", "p-origin": "farm", "p-unit": "kg", "p-vat_rate": "5.50", "p-published": "on",
        "v-TOTAL_FORMS": "2", "v-INITIAL_FORMS": "0", "v-MIN_NUM_FORMS": "1", "v-MAX_NUM_FORMS": "1000",
        "v-0-name": "Le Quart (180 g)", "v-0-sku": "", "v-0-price": "4.90", "v-0-unit_quantity": "0.18", "v-0-stock": "25",
        "v-1-name": "Le Maroilles (750 g)", "v-1-sku": "", "v-1-price": "15.90", "v-1-unit_quantity": "0.75", "v-1-stock": "10",
    }
    return data | over


def test_creating_a_product_in_the_dashboard_publishes_it_in_saleor(client, maroilles, make_member, saleor):
    # given the cheese shop's owner signed in
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    # when they create a product with two variants
    response = client.post(reverse("vendors:product_create"), _product_form())
    # then it is saved locally with generated SKUs and a unit price per kg
    product = Product.objects.get(name="Maroilles AOP")
    assert response.status_code == 302 and product.vendor == maroilles
    quart = product.variants.get(name="Le Quart (180 g)")
    assert quart.sku.startswith("fromagerie-test-maroilles-aop") and quart.unit_price == Decimal("27.22")
    # and Saleor has the product with the vendor attribute, the marks and the prices and stock per warehouse
    remote = saleor.catalogue.get_product(product_id=product.saleor_product_id)
    assert remote.vendor_slug == "fromagerie-test"
    assert remote.attributes["temperature"] == "chilled" and remote.attributes["origin"] == "farm"
    assert remote.category.slug == "fromagerie" and remote.is_published
    prices = {v.sku: v.price.amount for v in remote.variants}
    assert prices == {quart.sku: Decimal("4.90"), product.variants.get(price=Decimal("15.90")).sku: Decimal("15.90")}
    stocks = {v.sku: [(s.warehouse_id, s.quantity) for s in v.stocks] for v in remote.variants}
    assert stocks[quart.sku] == [(maroilles.saleor_warehouse_id, 25)]
    assert remote.metadata["mormal.vat_rate"] == "5.50"


def test_editing_a_product_updates_the_same_saleor_product(client, maroilles, make_member, make_product, saleor):
    product = make_product(maroilles, "Boulette d'Avesnes")
    variant = product.variants.get()
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    response = client.post(reverse("vendors:product_edit", kwargs={"product_pk": product.pk}), _product_form(**{
        "p-name": "Boulette d'Avesnes fermière", "p-temperature": "chilled", "p-published": "",
        "v-TOTAL_FORMS": "1", "v-INITIAL_FORMS": "1", "v-0-id": str(variant.pk), "v-0-product": str(product.pk),
        "v-0-name": "200 g", "v-0-sku": variant.sku, "v-0-price": "5.80", "v-0-unit_quantity": "0.2", "v-0-stock": "7",
    }))
    assert response.status_code == 302
    remote = saleor.catalogue.get_product(product_id=product.saleor_product_id)
    assert remote.name == "Boulette d'Avesnes fermière" and not remote.is_published
    assert [(v.id, v.price.amount) for v in remote.variants] == [(variant.saleor_variant_id, Decimal("5.80"))]
    assert saleor.catalogue.list_products(ProductQuery(vendor_slugs=["fromagerie-test"], only_published=False)).total_count == 1


def test_stock_page_updates_stock_in_the_vendor_warehouse(client, maroilles, make_member, make_product, saleor):
    product = make_product(maroilles, "Tomme", variants=(("300 g", "7.20", "0.3", 14), ("600 g", "13.90", "0.6", 5)))
    small, big = product.variants.order_by("price")
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    # when the stock of one variant is changed
    response = client.post(reverse("vendors:stock"), {f"stock-{small.pk}": "3", f"stock-{big.pk}": "5"})
    assert response.status_code == 302
    # then Saleor holds the new quantity in the vendor's warehouse and the other one is unchanged
    remote = {v.id: v for v in saleor.catalogue.get_product(product_id=product.saleor_product_id).variants}
    assert [(s.warehouse_id, s.quantity) for s in remote[small.saleor_variant_id].stocks] == [(maroilles.saleor_warehouse_id, 3)]
    assert remote[big.saleor_variant_id].stocks[0].quantity == 5


def test_a_negative_or_non_numeric_stock_is_refused_and_nothing_changes(client, maroilles, make_member, make_product, saleor):
    product = make_product(maroilles, "Tomme", variants=(("300 g", "7.20", "0.3", 14), ("600 g", "13.90", "0.6", 5)))
    small, big = product.variants.order_by("price")
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    response = client.post(reverse("vendors:stock"), {f"stock-{small.pk}": "2", f"stock-{big.pk}": "-4"})
    assert response.status_code == 200 and "« -4 »" in response.content.decode()
    # then neither variant changed, here or in Saleor (the valid line is not applied alone)
    assert {v.pk: v.stock for v in product.variants.all()} == {small.pk: 14, big.pk: 5}
    remote = {v.id: v for v in saleor.catalogue.get_product(product_id=product.saleor_product_id).variants}
    assert [(s.warehouse_id, s.quantity) for s in remote[small.saleor_variant_id].stocks] == [(maroilles.saleor_warehouse_id, 14)]
    assert [(s.warehouse_id, s.quantity) for s in remote[big.saleor_variant_id].stocks] == [(maroilles.saleor_warehouse_id, 5)]


def test_update_stock_ignores_another_vendors_variants(maroilles, bakery, make_product):
    from marketplace.vendors import actions

    theirs = make_product(bakery, "Baguette", variants=(("250 g", "1.30", "1", 60),)).variants.get()
    actions.update_stock(maroilles, {theirs.pk: 0})
    assert ProductVariant.objects.get(pk=theirs.pk).stock == 60


def test_photos_by_url_and_by_upload_become_saleor_media(client, maroilles, make_member, make_product, saleor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = make_product(maroilles, "Maroilles")
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    url = reverse("vendors:product_image_add", kwargs={"product_pk": product.pk})
    client.post(url, {"img-url": "https://exemple.fr/maroilles.jpg", "img-alt": "Un maroilles entier"})
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (230, 190, 90)).save(buffer, "PNG")
    png = buffer.getvalue()
    client.post(url, {"img-image": SimpleUploadedFile("quart.png", png, content_type="image/png"), "img-alt": "Un quart"})
    media = saleor.catalogue.get_product(product_id=product.saleor_product_id).media
    assert [m.alt for m in media] == ["Un maroilles entier", "Un quart"]
    assert media[0].url == "https://exemple.fr/maroilles.jpg"
    uploaded = product.images.get(alt="Un quart")
    assert uploaded.saleor_media_id and f"/vendeur/photos/{uploaded.pk}/" in media[1].url
    assert client.get(f"/vendeur/photos/{uploaded.pk}/").status_code == 200


def test_when_saleor_is_unreachable_the_product_is_kept_and_flagged(client, maroilles, make_member, settings):
    # given Saleor configured at an address where nothing listens
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    settings.SALEOR_API_URL = "http://127.0.0.1:9/graphql/"
    settings.SALEOR_APP_TOKEN = "t"
    response = client.post(reverse("vendors:product_create"), _product_form(), follow=True)
    # then nothing typed is lost and the vendor is told, with a retry button
    product = Product.objects.get(name="Maroilles AOP")
    assert product.variants.count() == 2 and product.sync_error and not product.saleor_product_id
    page = response.content.decode()
    assert "pas encore envoyé" in page and "Renvoyer" in page
    # when Saleor is back, "Renvoyer" pushes it
    settings.SALEOR_API_URL = ""
    client.post(reverse("vendors:product_push", kwargs={"product_pk": product.pk}))
    product.refresh_from_db()
    assert product.saleor_product_id and not product.sync_error
