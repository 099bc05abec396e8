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


def test_beat_pulls_van_orders_onto_each_communes_next_open_van_day(source, server, settings):
    import datetime as dt
    import zoneinfo

    from delivery.models import DeliveryTask, ServiceArea
    from integrations.prestashop import tasks
    from integrations.prestashop.sync import import_catalogue
    from marketplace.celery import app
    from marketplace.territory.models import Commune

    # given the CCI shop's orders, and Bavay served on Fridays only
    add_orders(server.shop)
    import_catalogue(source)
    friday = ServiceArea.objects.create(name="Bavaisis", weekday=5)
    friday.communes.add(Commune.objects.get(insee="59053"))
    # beat runs the pull like the other bridge jobs
    entry = settings.CELERY_BEAT_SCHEDULE["prestashop-van-orders"]
    assert entry["task"] == "prestashop.pull_all_van_orders" == tasks.pull_all_van_orders.name
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))  # a Wednesday morning
    old, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        # when beat's task fires twice
        assert tasks.pull_all_van_orders.apply(args=[now.isoformat()]).get() == 1
        first = {t.source: t.day.date for t in DeliveryTask.objects.select_related("day")}
        assert tasks.pull_all_van_orders.apply(args=[now.isoformat()]).get() == 1
    finally:
        app.conf.task_always_eager = old
    # then the two home orders in the area are van tasks, once each
    days = {source_key.split(":order:")[1].split(":")[0]: day for source_key, day in first.items()}
    assert days == {"1": dt.date(2026, 11, 27), "2": dt.date(2026, 11, 26)}  # Bavay on Friday, Le Quesnoy tomorrow
    assert len(first) == 8
    assert {t.source: t.day.date for t in DeliveryTask.objects.select_related("day")} == first
    # and the next pull starts at the last order read
    source.refresh_from_db()
    assert source.orders_pulled_until == "2026-11-22 10:00:00"


def test_the_pull_lists_what_it_did_and_reads_only_new_orders(source, server):
    import datetime as dt
    import zoneinfo

    from integrations.prestashop.actions import pull_van_orders
    from integrations.prestashop.sync import import_catalogue

    add_orders(server.shop)
    import_catalogue(source)
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    first = pull_van_orders(source, now=now)
    assert sorted(first.planned) == [1, 2] and first.refused == []
    assert {s.ps_id for s in first.not_for_the_van} == {"3", "4", "5", "6"}
    server.shop.requests.clear()
    again = pull_van_orders(source, now=now)
    assert again.planned == {} and again.already_planned == [2]  # the boundary order is read again, left alone
    order_reads = [p for _, p in server.shop.requests if p.startswith("/api/orders?")]
    assert order_reads and all("2026-11-22+10%3A00%3A00" in p for p in order_reads)
