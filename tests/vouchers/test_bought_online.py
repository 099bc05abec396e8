"""Shoppers buy e-vouchers online: Saleor's gift-card product, paid by card, cards issued on full payment.

Through the pages, the stand-in Saleor (which fulfils gift-card lines and issues the cards as
Saleor 3.23 does) and the ORDER_FULLY_PAID webhook; every euro and card is followed.
"""

import html
import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from marketplace.payments import demo_card
from marketplace.saleor.models import WebhookEvent
from marketplace.storefront import checkout as shop
from marketplace.vouchers import actions, online, selectors
from marketplace.vouchers.error_codes import VoucherError
from marketplace.vouchers.error_codes import VoucherErrorCode as Code
from marketplace.vouchers.models import Voucher, VoucherPurchase, VoucherSpend
from tests.saleor.test_webhooks import _post


@pytest.fixture
def run_webhooks():
    """Run webhook handlers in-process (Celery eager), as the worker would."""
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _buy(client, shopper, django_capture_on_commit_callbacks, quantity=2, **extra):
    client.force_login(shopper.user)
    form = {"montant": "20", "nombre": str(quantity), "nom": "Mamie Jeanne", "email": "jeanne@exemple.fr",
            "message": "Joyeux Noël !", **extra}
    started = client.post(reverse("voucher_shop:buy"), form)
    assert started.status_code == 302, started.content.decode()
    purchase = VoucherPurchase.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(reverse("voucher_shop:pay", args=[purchase.pk]), {"carte": demo_card.ACCEPTED_CARD})
    assert paid.status_code == 302 and paid.url == reverse("voucher_shop:purchase", args=[purchase.pk])
    purchase.refresh_from_db()
    return purchase


def test_bought_vouchers_are_saleor_gift_cards_kept_as_online_vouchers_and_emailed_as_a_pdf(
        client, saleor, make_shopper, django_capture_on_commit_callbacks, run_webhooks):
    shopper = make_shopper("gisele")
    page = client.get(reverse("voucher_shop:buy"))
    assert page.status_code == 200 or "who" in page.templates[0].name  # the wall for strangers
    # when Gisèle buys two 20 € vouchers for her mother and pays by card
    purchase = _buy(client, shopper, django_capture_on_commit_callbacks)
    # then Saleor has a fully paid order of the gift-card product, fulfilled by itself (nothing to deliver)
    order = saleor.orders.get(purchase.saleor_order_id)
    assert order.charge_status == "FULL" and order.total.amount == Decimal("40.00") and order.status == "FULFILLED"
    assert order.delivery is None and order.metadata["mormal.mode"] == "cheques-cadeaux"
    assert [(ln.sku, ln.quantity) for ln in order.lines] == [("cheque-cadeau-pays-de-mormal-20", 2)]
    # and the card charge is the 40 € (no other transaction)
    assert [(t.charged.amount) for t in order.transactions] == [Decimal("40.00")]
    # and Saleor issued two 20 € cards for that order, which the App keeps as vouchers bought online
    product = online.product(saleor)
    cards = saleor.gift_card_products.bought_in_order(order.id, product.product_id, order.email)
    assert sorted(c.current_balance.amount for c in cards) == [Decimal("20.00")] * 2
    vouchers = list(Voucher.objects.order_by("pk"))
    assert {v.gift_card_id for v in vouchers} == {c.id for c in cards}
    assert all(v.origin == Voucher.Origin.ONLINE and v.purchase == purchase and v.initial_amount == 20 for v in vouchers)
    assert purchase.paid_at is not None and purchase.order_number == order.number
    # and the PDF went once to the recipient, one page per voucher with its code
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jeanne@exemple.fr"]
    assert "Joyeux Noël !" in mail.outbox[0].body and "Gisele Test vous offre 2 chèque(s)" in mail.outbox[0].body
    (name, data, kind), = mail.outbox[0].attachments
    assert kind == "application/pdf" and name == f"cheques-cadeaux-{order.number}.pdf"
    text = _pdf_text(data)
    assert all(actions.display_code(v.code) in text for v in vouchers) and text.count("20,00 €") == 2
    assert "Offert par : Gisele Test" in text and len(PdfReader(io.BytesIO(data)).pages) == 2
    # a card without an end date does not speak of one
    assert "Sans date de fin de validité" in text and "jusqu'à la date de fin" not in " ".join(text.split())
    # and her purchase page lists them with the PDF
    shown = client.get(reverse("voucher_shop:purchase", args=[purchase.pk])).content.decode()
    assert all(v.code in shown for v in vouchers) and reverse("voucher_shop:pdf", args=[purchase.pk]) in shown
    listed = client.get(reverse("storefront:orders")).content.decode()
    assert "Chèques cadeaux achetés" in listed and reverse("voucher_shop:purchase", args=[purchase.pk]) in listed
    pdf = client.get(reverse("voucher_shop:pdf", args=[purchase.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # and no van task, no vendor share came of it
    from delivery.models import DeliveryTask
    from marketplace.vendors.models import VendorOrder

    assert not DeliveryTask.objects.exists() and not VendorOrder.objects.exists()
    # and the staff figures count them as sold online
    figures = selectors.figures(timezone.now())
    assert (figures.sold_online_count, figures.sold_online_value, figures.issued_count) == (2, Decimal("40.00"), 0)
    # and so do the indicators' months (the money put on cards this month)
    now = timezone.now()
    month = timezone.localtime(now).date().replace(day=1)
    year = selectors.by_month(month, month.replace(year=month.year + 1), now)
    assert (year.months[0].sold_online_count, year.months[0].sold_online_value) == (2, Decimal("40.00"))
    assert year.put_on_cards == Decimal("40.00")


def test_the_staff_page_shows_vouchers_sold_online(client, saleor, make_shopper, django_user_model,
                                                   django_capture_on_commit_callbacks, run_webhooks):
    _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks, quantity=1)
    staff = django_user_model.objects.create_user("agent", password="x", is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = html.unescape(client.get(reverse("vouchers:staff")).content.decode()).replace("\xa0", " ")
    assert "<dt>Vendus en ligne</dt><dd>1 chèque(s), 20,00 €</dd>" in page
    assert "<dt>Émis par l'équipe</dt><dd>0 chèque(s), 0,00 €</dd>" in page


def test_a_bought_voucher_pays_a_vendors_order(client, saleor, make_shopper, two_vendors, calendar_for,
                                               django_capture_on_commit_callbacks, run_webhooks):
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks, quantity=1)
    voucher = purchase.vouchers.get()
    # when the recipient spends it on bread delivered to her home, the rest in cash at the door
    calendar_for("Jolimetz")
    from marketplace.storefront import offers

    cart = shop.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 20, saleor)
    jeanne = purchase.buyer
    shop.choose_delivery(saleor.checkout.get(cart.id), jeanne, offers.home_options(jeanne.commune)[0].key, saleor)
    gross = saleor.checkout.get(cart.id).total.amount
    assert gross > 20
    actions.apply_online(saleor, cart.id, voucher.code, timezone.now())
    order = shop.place_order(cart.id, jeanne, jeanne.user, "cash", saleor)
    # then Saleor took the whole 20 €, the cash authorisation covers the rest, and the spend is the vendor's
    assert saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount == 0
    assert saleor.payments.get(order.transaction_id).authorized.amount == gross - 20
    spend = VoucherSpend.objects.get()
    assert (spend.voucher, spend.amount, spend.saleor_order_id) == (voucher, Decimal("20.00"), order.saleor_order_id)


def test_the_webhook_delivered_twice_keeps_one_voucher_per_card_and_sends_one_email(
        client, saleor, make_shopper, installation, saleor_keys, django_capture_on_commit_callbacks, run_webhooks):
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks)
    assert Voucher.objects.count() == 2 and len(mail.outbox) == 1
    # when Saleor sends the same ORDER_FULLY_PAID again, signed, to the App's webhook URL (twice)
    event = WebhookEvent.objects.get(event_type="ORDER_FULLY_PAID",
                                     payload__order__id=purchase.saleor_order_id)
    body = json.dumps(event.payload).encode()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            answer = _post(client, installation, body, saleor_keys.sign(body, "key-1"))
        assert answer.status_code == 200
    # then still two vouchers and one e-mail
    assert Voucher.objects.count() == 2 and len(mail.outbox) == 1
    # and a forged delivery is refused
    assert _post(client, installation, body, "forged").status_code in (400, 401, 403)


def test_another_person_cannot_see_or_download_the_vouchers(client, saleor, make_shopper,
                                                            django_capture_on_commit_callbacks, run_webhooks):
    purchase = _buy(client, make_shopper("gisele"), django_capture_on_commit_callbacks)
    client.force_login(make_shopper("intrus").user)
    assert client.get(reverse("voucher_shop:pdf", args=[purchase.pk])).status_code == 404
    assert client.get(reverse("voucher_shop:purchase", args=[purchase.pk])).status_code == 404
    assert client.post(reverse("voucher_shop:pay", args=[purchase.pk]), {"carte": "x"}).status_code == 404
    client.logout()
    assert client.get(reverse("voucher_shop:pdf", args=[purchase.pk])).status_code == 404


def test_a_voucher_cannot_pay_for_vouchers(client, saleor, make_shopper, issue):
    shopper = make_shopper("gisele")
    client.force_login(shopper.user)
    client.post(reverse("voucher_shop:buy"), {"montant": "50", "nombre": "1"})
    purchase = VoucherPurchase.objects.get()
    voucher = issue("50")
    # when she offers a voucher's code to pay for it
    page = client.post(reverse("voucher_shop:pay", args=[purchase.pk]), {"code": voucher.code})
    # then the page says why in French, and nothing moved
    assert page.status_code == 400
    assert "Un chèque cadeau ne peut pas payer un autre chèque cadeau" in page.content.decode()
    with pytest.raises(VoucherError) as refused:  # nor through the cart's voucher step
        actions.apply_online(saleor, purchase.checkout_id, voucher.code, timezone.now())
    assert refused.value.code is Code.VOUCHER_FOR_VOUCHER
    assert not saleor.checkout.get(purchase.checkout_id).gift_cards
    assert saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount == 50


def test_refused_card_and_bad_choices_say_why_and_charge_nothing(client, saleor, make_shopper):
    client.force_login(make_shopper("gisele").user)
    wrong = client.post(reverse("voucher_shop:buy"), {"montant": "15", "nombre": "1"})
    assert wrong.status_code == 400 and "Choisissez un montant parmi ceux proposés" in wrong.content.decode()
    bad_mail = client.post(reverse("voucher_shop:buy"), {"montant": "10", "nombre": "1", "email": "pas-un-mail"})
    assert bad_mail.status_code == 400 and "destinataire n'est pas valable" in html.unescape(bad_mail.content.decode())
    client.post(reverse("voucher_shop:buy"), {"montant": "10", "nombre": "3"})
    purchase = VoucherPurchase.objects.get()
    refused = client.post(reverse("voucher_shop:pay", args=[purchase.pk]), {"carte": demo_card.REFUSED_CARD})
    assert refused.status_code == 400 and "Le paiement a été refusé" in refused.content.decode()
    purchase.refresh_from_db()
    assert not purchase.saleor_order_id and not Voucher.objects.exists()
    assert saleor.checkout.get(purchase.checkout_id).charge_status == "NONE"


def test_a_3ds_card_is_confirmed_then_the_vouchers_are_issued(client, saleor, make_shopper,
                                                              django_capture_on_commit_callbacks, run_webhooks):
    client.force_login(make_shopper("gisele").user)
    client.post(reverse("voucher_shop:buy"), {"montant": "10", "nombre": "1"})
    purchase = VoucherPurchase.objects.get()
    asked = client.post(reverse("voucher_shop:pay", args=[purchase.pk]), {"carte": demo_card.THREE_D_SECURE_CARD})
    assert asked.status_code == 302
    assert "Je confirme le paiement" in client.get(asked.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("voucher_shop:pay", args=[purchase.pk]), {"confirmer": "oui"})
    assert done.status_code == 302
    voucher = Voucher.objects.get()
    assert voucher.initial_amount == 10 and voucher.purchase == purchase
    assert mail.outbox[0].to == ["gisele@exemple.fr"]  # no recipient named: to the buyer


def test_with_stripes_app_the_vouchers_are_paid_on_the_card_page_and_issued_once(
        client, stripe_gateway, saleor, make_shopper, django_capture_on_commit_callbacks, run_webhooks):
    from tests.payments.test_stripe_card import _page_config

    client.force_login(make_shopper("gisele").user)
    client.post(reverse("voucher_shop:buy"), {"montant": "10", "nombre": "2"})
    purchase = VoucherPurchase.objects.get()
    # when she pays: the card page of Saleor's Stripe app, nothing charged yet
    to_card = client.post(reverse("voucher_shop:pay", args=[purchase.pk]), {})
    assert to_card.status_code == 302 and to_card.url == reverse("voucher_shop:card_pay", args=[purchase.pk])
    page = client.get(to_card.url)
    config = _page_config(page.content.decode())
    assert config["returnUrl"].endswith(reverse("voucher_shop:card_return", args=[purchase.pk]))
    assert "script-src 'self' https://js.stripe.com" in page["Content-Security-Policy"]
    assert _page_config(client.get(to_card.url).content.decode())["clientSecret"] == config["clientSecret"]  # reload
    intent_id = config["clientSecret"].split("_secret_")[0]
    back = reverse("voucher_shop:card_return", args=[purchase.pk]) + f"?payment_intent={intent_id}"
    # a return before the bank confirmed places nothing
    declined = client.get(back + "&redirect_status=requires_payment_method")
    assert declined.status_code == 302 and not VoucherPurchase.objects.get().saleor_order_id
    # when Stripe.js confirms the card (a new attempt after the refusal) and sends her back
    config = _page_config(client.get(to_card.url).content.decode())
    intent_id = config["clientSecret"].split("_secret_")[0]
    stripe_gateway.confirm(intent_id, "succeeded")
    back = reverse("voucher_shop:card_return", args=[purchase.pk]) + f"?payment_intent={intent_id}"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.get(back + "&redirect_status=succeeded")
    assert done.status_code == 302 and done.url == reverse("voucher_shop:purchase", args=[purchase.pk])
    # then Saleor charged 20 € once and issued two 10 € cards, kept and e-mailed once; a reload changes nothing
    purchase.refresh_from_db()
    order = saleor.orders.get(purchase.saleor_order_id)
    assert order.charge_status == "FULL" and sum(t.charged.amount for t in order.transactions) == Decimal("20.00")
    assert sorted(v.initial_amount for v in Voucher.objects.all()) == [Decimal("10.00")] * 2
    assert client.get(back + "&redirect_status=succeeded").status_code == 302
    assert Voucher.objects.count() == 2 and len(mail.outbox) == 1 and VoucherPurchase.objects.count() == 1


def test_the_buyers_data_export_lists_the_purchase_and_erasure_forgets_the_recipient(
        client, saleor, make_shopper, django_capture_on_commit_callbacks, run_webhooks):
    from marketplace.privacy.actions import erase_shopper, export_shopper_data

    shopper = make_shopper("gisele")
    purchase = _buy(client, shopper, django_capture_on_commit_callbacks, quantity=1)
    [row] = export_shopper_data(shopper.user)["cheques_cadeaux_achetes"]
    assert (row["pour"], row["email_du_destinataire"], row["message"]) == ("Mamie Jeanne", "jeanne@exemple.fr",
                                                                           "Joyeux Noël !")
    erase_shopper(shopper.user, timezone.now())
    purchase.refresh_from_db()
    assert (purchase.recipient_name, purchase.recipient_email, purchase.message, purchase.emailed_to) == ("",) * 4
    assert purchase.vouchers.count() == 1 and purchase.amount == 20  # the voucher and its money stay
    assert WebhookEvent.objects.filter(payload__order__id=purchase.saleor_order_id).exclude(
        payload={"erased": True}).count() == 0


def test_the_e_voucher_product_never_shows_among_the_goods(client, saleor, two_vendors):
    from marketplace.storefront import catalogue

    online.product(saleor)
    catalogue.forget_catalogue()
    views, _page = catalogue.search(saleor=saleor)
    assert views and online.PRODUCT_NAME not in {v.name for v in views}
    assert catalogue.product(online.PRODUCT_SLUG, saleor=saleor) is None
    assert client.get(reverse("storefront:product", args=[online.PRODUCT_SLUG])).status_code == 404
