"""Issue 13, finding 8, in real Chromium on a 390×844 phone: the list never moves under the finger, "Annuler" works.

Screenshots go to ``$SCREENSHOT_DIR`` (default: the test's temporary folder) so a person can look
at each step: the tapped stop held in place with its "Annuler", the fold once out of sight, the
undo, and the notice of a newer plan.
"""

import os
from pathlib import Path

import pytest

from delivery.models import DeliveryTask, StopUndo
from tests.browser import chromium_page

SENT = "document.getElementById('sync-status').textContent.includes('Tout est envoyé')"
TOPS = "() => Array.from(document.querySelectorAll('#stops li.stop')).map(li => li.getBoundingClientRect().top)"


@pytest.fixture
def phone(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                       device_scale_factor=2) as page:
        yield page


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def item(page, task):
    return page.locator(f'li[data-task-id="{task.pk}"]')


def same(a, b):
    return len(a) == len(b) and all(abs(x - y) < 0.5 for x, y in zip(a, b, strict=True))


@pytest.mark.browser

def _same_place(box: dict, before: dict) -> bool:
    """The element is where it was, to within a pixel (layouts round sub-pixel positions)."""
    return all(abs(box[k] - before[k]) < 1 for k in ("x", "y", "width", "height"))

def test_a_tap_never_moves_the_list_and_annuler_takes_it_back(phone, live_server, phone_url, current_round,
                                                               eager_celery, shots):
    stops = [s.task for s in current_round.stops.select_related("task").order_by("sequence")]
    phone.goto(live_server.url + phone_url)
    phone.wait_for_function(SENT)

    # given stop 1 on screen and the driver's next target, stop 2's "Livré", just below it
    next_button = item(phone, stops[1]).locator("button[data-action=delivered]")
    phone.evaluate(f"window.scrollTo(0, document.querySelector('#arret-{stops[0].pk} button[data-action=delivered]')"
                   ".getBoundingClientRect().top + window.scrollY - 8)")
    before, next_at = phone.evaluate(TOPS), next_button.bounding_box()
    phone.screenshot(path=str(shots / "0-avant.png"))
    footer_top = phone.locator("#phone-footer").bounding_box()["y"]
    assert 0 < next_at["y"] and next_at["y"] + next_at["height"] < footer_top  # both buttons in reach, above the footer
    # when the driver taps "Livré" on stop 1 and the phone syncs
    item(phone, stops[0]).locator("button[data-action=delivered]").tap()
    phone.wait_for_function(SENT)
    phone.wait_for_timeout(2500)  # longer than any fold delay
    phone.evaluate("window.mormalPhone.fold()")
    phone.screenshot(path=str(shots / "1-livre-tenu-en-place.png"))
    # then nothing on screen moved: stop 2's button is exactly where the finger expects it
    assert same(phone.evaluate(TOPS), before)
    assert _same_place(next_button.bounding_box(), next_at)
    done = item(phone, stops[0])
    assert done.locator("button[data-action=delivered]").is_hidden()  # finished stops lose their buttons
    assert done.locator("button[data-action=undo]").is_visible()
    assert "Arrêt 1 fait" in done.locator("[data-role=state]").inner_text()

    # when the driver scrolls on until stop 1 is out of sight
    phone.evaluate(f"window.scrollTo(0, document.getElementById('arret-{stops[2].pk}').offsetTop - 10)")
    third_top = item(phone, stops[2]).bounding_box()["y"]
    phone.wait_for_function(f"document.getElementById('arret-{stops[0].pk}').classList.contains('folded')")
    phone.screenshot(path=str(shots / "2-plie-hors-de-vue.png"))
    # then stop 1 folded to one line without moving what is on screen
    assert abs(item(phone, stops[2]).bounding_box()["y"] - third_top) < 0.5

    # when the driver taps "Livré" on stop 3 by mistake, the tap reaches the server, and they tap "Annuler"
    third = item(phone, stops[2])
    third_button = third.locator("button[data-action=delivered]")
    third_at = third_button.bounding_box()
    third_button.tap()
    phone.wait_for_function(SENT)
    assert DeliveryTask.objects.get(pk=stops[2].pk).status == "delivered"
    phone.screenshot(path=str(shots / "3-annuler-propose.png"))
    third.locator("button[data-action=undo]").tap()
    phone.wait_for_function(SENT)
    phone.screenshot(path=str(shots / "4-annule.png"))
    # then the server took the tap back, and the stop is to do again with its button where it was
    assert DeliveryTask.objects.get(pk=stops[2].pk).status == "planned"
    assert StopUndo.objects.filter(event__task_id=stops[2].pk).count() == 1
    assert third_button.is_visible() and _same_place(third_button.bounding_box(), third_at)

    # when stop 4 fails, the round is re-planned: this page now shows an older plan
    fourth = item(phone, stops[3])
    fourth.locator("button[data-action=show-fail]").tap()
    before = phone.evaluate(TOPS)
    fourth.get_by_role("button", name="Absent").tap()
    phone.wait_for_function(SENT)
    phone.wait_for_selector("#plan-notice:not([hidden])")
    phone.screenshot(path=str(shots / "5-plan-remplace-lecture-seule.png"))
    # then a notice says so without moving the list, and nothing can be validated on this page
    assert same(phone.evaluate(TOPS), before)
    assert "Recharger la liste" in phone.locator("#plan-notice").inner_text()
    assert item(phone, stops[4]).locator("button[data-action=delivered]").is_disabled()


@pytest.mark.browser
def test_staff_copy_a_drivers_link_in_one_tap_and_both_pages_pass_axe(live_server, current_round, django_user_model,
                                                                       monkeypatch, shots):
    from django.test import Client

    from tests.browser import serious_violations

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    login = Client()
    login.force_login(django_user_model.objects.create(username="equipe", is_staff=True))
    with chromium_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        page.context.add_cookies([{"name": "sessionid", "value": login.cookies["sessionid"].value,
                                   "url": live_server.url}])
        page.goto(f"{live_server.url}/livraison/jour/{current_round.plan.day_id}/")
        # when staff tap "Copier le lien"
        page.get_by_role("button", name="Copier le lien").tap()
        page.wait_for_function("document.querySelector('[data-copy-status]').textContent.includes('Lien copié')")
        page.screenshot(path=str(shots / "6-equipe-lien-copie.png"))
        # then the clipboard holds the driver's signed link, the one the page shows
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(f"{live_server.url}/livraison/tel/")
        assert copied == page.locator(".phone-link-field").input_value()
        assert serious_violations(page) == []
        # and that link opens the van's round on the phone
        page.goto(copied)
        assert page.locator("h1").inner_text().startswith(current_round.shift.van.name)
        assert serious_violations(page) == []
