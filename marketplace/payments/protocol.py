"""The shapes of Saleor 3.23's sync payment webhooks, shared by every payment app answered here.

Saleor reads the answers with pydantic schemas (``saleor/webhook/response_schemas/transaction.py``):
``result`` is a ``TransactionEventTypeEnum`` name allowed for that event, ``pspReference`` is
required for a success, ``amount`` is the amount the result is about, ``actions`` lists what
may be requested next (``CHARGE``, ``REFUND``, ``CANCEL``), ``data`` goes back to the storefront.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common import money

#: The results each event may answer (success first).
RESULTS = {
    "TRANSACTION_INITIALIZE_SESSION": {
        "AUTHORIZATION": ("AUTHORIZATION_SUCCESS", "AUTHORIZATION_FAILURE"),
        "CHARGE": ("CHARGE_SUCCESS", "CHARGE_FAILURE"),
    },
    "TRANSACTION_CHARGE_REQUESTED": ("CHARGE_SUCCESS", "CHARGE_FAILURE"),
    "TRANSACTION_CANCELATION_REQUESTED": ("CANCEL_SUCCESS", "CANCEL_FAILURE"),
    "TRANSACTION_REFUND_REQUESTED": ("REFUND_SUCCESS", "REFUND_FAILURE"),
}


@dataclass(frozen=True)
class Request:
    """One sync payment webhook, read from its subscription payload."""

    transaction_id: str
    action_type: str
    amount: Decimal
    currency: str
    data: Any
    source_id: str
    psp_reference: str

    @classmethod
    def read(cls, payload: dict[str, Any]) -> Request:
        """Read a TRANSACTION_* payload (``{"event": {...}}`` or the event itself).

        Raises
        ------
        ValueError
            When the payload has no transaction or no action.
        """
        event = payload.get("event") or payload
        transaction, action = event.get("transaction"), event.get("action")
        if not transaction or not action:
            raise ValueError("a transaction webhook payload needs a transaction and an action")
        source = event.get("sourceObject") or transaction.get("order") or transaction.get("checkout") or {}
        return cls(
            transaction_id=transaction["id"],
            action_type=str(action["actionType"]),
            amount=money.round_cents(Decimal(str(action["amount"]))),
            currency=str(action.get("currency") or "EUR"),
            data=event.get("data"),
            source_id=str(source.get("id") or ""),
            psp_reference=transaction.get("pspReference") or "",
        )


def answer(result: str, psp_reference: str | None, amount: Decimal, message: str = "",
           actions: tuple[str, ...] | None = None, data: Any = None) -> dict[str, Any]:
    """The JSON Saleor expects back (a failure may leave ``pspReference`` empty)."""
    body: dict[str, Any] = {"result": result, "amount": float(money.round_cents(amount)), "message": message[:500]}
    if psp_reference:
        body["pspReference"] = psp_reference
    if actions is not None:
        body["actions"] = list(actions)
    if data is not None:
        body["data"] = data
    return body
