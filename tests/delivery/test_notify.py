"""The failed-delivery notifier is pluggable: logged in development, e-mailed in production."""

from django.core import mail

from delivery.failures import notify_contact
from delivery.models import DeliveryTask


def failed_task(current_round, **contact):
    task = next(s.task for s in current_round.stops.all() if s.task.kind == "home")
    DeliveryTask.objects.filter(pk=task.pk).update(status="failed", fail_reason="absent", **contact)
    task.refresh_from_db()
    return task


def test_email_notifier_mails_the_contact_once(current_round, settings):
    settings.DELIVERY_NOTIFIER = "delivery.notify.EmailNotifier"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    task = failed_task(current_round)

    first, again = notify_contact(task), notify_contact(task)

    assert first.pk == again.pk and first.channel == "email"
    [message] = mail.outbox
    assert message.to == ["claire@exemple.fr"] and task.name in message.body and "Absent" in message.body


def test_without_an_address_the_email_notifier_logs_rather_than_forgets(current_round, settings, caplog):
    settings.DELIVERY_NOTIFIER = "delivery.notify.EmailNotifier"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    task = failed_task(current_round, contact_email="")

    note = notify_contact(task)

    assert note.channel == "log" and note.recipient == "06 00 00 00 00"
    assert not mail.outbox and "NOTIFY" in caplog.text


def test_nobody_to_tell_means_no_notification(current_round):
    task = failed_task(current_round, contact_name="", contact_phone="", contact_email="")

    assert notify_contact(task) is None
