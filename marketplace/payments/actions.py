"""Paying through Saleor: which ways to pay a checkout offers, paying, charging collected money.

Every function talks to Saleor through the port; Saleor asks the gateway's payment app, and the
amounts are what that app answered. Nothing here records a payment on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from marketplace.saleor import port

from .demo_card import LABEL as DEMO_LABEL
from .methods import DEMO_CARD_GATEWAY, OUR_GATEWAY, card_gateway_ids
from .models import PaymentSession

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaymentOptions:
    """The ways to pay one checkout, as Saleor's gateways told us."""

    methods: tuple[str, ...]
    card_gateway: str | None = None
    card_data: object = None

    @property
    def card_label(self) -> str:
        """How the card choice is shown (the demo gateway says it takes no money)."""
        return DEMO_LABEL if self.card_gateway == DEMO_CARD_GATEWAY else "Carte bancaire"


def options(saleor: port.SaleorPort, source_id: str) -> PaymentOptions:
    """Ask Saleor which gateways the channel offers (``paymentGatewayInitialize``)."""
    gateways = [g for g in saleor.payments.gateways(source_id) if not g.errors]
    ours = next((g for g in gateways if g.id == OUR_GATEWAY), None)
    data = ours.data if ours is not None and isinstance(ours.data, dict) else {}
    methods = tuple(str(m["id"]) for m in data.get("methods") or [] if isinstance(m, dict) and "id" in m)
    cards = card_gateway_ids()
    card = next((g for g in gateways if g.id in cards), None)
    return PaymentOptions(methods, card.id if card else None, card.data if card else None)


def pay_by_hand(saleor: port.SaleorPort, source_id: str, method: str, reference: str) -> port.TransactionResult:
    """Authorise the amount with this App's gateway: it is paid at the door, the shop or the relay."""
    return saleor.payments.initialize(source_id, OUR_GATEWAY, {"method": method}, port.PaymentFlow.AUTHORIZATION,
                                      idempotency_key=reference)


def pay_by_card(saleor: port.SaleorPort, source_id: str, gateway: str, data: object, reference: str
                ) -> port.TransactionResult:
    """Charge the amount through a card gateway (its app answers; a refusal is a ``*_FAILURE`` result)."""
    return saleor.payments.initialize(source_id, gateway, data, port.PaymentFlow.CHARGE, idempotency_key=reference)


def record_collection(transaction_id: str, at: dt.datetime) -> bool:
    """Note that the driver or the shop has the money of ``transaction_id``; True the first time."""
    return bool(PaymentSession.objects.filter(transaction_id=transaction_id, collected_at__isnull=True)
                .update(collected_at=at))


def charge_collected(saleor: port.SaleorPort, transaction_id: str) -> port.Transaction | None:
    """Ask Saleor to charge what is still authorised on ``transaction_id`` (the money was collected).

    Safe to run twice: it reads the transaction first and asks only for what is neither charged
    nor already being charged. Returns the transaction as Saleor answered, or None when there was
    nothing to charge.
    """
    current = saleor.payments.get(transaction_id)
    if current is None:
        raise ValueError(f"Saleor has no transaction {transaction_id}")
    amount = current.authorized.amount - current.amount("charge_pending")
    if amount <= 0:
        return None
    return saleor.payments.request_action(transaction_id, port.TransactionAction.CHARGE, amount)


def release_payments(saleor: port.SaleorPort, order: port.Order) -> list[port.Transaction]:
    """Refund what a cancelled order's transactions charged and cancel what they only authorised.

    Idempotent: amounts already refunded, cancelled or pending are not asked for again.
    """
    done = []
    for tx in order.transactions:
        done += release_transaction(saleor, tx)
    return done


def release_transaction(saleor: port.SaleorPort, tx: port.Transaction) -> list[port.Transaction]:
    """Refund what one transaction charged and cancel what it only authorised (idempotent, as above)."""
    done = []
    refundable = tx.charged.amount - tx.amount("refund_pending")
    if refundable > 0:
        done.append(saleor.payments.request_action(tx.id, port.TransactionAction.REFUND, refundable))
    cancellable = tx.authorized.amount - tx.amount("cancel_pending")
    if cancellable > Decimal("0"):
        done.append(saleor.payments.request_action(tx.id, port.TransactionAction.CANCEL, cancellable))
    return done
