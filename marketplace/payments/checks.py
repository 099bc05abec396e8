"""System checks of payments: ``manage.py check --deploy`` refuses the demonstration's card gateway."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_card_gateway(app_configs, **kwargs):
    """The demo card gateway takes no money: a deployment must never offer it."""
    if not settings.PAYMENT_DEMO_GATEWAY:
        return []
    return [Error(
        "The demo card gateway is on (PAYMENT_DEMO_GATEWAY, set by MORMAL_DEMO): it accepts cards "
        "without taking any money.",
        hint="Unset MORMAL_DEMO and install a card payment app (Stripe or Adyen) in Saleor; see the "
             "README section on payments.",
        id="payments.E001",
    )]
