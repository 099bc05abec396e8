"""Allauth's account events that concern Saleor: a confirmed or a changed e-mail (see :mod:`.customers`)."""

from __future__ import annotations

import logging

from allauth.account.signals import email_changed, email_confirmed
from django.db import transaction
from django.dispatch import receiver

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.territory.models import Shopper

from . import customers

log = logging.getLogger(__name__)


@receiver(email_confirmed)
def on_email_confirmed(sender, request, email_address, **kwargs):
    """The account is now a real person's: make it a Saleor customer once the confirmation is saved."""
    shopper, _ = Shopper.objects.select_related("user").get_or_create(user=email_address.user)
    transaction.on_commit(lambda: customers.on_confirmed(shopper))


@receiver(email_changed)
def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    """Keep the Saleor customer's e-mail the account's."""
    shopper = Shopper.objects.select_related("user").filter(user=user).first()
    if shopper is None:
        return

    def push():
        shopper.user.refresh_from_db()
        try:
            customers.update_customer(shopper, port.get_saleor())
        except SaleorError as exc:
            log.warning("Saleor customer of shopper %s keeps its old e-mail for now (%s)", shopper.pk, exc)

    transaction.on_commit(push)
