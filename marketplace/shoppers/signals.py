"""Allauth's account events that concern Saleor: a confirmed or changed e-mail (see :mod:`.customers`)."""

from __future__ import annotations

import logging

from allauth.account.signals import email_changed, email_confirmed
from django.dispatch import receiver

log = logging.getLogger(__name__)


@receiver(email_confirmed)
def on_email_confirmed(sender, request, email_address, **kwargs):
    """The account is now a real person's: make it a Saleor customer (step 2 of #16)."""


@receiver(email_changed)
def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    """Keep the Saleor customer's e-mail the account's."""
