"""Stock both ways: PrestaShop -> Saleor copies, our sales -> PrestaShop decrements (PATCH or PUT)."""

import datetime as dt
from decimal import Decimal

from integrations.prestashop.client import PrestaShopClient
from integrations.prestashop.models import IdMapping, StockDecrement
from integrations.prestashop.stock import push_pending, record_sale, sync_stock
from integrations.prestashop.sync import import_catalogue
from marketplace.saleor import port

from .double import DoubleServer
from .seed import KEY, cci_shop


def order_selling(source, ps_key, quantity, order_id="T3JkZXI6MQ==", line_id="line-1"):
    """A Saleor order (the port's own type) with one line for the mapped variant ``ps_key``."""
    variant_id = IdMapping.objects.get(source=source, resource="variant", ps_id=ps_key).saleor_id
    money = port.Money(Decimal("8.00"))
    line = port.OrderLine(id=line_id, variant_id=variant_id, sku=None, product_name="Maroilles AOP", variant_name="250 g",
                          vendor_slug="fromagerie-avesnois", quantity=quantity, quantity_fulfilled=0,
                          unit_price=money, total_price=money, warehouse_ids=())
    return port.Order(id=order_id, number="1", created=dt.datetime(2026, 11, 29, tzinfo=dt.UTC), status="UNFULFILLED",
                      charge_status="FULL", authorize_status="FULL", email=None, lines=(line,), shipping_address=None,
                      billing_address=None, delivery=None, total=money, metadata={}, fulfillments=())


def quantities(saleor, source, ps_key):
    mapping = IdMapping.objects.get(source=source, resource="variant", ps_id=ps_key)
    product = saleor.catalogue.get_product(product_id=mapping.extra["product"])
    variant = next(v for v in product.variants if v.id == mapping.saleor_id)
    return [s.quantity for s in variant.stocks]


def test_stock_changed_on_prestashop_is_copied_to_the_vendor_warehouse(source, saleor, server):
    import_catalogue(source)
    # given the Maroilles 250 g sold out in the shop and the bread restocked
    rows = server.shop.table("stock_availables")
    next(r for r in rows.values() if r["id_product"] == "2" and r["id_product_attribute"] == "1")["quantity"] = "0"
    next(r for r in rows.values() if r["id_product"] == "1")["quantity"] = "30"
    # when stock is synchronised
    with PrestaShopClient(server.url, KEY) as client:
        run = sync_stock(source, client=client, saleor=saleor)
    # then exactly those two variants changed in Saleor, with one request per 1,000 rows
    assert (run.status, run.updated, run.unchanged) == ("done", 2, 5)
    assert quantities(saleor, source, "2:1") == [0] and quantities(saleor, source, "1:0") == [30]
    assert run.requests == 1


def test_a_sale_here_decrements_prestashop_with_patch_once(source, saleor, server):
    import_catalogue(source)
    order = order_selling(source, "2:1", quantity=3)
    # when the order is recorded twice (a replayed webhook) and pushed twice
    record_sale(order)
    record_sale(order)
    with PrestaShopClient(server.url, KEY) as client:
        assert push_pending(source, client) == 1
        assert push_pending(source, client) == 0
    # then PrestaShop lost 3 units once, through a PATCH
    row = next(r for r in server.shop.table("stock_availables").values() if r["id_product"] == "2" and r["id_product_attribute"] == "1")
    assert row["quantity"] == "1"
    assert [m for m, p in server.shop.requests if "stock_availables/" in p].count("PATCH") == 1
    decrement = StockDecrement.objects.get()
    assert (decrement.status, decrement.method, decrement.result_quantity) == ("done", "PATCH", 1)
    # and the next stock copy does not count our own sale twice
    with PrestaShopClient(server.url, KEY) as client:
        assert sync_stock(source, client=client, saleor=saleor).updated == 0


def test_a_cancelled_order_gives_the_stock_back(source, saleor, server):
    import_catalogue(source)
    order = order_selling(source, "1:0", quantity=2)
    record_sale(order)
    record_sale(order, cancelled=True)
    with PrestaShopClient(server.url, KEY) as client:
        assert push_pending(source, client) == 2
    row = next(r for r in server.shop.table("stock_availables").values() if r["id_product"] == "1")
    assert row["quantity"] == "12"


def test_before_prestashop_8_the_decrement_is_a_get_then_a_put_of_the_whole_row(db, make_vendor, saleor):
    from integrations.prestashop.models import PrestaShopSource

    old = DoubleServer(cci_shop(version="1.7.8.11")).start()
    try:
        src = PrestaShopSource(name="Ancienne boutique", url=old.url, default_vendor=make_vendor("ancienne", "Bavay"))
        src.set_key(KEY)
        src.save()
        import_catalogue(src, saleor=saleor)
        record_sale(order_selling(src, "1:0", quantity=5))
        with PrestaShopClient(old.url, KEY) as client:
            push_pending(src, client)
        methods = [m for m, p in old.shop.requests if "stock_availables/1" in p]
        assert methods == ["GET", "PUT"]
        row = old.shop.table("stock_availables")[next(k for k, r in old.shop.table("stock_availables").items() if r["id_product"] == "1")]
        assert row["quantity"] == "7" and row["id_product"] == "1" and row["out_of_stock"] == "2"
        assert StockDecrement.objects.get().method == "PUT"
    finally:
        old.stop()


def test_a_decrement_already_written_is_not_sent_again_after_a_crash(source, saleor, server):
    import_catalogue(source)
    record_sale(order_selling(source, "1:0", quantity=2))
    decrement = StockDecrement.objects.get()
    # given the PATCH went through but the worker died before marking it done
    stock_id = decrement.stock_available_id
    server.shop.table("stock_availables")[stock_id]["quantity"] = "10"
    StockDecrement.objects.filter(pk=decrement.pk).update(result_quantity=10)
    server.shop.requests.clear()
    with PrestaShopClient(server.url, KEY) as client:
        push_pending(source, client)
    assert server.shop.table("stock_availables")[stock_id]["quantity"] == "10"
    assert [m for m, _ in server.shop.requests] == ["GET"]


def test_the_merchant_is_emailed_what_to_prepare(source, saleor, mailoutbox):
    from integrations.prestashop.notify import notify_merchants

    import_catalogue(source)
    cheese = source.vendor_links.get(vendor_ref="manufacturer:3").vendor
    cheese.email = "fromagerie@exemple.fr"
    cheese.save()
    told = notify_merchants(order_selling(source, "2:1", quantity=3))
    assert told == 1
    assert mailoutbox[0].to == ["fromagerie@exemple.fr"]
    assert "3 × Maroilles AOP (250 g)" in mailoutbox[0].body


def test_the_order_created_webhook_records_the_sale_and_queues_the_push_after_commit(
    source, saleor, django_capture_on_commit_callbacks
):
    from marketplace.saleor.registry import ReceivedEvent, handlers_for

    import_catalogue(source)
    # given the bridge subscribed to the adapter's ORDER_CREATED event
    handler = handlers_for("ORDER_CREATED")["prestashop.decrement_stock"]
    event = ReceivedEvent(event_id=1, event_type="ORDER_CREATED", saleor_api_url="http://saleor.local/graphql/",
                          payload={}, order=order_selling(source, "2:2", quantity=1))
    # when the handler runs
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        handler(event)
    # then one decrement waits, and the push is queued only once the transaction commits
    assert list(StockDecrement.objects.values_list("quantity", "status")) == [(1, "pending")]
    assert len(callbacks) == 1
