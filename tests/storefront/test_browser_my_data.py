"""The pages of issue #15 in real Chromium, desktop and 390 px: my data, the lock-out page, the phone's codes.

Each page is read for its French text, checked for horizontal scrolling at 390 px and by
axe-core (no serious or critical WCAG 2.1 issue). ``MORMAL_SCREENSHOTS=<dir>`` keeps screenshots.
"""

import os
from pathlib import Path

import pytest

from tests.browser import chromium_page, serious_violations
from tests.delivery.conftest import (  # noqa: F401  (shared fixtures)
    current_round,
    day,
    depot,
    phone_url,
    planned_day,
    specs,
    territory,
    van,
)

pytestmark = pytest.mark.browser
PASSWORD = "mot-de-passe-2026"
SIZES = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}


def _shot(page, name):
    folder = os.environ.get("MORMAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _sign_in(page, base, username, password):
    page.goto(base + "/compte/connexion/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")


@pytest.mark.parametrize("size", SIZES)
def test_my_data_and_the_lock_out_page_read_well(live_server, transactional_db, make_shopper, size, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_shopper("anne", access_codes="Portail 4817")
    problems = []
    with chromium_page(viewport=SIZES[size]) as page:
        _sign_in(page, live_server.url, "anne", PASSWORD)
        page.goto(live_server.url + "/boutique/mes-donnees/")
        assert page.get_by_role("heading", name="Mes données personnelles").is_visible()
        assert page.get_by_role("link", name="Télécharger mes données").is_visible()
        assert _fits(page), "my data scrolls sideways"
        problems += serious_violations(page)
        _shot(page, f"mes-donnees-{size}")
        # a wrong password: the French error, nothing erased
        page.fill("input[name=password]", "devine")
        page.check("input[name=confirm]")
        page.get_by_role("button", name="Effacer mon compte").click()
        assert page.get_by_role("alert").inner_text() == "Mot de passe incorrect : votre compte n'a pas été effacé."
        _shot(page, f"mes-donnees-erreur-{size}")
        # the download is a JSON file
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger mes données").click()
        assert download.value.suggested_filename.startswith("mes-donnees-marche-mormal-")
        page.context.clear_cookies()
        # five wrong passwords: the lock-out page
        for _ in range(5):
            _sign_in(page, live_server.url, "anne", "devine")
        assert page.get_by_role("heading", name="Connexion bloquée pour un moment").is_visible()
        assert "pendant 15 minutes" in page.get_by_role("alert").inner_text()
        assert _fits(page), "the lock-out page scrolls sideways"
        problems += serious_violations(page)
        _shot(page, f"connexion-bloquee-{size}")
    assert problems == []


@pytest.mark.parametrize("size", SIZES)
def test_the_phone_view_shows_the_access_code(live_server, transactional_db, current_round, phone_url, size,  # noqa: F811
                                              monkeypatch):
    from delivery.models import DeliveryTask

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    task = DeliveryTask.objects.filter(kind="home").order_by("pk").first()
    task.access_codes = "Boîte à clés 4817"
    task.save()
    with chromium_page(viewport=SIZES[size]) as page:
        page.goto(live_server.url + phone_url)
        codes = page.locator(f"#arret-{task.pk} .codes")
        assert codes.inner_text() == "Codes d'accès : Boîte à clés 4817"
        assert _fits(page)
        _shot(page, f"telephone-codes-{size}")
