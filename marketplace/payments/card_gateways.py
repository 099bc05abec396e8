"""The client step of each real card gateway: what the card page needs from Saleor's card payment app.

A card payment app (Saleor's Stripe app, Adyen app) answers ``paymentGatewayInitialize`` and
``transactionInitialize`` with its own ``data``; the browser then talks to the card company with
its script, and comes back to our return page, where ``transactionProcess`` asks the app for the
result. This module knows, per gateway id, what to send and where the answers are. Only Stripe's
client step is built (see docs/payments.md for what was verified and where); any other real card
gateway (Adyen) stays refused with ``card_not_linked``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marketplace.saleor import port

#: Saleor's official Stripe app (its manifest id).
STRIPE = "saleor.app.payment.stripe"
#: Saleor's Adyen app: listed by default, its client step is not built.
ADYEN = "app.saleor.adyen"

#: Where the card page loads the card company's script from (also its only CSP exception).
STRIPE_JS = "https://js.stripe.com/v3/"


class CardGatewayError(ValueError):
    """The card payment app answered without what its client step needs (a broken or misconfigured app)."""


@dataclass(frozen=True)
class StripeStep:
    """What the Stripe card page needs: the publishable key and the PaymentIntent's client secret.

    ``transaction_id`` is Saleor's transaction (``transactionProcess`` on return) and
    ``payment_intent`` Stripe's PaymentIntent id (Saleor's ``pspReference``; the return URL names it).
    """

    gateway: str
    publishable_key: str
    client_secret: str
    transaction_id: str
    payment_intent: str


def has_client_step(gateway: str) -> bool:
    """Whether this storefront runs ``gateway``'s client step (Stripe yes; Adyen not yet)."""
    return gateway == STRIPE


def initialize_data(gateway: str) -> dict[str, Any]:
    """The ``paymentGateway.data`` of ``transactionInitialize`` for a card through ``gateway``.

    Raises
    ------
    CardGatewayError
        For a gateway whose client step is not built.
    """
    if gateway != STRIPE:
        raise CardGatewayError(f"no client step for the card gateway {gateway!r}")
    # the app's TransactionInitializeEventDataSchema: strict, one payment method (card.ts: "card")
    return {"paymentIntent": {"paymentMethod": "card"}}


def publishable_key(gateway_data: object) -> str:
    """The Stripe publishable key from the app's ``paymentGatewayInitialize`` data.

    Raises
    ------
    CardGatewayError
        When the data has no ``stripePublishableKey`` starting with ``pk_``.
    """
    key = gateway_data.get("stripePublishableKey") if isinstance(gateway_data, dict) else None
    if not isinstance(key, str) or not key.startswith("pk_"):
        raise CardGatewayError(f"the Stripe app sent no publishable key: {gateway_data!r}")
    return key


def client_secret(initialize_answer: object) -> str:
    """The PaymentIntent's client secret from the app's ``transactionInitialize`` data.

    Raises
    ------
    CardGatewayError
        When the data has no ``paymentIntent.stripeClientSecret`` (the app's failure answer
        carries ``paymentIntent.errors`` instead; their messages are in the exception).
    """
    intent = initialize_answer.get("paymentIntent") if isinstance(initialize_answer, dict) else None
    secret = intent.get("stripeClientSecret") if isinstance(intent, dict) else None
    if secret is None and isinstance(initialize_answer, dict):
        # Saleor's storefront guide reads ``data.stripeClientSecret``; the app's code nests it (docs/payments.md)
        secret = initialize_answer.get("stripeClientSecret")
    if not isinstance(secret, str) or "_secret_" not in secret:
        errors = intent.get("errors") if isinstance(intent, dict) else None
        raise CardGatewayError(f"the Stripe app sent no client secret: {errors or initialize_answer!r}")
    return secret


def stripe_step(gateway_data: object, initialize_answer: object, transaction_id: str, psp_reference: str) -> StripeStep:
    """The card page's values from the two answers of Saleor's Stripe app.

    Raises
    ------
    CardGatewayError
        When either answer lacks what the page needs.
    """
    secret = client_secret(initialize_answer)
    return StripeStep(gateway=STRIPE, publishable_key=publishable_key(gateway_data), client_secret=secret,
                      transaction_id=transaction_id, payment_intent=psp_reference or secret.split("_secret_")[0])


def open_stripe_step(saleor: port.SaleorPort, checkout_id: str, card_data: object, idempotency_key: str,
                     ) -> tuple[StripeStep, bool]:
    """Start a checkout's card payment through Stripe's app and read the card page's values.

    ``transactionInitialize`` (CHARGE, Stripe's ``initialize_data``) under ``idempotency_key``, so
    a reload finds the same transaction and PaymentIntent; ``card_data`` is the app's
    ``paymentGatewayInitialize`` data. Nothing is charged here: the browser confirms with Stripe.

    Returns
    -------
    The step, and whether Saleor already reports the payment as charged (a reload after success).

    Raises
    ------
    CardGatewayError
        When the app failed or its answers lack the publishable key or the client secret.
    """
    paid = saleor.payments.initialize(checkout_id, STRIPE, initialize_data(STRIPE), port.PaymentFlow.CHARGE,
                                      idempotency_key=idempotency_key)
    if paid.transaction is None or paid.result.endswith("_FAILURE"):
        raise CardGatewayError(f"the card payment app refused to start: {paid.result}")
    return stripe_step(card_data, paid.data, paid.transaction.id, paid.psp_reference), paid.succeeded
