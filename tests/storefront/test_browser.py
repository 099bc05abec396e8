"""Two shoppers check out in real headless Chromium; both orders land in the van plan; axe finds no serious issue."""

import datetime as dt

import pytest

from delivery.day_planning import plan_day
from delivery.models import DeliveryDay, DeliveryTask, Depot, Van
from marketplace.storefront.models import ShopOrder
from tests.browser import chromium_page, serious_violations

PASSWORD = "mot-de-passe-2026"


@pytest.fixture
def eager_celery():
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(viewport={"width": 1100, "height": 900}) as page:
        yield page


def login(page, base, username):
    page.goto(base + "/compte/connexion/?next=/boutique/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url("**/boutique/")


def add(page, base, product, quantity="1"):
    page.goto(f"{base}/boutique/produit/{product.slug}/")
    page.get_by_label("Quantité").fill(quantity)
    page.get_by_role("button", name="Ajouter au panier").click()
    page.wait_for_selector(".messages")


def check_accessibility(page, where, found):
    found.extend({"page": where, **v} for v in serious_violations(page))


@pytest.mark.browser
def test_home_and_relay_orders_in_chromium_reach_the_next_van_plan(
        page, live_server, two_vendors, calendar_for, make_shopper, relay, eager_celery):
    base, problems = live_server.url, []
    calendar_for("Jolimetz")
    jeanne, marcel = make_shopper("jeanne"), make_shopper("marcel")
    depot = Depot.objects.create(name="Dépôt", address="Le Quesnoy", lon=3.6366, lat=50.2479)
    Van.objects.create(name="Camionnette 1", depot=depot)

    # Jeanne orders cheese and bread from two vendors, home delivery, pays cash on delivery
    login(page, base, "jeanne")
    check_accessibility(page, "catalogue", problems)
    add(page, base, two_vendors["maroilles"])
    check_accessibility(page, "produit", problems)
    add(page, base, two_vendors["bread"], "2")
    page.goto(base + "/boutique/panier/")
    check_accessibility(page, "panier", problems)
    page.get_by_role("link", name="Choisir comment recevoir ma commande").click()
    check_accessibility(page, "livraison", problems)
    page.locator("input[name=mode][value^='slot:']").first.check()
    page.get_by_role("button", name="Continuer vers le paiement").click()
    check_accessibility(page, "paiement", problems)
    page.get_by_label("Espèces à la livraison").check()
    page.get_by_role("button", name="Valider la commande").click()
    page.wait_for_selector("text=Livraison à domicile le")
    check_accessibility(page, "commande", problems)

    # Marcel orders bread for the relay point and pays with the demo card gateway (no money taken)
    page.context.clear_cookies()  # sign Jeanne out
    login(page, base, "marcel")
    add(page, base, two_vendors["bread"])
    page.goto(base + "/boutique/commande/livraison/")
    page.locator(f"input[name=mode][value^='relay:{relay.pk}:']").check()
    page.get_by_role("button", name="Continuer vers le paiement").click()
    page.get_by_label("Carte de démonstration (aucun débit réel)").check()
    page.get_by_role("button", name="Valider la commande").click()
    page.wait_for_selector("text=À retirer à Mairie de Jolimetz")

    home, relay_order = ShopOrder.objects.get(shopper=jeanne), ShopOrder.objects.get(shopper=marcel)
    assert (home.mode, home.payment, relay_order.mode) == ("home", "cash", "relay")

    # both orders are planned on the next delivery day: every task of theirs is in a round
    first_day = min(home.date, relay_order.date)
    assert first_day <= dt.date.today() + dt.timedelta(days=3)
    for order in (home, relay_order):
        stored = plan_day(DeliveryDay.objects.get(date=order.date), time_limit_s=2)
        planned = set(stored.rounds.values_list("stops__task__source", flat=True))
        sources = set(DeliveryTask.objects.filter(source__startswith=f"order:{order.saleor_order_id}:")
                      .values_list("source", flat=True))
        assert sources and sources <= planned, stored.summary

    assert problems == [], problems
