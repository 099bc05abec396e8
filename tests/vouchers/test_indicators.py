"""The vouchers in the indicators and the annual report: per month, and the share spent locally.

Hand-made rows for 2025 (a year past at any date the tests run), read back by value, then on the
dashboard and in the annual PDF as text (French numbers).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import zoneinfo
from decimal import Decimal

import pytest
from pypdf import PdfReader

from marketplace.indicators import charts, figures
from marketplace.vouchers import selectors
from marketplace.vouchers.models import Voucher, VoucherSpend

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 6, 9, tzinfo=PARIS)
ENGLISH_OR_BROKEN = re.compile(r"\d,\d{3}(?:[,.]\d)|\d\.\d{3},\d|\de[+-]?\d")


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def year_2025(db):
    """Four vouchers issued in March (one of 10 € expiring unspent in June), one sold online in April;
    spent at the door in April, online in May, a door spend given back by a cancelled order, and 5 €
    Saleor shows spent on an order the App never saw (read in July)."""
    made = {}
    for key, amount, balance, origin, created, expiry, read in (
            ("a1", "20", "5", "batch", paris(2025, 3, 10, 9), dt.date(2026, 3, 31), paris(2025, 4, 5, 11)),
            ("a2", "20", "7.50", "batch", paris(2025, 3, 10, 9), dt.date(2026, 3, 31), paris(2025, 5, 20, 18)),
            ("a3", "20", "20", "batch", paris(2025, 3, 10, 9), dt.date(2026, 3, 31), paris(2025, 5, 22, 9)),
            ("b1", "10", "10", "batch", paris(2025, 3, 10, 9), dt.date(2025, 6, 30), paris(2025, 3, 10, 9)),
            ("w1", "30", "25", "online", paris(2025, 4, 2, 20), None, paris(2025, 7, 1, 8))):
        made[key] = Voucher.objects.create(
            gift_card_id=f"R2lmdENhcmQ6{key}", code=f"MORMAL-{key.upper()}-0000", origin=origin, tag="CCAS 2025",
            initial_amount=Decimal(amount), balance=Decimal(balance), expiry_date=expiry, created_at=created,
            balance_read_at=read)
    for key, channel, amount, at, refunded in (("a1", "door", "15", paris(2025, 4, 5, 11), None),
                                               ("a2", "online", "12.50", paris(2025, 5, 20, 18), None),
                                               ("a3", "door", "5", paris(2025, 5, 21, 10), paris(2025, 5, 22, 9))):
        VoucherSpend.objects.create(voucher=made[key], channel=channel, saleor_order_id=f"T3JkZXI6{key}",
                                    order_number=key, amount=Decimal(amount), balance_after=Decimal("0"),
                                    due_after=Decimal("0"), spent_at=at, refunded_at=refunded)
    return made


def test_vouchers_month_by_month_and_the_share_spent_locally(year_2025):
    year = selectors.by_month(dt.date(2025, 1, 1), dt.date(2026, 1, 1), NOW)
    months = {m.month.month: m for m in year.months}
    assert len(months) == 12
    assert (months[3].issued_count, months[3].issued_value) == (4, Decimal("70"))
    assert (months[4].sold_online_count, months[4].sold_online_value) == (1, Decimal("30"))
    assert months[4].spent_at_door == Decimal("15") and months[5].spent_at_door == 0  # given back: not spent
    assert months[5].spent_online == Decimal("12.50") and months[7].spent_elsewhere == Decimal("5")
    assert months[6].expired_value == Decimal("10") and sum(m.expired_value for m in year.months) == Decimal("10")
    assert [months[m].outstanding_value for m in (2, 3, 4, 5, 6, 7, 12)] == [
        0, Decimal("70"), Decimal("85"), Decimal("72.50"), Decimal("72.50"), Decimal("57.50"), Decimal("57.50")]
    # spent on our vendors' orders (door 15 + online 12,50) over what was put on cards (70 + 30)
    assert (year.spent_locally, year.put_on_cards, year.local_share) == (Decimal("27.50"), Decimal("100"),
                                                                         Decimal("0.275"))
    # the end of the year agrees with the staff page's figures (same rows, judged then)
    assert year.totals.outstanding_value == selectors.figures(paris(2025, 12, 31, 12)).outstanding_value


def test_months_still_to_come_are_left_out_and_a_month_without_issue_has_no_share(year_2025):
    assert [m.month.month for m in selectors.by_month(dt.date(2025, 1, 1), dt.date(2026, 1, 1),
                                                      paris(2025, 5, 21, 12)).months] == [1, 2, 3, 4, 5]
    may = selectors.by_month(dt.date(2025, 5, 1), dt.date(2025, 6, 1), NOW)
    assert may.local_share is None and may.spent_locally == Decimal("12.50")


def test_the_vouchers_chart_is_graduated_the_french_way(year_2025):
    data = figures.all_figures(figures.Period(2025), now=NOW)
    svg = charts.vouchers_chart(data["vouchers"].months)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", base64.b64decode(svg.split(",", 1)[1]).decode())
    assert "mars" in texts and not any(re.search(r"\de[+-]?\d|\d\.\d", t) for t in texts), texts


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("agent", password="x" * 12, is_staff=True))
    return client


def test_the_dashboard_shows_the_vouchers_with_french_numbers(staff_client, year_2025):
    body = staff_client.get("/pilotage/indicateurs/?annee=2025").content.decode()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"data:image/svg\+xml;base64,[^\"]+", "", body))).split())
    assert "Chèques cadeaux du Pays de Mormal" in text
    assert "Émis par l'équipe 4 chèques, 70,00 €" in text and "Vendus en ligne 1 chèque, 30,00 €" in text
    assert "Dépensés à la livraison 15,00 €" in text and "Dépensés en ligne 12,50 €" in text
    assert "Dépensés hors de nos commandes (vus dans Saleor) 5,00 €" in text
    assert "Expirés non dépensés 10,00 €" in text and "En circulation en fin de période 57,50 €" in text
    assert "Part dépensée localement 27,5 % (27,50 € sur 100,00 €)" in text  # split() took the narrow space
    assert "avril 2025 0,00 30,00 15,00 0,00 0,00 0,00 85,00" in text
    assert "divisé par le montant mis sur des chèques sur la même période" in text  # the share, defined plainly
    assert not ENGLISH_OR_BROKEN.search(text)


def test_the_annual_report_carries_the_vouchers(staff_client, year_2025):
    response = staff_client.get("/pilotage/indicateurs/rapport/2025.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages).replace("\u00a0", " ")
    flat = re.sub(r"[ \u202f]", "", text)
    assert "Chèques cadeaux du Pays de Mormal" in text
    assert "Émisparl'équipe4chèques,70,00€" in flat and "Expirésnondépensés10,00€" in flat
    assert "Partdépenséelocalement27,5%(27,50€sur100,00€)" in flat
    assert "juillet20250,000,000,000,005,000,0057,50" in flat
    assert not ENGLISH_OR_BROKEN.search(text)
