"""Our App as Saleor's payment app for cash, cheques and vouchers: the six sync webhook answers.

Every answer is idempotent: Saleor may call twice (a retry, a second ``transactionProcess``), and
the same request gets the same answer without counting the money twice. The amounts move as the
money does: authorised at checkout, charged only once the driver or the shop recorded the money
(:func:`.actions.record_collection`), cancelled or refunded with the order.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction

from marketplace.saleor import registry

from .methods import METHODS
from .models import PaymentSession
from .protocol import Request, answer

logger = logging.getLogger(__name__)


def gateway_initialize(api_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """PAYMENT_GATEWAY_INITIALIZE_SESSION: the ways to pay this gateway offers."""
    return {"data": {"methods": [{"id": key, "name": label} for key, label in METHODS.items()]}}


def _method(data: Any) -> str | None:
    method = data.get("method") if isinstance(data, dict) else None
    return method if method in METHODS else None


def transaction_initialize(api_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """TRANSACTION_INITIALIZE_SESSION: authorise the amount; it is paid by hand later.

    Refused (``*_FAILURE``) for an unknown method or when Saleor asks to charge at once: money
    taken at the door cannot be charged before anyone has it.
    """
    request = Request.read(payload)
    method = _method(request.data)
    if request.action_type != "AUTHORIZATION":
        return answer("CHARGE_FAILURE", None, request.amount,
                      "Espèces, chèques et bons d'achat se règlent à la remise : autorisation seulement.")
    if method is None:
        return answer("AUTHORIZATION_FAILURE", None, request.amount,
                      f"Moyen de paiement inconnu : {request.data!r}.")
    with transaction.atomic():
        session, created = PaymentSession.objects.select_for_update().get_or_create(
            saleor_api_url=api_url, transaction_id=request.transaction_id,
            defaults={"psp_reference": f"mormal-{method}-{uuid.uuid4().hex[:16]}", "method": method,
                      "source_id": request.source_id, "currency": request.currency,
                      "authorized": request.amount},
        )
    if not created:
        logger.info("TRANSACTION_INITIALIZE_SESSION again for %s: same answer", request.transaction_id)
    return _authorised(session)


def _authorised(session: PaymentSession) -> dict[str, Any]:
    return answer("AUTHORIZATION_SUCCESS", session.psp_reference, session.authorized + session.charged,
                  f"{METHODS[session.method]} : à régler à la remise.", actions=("CHARGE", "CANCEL"),
                  data={"method": session.method})


def transaction_process(api_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """TRANSACTION_PROCESS_SESSION: no client step here, so the initial answer stands."""
    request = Request.read(payload)
    session = PaymentSession.objects.filter(saleor_api_url=api_url, transaction_id=request.transaction_id).first()
    if session is None:
        return answer("AUTHORIZATION_FAILURE", None, request.amount, "Transaction inconnue de l'application.")
    return _authorised(session)


def _locked(api_url: str, request: Request) -> PaymentSession | None:
    return (PaymentSession.objects.select_for_update()
            .filter(saleor_api_url=api_url, transaction_id=request.transaction_id).first())


def charge_requested(api_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """TRANSACTION_CHARGE_REQUESTED: charge only money the driver or the shop has recorded."""
    request = Request.read(payload)
    with transaction.atomic():
        session = _locked(api_url, request)
        if session is None:
            return answer("CHARGE_FAILURE", None, request.amount, "Transaction inconnue de l'application.")
        if session.collected_at is None:
            return answer("CHARGE_FAILURE", session.psp_reference, request.amount,
                          "L'argent n'a pas encore été encaissé par le livreur ou la boutique.")
        if session.charged >= request.amount and session.authorized == 0:
            return answer("CHARGE_SUCCESS", session.psp_reference, session.charged, "Déjà encaissé.",
                          actions=("REFUND",))
        amount = min(request.amount, session.authorized)
        session.charged += amount
        session.authorized -= amount
        session.save(update_fields=["charged", "authorized", "updated_at"])
    return answer("CHARGE_SUCCESS", session.psp_reference, amount,
                  f"{METHODS[session.method]} encaissé(s).", actions=("REFUND",))


def cancelation_requested(api_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """TRANSACTION_CANCELATION_REQUESTED: release what is authorised and not yet collected."""
    request = Request.read(payload)
    with transaction.atomic():
        session = _locked(api_url, request)
        if session is None:
            return answer("CANCEL_FAILURE", None, request.amount, "Transaction inconnue de l'application.")
        if session.authorized == 0 and session.canceled > 0:
            return answer("CANCEL_SUCCESS", session.psp_reference, session.canceled, "Déjà annulé.", actions=())
        if session.collected_at is not None:
            return answer("CANCEL_FAILURE", session.psp_reference, request.amount,
                          "L'argent a déjà été encaissé : demandez un remboursement.")
        amount = session.authorized
        session.canceled += amount
        session.authorized = Decimal("0")
        session.save(update_fields=["canceled", "authorized", "updated_at"])
    return answer("CANCEL_SUCCESS", session.psp_reference, amount, "Autorisation annulée.", actions=())


def refund_requested(api_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """TRANSACTION_REFUND_REQUESTED: the money collected is to be given back (by hand)."""
    request = Request.read(payload)
    with transaction.atomic():
        session = _locked(api_url, request)
        if session is None:
            return answer("REFUND_FAILURE", None, request.amount, "Transaction inconnue de l'application.")
        refundable = session.charged - session.refunded
        if refundable <= 0 and session.refunded > 0:
            return answer("REFUND_SUCCESS", session.psp_reference, session.refunded, "Déjà remboursé.", actions=())
        if request.amount > refundable:
            return answer("REFUND_FAILURE", session.psp_reference, request.amount,
                          f"Remboursement de {request.amount} € demandé, {refundable} € encaissés.")
        session.refunded += request.amount
        session.save(update_fields=["refunded", "updated_at"])
    return answer("REFUND_SUCCESS", session.psp_reference, request.amount,
                  f"{METHODS[session.method]} à rendre au client.", actions=("REFUND",))


RESPONDERS = {
    "PAYMENT_GATEWAY_INITIALIZE_SESSION": gateway_initialize,
    "TRANSACTION_INITIALIZE_SESSION": transaction_initialize,
    "TRANSACTION_PROCESS_SESSION": transaction_process,
    "TRANSACTION_CHARGE_REQUESTED": charge_requested,
    "TRANSACTION_CANCELATION_REQUESTED": cancelation_requested,
    "TRANSACTION_REFUND_REQUESTED": refund_requested,
}


def connect() -> None:
    """Answer the six payment webhooks (safe to call twice)."""
    for event_type, responder in RESPONDERS.items():
        registry.register_payment_responder(event_type, responder)
