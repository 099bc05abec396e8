"""Importing the double's catalogue into the marketplace (Saleor stand-in), over real HTTP."""

from decimal import Decimal

import pytest

from integrations.prestashop.client import PrestaShopClient
from integrations.prestashop.errors import PrestaShopTransportError
from integrations.prestashop.models import IdMapping, SyncRun
from integrations.prestashop.sync import import_catalogue

from .seed import KEY


def saleor_product(saleor, source, ps_id):
    mapping = IdMapping.objects.get(source=source, resource="product", ps_id=str(ps_id))
    return saleor.catalogue.get_product(product_id=mapping.saleor_id)


def bridged_products(saleor):
    from marketplace.saleor.port import ProductQuery

    page = saleor.catalogue.list_products(ProductQuery(only_published=False, first=100))
    return [p for p in page.products if p.metadata.get("mormal.source", "").startswith("prestashop:")]


def test_full_import_creates_products_variants_prices_stock_and_images(source, saleor):
    # when the CCI catalogue is imported
    run = import_catalogue(source)
    # then five products exist in Saleor, each once, in its vendor's warehouse
    assert (run.status, run.created, run.updated, run.skipped) == ("done", 5, 0, [])
    maroilles = saleor_product(saleor, source, 2)
    assert maroilles.vendor_slug == "fromagerie-avesnois"
    assert maroilles.category.slug == "fromagerie"
    assert [(v.name, v.price.amount) for v in maroilles.variants] == [("250 g", Decimal("8.00")), ("500 g", Decimal("14.33"))]
    warehouse = source.vendor_links.get(vendor_ref="manufacturer:3").vendor.saleor_warehouse_id
    assert [[(s.warehouse_id, s.quantity) for s in v.stocks] for v in maroilles.variants] == [[(warehouse, 4)], [(warehouse, 2)]]
    assert maroilles.media[0].url.endswith("20-large_default/maroilles-aop.jpg")
    # a product without manufacturer goes to the source's default vendor
    assert saleor_product(saleor, source, 4).vendor_slug == "cci-grand-hainaut"
    source.refresh_from_db()
    assert source.last_date_upd == "2026-11-05 08:00:00" and source.ps_version == "8.1.2"


def test_a_second_import_creates_nothing(source, saleor):
    import_catalogue(source)
    again = import_catalogue(source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert len(bridged_products(saleor)) == 5
    assert IdMapping.objects.filter(source=source, resource="variant").count() == 7


def test_incremental_import_reads_and_updates_only_what_changed(source, saleor, server):
    import_catalogue(source)
    # given product 3 renamed and re-priced on PrestaShop afterwards
    record = server.shop.table("products")[3]
    record["name"][1]["value"] = "Confiture de rhubarbe bio"
    record["price"], record["date_upd"] = "5.000000", "2026-11-28 12:00:00"
    server.shop.requests.clear()
    # when the incremental import runs
    run = import_catalogue(source, incremental=True)
    # then only product 3 was read (date filter) and updated
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)  # product 3, and product 5 re-read at the boundary
    product_reads = [p for m, p in server.shop.requests if p.startswith("/api/products?")]
    assert all("date=1" in p and "filter%5Bdate_upd%5D" in p for p in product_reads)
    confiture = saleor_product(saleor, source, 3)
    assert confiture.name == "Confiture de rhubarbe bio"
    assert confiture.variants[0].price.amount == Decimal("5.28")  # 5.00 + 5.5 %
    assert len(bridged_products(saleor)) == 5


def test_an_interrupted_run_resumes_at_its_page_without_duplicates(source, saleor, server):
    # given a shop that dies after the reference reads and the first page of two products
    server.shop.fail_after = 1 + 11 + 3 + 1
    with PrestaShopClient(server.url, KEY, sleep=lambda s: None, max_attempts=2) as flaky:
        with pytest.raises(PrestaShopTransportError):
            import_catalogue(source, client=flaky, page_size=2)
    failed = SyncRun.objects.get(source=source)
    assert (failed.status, failed.next_offset, failed.created) == ("failed", 2, 2)
    assert "HTTP 500" in failed.error
    # when the shop is back and the import runs again
    server.shop.fail_after = None
    with PrestaShopClient(server.url, KEY) as client:
        resumed = import_catalogue(source, client=client, page_size=2)
    # then the same run finished from page 2, and every product exists exactly once
    assert resumed.pk == failed.pk and resumed.resumed == 1 and resumed.status == "done"
    assert resumed.created == 5 and resumed.next_offset == 5
    offsets = [p.split("limit=")[1].split("&")[0] for _, p in server.shop.requests if p.startswith("/api/products?")]
    assert offsets[-2:] == ["2%2C2", "4%2C2"]
    assert len(bridged_products(saleor)) == 5
    assert IdMapping.objects.filter(source=source, resource="product").count() == 5


def test_products_of_an_unlinked_vendor_are_skipped_with_the_reason(source, saleor):
    source.vendor_links.filter(vendor_ref="manufacturer:2").delete()
    source.default_vendor = None
    source.save()
    run = import_catalogue(source)
    skipped = {s["ps_id"]: s["reason"] for s in run.skipped}
    assert set(skipped) == {"3", "4", "5"}
    assert "manufacturer:2 is not linked" in skipped["3"]
    assert run.created == 2


def test_a_malformed_product_is_skipped_and_the_rest_imported(source, saleor, server):
    server.shop.corrupt["products"] = {4}
    run = import_catalogue(source)
    assert run.created == 4
    assert [(s["resource"], s["ps_id"]) for s in run.skipped] == [("products", "4")]


def test_a_refused_key_fails_the_run_with_the_code(source):
    from integrations.prestashop.errors import PrestaShopAuthError

    source.set_key("0" * 32)
    source.save()
    with pytest.raises(PrestaShopAuthError) as caught:
        import_catalogue(source)
    assert caught.value.code == 20
    run = SyncRun.objects.get(source=source)
    assert run.status == "failed" and "code 20" in run.error


def test_the_key_is_stored_encrypted(source):
    assert KEY not in source.key_encrypted
    assert source.key() == KEY


def test_a_second_worker_does_not_import_the_same_source_at_the_same_time(source, saleor):
    import psycopg
    from django.db import connection

    from integrations.prestashop.sync import ADVISORY_LOCK_CLASS, ImportBusy

    # given another worker (another database session) importing this source
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k in ("host", "port", "user", "dbname", "password")}) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_CLASS, source.pk])
        # when this worker starts an import, then it stops at once without a run
        with pytest.raises(ImportBusy):
            import_catalogue(source)
        assert not SyncRun.objects.filter(source=source).exists()
        # the other worker finishes: it unlocks (closing its session would unlock too, but the
        # server may not have ended that backend yet when the next import asks)
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_LOCK_CLASS, source.pk])
    # and once the other is done, importing works
    assert import_catalogue(source).status == "done"
