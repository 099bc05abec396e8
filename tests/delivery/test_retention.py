"""The nightly purge: personal data past its retention period goes, the figures stay."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from delivery.models import DeliveryDay, DeliveryTask, Notification, Shift, StopEvent
from marketplace.privacy.actions import purge_expired_personal_data
from marketplace.saleor.models import WebhookEvent, WebhookHandling
from marketplace.saleor.webhooks import FORGOTTEN_PAYLOAD

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2027, 3, 1, 3, 15, tzinfo=PARIS)  # the nightly run
ORDER = {"__typename": "OrderCreated", "order": {"id": "T3JkZXI6MQ==", "userEmail": "anne@exemple.fr",
                                                  "shippingAddress": {"firstName": "Anne", "streetAddress1": "3 rue Pasteur"}}}


def _home(day, source, **extra):
    fields = {"kind": DeliveryTask.Kind.HOME, "source": source, "name": "Anne Leroy",
              "address": "3 rue Pasteur, 59530 Le Quesnoy", "phone": "03 27 11 22 33", "lon": 3.63871, "lat": 50.24812,
              "doorstep_notes": "Sonner deux fois", "access_codes": "Boîte à clés 4817", "contact_name": "Claire",
              "contact_phone": "06 00 00 00 00", "contact_email": "claire@exemple.fr",
              "payment_method": "cheque", "payment_cents": 2350, "status": DeliveryTask.Status.DELIVERED}
    return DeliveryTask.objects.create(day=day, **{**fields, **extra})


@pytest.fixture
def old_and_recent(van, tmp_path):
    """A delivered day 100 days before the run and one 10 days before, with webhooks and sign-in failures."""
    from axes.models import AccessAttempt

    old_day = DeliveryDay.objects.create(date=(NOW - dt.timedelta(days=100)).date())
    recent_day = DeliveryDay.objects.create(date=(NOW - dt.timedelta(days=10)).date())
    shift = Shift.objects.create(day=old_day, van=van, driver_name="Bernard")
    old = _home(old_day, "order:1:fromagerie:deliver")
    old.proof.save("signature.png", ContentFile(b"\x89PNG signature"), save=True)
    collect = DeliveryTask.objects.create(day=old_day, kind=DeliveryTask.Kind.COLLECT, source="order:1:fromagerie:collect",
                                          name="Fromagerie de Bavay", address="1 place, 59570 Bavay", lon=3.79, lat=50.29,
                                          phone="03 27 66 00 00")
    event = StopEvent.objects.create(uuid="6f1c2a43-0000-4000-8000-000000000001", shift=shift, task=old,
                                     kind="delivered", note="Remis à la voisine, Mme Dubois", occurred_at=NOW - dt.timedelta(days=100),
                                     lon=3.63871, lat=50.24812, proof=old.proof.name)
    Notification.objects.create(task=old, channel="email", recipient="claire@exemple.fr", body="Bonjour Claire, Anne était absente")
    recent = _home(recent_day, "order:2:fromagerie:deliver")
    webhooks = {}
    for name, age, done in (("old_done", 40, True), ("old_pending", 40, False), ("recent", 5, True)):
        hook = WebhookEvent.objects.create(saleor_api_url="https://saleor.example/graphql/", event_type="ORDER_CREATED",
                                           delivery_key=name.ljust(64, "0"), payload=ORDER)
        WebhookEvent.objects.filter(pk=hook.pk).update(received_at=NOW - dt.timedelta(days=age))
        WebhookHandling.objects.create(event=hook, handler_name="vendors.record_order", done_at=NOW if done else None)
        webhooks[name] = hook
    for age, who in ((45, "anne.old"), (2, "anne")):
        attempt = AccessAttempt.objects.create(username=who, ip_address="203.0.113.7", user_agent="Firefox",
                                               http_accept="*/*", path_info="/comptes/connexion/", get_data="",
                                               post_data="", failures_since_start=1)
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=NOW - dt.timedelta(days=age))
    return {"old": old, "collect": collect, "event": event, "recent": recent, "webhooks": webhooks}


def test_the_nightly_purge_erases_what_is_past_its_period_and_keeps_the_figures(old_and_recent, django_capture_on_commit_callbacks):
    from axes.models import AccessAttempt

    proof_name = old_and_recent["old"].proof.name
    assert default_storage.exists(proof_name)
    # when the purge runs at night
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_expired_personal_data(NOW)
    # then the old home delivery keeps its figures and town, nothing that names or reaches Anne
    old = DeliveryTask.objects.get(pk=old_and_recent["old"].pk)
    assert (old.name, old.address, old.phone, old.doorstep_notes, old.access_codes) == (
        "Destinataire effacé", "59530 Le Quesnoy", "", "", "")
    assert (old.contact_name, old.contact_phone, old.contact_email, old.proof.name) == ("", "", "", "")
    assert (old.lon, old.lat) == (3.64, 50.25)
    assert (old.payment_method, old.payment_cents, old.status) == ("cheque", 2350, "delivered")
    assert old.personal_data_erased_at == NOW
    assert not default_storage.exists(proof_name)
    event = StopEvent.objects.get(pk=old_and_recent["event"].pk)
    assert (event.note, event.lon, event.proof.name, event.kind) == ("", None, "", "delivered")
    assert "Anne" not in Notification.objects.get(task=old).body
    # the vendor's collection is not personal; the recent delivery is within its period
    collect = DeliveryTask.objects.get(pk=old_and_recent["collect"].pk)
    assert (collect.name, collect.phone) == ("Fromagerie de Bavay", "03 27 66 00 00")
    recent = DeliveryTask.objects.get(pk=old_and_recent["recent"].pk)
    assert (recent.name, recent.access_codes) == ("Anne Leroy", "Boîte à clés 4817")
    # webhook bodies: the old handled one is erased; a pending one and a recent one are kept
    bodies = {name: WebhookEvent.objects.get(pk=hook.pk).payload for name, hook in old_and_recent["webhooks"].items()}
    assert bodies == {"old_done": FORGOTTEN_PAYLOAD, "old_pending": ORDER, "recent": ORDER}
    assert "anne@exemple.fr" not in json.dumps(bodies["old_done"])
    # sign-in failures older than their period are gone
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["anne"]
    assert (report.delivery_tasks, report.webhook_payloads, report.proof_files, report.sign_in_failures) == (2, 1, 1, 1)


def test_running_the_purge_twice_erases_nothing_more(old_and_recent):
    purge_expired_personal_data(NOW)
    again = purge_expired_personal_data(NOW)
    assert (again.delivery_tasks, again.webhook_payloads, again.stop_events, again.notifications,
            again.sign_in_failures) == (0, 0, 0, 0, 0)


def test_beat_runs_the_purge_every_night(settings):
    from celery.schedules import crontab

    from marketplace.celery import app
    from marketplace.privacy.tasks import purge_personal_data

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-personal-data"]
    assert entry["task"] == purge_personal_data.name == "privacy.purge_personal_data"
    assert entry["schedule"] == crontab(hour=3, minute=15)
    assert purge_personal_data.name in app.tasks
