"""The evaluation pages in real Chromium, desktop and 390 × 844: the questionnaires, training, invitations.

Each page is filled by its labels (radio buttons in a fieldset with its legend), checked by
axe-core (no serious or critical WCAG 2.1 issue) and for sideways scrolling on a phone.
``MORMAL_SCREENSHOTS=<dir>`` keeps screenshots.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.evaluation.models import SurveyAnswer, TrainingRegistration, TrainingSession
from tests.browser import chromium_page, serious_violations

pytestmark = pytest.mark.browser
SIZES = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}


def _shot(page, name):
    folder = os.environ.get("MORMAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _sign_in(page, live_server, user):
    """Put a signed-in session of ``user`` into the browser (the sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _check(page, path, problems, size):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {size}"
    problems.extend({"page": path, **v} for v in serious_violations(page))


@pytest.fixture
def browser_page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return chromium_page


@pytest.mark.parametrize("size", SIZES)
def test_a_shopper_answers_the_questionnaire_of_a_delivered_order(live_server, transactional_db, make_shopper, make_order,
                                                                  browser_page, size):
    anne = make_shopper("anne")
    make_order(anne, "301")
    problems = []
    with browser_page(viewport=SIZES[size]) as page:
        _sign_in(page, live_server, anne.user)
        page.goto(live_server.url + "/boutique/commandes/301/")
        page.get_by_role("link", name="Donner mon avis sur cette commande").click()
        page.wait_for_url("**/avis/")
        _check(page, "questionnaire client", problems, size)
        _shot(page, f"avis-client-{size}")
        page.get_by_role("group", name="1. Êtes-vous satisfait(e) des produits reçus ?").get_by_label("Très satisfait(e)").check()
        page.get_by_role("group", name="2. Êtes-vous satisfait(e) de la livraison").get_by_label("Plutôt satisfait(e)").check()
        # the third left out: the French sentence in an alert, the answers kept
        page.get_by_role("button", name="Envoyer mes réponses").click()
        assert page.get_by_role("alert").inner_text() == "Choisissez une réponse pour chacune des trois questions."
        assert page.get_by_label("Plutôt satisfait(e)").nth(1).is_checked()
        _check(page, "questionnaire client (erreur)", problems, size)
        page.get_by_role("group", name="3. Êtes-vous satisfait(e) du site").get_by_label("Plutôt pas satisfait(e)").check()
        page.get_by_label("Un commentaire ? (facultatif)").fill("Livreur très aimable.")
        page.get_by_role("button", name="Envoyer mes réponses").click()
        page.wait_for_url("**/boutique/commandes/301/")
        assert "Merci pour vos réponses" in page.inner_text(".messages")
    answer = SurveyAnswer.objects.get()
    assert (answer.q1, answer.q2, answer.q3, answer.comment) == (4, 3, 2, "Livreur très aimable.")
    assert problems == []


@pytest.mark.parametrize("size", SIZES)
def test_a_vendor_answers_its_quarter_registers_for_a_session_and_invites_a_shop(live_server, transactional_db, cheese, owners,
                                                                                 browser_page, admin_user, size):
    session = TrainingSession.objects.create(place="le_quesnoy", starts_at=timezone.now() + dt.timedelta(days=9),
                                             topic="Photographier ses produits au téléphone", seats=6)
    problems = []
    with browser_page(viewport=SIZES[size]) as page:
        _sign_in(page, live_server, owners["a"])
        page.goto(live_server.url + "/vendeur/")
        _check(page, "tableau de bord", problems, size)
        page.get_by_role("link", name="Répondre au questionnaire").click()
        _check(page, "questionnaire vendeur", problems, size)
        _shot(page, f"avis-vendeur-{size}")
        for number, label in ((1, "Plutôt satisfait(e)"), (2, "Très satisfait(e)"), (3, "Pas du tout satisfait(e)")):
            page.get_by_role("group", name=f"{number}. ").get_by_label(label).check()
        page.get_by_role("button", name="Envoyer mes réponses").click()
        page.wait_for_url(live_server.url + "/vendeur/")
        # training: take a seat
        page.goto(live_server.url + "/vendeur/formations/")
        _check(page, "formations", problems, size)
        page.get_by_role("button", name="S'inscrire à Photographier ses produits au téléphone").click()
        assert "Inscription enregistrée" in page.inner_text(".messages")
        assert page.get_by_text("Vous êtes inscrit(e).").is_visible()
        _check(page, "formations (inscrit)", problems, size)
        _shot(page, f"formations-{size}")
        # invite another business
        page.goto(live_server.url + "/vendeur/recommander/")
        _check(page, "inviter un commerce", problems, size)
        # the staff's pages for the session
        _sign_in(page, live_server, admin_user)
        page.goto(f"{live_server.url}/pilotage/formations/")
        _check(page, "formations (équipe)", problems, size)
        page.goto(f"{live_server.url}/pilotage/formations/{session.pk}/")
        page.get_by_label("Fromagerie Eval (Maroilles)").check()
        page.get_by_role("button", name="Enregistrer les présences").click()
        assert "1 commerce(s) présent(s)" in page.inner_text(".messages")
        _check(page, "présences (équipe)", problems, size)
        _shot(page, f"presences-{size}")
        page.goto(f"{live_server.url}/pilotage/indicateurs/")
        _check(page, "indicateurs", problems, size)
    assert SurveyAnswer.objects.get().vendor == cheese
    assert TrainingRegistration.objects.get().attended is True
    assert problems == []
