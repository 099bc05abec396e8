"""The buyer's message is printed on the vouchers bought online: escaped, wrapped, cut at its limit, one page each."""

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from marketplace.vouchers import pdf
from tests.vouchers.test_bought_online import _buy, _pdf_text, run_webhooks  # noqa: F401 - fixture


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_buyers_message_is_on_each_voucher_escaped_and_wrapped(client, saleor, make_shopper, run_webhooks,  # noqa: F811
                                                                    django_capture_on_commit_callbacks):
    long_word = "Joyeux" + "x" * 120 + "Noël"
    message = f"Pour toi <b>Mamie</b> & Papi !\n{long_word} " + "bisous " * 24
    message = message.strip()[:300]
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks, quantity=2, message=message)
    data = client.get(reverse("voucher_shop:pdf", args=[purchase.pk])).content
    pages = PdfReader(io.BytesIO(data)).pages
    # one page per voucher still, each with the whole message, its markup shown as typed (not run)
    assert len(pages) == 2
    for page in pages:
        text = page.extract_text()
        assert "Pour toi <b>Mamie</b> & Papi !" in text
        assert _flat(long_word) in _flat(text) and _flat(message) in _flat(text)
        # the long word was wrapped: no line of the page holds it whole
        assert all(long_word not in line for line in text.splitlines())
    # and the e-mail's PDF is the same
    from django.core import mail

    assert "Pour toi <b>Mamie</b> & Papi !" in _pdf_text(mail.outbox[0].attachments[0][1])


def test_a_message_longer_than_the_limit_is_cut(client, saleor, make_shopper, run_webhooks,  # noqa: F811
                                               django_capture_on_commit_callbacks):
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks, quantity=1, message="")
    purchase.message = "Bonne année " * 40  # 480 characters, from before the form's limit
    purchase.save(update_fields=["message"])
    voucher = purchase.vouchers.get()
    text = _flat(_pdf_text(pdf.render_vouchers([voucher])))
    assert _flat(("Bonne année " * 40)[:pdf.MESSAGE_MOST - 1].rstrip() + "…") in text
    assert _flat("Bonne année " * 40) not in text


def test_a_voucher_without_a_message_prints_none(client, saleor, make_shopper, run_webhooks,  # noqa: F811
                                                django_capture_on_commit_callbacks):
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks, quantity=1, message="")
    text = _pdf_text(pdf.render_vouchers([purchase.vouchers.get()]))
    assert "«" not in text and "Code du chèque cadeau" in text
