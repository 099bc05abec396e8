"""The phone view in real headless Chromium (Debian's package) driven by Playwright."""

import json

import pytest

from delivery.models import DeliveryTask, StopEvent
from tests.browser import chromium_page


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True) as page:
        yield page


def stop_item(page, task):
    return page.locator(f'li[data-task-id="{task.pk}"]')


@pytest.mark.browser
def test_driver_marks_one_stop_delivered_and_another_failed(page, live_server, phone_url, current_round,
                                                           eager_celery):
    stops = list(current_round.stops.order_by("sequence"))
    first, second = stops[0].task, stops[1].task
    page.goto(live_server.url + phone_url)
    assert page.locator("li.stop").first.get_attribute("data-task-id") == str(first.pk)  # next stop first

    stop_item(page, first).locator("button[data-action=delivered]").click()
    stop_item(page, second).locator("button[data-action=show-fail]").click()
    stop_item(page, second).get_by_role("button", name="Absent").click()
    page.wait_for_function("document.getElementById('sync-status').textContent.includes('Tout est envoyé')")

    # the list keeps its order: done stops stay where they were (they fold once out of sight)
    assert page.locator("li.stop").first.get_attribute("data-task-id") == str(first.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.fail_reason) == ("delivered", "failed", "absent")
    plan = current_round.plan.day.plans.get(is_current=True)
    shown = {s.task_id: s.task.status for s in plan.rounds.get().stops.select_related("task")}
    assert shown[first.pk] == "delivered" and shown[second.pk] == "failed"
    assert len(shown) == len(stops)

    # what the server knows (e.g. staff closed a stop) reaches the phone on its next sync
    DeliveryTask.objects.filter(pk=stops[2].task.pk).update(status="delivered")
    page.evaluate("window.mormalPhone.sync()")
    page.wait_for_function(f"document.getElementById('arret-{stops[2].task.pk}').dataset.status === 'delivered'")


@pytest.mark.browser
def test_updates_made_offline_are_queued_and_sent_once_when_back_online(page, live_server, phone_url,
                                                                        current_round):
    task = current_round.stops.order_by("sequence").first().task
    page.goto(live_server.url + phone_url)
    page.context.set_offline(True)

    stop_item(page, task).locator("button[data-action=delivered]").click()

    queue_key = page.locator("#phone").get_attribute("data-queue-key")
    queued = json.loads(page.evaluate(f"localStorage.getItem('{queue_key}')"))
    assert len(queued) == 1 and "hors réseau" in page.locator("#sync-status").inner_text()
    task.refresh_from_db()
    assert task.status == "planned"

    page.context.set_offline(False)
    page.evaluate("window.mormalPhone.sync()")
    page.wait_for_function("document.getElementById('sync-status').textContent.includes('Tout est envoyé')")
    # the answer was lost, say: the phone sends the same update again
    page.evaluate(f"localStorage.setItem('{queue_key}', JSON.stringify({json.dumps(queued)}))")
    page.evaluate("window.mormalPhone.sync()")
    page.wait_for_function("document.getElementById('sync-status').textContent.includes('Tout est envoyé')")

    task.refresh_from_db()
    assert task.status == DeliveryTask.Status.DELIVERED
    assert StopEvent.objects.filter(task=task).count() == 1


@pytest.mark.browser
def test_the_stop_list_opens_again_without_network(page, live_server, phone_url, current_round):
    page.goto(live_server.url + phone_url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()  # online: the service worker keeps this copy

    type(current_round.shift).objects.filter(pk=current_round.shift_id).update(driver_name="Quelqu'un d'autre")
    page.context.set_offline(True)
    response = page.reload()

    assert response.from_service_worker
    assert "Chauffeur : Bernard" in page.content()  # the kept copy, not the server's new page
    first = current_round.stops.order_by("sequence").first().task
    assert stop_item(page, first).is_visible()


@pytest.mark.browser
def test_a_signature_drawn_on_the_phone_is_kept_as_proof(page, live_server, phone_url, current_round):
    task = current_round.stops.order_by("sequence").first().task
    page.goto(live_server.url + phone_url)
    item = stop_item(page, task)
    item.locator("summary").click()
    box = item.locator("canvas").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 30 + (step % 3) * 15)
    page.mouse.up()

    item.locator("button[data-action=delivered]").click()
    page.wait_for_function("document.getElementById('sync-status').textContent.includes('Tout est envoyé')")

    task.refresh_from_db()
    assert task.status == "delivered" and task.proof.name.endswith(".png")
    with task.proof.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
