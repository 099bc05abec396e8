"""The ways to pay, and the Saleor payment gateways they go through (one rule, one home).

A *gateway* is a Saleor payment app, named by its manifest id in ``paymentGatewayInitialize``.
This App is the gateway for what the territory takes by hand (cash, cheque, vouchers); a card
is taken by the card payment app the operator installs in Saleor (Stripe or Adyen), or, in the
demonstration only, by the demo card gateway (:mod:`.demo_card`).
"""

from __future__ import annotations

from django.conf import settings

from marketplace.saleor.manifest import APP_ID

#: This App, as a Saleor payment gateway.
OUR_GATEWAY = APP_ID
#: The demonstration's offline card gateway (stand-in only; ``check --deploy`` refuses it).
DEMO_CARD_GATEWAY = "mormal.demo-card"

#: What our gateway takes, by the ``method`` the storefront sends in ``data``.
METHODS = {
    "cash": "Espèces",
    "cheque": "Chèque",
    "voucher": "Chèque cadeau du Pays de Mormal",
    "at_pickup": "Au retrait (espèces ou chèque)",
}


def card_gateway_ids() -> frozenset[str]:
    """Gateways that take cards: the operator's list (``PAYMENT_CARD_GATEWAYS``) and the demo's."""
    ids = set(settings.PAYMENT_CARD_GATEWAYS)
    if settings.PAYMENT_DEMO_GATEWAY:
        ids.add(DEMO_CARD_GATEWAY)
    return frozenset(ids)
