"""A new shopper's first order on a phone (Chromium, 390 × 844), from sign-up to sign-out.

Sign up, confirm by the e-mailed link (Django's locmem outbox), add an address in the territory,
order from two vendors to the home (at most 12 page loads from the first product page: adding to
the cart keeps the shopper on the product page), see the order page; a Paris address is refused for home
delivery in French; sign out. Every page is checked for sideways scrolling; screenshots go to
``/tmp/shoppers/`` (or ``MORMAL_SCREENSHOTS``).
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from marketplace.storefront.models import ShopOrder
from marketplace.territory.models import Shopper
from tests.browser import chromium_page, serious_violations

SHOTS = Path(os.environ.get("MORMAL_SCREENSHOTS", "/tmp/shoppers"))
PASSWORD = "Campagne-Mormal-59"


@pytest.fixture
def phone(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True,
                       has_touch=True, locale="fr-FR") as page:
        yield page


class Walk:
    """The page, its screenshots, and the pages that scroll sideways."""

    def __init__(self, page):
        self.page, self.overflow, self.n, self.axe, self.loads = page, [], 0, [], 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.on("load", lambda _page: self.count())

    def count(self) -> None:
        self.loads += 1

    def look(self, name: str, axe: bool = True) -> None:
        self.n += 1
        if axe:
            self.axe.extend({"page": name, **v} for v in serious_violations(self.page))
        self.page.screenshot(path=str(SHOTS / f"{self.n:02d}-{name}.png"), full_page=True)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            self.overflow.append((name, self.page.url, width))


@pytest.mark.browser
def test_first_order_on_a_phone_from_sign_up_to_sign_out(phone, live_server, two_vendors, calendar_for, relay):
    base, walk, page = live_server.url, Walk(phone), phone
    calendar_for("Jolimetz")

    # a visitor puts bread and cheese from two vendors in her cart, staying on the product page
    for product in (two_vendors["bread"], two_vendors["maroilles"]):
        page.goto(f"{base}/boutique/produit/{product.slug}/")
        loads = walk.loads
        page.get_by_role("button", name="Ajouter au panier").click()
        page.wait_for_selector(".messages")
        assert "Produit ajouté à votre panier." in page.locator("#annonces").inner_text()
        assert walk.loads == loads and page.url.endswith(f"/boutique/produit/{product.slug}/")
    assert "(2)" in page.locator(".cart-count").inner_text()
    page.goto(base + "/boutique/panier/")
    walk.look("panier")
    page.get_by_role("link", name="Choisir comment recevoir ma commande").click()

    # the sign-in wall says why, and offers to sign up
    page.wait_for_selector("text=Qui commande ?")
    assert page.get_by_text("Votre panier est gardé").is_visible()
    walk.look("qui-commande")
    page.get_by_role("link", name="Créer mon compte").click()
    page.locator("input[name=email]").fill("odette.leroy@exemple.fr")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    walk.look("inscription")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/compte/confirmer-email/")
    walk.look("verifiez-vos-emails")

    # she follows the link of the e-mail and is back where she was, signed in
    (message,) = [m for m in mail.outbox if m.to == ["odette.leroy@exemple.fr"]]
    link = re.search(r"https?://\S+/compte/confirmer-email/\S+", message.body).group(0)
    page.goto(link)
    page.wait_for_url("**/boutique/commande/livraison/")
    walk.look("livraison-sans-adresse")
    assert "ajoutez d'abord votre adresse" in page.locator("#home-refusal").inner_text()

    # she adds her address in Jolimetz (no coordinates asked), and comes back to the choice
    page.get_by_role("link", name="Changer ou ajouter une adresse").click()
    page.get_by_label("Numéro et rue").fill("3 rue Pasteur")
    page.get_by_label("Code postal").fill("59530")
    page.get_by_label("Commune").fill("Jolimetz")
    walk.look("adresse")
    page.get_by_role("button", name="Enregistrer cette adresse").click()
    page.wait_for_url("**/boutique/commande/livraison/")
    ways = page.locator("ul.ways").bounding_box()
    assert ways["y"] < 844  # the three ways to receive are on the first screen
    walk.look("livraison")

    # she picks the first home slot and pays by card
    page.locator("#domicile input[type=radio]").first.check()
    page.get_by_role("button", name="Continuer vers le paiement").click()
    page.wait_for_url("**/boutique/commande/paiement/")
    walk.look("paiement")
    page.get_by_role("button", name="Valider la commande").click()
    page.wait_for_url(re.compile(r".*/boutique/commandes/\d+/$"))
    record = ShopOrder.objects.get()
    assert page.url.endswith(f"/boutique/commandes/{record.number}/")
    text = page.locator("main").inner_text()
    assert f"Merci ! Votre commande n° {record.number} est enregistrée." in text
    assert "Fromagerie Test" in text and "Boulangerie Test" in text and "Livraison à domicile" in text
    walk.look("commande")
    loads_to_order = walk.loads  # from the first product page, sign-up, e-mail link and address included
    assert loads_to_order <= 12, f"{loads_to_order} page loads to a first order (goal: 12 at most)"
    shopper = Shopper.objects.get(user__email="odette.leroy@exemple.fr")
    assert record.shopper == shopper and record.mode == "home" and shopper.saleor_customer_id

    # a Paris address is kept but refused for home delivery, in French
    page.goto(base + "/compte/adresses/")
    page.get_by_label("Numéro et rue").fill("1 rue de Rivoli")
    page.get_by_label("Code postal").fill("75001")
    page.get_by_label("Commune").fill("Paris")
    page.get_by_role("button", name="Enregistrer cette adresse").click()
    page.wait_for_selector(".messages")
    assert "ne livre pas à domicile" in page.locator(".messages").inner_text()
    walk.look("adresse-paris")
    page.goto(f"{base}/boutique/produit/{two_vendors['bread'].slug}/")
    page.get_by_role("button", name="Ajouter au panier").click()
    page.wait_for_selector(".messages")
    page.goto(base + "/boutique/commande/livraison/")
    refusal = page.locator("#home-refusal").inner_text()
    assert "La camionnette ne livre à domicile que dans les 52 communes du Pays de Mormal" in refusal
    assert "1 rue de Rivoli, 75001 Paris est en dehors" in refusal
    assert page.locator("#relais input[type=radio]").count() >= 1  # relay points still offered
    assert page.locator("#domicile input[type=radio]").count() == 0
    walk.look("livraison-paris")

    # she signs out from the account menu
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/boutique/")
    assert page.get_by_role("link", name="Se connecter").is_visible()
    walk.look("deconnectee")

    assert walk.overflow == [], f"pages that scroll sideways on a 390 px phone: {walk.overflow}"
    assert walk.axe == [], f"serious or critical accessibility problems: {walk.axe}"
    print(f"page loads: {loads_to_order} from the first product page to the order page "
          f"(sign-up, e-mail link and address included), {walk.loads} in the whole walk")
