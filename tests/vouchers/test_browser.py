"""Real Chromium: staff issue vouchers at desktop and phone sizes; the driver enters a code on a 390×844 phone.

axe-core finds nothing serious on either page. Screenshots go to ``$SCREENSHOT_DIR`` (default:
the test's temporary folder).
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from delivery.models import DeliveryTask
from marketplace.vouchers.models import VoucherBatch, VoucherSpend
from tests.browser import chromium_page, serious_violations
from tests.delivery.conftest import (  # noqa: F401  (fixtures)
    current_round,
    day,
    depot,
    phone_url,
    planned_day,
    specs,
    territory,
    van,
)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _staff_cookie(live_server, django_user_model):
    login = Client()
    login.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    return [{"name": "sessionid", "value": login.cookies["sessionid"].value, "url": live_server.url}]


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["bureau", "telephone"])
def test_staff_issue_a_batch_and_the_page_passes_axe(monkeypatch, live_server, django_user_model, saleor, shots,
                                                     size):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    width, height = size
    with chromium_page(viewport={"width": width, "height": height}) as page:
        page.context.add_cookies(_staff_cookie(live_server, django_user_model))
        page.goto(live_server.url + "/pilotage/cheques-cadeaux/")
        assert serious_violations(page) == []
        # a wrong amount is refused in French, with the field kept
        page.get_by_label("Pour qui (CCAS, commune, employeur…)").fill("CCAS 2027")
        page.get_by_label("Montant de chaque chèque (€, de 1 à 500)").fill("mille")
        page.get_by_label("Nombre de chèques (1 à 500)").fill("4")
        page.get_by_role("button", name="Émettre les chèques").click()
        assert "Indiquez un montant entre 1 € et 500 € par chèque." in page.get_by_role("alert").inner_text()
        assert serious_violations(page) == []
        # then a right one issues the batch and offers its PDF
        page.get_by_label("Montant de chaque chèque (€, de 1 à 500)").fill("20")
        page.get_by_role("button", name="Émettre les chèques").click()
        page.wait_for_selector("text=4 chèque(s) cadeau de 20,00 € émis pour « CCAS 2027 »")
        assert page.get_by_role("link", name="PDF du lot (4 pages)").is_visible()
        assert "4 chèque(s), 80,00 €" in page.locator("dl.totals").inner_text()
        page.screenshot(path=str(shots / f"cheques-cadeaux-equipe-{width}.png"), full_page=True)
        assert serious_violations(page) == []
        # the page does not scroll sideways on a phone
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert VoucherBatch.objects.get().count == 4


@pytest.mark.browser
def test_the_driver_types_a_voucher_code_and_reads_the_balance(monkeypatch, live_server, saleor, cash_order, issue,
                                                              current_round, phone_url, shots):  # noqa: F811
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given stop 1 of today's round is Gisèle's cash order, and she holds a 5 € voucher
    order = cash_order(loaves=3)
    DeliveryTask.objects.filter(source=f"order:{order.saleor_order_id}").delete()
    task = current_round.stops.order_by("sequence").first().task
    task.source, task.payment_method, task.payment_cents = f"order:{order.saleor_order_id}", "cash", order.total_cents
    task.save()
    voucher = issue("5")
    with chromium_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                       device_scale_factor=2) as page:
        # the stop on the phone offers the voucher step
        page.goto(live_server.url + phone_url)
        page.locator(f"#arret-{task.pk}").get_by_role("link", name="Payé en chèque cadeau ? Scanner").click()
        page.wait_for_selector("#voucher-form")
        assert serious_violations(page) == []
        # a wrong code gets one French sentence, and nothing is taken
        page.get_by_label("Code du chèque cadeau (12 caractères, sous le montant)").fill("ABCD-0000-ZZZZ")
        page.get_by_role("button", name="Débiter le chèque").click()
        assert "Aucun chèque cadeau ne porte le code « ABCD-0000-ZZZZ »" in page.get_by_role("alert").inner_text()
        assert serious_violations(page) == []
        # the right one (typed in lower case, in groups) is taken, and the balance and rest are shown
        page.get_by_label("Code du chèque cadeau (12 caractères, sous le montant)").fill(
            voucher.code.replace("-", " ").lower())
        page.get_by_role("button", name="Débiter le chèque").click()
        result = page.get_by_role("status").filter(has_text="Solde restant").inner_text()
        assert "5,00 € débités" in result and "Solde restant du chèque : 0,00 €" in result
        rest = (order.total_cents - 500) / 100
        assert f"Reste à encaisser : {rest:.2f}".replace(".", ",") in page.locator("#reste").inner_text()
        page.screenshot(path=str(shots / "cheque-cadeau-porte-390.png"), full_page=True)
        assert serious_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert VoucherSpend.objects.get().amount == 5


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["bureau", "telephone"])
def test_a_shopper_buys_e_vouchers_by_card_and_the_pages_pass_axe(monkeypatch, live_server, saleor, make_shopper,
                                                                   shots, size):
    from django.core import mail

    from marketplace.celery import app

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    app.conf.task_always_eager = True  # the webhook handler runs as the worker would
    try:
        _buy_in_chromium(live_server, make_shopper, shots, size)
    finally:
        app.conf.task_always_eager = False
    assert len(mail.outbox) == 1


def _buy_in_chromium(live_server, make_shopper, shots, size):
    from marketplace.vouchers.models import Voucher

    width, height = size
    login = Client()
    login.force_login(make_shopper("gisele").user)
    with chromium_page(viewport={"width": width, "height": height}) as page:
        page.context.add_cookies([{"name": "sessionid", "value": login.cookies["sessionid"].value,
                                   "url": live_server.url}])
        page.goto(live_server.url + "/boutique/cheques-cadeaux/")
        assert "se paient à part" in page.get_by_role("note").inner_text()
        assert serious_violations(page) == []
        # an e-mail the browser lets through but with no real domain is refused in French, the choices kept
        page.get_by_label("50,00 €").check()
        page.get_by_label("Nombre de chèques (1 à 10)").fill("2")
        page.get_by_label("Nom de la personne").fill("Mamie Jeanne")
        page.get_by_label("Son adresse e-mail").fill("jeanne@exemple")
        page.get_by_label("Votre message").fill("Joyeux Noël !")
        page.get_by_role("button", name="Continuer vers le paiement").click()
        assert "destinataire n'est pas valable" in page.get_by_role("alert").inner_text()
        assert serious_violations(page) == []
        page.get_by_label("Son adresse e-mail").fill("jeanne@exemple.fr")
        page.get_by_role("button", name="Continuer vers le paiement").click()
        # the payment page: the demo card, and a clear word on paying with a voucher
        page.wait_for_selector("text=Total à payer : 100,00 €")
        assert serious_violations(page) == []
        page.screenshot(path=str(shots / f"cheques-cadeaux-achat-{width}.png"), full_page=True)
        page.get_by_role("button", name="Payer 100,00 €").click()
        page.wait_for_selector("text=Vos chèques cadeaux sont payés")
        assert page.get_by_role("link", name="Télécharger les chèques à imprimer (PDF)").is_visible()
        codes = page.locator("table code").all_inner_texts()
        assert sorted(codes) == sorted(Voucher.objects.values_list("code", flat=True)) and len(codes) == 2
        assert "Envoyés par e-mail à jeanne@exemple.fr" in page.content()
        assert serious_violations(page) == []
        page.screenshot(path=str(shots / f"cheques-cadeaux-achetes-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
