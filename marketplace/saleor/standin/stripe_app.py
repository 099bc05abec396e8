"""A stand-in for Saleor's Stripe app (``saleor.app.payment.stripe``) and the Stripe behind it, for tests.

It answers the sync payment webhooks with the shapes of the official app (saleor/apps,
``apps/stripe/src/app/api/webhooks/saleor/*/use-case-response.ts``, see docs/payments.md):

- ``PAYMENT_GATEWAY_INITIALIZE_SESSION`` -> ``{"data": {"stripePublishableKey": "pk_test_..."}}``;
- ``TRANSACTION_INITIALIZE_SESSION`` with ``data = {"paymentIntent": {"paymentMethod": "card"}}``
  -> ``CHARGE_ACTION_REQUIRED`` (or ``AUTHORIZATION_ACTION_REQUIRED``), ``pspReference`` the
  PaymentIntent id, ``data = {"paymentIntent": {"stripeClientSecret": "pi_..._secret_..."}}``;
  other data -> ``*_FAILURE`` with ``data.paymentIntent.errors``;
- ``TRANSACTION_PROCESS_SESSION`` -> reads the PaymentIntent's status and maps it as the app's
  ``map-payment-intent-status-to-transaction-result.ts`` does (``succeeded`` -> ``CHARGE_SUCCESS``,
  ``requires_*`` -> ``*_ACTION_REQUIRED``, ``processing`` -> ``*_REQUEST``, ``canceled`` -> ``*_FAILURE``);
- charge, cancel and refund requests succeed.

Stripe itself is a small in-memory table of PaymentIntents: the id follows from Saleor's
idempotency key (Stripe's own idempotency gives the same intent back), and a test plays the
browser's ``stripe.confirmPayment`` with :func:`confirm`. The stand-in lists this app only while
``settings.STANDIN_STRIPE_APP`` is on (tests); the demo keeps its own demo card gateway.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

GATEWAY_ID = "saleor.app.payment.stripe"
PUBLISHABLE_KEY = "pk_test_mormal_standin"

#: Stripe PaymentIntent statuses (https://docs.stripe.com/payments/paymentintents/lifecycle).
STATUSES = ("requires_payment_method", "requires_confirmation", "requires_action", "processing",
            "requires_capture", "canceled", "succeeded")


@dataclass
class Intent:
    """One PaymentIntent of the fake Stripe."""

    id: str
    client_secret: str
    amount: float
    flow: str
    status: str = "requires_payment_method"


_intents: dict[str, Intent] = {}


def reset() -> None:
    """Forget every PaymentIntent (between tests)."""
    _intents.clear()


def intent(intent_id: str) -> Intent:
    """The PaymentIntent ``intent_id``.

    Raises
    ------
    KeyError
        When the fake Stripe has no such intent.
    """
    return _intents[intent_id]


def confirm(intent_id: str, status: str) -> Intent:
    """Play the browser's ``stripe.confirmPayment``: the intent ends in ``status``.

    Raises
    ------
    ValueError
        When ``status`` is not a PaymentIntent status.
    """
    if status not in STATUSES:
        raise ValueError(f"{status!r} is not a Stripe PaymentIntent status")
    found = _intents[intent_id]
    found.status = status
    return found


def _result(status: str, flow: str) -> str:
    if status == "succeeded":
        return "CHARGE_SUCCESS"
    if status == "requires_capture":
        return "AUTHORIZATION_SUCCESS"
    if status in ("requires_payment_method", "requires_confirmation", "requires_action"):
        return f"{flow}_ACTION_REQUIRED"
    if status == "processing":
        return f"{flow}_REQUEST"
    return f"{flow}_FAILURE"


def respond(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Answer one sync payment webhook as Saleor's Stripe app would."""
    if event_type == "PAYMENT_GATEWAY_INITIALIZE_SESSION":
        return {"data": {"stripePublishableKey": PUBLISHABLE_KEY}}
    action = payload.get("action") or {}
    amount = action.get("amount")
    flow = str(action.get("actionType") or "CHARGE")
    if event_type == "TRANSACTION_INITIALIZE_SESSION":
        data = payload.get("data")
        if data != {"paymentIntent": {"paymentMethod": "card"}}:
            return {"result": f"{flow}_FAILURE", "amount": amount,
                    "message": "Payment intent not created - storefront sent invalid data",
                    "data": {"paymentIntent": {"errors": [{"code": "ParseError", "message": "Provided data is invalid."}]}}}
        digest = hashlib.sha256(str(payload.get("idempotencyKey")).encode()).hexdigest()
        pi_id = "pi_" + digest[:24]
        found = _intents.setdefault(pi_id, Intent(pi_id, f"{pi_id}_secret_{digest[24:40]}", float(amount or 0), flow))
        return {"result": _result(found.status, flow), "amount": found.amount, "pspReference": pi_id,
                "message": "Payment intent created",
                "data": {"paymentIntent": {"stripeClientSecret": found.client_secret}}}
    pi_id = str((payload.get("transaction") or {}).get("pspReference") or "")
    if event_type == "TRANSACTION_PROCESS_SESSION":
        found = _intents[pi_id]
        return {"result": _result(found.status, found.flow), "amount": found.amount, "pspReference": pi_id,
                "message": f"Payment intent {found.status}",
                "actions": ["REFUND"] if found.status == "succeeded" else ["CANCEL"]}
    success = {"TRANSACTION_CHARGE_REQUESTED": "CHARGE_SUCCESS", "TRANSACTION_REFUND_REQUESTED": "REFUND_SUCCESS",
               "TRANSACTION_CANCELATION_REQUESTED": "CANCEL_SUCCESS"}[event_type]
    return {"result": success, "amount": amount, "pspReference": pi_id or "re_standin", "actions": []}
