"""Indicators: figures from facts, facts from the platform's records, the dashboard and the PDF."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from marketplace.indicators import facts, figures
from marketplace.indicators.models import DeclaredRevenue, DeliveryFact, RoundFact, SaleFact
from tests.vendors.conftest import make_vendor, saleor  # noqa: F401


@pytest.fixture
def history(make_vendor, communes):  # noqa: F811
    """Two vendors and hand-made facts for March and April 2026."""
    cheese, bakery = make_vendor("fromagerie-h", "Maroilles", "39876543"), make_vendor("boulangerie-h", "Bavay", "41234567")
    bavay, jolimetz = communes.get(name="Bavay"), communes.get(name="Jolimetz")
    rows = [("o1", dt.date(2026, 3, 3), cheese, bavay, "home", 2000, 12.0), ("o1", dt.date(2026, 3, 3), bakery, bavay, "home", 500, 8.0),
            ("o2", dt.date(2026, 3, 9), bakery, jolimetz, "collect", 1500, 0.0), ("o3", dt.date(2026, 4, 2), cheese, jolimetz, "relay", 3000, 20.0)]
    for ref, day, vendor, commune, mode, cents, km in rows:
        SaleFact.objects.create(order_ref=ref, date=day, vendor=vendor, customer_commune=commune, mode=mode,
                                amount_cents=cents, commission_cents=cents // 10, customer_trip_km=km, senior=ref == "o1")
    DeliveryFact.objects.create(task_ref="o1:cheese", date=dt.date(2026, 3, 3), mode="home", commune=bavay, status="delivered", senior=True)
    DeliveryFact.objects.create(task_ref="o1:bread", date=dt.date(2026, 3, 3), mode="home", commune=bavay, status="failed", fail_reason="absent")
    DeliveryFact.objects.create(task_ref="o3", date=dt.date(2026, 4, 2), mode="relay", commune=jolimetz, status="delivered")
    RoundFact.objects.create(round_ref="2026-03-03:V1", date=dt.date(2026, 3, 3), van="V1", km=30.0, hours=4.0, deliveries=1)
    RoundFact.objects.create(round_ref="2026-04-02:V1", date=dt.date(2026, 4, 2), van="V1", km=10.0, hours=2.0, deliveries=1)
    DeclaredRevenue.objects.create(vendor=cheese, month=dt.date(2026, 3, 1), revenue_cents=20000)
    return {"cheese": cheese, "bakery": bakery, "bavay": bavay}


def test_sales_deliveries_and_van_figures_for_a_month(history):
    march = figures.Period(2026, 3)
    assert figures.sales_by_month(march) == [{"month": dt.date(2026, 3, 1), "orders": 2, "euros": 40.0}]
    revenue = {r["vendor"]: r for r in figures.revenue_by_vendor(march)}
    assert revenue["Fromagerie H"]["euros"] == 20.0 and revenue["Fromagerie H"]["share"] == pytest.approx(0.1)
    assert revenue["Boulangerie H"]["share"] is None  # turnover not declared
    deliveries = figures.deliveries(march)
    assert deliveries["by_mode"] == {"Retrait en boutique": 1, "Point relais": 0, "Domicile": 1}
    assert deliveries["home_fragile"] == 1 and deliveries["failed"] == {"Absent": 1}
    van = figures.van(march)
    assert van["km"] == 30.0 and van["km_per_delivery"] == 30.0
    assert van["co2_kg"] == pytest.approx(30.0 * figures.CO2_KG_PER_KM)
    assert van["km_avoided"] == pytest.approx(12.0 + 8.0 - 30.0)


def test_commune_filter_and_whole_year(history):
    bavay_year = figures.Period(2026, None, history["bavay"])
    assert [r["orders"] for r in figures.sales_by_month(bavay_year)] == [1]
    year = figures.value_kept(figures.Period(2026))
    assert year["euros"] == 70.0 and year["share"] == pytest.approx(70.0 / 14_000_000)
    assert figures.sales_by_month(figures.Period(2026))[-1]["month"] == dt.date(2026, 4, 1)


def test_leakage_is_taken_pro_rata_of_the_year_and_a_leap_year_is_still_one_year(history):
    # the digital plan's 14 M EUR a year, for March 2026 (31 of 365 days) and April (30)
    march = figures.value_kept(figures.Period(2026, 3))
    assert march["leakage"] == pytest.approx(14_000_000 * 31 / 365)
    assert march["share"] == pytest.approx(40.0 / (14_000_000 * 31 / 365))
    assert figures.value_kept(figures.Period(2026, 4))["leakage"] == pytest.approx(14_000_000 * 30 / 365)
    # a whole leap year is one year's leakage, and its February 29 of 366 days
    assert figures.value_kept(figures.Period(2028))["leakage"] == pytest.approx(14_000_000)
    assert figures.value_kept(figures.Period(2028, 2))["leakage"] == pytest.approx(14_000_000 * 29 / 366)


def test_refresh_builds_facts_from_real_orders_and_is_idempotent(db, make_vendor, communes, django_user_model):  # noqa: F811
    from marketplace.storefront.models import ShopOrder
    from marketplace.territory.models import Shopper
    from marketplace.vendors.models import VendorOrder, VendorOrderLine

    vendor = make_vendor("epicerie-r", "Bavay", "41234567")
    user = django_user_model.objects.create_user("odile", password="x" * 12)
    commune = communes.get(name="Jolimetz")
    shopper = Shopper.objects.create(user=user, address="1 rue", commune=commune, lon=commune.lon, lat=commune.lat, is_isolated=True)
    ShopOrder.objects.create(saleor_order_id="O-1", number="1", checkout_id="C-1", shopper=shopper, placed_by=user,
                             mode="home", date=dt.date(2026, 5, 4), payment="card", total_cents=1234)
    share = VendorOrder.objects.create(vendor=vendor, saleor_order_id="O-1", number="1", placed_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
                                       commission_rate=Decimal("10"))
    VendorOrderLine.objects.create(order=share, saleor_line_id="L1", product_name="Miel", quantity=2, unit_price=Decimal("6.17"),
                                   total_price=Decimal("12.34"), vat_rate=Decimal("5.5"))
    assert facts.refresh_sales() == 1
    assert facts.refresh_sales() == 1
    fact = SaleFact.objects.get()
    assert (fact.amount_cents, fact.commission_cents, fact.isolated, fact.mode) == (1234, 123, True, "home")
    expected = facts.trip_km(commune.lon, commune.lat, vendor.lon, vendor.lat)
    assert fact.customer_trip_km == pytest.approx(expected) and expected > 5  # Jolimetz to Bavay is about 10 km away


def test_dashboard_is_staff_only_and_shows_charts(client, history, django_user_model):
    url = "/pilotage/indicateurs/?annee=2026&mois=3"
    assert client.get(url).status_code == 302
    staff = django_user_model.objects.create_user("agent", password="x" * 12, is_staff=True)
    client.force_login(staff)
    body = client.get(url).content.decode()
    assert body.count("data:image/svg+xml;base64,") == 11  # with the vouchers
    assert "mars 2026" in body and "Fromagerie H" in body and "Absent : 1" in body


def test_annual_report_pdf_renders_the_figures(client, history, django_user_model):
    client.force_login(django_user_model.objects.create_user("agent", password="x" * 12, is_staff=True))
    response = client.get("/pilotage/indicateurs/rapport/2026.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "rapport d'activité 2026" in text
    assert "Fromagerie H" in text and "Valeur gardée sur le territoire" in text
