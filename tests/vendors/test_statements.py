"""Monthly sales and commission statements: totals, month boundaries in Paris time, CSV export."""

import csv
import io
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from marketplace.vendors import actions
from marketplace.vendors.statements import monthly_statement

from .conftest import PASSWORD
from .test_orders import order_of

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def november(maroilles, make_product):
    """Three November orders (one cancelled) and one placed at 00:30 on 1 December, Paris time."""
    cheese = make_product(maroilles, "Maroilles", variants=(("Quart", "4.90", "0.18", 50),)).variants.get()
    honey = make_product(maroilles, "Miel", temperature="ambient", vat_rate="5.50", variants=(("500 g", "9.50", "0.5", 50),)).variants.get()
    cider = make_product(maroilles, "Cidre", temperature="ambient", vat_rate="20.00", variants=(("75 cl", "4.90", "0.75", 50),)).variants.get()
    wh = maroilles.saleor_warehouse_id
    actions.record_order(order_of([(cheese, 2, wh), (honey, 1, wh)], number="1001", oid="o1",
                                  created=datetime(2026, 11, 2, 10, tzinfo=PARIS)))
    maroilles.commission_rate = Decimal("12.50")
    maroilles.save()
    actions.record_order(order_of([(cider, 3, wh)], number="1002", oid="o2",
                                  created=datetime(2026, 11, 30, 23, 30, tzinfo=PARIS)))
    cancelled = order_of([(cheese, 10, wh)], number="1003", oid="o3", created=datetime(2026, 11, 15, tzinfo=PARIS))
    actions.record_order(replace(cancelled, status="CANCELED"))
    actions.record_order(order_of([(honey, 1, wh)], number="1004", oid="o4", created=datetime(2026, 12, 1, 0, 30, tzinfo=PARIS)))
    return maroilles


def test_statement_totals_use_the_rate_of_each_order_and_paris_months(november):
    statement = monthly_statement(november, 2026, 11)
    assert [r.number for r in statement.rows] == ["1001", "1002"]
    first, second = statement.rows
    # 2 × 4.90 + 9.50 = 19.30 TTC at 10 %; 3 × 4.90 = 14.70 TTC at 12.5 % (the rate when it was placed)
    assert (first.sales_ttc, first.commission) == (Decimal("19.30"), Decimal("1.93"))
    assert (second.sales_ttc, second.commission) == (Decimal("14.70"), Decimal("1.84"))
    assert statement.sales_ttc == Decimal("34.00") and statement.commission == Decimal("3.77")
    assert statement.payout == Decimal("30.23")
    # HT: 9.80/1.055 = 9.29, 9.50/1.055 = 9.00, 14.70/1.20 = 12.25
    assert statement.sales_ht == Decimal("30.54") and statement.vat == Decimal("3.46")
    december = monthly_statement(november, 2026, 12)
    assert [r.number for r in december.rows] == ["1004"]


def test_statement_csv_matches_the_page_and_adds_up(client, november, make_member):
    client.login(username=make_member(november, "fromager").username, password=PASSWORD)
    page = client.get(reverse("vendors:statement_month", kwargs={"year": 2026, "month": 11})).content.decode()
    assert "novembre 2026" in page and "34.00" in page.replace(",", ".")
    response = client.get(reverse("vendors:statement_csv", kwargs={"year": 2026, "month": 11}))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:4] == ["commande", "date", "retrait", "ventes_ttc"]
    assert [r[0] for r in body] == ["1001", "1002"]

    def amount(text: str) -> Decimal:
        return Decimal(text.replace(",", "."))

    commission_col, ttc_col = header.index("commission"), header.index("ventes_ttc")
    assert sum(amount(r[commission_col]) for r in body) == amount(total[commission_col]) == Decimal("3.77")
    assert sum(amount(r[ttc_col]) for r in body) == amount(total[ttc_col]) == Decimal("34.00")
    assert total[0] == "TOTAL"


def test_an_impossible_month_is_not_found(client, maroilles, make_member):
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    assert client.get("/vendeur/releves/2026/13/").status_code == 404
