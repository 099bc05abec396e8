"""PrestaShop home-delivery orders in the Pays de Mormal become van delivery requests and tasks."""

from integrations.prestashop.client import PrestaShopClient
from integrations.prestashop.orders import commune_key, load_area, pull_delivery_requests

from .seed import KEY, add_orders


def test_only_paid_home_deliveries_inside_the_52_communes_are_kept(server):
    # given six orders: Bavay and Le Quesnoy at home, Lille, a shop pickup, a cancelled one, and
    # Valenciennes written with a Mormal postcode
    add_orders(server.shop)
    with PrestaShopClient(server.url, KEY) as client:
        requests, skipped = pull_delivery_requests(client, since="2026-11-01 00:00:00")
    # then the van gets the two in the area, with what the driver needs
    assert [(r.ps_order_id, r.insee, r.city) for r in requests] == [(1, "59053", "Bavay"), (2, "59481", "Le Quesnoy")]
    bavay = requests[0]
    assert bavay.recipient == "Jeanne Dupont" and bavay.phone == "03 27 00 00 01" and bavay.note == "Sonner fort"
    assert [(line.name, line.quantity) for line in bavay.lines] == [("Pain de campagne", 2), ("Maroilles AOP - 250 g", 1)]
    assert bavay.source.endswith(":order:1")
    # and every other order is accounted for, with its reason
    reasons = {s.ps_id: s.reason for s in skipped}
    assert set(reasons) == {"3", "4", "5", "6"}
    assert "outside the Pays de Mormal" in reasons["3"]
    assert "not a home delivery" in reasons["4"]
    assert "state 6" in reasons["5"]
    assert "not one of the 52 communes" in reasons["6"]


def test_orders_are_selected_by_date_add_with_date_1(server):
    add_orders(server.shop)
    with PrestaShopClient(server.url, KEY) as client:
        requests, _ = pull_delivery_requests(client, since="2026-11-22 00:00:00")
    assert [r.ps_order_id for r in requests] == [2]
    order_reads = [p for _, p in server.shop.requests if p.startswith("/api/orders?")]
    assert order_reads and all("date=1" in p for p in order_reads)


def test_commune_names_match_whatever_the_spelling():
    area = load_area()
    assert len({c.insee for c in area.values()}) == 52
    assert commune_key("LE QUESNOY") == commune_key("Quesnoy") == "quesnoy"
    assert area[("59570", commune_key("st-waast"))].name == "Saint-Waast"


def test_van_tasks_are_created_once_per_order_and_vendor(source, server):
    import datetime as dt

    from delivery.models import DeliveryTask
    from integrations.prestashop.actions import plan_prestashop_orders
    from integrations.prestashop.sync import import_catalogue

    add_orders(server.shop)
    import_catalogue(source)
    day = dt.date(2026, 12, 1)
    # when the orders are pulled twice
    plan_prestashop_orders(source, day, since="2026-11-01 00:00:00")
    plan_prestashop_orders(source, day, since="2026-11-01 00:00:00")
    # then each order has one collect at each vendor and one home drop paired with it
    tasks = DeliveryTask.objects.order_by("source")
    assert tasks.count() == 2 * 2 * 2  # 2 orders x 2 vendors (bakery, cheese) x (collect + home)
    pairs = {t.shipment_key for t in tasks}
    assert len(pairs) == 4
    home = tasks.filter(kind="home", source__contains=":order:1:")
    assert {t.name for t in home} == {"Jeanne Dupont"}
    assert {t.name for t in tasks.filter(kind="collect", source__contains=":order:1:")} == {"Boulangerie Martin", "Fromagerie Avesnois"}
