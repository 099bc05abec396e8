"""An order webhook received while the broker is down is handled later, once, by the sweeper."""

import datetime as dt

from django.utils import timezone

from marketplace.operations.tasks import resume_pending_webhooks
from marketplace.saleor import registry
from marketplace.saleor.models import WebhookEvent, WebhookHandling
from marketplace.saleor.webhooks import record_delivery

SEEN = []


def _remember(event):
    SEEN.append(event.event_id)


def _fresh_producers(app):
    """Forget the app's pool references so the next publish looks up the current broker URL.

    kombu keeps one pool per broker URL in a process-wide registry; closing one would break
    every later test that publishes to that URL, so the pools are only dereferenced here.
    """
    app._pool = None
    app.amqp._producer_pool = None


def test_broker_outage_at_delivery_time_is_caught_up_once(monkeypatch, django_capture_on_commit_callbacks, db, caplog):
    from marketplace.celery import app

    SEEN.clear()
    registry.register_handler("ORDER_UPDATED", "test.remember", _remember)
    try:
        # given the broker is down when Saleor delivers the webhook
        monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
        _fresh_producers(app)
        with django_capture_on_commit_callbacks(execute=True):
            event, created = record_delivery("http://saleor.test/graphql/", "ORDER_UPDATED", b'{"order": null}')
        assert created and SEEN == []  # the request did not fail, and nothing ran yet
        assert "the sweeper will" in caplog.text
        monkeypatch.undo()  # the broker is back
        _fresh_producers(app)

        # when the broker is back and the sweeper passes (events older than two minutes)
        WebhookEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - dt.timedelta(minutes=5))
        app.conf.task_always_eager = True
        try:
            assert resume_pending_webhooks() >= 1
            assert resume_pending_webhooks() == 0  # done: not queued again
        finally:
            app.conf.task_always_eager = False
    finally:
        registry.unregister_handler("ORDER_UPDATED", "test.remember")
    assert SEEN == [event.pk]
    assert WebhookHandling.objects.get(event=event, handler_name="test.remember").done_at is not None
