"""The vendor's pages in real headless Chromium: sign in, edit stock, tick a line; axe finds nothing serious."""

import pytest

from marketplace.vendors import actions
from marketplace.vendors.models import ProductVariant
from tests.browser import chromium_page, serious_violations

from .conftest import PASSWORD
from .test_orders import order_of


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(viewport={"width": 390, "height": 844}) as page:  # a phone
        yield page


@pytest.mark.browser
def test_a_vendor_works_from_a_phone_and_every_page_passes_axe(page, live_server, maroilles, make_member, make_product):
    product = make_product(maroilles, "Maroilles AOP", variants=(("Le Quart (180 g)", "4.90", "0.18", 25),))
    variant = product.variants.get()
    (share,) = actions.record_order(order_of([(variant, 2, maroilles.saleor_warehouse_id)], number="2001"))
    make_member(maroilles, "fromager")
    base, problems = live_server.url, []

    # sign in from the French login page
    page.goto(base + "/vendeur/")
    page.get_by_label("Identifiant ou adresse e-mail").fill("fromager")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(base + "/vendeur/")

    # set the stock with the keyboard-labelled field
    page.goto(base + "/vendeur/stock/")
    page.get_by_label("En rayon : Maroilles AOP, Le Quart (180 g)").fill("7")
    page.get_by_role("button", name="Enregistrer le stock").click()
    page.wait_for_selector(".messages")
    assert ProductVariant.objects.get(pk=variant.pk).stock == 7

    # tick the order's line as prepared
    page.goto(f"{base}/vendeur/commandes/{share.pk}/")
    page.get_by_label("Maroilles AOP Le Quart (180 g)").check()
    page.get_by_role("button", name="Enregistrer la préparation").click()
    page.wait_for_selector(".messages")
    share.refresh_from_db()
    assert share.lines.get().prepared_at is not None

    for path in ["/vendeur/", "/vendeur/produits/", f"/vendeur/produits/{product.pk}/", "/vendeur/stock/",
                 "/vendeur/commandes/", f"/vendeur/commandes/{share.pk}/", "/vendeur/preparation/",
                 "/vendeur/releves/", "/vendeur/releves/2026/11/", "/vendeur/boutique/"]:
        page.goto(base + path)
        problems.extend({"page": path, **v} for v in serious_violations(page))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    page.goto(base + "/compte/connexion/")
    problems.extend({"page": "login", **v} for v in serious_violations(page))
    assert problems == []
