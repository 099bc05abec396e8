"""Pluggable notifier for the customer's contact (a relative, the CCAS) after a failed delivery.

``settings.DELIVERY_NOTIFIER`` names the class (default :class:`LoggingNotifier` in development,
set ``delivery.notify.EmailNotifier`` in production). Each send is recorded as a
:class:`~delivery.models.Notification` so staff can see who was told what.
"""

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger("delivery.notify")


@dataclass(frozen=True)
class Message:
    """A short message to one person."""

    recipient_name: str
    phone: str
    email: str
    subject: str
    body: str


class Notifier(Protocol):
    """Sends a :class:`Message`; returns ``(channel, recipient)`` it used."""

    def send(self, message: Message) -> tuple[str, str]:
        """Send ``message``.

        Raises
        ------
        RuntimeError
            When the message could not be handed to the channel.
        """
        ...


class LoggingNotifier:
    """Development notifier: writes the message to the ``delivery.notify`` log."""

    def send(self, message: Message) -> tuple[str, str]:
        """Log the message and report the ``log`` channel."""
        who = message.email or message.phone or message.recipient_name
        log.warning("NOTIFY %s <%s>: %s — %s", message.recipient_name, who, message.subject, message.body)
        return "log", who


class EmailNotifier:
    """Sends the message by e-mail through Django's mail backend (falls back to the log)."""

    def send(self, message: Message) -> tuple[str, str]:
        """E-mail ``message``; without an address, log it so nobody is silently forgotten.

        Raises
        ------
        RuntimeError
            When the mail backend refuses the message.
        """
        if not message.email:
            return LoggingNotifier().send(message)
        try:
            send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.email])
        except Exception as exc:  # SMTP errors vary by backend; name the recipient
            raise RuntimeError(f"e-mail to {message.email} failed: {exc}") from exc
        return "email", message.email


def get_notifier() -> Notifier:
    """The configured notifier instance."""
    path = getattr(settings, "DELIVERY_NOTIFIER", "delivery.notify.LoggingNotifier")
    return import_string(path)()


def tell_staff(subject: str, body: str) -> list[str]:
    """E-mail every active staff member who has an address (and log it); return the addresses.

    Used when a plan leaves out a stop that was in a round: nobody learns it from the map alone.
    """
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - keep this module import-light

    emails = sorted({e for e in get_user_model().objects.filter(is_staff=True, is_active=True)
                     .exclude(email="").values_list("email", flat=True)})
    log.warning("STAFF %s — %s", subject, body)
    if emails:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
        except Exception as exc:  # SMTP errors vary by backend; the log line above keeps the message
            log.error("staff e-mail %r failed: %s", subject, exc)
    return emails
