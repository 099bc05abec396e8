"""The catalogue is read from a cache that forgets itself when the catalogue changes.

Given a catalogue page already served (and so cached), a change made through the port (a
vendor's new price or stock), a vendor renamed, or Saleor's PRODUCT_VARIANT_STOCK_UPDATED
webhook shows on the next page at once; meanwhile a signed-in shopper's catalogue page reads
neither Saleor nor our products (two queries: the session and the signed-in user).
"""

from decimal import Decimal

from marketplace.saleor import port
from marketplace.saleor.registry import ReceivedEvent, handler
from marketplace.storefront import catalogue
from marketplace.storefront.saleor_webhooks import CATALOGUE_HANDLER_NAME
from marketplace.vendors import actions


def test_a_price_changed_by_the_vendor_shows_at_once(client, two_vendors):
    assert "12,50" in client.get("/boutique/").content.decode()
    product = two_vendors["maroilles"]
    rows = list(product.variants.all())
    rows[0].price = Decimal("13.90")
    assert actions.save_product(two_vendors["cheese"], product, rows).synced

    body = client.get("/boutique/").content.decode()
    assert "13,90" in body and "12,50" not in body
    assert "13,90" in client.get(f"/boutique/produit/{product.slug}/").content.decode()


def test_a_renamed_vendor_shows_at_once_on_the_cached_pages(client, two_vendors):
    assert "Fromagerie Test" in client.get("/boutique/").content.decode()
    cheese = two_vendors["cheese"]
    cheese.name = "Fromagerie de la Sambre"
    cheese.save()
    assert "Fromagerie de la Sambre" in client.get("/boutique/").content.decode()
    assert "Fromagerie de la Sambre" in client.get(f"/boutique/commerce/{cheese.slug}/").content.decode()


def test_the_stock_webhook_forgets_the_cached_catalogue(two_vendors):
    before = catalogue.catalogue_version()
    forget = handler("PRODUCT_VARIANT_STOCK_UPDATED", CATALOGUE_HANDLER_NAME)
    forget(ReceivedEvent(event_id=1, event_type="PRODUCT_VARIANT_STOCK_UPDATED", saleor_api_url="", payload={}))
    assert catalogue.catalogue_version() == before + 1


def test_a_catalogue_write_through_the_port_forgets_the_cache(two_vendors):
    before = catalogue.catalogue_version()
    variant_id = two_vendors["bread"].variants.get().saleor_variant_id
    port.get_saleor().catalogue.update_metadata(variant_id, {"mormal.note": "essai"})
    assert catalogue.catalogue_version() > before


def test_a_signed_in_shopper_reads_the_cached_catalogue_with_no_query_of_its_own(client, two_vendors, make_shopper,
                                                                       django_assert_max_num_queries):
    client.force_login(make_shopper("odette").user)
    client.get("/boutique/")
    client.get("/boutique/commerce/boulangerie-test/")
    product = f"/boutique/produit/{two_vendors['bread'].slug}/"
    client.get(product)
    with django_assert_max_num_queries(2):  # the session and the signed-in user
        assert client.get(product).status_code == 200
    with django_assert_max_num_queries(2):  # the session and the signed-in user
        assert client.get("/boutique/").status_code == 200
    with django_assert_max_num_queries(3):  # the same, and the vendor
        assert client.get("/boutique/commerce/boulangerie-test/").status_code == 200
