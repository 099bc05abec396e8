"""The demonstration's card gateway: plainly labelled, offline, takes no money.

It speaks the same protocol as a real card payment app (the six sync webhooks, the same answers),
so the demo runs the storefront's card path end to end without a bank. The stand-in Saleor lists
it only when ``settings.PAYMENT_DEMO_GATEWAY`` is on (``MORMAL_DEMO``), and
``manage.py check --deploy`` refuses that setting (``payments.E001``). Stateless: every answer
follows from the request, so a repeated request gets the same answer.

Test cards: any number passing the Luhn check is accepted, except one ending in ``0002``
(refused, as Stripe's ``4000 0000 0000 0002``) and one ending in ``3184`` (its bank asks for a
3-D Secure confirmation first, as Stripe's ``4000 0027 6000 3184``): that one answers
``CHARGE_ACTION_REQUIRED``, the storefront shows the confirmation step, and
``transactionProcess`` with ``{"confirmed": true}`` gets the charge.
"""

from __future__ import annotations

import hashlib
from typing import Any

from marketplace.saleor import registry

from .methods import DEMO_CARD_GATEWAY
from .protocol import RESULTS, Request, answer

LABEL = "Carte de démonstration (aucun débit réel)"
ACCEPTED_CARD = "4242 4242 4242 4242"
REFUSED_CARD = "4000 0000 0000 0002"
THREE_D_SECURE_CARD = "4000 0027 6000 3184"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return len(digits) >= 12 and total % 10 == 0


def card_refusal(number: str) -> str | None:
    """Why the demo refuses ``number``, in French, or None when it accepts it."""
    digits = "".join(ch for ch in str(number) if ch.isdigit())
    if not _luhn_ok(digits):
        return "Numéro de carte invalide."
    if digits.endswith("0002"):
        return "Carte refusée par la banque (carte de démonstration)."
    return None


def _psp(transaction_id: str) -> str:
    return "demo-" + hashlib.sha256(transaction_id.encode()).hexdigest()[:16]


def respond(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Answer one sync payment webhook as the demo card gateway."""
    if event_type == "PAYMENT_GATEWAY_INITIALIZE_SESSION":
        return {"data": {"label": LABEL, "demo": True, "acceptedCard": ACCEPTED_CARD, "refusedCard": REFUSED_CARD}}
    request = Request.read(payload)
    psp = _psp(request.transaction_id)
    if event_type in ("TRANSACTION_INITIALIZE_SESSION", "TRANSACTION_PROCESS_SESSION"):
        success, failure = RESULTS["TRANSACTION_INITIALIZE_SESSION"][request.action_type]
        data = request.data if isinstance(request.data, dict) else {}
        actions = ("REFUND",) if success == "CHARGE_SUCCESS" else ("CHARGE", "CANCEL")
        if event_type == "TRANSACTION_PROCESS_SESSION":
            if data.get("confirmed") is True:
                return answer(success, psp, request.amount, LABEL, actions=actions, data={"demo": True})
            return answer(failure, None, request.amount, "Confirmation 3-D Secure refusée (carte de démonstration).")
        refusal = card_refusal(data.get("card", ""))
        if refusal:
            return answer(failure, None, request.amount, refusal)
        if "".join(ch for ch in str(data.get("card", "")) if ch.isdigit()).endswith("3184"):
            return answer(request.action_type + "_ACTION_REQUIRED", psp, request.amount,
                          "La banque demande une confirmation 3-D Secure.",
                          data={"demo": True, "challenge": "3-D Secure de démonstration"})
        return answer(success, psp, request.amount, LABEL, actions=actions, data={"demo": True})
    success, _failure = RESULTS[event_type]
    actions = ("REFUND",) if event_type != "TRANSACTION_CANCELATION_REQUESTED" else ()
    return answer(success, psp, request.amount, LABEL, actions=actions)


def connect() -> None:
    """Offer the demo gateway to the stand-in (listed only while the setting is on)."""
    registry.register_stand_in_payment_app(DEMO_CARD_GATEWAY, respond)


def pay(saleor, source_id: str, reference: str):
    """Pay ``source_id`` in full with the accepted demo card; the transaction (tests and demo seed).

    Raises
    ------
    ValueError
        When the gateway did not charge (it is off, or Saleor refused).
    """
    from marketplace.saleor import port

    result = saleor.payments.initialize(source_id, DEMO_CARD_GATEWAY, {"card": ACCEPTED_CARD},
                                        port.PaymentFlow.CHARGE, idempotency_key=reference)
    if not result.succeeded or result.transaction is None:
        raise ValueError(f"the demo card gateway did not charge {source_id}: {result.result} {result.message}")
    return result.transaction
