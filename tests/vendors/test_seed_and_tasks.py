"""The demo seed is idempotent and pushes through the port; the retry task heals failed pushes."""

import io

from django.urls import reverse

from marketplace.saleor.port import ProductQuery
from marketplace.vendors.models import Product, ProductImage, ProductVariant, Vendor
from marketplace.vendors.seed import run
from marketplace.vendors.seed_data import DEMO_PASSWORD, VENDORS
from marketplace.vendors.tasks import push_unsynced_products


def _small_specs():
    cheese = next(v for v in VENDORS if v["commune"] == "Maroilles")
    farm = next(v for v in VENDORS if v["kind"] == "producer")
    return [dict(cheese, products=cheese["products"][:2]), dict(farm, products=farm["products"][:1])]


def test_seed_twice_creates_each_vendor_product_and_warehouse_once(communes, saleor, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    specs = _small_specs()
    run(io.StringIO(), specs)
    run(io.StringIO(), specs)
    assert Vendor.objects.count() == 2 and Product.objects.count() == 3
    assert len({v.saleor_warehouse_id for v in Vendor.objects.all()}) == 2
    page = saleor.catalogue.list_products(ProductQuery(vendor_slugs=[s["slug"] for s in specs], only_published=False))
    assert page.total_count == 3
    maroilles = Product.objects.get(name="Maroilles AOP")
    assert ProductVariant.objects.filter(product=maroilles).count() == 3
    # each product has one illustration, pushed once as Saleor media
    assert ProductImage.objects.count() == 3 and not ProductImage.objects.filter(saleor_media_id="").exists()
    media = saleor.catalogue.get_product(product_id=maroilles.saleor_product_id).media
    assert [m.alt for m in media] == ["Illustration : Maroilles AOP"]
    # and the seeded owner signs in with the documented password and sees the products
    assert client.login(username=specs[0]["login"], password=DEMO_PASSWORD)
    assert "Maroilles AOP" in client.get(reverse("vendors:product_list")).content.decode()


def test_retry_task_pushes_products_that_failed(maroilles, settings, saleor):
    from decimal import Decimal

    from marketplace.vendors import actions

    settings.SALEOR_API_URL, settings.SALEOR_APP_TOKEN = "http://127.0.0.1:9/graphql/", "t"
    product = Product(name="Beurre", category="fromagerie", temperature="chilled")
    outcome = actions.save_product(maroilles, product, [ProductVariant(name="250 g", price=Decimal("4.20"), stock=3)])
    assert not outcome.synced and Product.objects.get(pk=product.pk).sync_error
    settings.SALEOR_API_URL = ""
    assert push_unsynced_products() == 1
    product.refresh_from_db()
    assert product.sync_error == "" and saleor.catalogue.get_product(product_id=product.saleor_product_id).name == "Beurre"
    assert push_unsynced_products() == 0
