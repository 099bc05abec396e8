"""Numbers the French way on a page, in a PDF's text and on a chart's axes: "10 147,52", never "10,147.52" or "1e7"."""

import base64
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from marketplace.indicators import charts
from marketplace.indicators.models import SaleFact
from tests.vendors.conftest import make_vendor, saleor  # noqa: F401

NNBSP = "\u202f"  # the French thousands separator (narrow no-break space)
ENGLISH_OR_BROKEN = re.compile(r"\d,\d{3}(?:[,.]\d)|\d\.\d{3},\d|\de[+-]?\d")  # 6,410,83 · 6,410.83 · 1.234,5 · 1e7


@pytest.fixture
def big_month(make_vendor, communes):  # noqa: F811
    """March 2026: one vendor sold 10 147,52 € (two orders)."""
    cheese = make_vendor("fromagerie-n", "Maroilles", "39876543")
    for ref, cents in (("n1", 1_000_000), ("n2", 14_752)):
        SaleFact.objects.create(order_ref=ref, date=dt.date(2026, 3, 3), vendor=cheese,
                                customer_commune=communes.get(name="Bavay"), mode="home",
                                amount_cents=cents, commission_cents=cents // 10, customer_trip_km=8.0)
    return cheese


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("agent", password="x" * 12, is_staff=True))
    return client


def _svg_texts(data_uri: str) -> list[str]:
    svg = base64.b64decode(data_uri.split(",", 1)[1]).decode()
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_dashboard_page_writes_amounts_the_french_way(staff_client, big_month):
    body = staff_client.get("/pilotage/indicateurs/?annee=2026&mois=3").content.decode()
    assert f"10{NNBSP}147,52" in body  # sales of the month, and per vendor
    assert f"1{NNBSP}014,75" in body  # the commission, 10 %
    assert f"1{NNBSP}189{NNBSP}041 €" in body  # the leakage: 14 M€ × 31/365, to the euro
    assert not ENGLISH_OR_BROKEN.search(re.sub(r"data:image/svg\+xml;base64,[^\"]+", "", body))


def test_annual_report_pdf_text_writes_amounts_the_french_way(staff_client, big_month):
    response = staff_client.get("/pilotage/indicateurs/rapport/2026.pdf")
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(page.extract_text() for page in pages).replace("\u00a0", " ")
    flat = re.sub(r"[ \u202f]", "", text)  # PDF extraction may drop or keep the narrow spaces
    assert "10147,52" in flat  # the year's sales (table), with a decimal comma
    assert not ENGLISH_OR_BROKEN.search(text)


def test_chart_axes_are_graduated_the_french_way():
    # 14 M€ against 10 147,52 €: matplotlib alone writes "1e7" above the axis
    texts = _svg_texts(charts.value_chart({"leakage": 14_000_000.0, "euros": 10_147.52}))
    assert f"14{NNBSP}000{NNBSP}000" in texts and "0" in texts
    assert not any("e" in t and re.search(r"\de", t) for t in texts)
    small = _svg_texts(charts.van_chart([{"month": dt.date(2026, m, 1), "km": 0.4 * m, "hours": 1.5} for m in (1, 2)]))
    assert any(re.fullmatch(r"0,\d+", t) for t in small) and not any(re.fullmatch(r"0\.\d+", t) for t in small)


def test_french_tick_helper():
    assert charts.french_tick(2_500_000.0) == f"2{NNBSP}500{NNBSP}000"
    assert charts.french_tick(2.5) == "2,5" and charts.french_tick(0.25) == "0,25" and charts.french_tick(-3.0) == "-3"
