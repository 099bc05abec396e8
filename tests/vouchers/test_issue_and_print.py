"""Staff issue a batch of vouchers (Saleor gift cards) and print them: a French PDF page each, code and QR."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from marketplace.vouchers import actions, selectors
from marketplace.vouchers.error_codes import VoucherError
from marketplace.vouchers.error_codes import VoucherErrorCode as Code
from marketplace.vouchers.models import Voucher, VoucherBatch
from marketplace.vouchers.pdf import render_vouchers


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _expiry(days=400) -> dt.date:
    return actions.saleor_today(timezone.now()) + dt.timedelta(days=days)


def test_a_batch_becomes_saleor_gift_cards_and_one_printed_page_each(saleor):
    # when staff issue three 25 € vouchers for the CCAS, valid ~13 months
    batch = actions.issue_batch(saleor, tag="CCAS 2027", amount="25,00", count="3", expiry_date=_expiry(),
                                now=timezone.now())
    # then Saleor holds three gift cards with that balance, expiry and tag, and the App one row each
    vouchers = list(batch.vouchers.order_by("pk"))
    assert len(vouchers) == 3 and batch.total == Decimal("75.00")
    cards = saleor.gift_cards.find(tags=["CCAS 2027"])
    assert {c.code for c in cards} == {v.code for v in vouchers}
    assert all(c.current_balance.amount == 25 and c.expiry_date == _expiry() for c in cards)
    # and the PDF has one French page per voucher with its amount, code (in groups of four), expiry and tag
    pages = pdf_text(render_vouchers(vouchers))
    assert len(pages) == 3
    for number, (page, voucher) in enumerate(zip(pages, vouchers, strict=True), start=1):
        assert "Chèque cadeau du Pays de Mormal" in page and "25,00 €" in page
        assert actions.display_code(voucher.code) in page and f"N° {number} / 3" in page
        assert f"Valable jusqu'au {actions.date_fr(_expiry())} inclus." in page
        assert "Offert par : CCAS 2027" in page
        assert "montrez ce chèque au chauffeur, il scanne le QR code" in page
        assert "Ni remboursable, ni échangeable contre des espèces" in page
        assert "le solde restant est conservé jusqu'à la date de fin" in " ".join(page.split())


@pytest.mark.parametrize("fields, code", [
    ({"tag": " ", "amount": "10", "count": "5"}, Code.NO_TAG),
    ({"tag": "Mairie de Bavay", "amount": "10", "count": "0"}, Code.BAD_COUNT),
    ({"tag": "Mairie de Bavay", "amount": "10", "count": "501"}, Code.BAD_COUNT),
    ({"tag": "Mairie de Bavay", "amount": "dix", "count": "5"}, Code.BAD_AMOUNT),
    ({"tag": "Mairie de Bavay", "amount": "0,50", "count": "5"}, Code.BAD_AMOUNT),
])
def test_a_batch_with_bad_fields_is_refused_before_saleor_is_asked(saleor, fields, code):
    with pytest.raises(VoucherError) as refused:
        actions.issue_batch(saleor, expiry_date=None, now=timezone.now(), **fields)
    assert refused.value.code is code
    assert not saleor.gift_cards.find() and not VoucherBatch.objects.exists()


def test_an_expiry_today_or_before_is_refused(saleor):
    with pytest.raises(VoucherError) as refused:
        actions.issue_batch(saleor, tag="Employeur Dupont", amount=10, count=1, expiry_date=_expiry(0),
                            now=timezone.now())
    assert refused.value.code is Code.PAST_EXPIRY and "doit être postérieure à aujourd'hui" in str(refused.value)


def test_staff_issue_from_their_page_and_download_the_pdf(client, admin_user, saleor):
    client.force_login(admin_user)
    page = client.get(reverse("vouchers:staff"))
    assert page.status_code == 200 and "Émettre un lot" in page.content.decode()
    done = client.post(reverse("vouchers:staff"), {"tag": "Employeur Dupont", "amount": "15", "count": "2",
                                                   "expiry": _expiry().isoformat()}, follow=True)
    body = done.content.decode()
    assert "2 chèque(s) cadeau de 15,00 € émis pour « Employeur Dupont »" in body
    assert "Émis par l'équipe" in body and "2 chèque(s), 30,00 €" in body
    batch = VoucherBatch.objects.get()
    pdf = client.get(reverse("vouchers:batch_pdf", args=[batch.pk]))
    assert pdf["Content-Type"] == "application/pdf" and len(pdf_text(pdf.content)) == 2
    refused = client.post(reverse("vouchers:staff"), {"tag": "", "amount": "15", "count": "2", "expiry": ""})
    assert refused.status_code == 400 and "Indiquez pour qui sont ces chèques" in refused.content.decode()


def test_the_staff_page_is_for_staff_only(client, django_user_model):
    user = django_user_model.objects.create_user("anne", password="mot-de-passe-2026")
    client.force_login(user)
    assert client.get(reverse("vouchers:staff")).status_code == 302


def test_figures_count_issued_spent_expired_and_outstanding(saleor):
    now = timezone.now()
    live = actions.issue_batch(saleor, tag="CCAS 2027", amount=20, count=2, expiry_date=_expiry(), now=now)
    old = actions.issue_batch(saleor, tag="CCAS 2026", amount=10, count=1, expiry_date=_expiry(2), now=now)
    first = live.vouchers.order_by("pk").first()
    saleor.gift_cards.adjust_balance(first.gift_card_id, Decimal("-12.50"))  # spent online, say
    assert selectors.refresh_balances(saleor, now) == 3
    later = now + dt.timedelta(days=3)  # the CCAS 2026 voucher has expired unspent
    figures = selectors.figures(later)
    assert (figures.issued_count, figures.issued_value) == (3, Decimal("50.00"))
    assert figures.spent_value == Decimal("12.50") and figures.spent_at_door == 0
    assert figures.spent_online == Decimal("12.50")
    assert figures.expired_value == Decimal("10.00")
    assert (figures.outstanding_value, figures.outstanding_count) == (Decimal("27.50"), 2)
    assert Voucher.objects.get(pk=old.vouchers.get().pk).expiry_date == _expiry(2)


def test_a_card_bought_online_gets_its_row_when_balances_are_read(saleor):
    card = saleor.gift_cards.create(Decimal("30"))  # as Saleor issues it for a gift-card product
    selectors.refresh_balances(saleor, timezone.now())
    assert Voucher.objects.get(gift_card_id=card.id).origin == Voucher.Origin.ONLINE
    assert selectors.figures(timezone.now()).sold_online_value == Decimal("30.00")


@pytest.mark.parametrize("totals, paid, expected", [
    ({1: Decimal("10"), 2: Decimal("20")}, Decimal("10"), {1: Decimal("3.33"), 2: Decimal("6.67")}),
    ({1: Decimal("5"), 2: Decimal("5"), 3: Decimal("5")}, Decimal("1"), {1: Decimal("0.34"), 2: Decimal("0.33"),
                                                                      3: Decimal("0.33")}),
    ({1: Decimal("8")}, Decimal("50"), {1: Decimal("8.00")}),
])
def test_voucher_money_is_split_over_an_orders_vendors_to_the_cent(totals, paid, expected):
    shares = selectors.vendor_shares(totals, paid)
    assert shares == expected and sum(shares.values()) == min(paid, sum(totals.values()))
