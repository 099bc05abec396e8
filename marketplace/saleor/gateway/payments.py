"""Payments through Saleor's Transactions API: gateways, payment sessions, charge/cancel/refund requests.

The project never records a payment itself: Saleor asks the gateway's payment app, and the
amounts are what that app answered. Our own App is the gateway for cash and cheques
(:mod:`marketplace.payments`); cards go through the card payment app the operator installs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.order_values import PaymentGateway, Transaction, TransactionResult
from marketplace.saleor.values import PaymentFlow, TransactionAction


class PaymentCalls:
    """Payment gateways and transactions (``saleor.payments``; the app holds HANDLE_PAYMENTS)."""

    def __init__(self, session: SaleorSession):
        self._s = session

    def gateways(self, source_id: str, gateway_ids: tuple[str, ...] = ()) -> list[PaymentGateway]:
        """The gateways the channel offers this checkout or order (``paymentGatewayInitialize``).

        With ``gateway_ids``, only those are asked (an unknown one comes back with an error).
        """
        payload = self._s.mutate(
            "payment_gateway_initialize", "paymentGatewayInitialize", id=source_id,
            paymentGateways=[{"id": g} for g in gateway_ids] or None,
        )
        return [p.payment_gateway(node) for node in payload.get("gatewayConfigs") or []]

    def initialize(
        self, source_id: str, gateway_id: str, data: Any, flow: PaymentFlow, idempotency_key: str,
        amount: Decimal | None = None,
    ) -> TransactionResult:
        """Start paying through one gateway (``transactionInitialize``); the app answers the result.

        ``idempotency_key`` makes a repeated call (after a timeout) return the same transaction.

        Raises
        ------
        SaleorValidationError
            When Saleor refuses the request (unknown gateway, nothing left to pay...).
        """
        payload = self._s.mutate(
            "transaction_initialize", "transactionInitialize", idempotent=True, id=source_id,
            paymentGateway={"id": gateway_id, "data": data}, action=flow.value,
            amount=str(amount) if amount is not None else None, idempotencyKey=idempotency_key,
        )
        return p.transaction_result(payload)

    def process(self, transaction_id: str, data: Any = None) -> TransactionResult:
        """Finish a payment after the gateway's client step (``transactionProcess``)."""
        payload = self._s.mutate("transaction_process", "transactionProcess", id=transaction_id, data=data)
        return p.transaction_result(payload)

    def request_action(
        self, transaction_id: str, action: TransactionAction, amount: Decimal | None = None
    ) -> Transaction:
        """Ask the transaction's payment app to charge, cancel or refund (``transactionRequestAction``).

        A real Saleor asks the app from a background task: the returned transaction may still
        show the amount as pending; read it again with :meth:`get`.
        """
        before = self._node(transaction_id)

        def read_back() -> dict[str, Any] | None:
            # no idempotency key here: the request was applied if its amount moved (done or pending)
            after = self._node(transaction_id)
            if before is None or after is None:
                return None
            return {"transaction": after} if _moved(action, before, after) else None

        payload = self._s.mutate(
            "transaction_request_action", "transactionRequestAction", read_back=read_back,
            id=transaction_id, actionType=action.value, amount=str(amount) if amount is not None else None,
        )
        return p.transaction(payload["transaction"])

    def record_charged(self, order_id: str, name: str, psp_reference: str, amount: Decimal,
                       message: str = "") -> Transaction:
        """Record on the order money this App has already taken (``transactionCreate``, ``amountCharged``).

        For what is settled outside any payment session (a voucher scanned at the door). The
        transaction belongs to this App; ``psp_reference`` is our own key, so a retry after a
        lost answer finds the one already recorded on the order instead of adding a second.
        """

        def read_back() -> dict[str, Any] | None:
            order = self._s.run("order", id=order_id).get("order") or {}
            found = [t for t in order.get("transactions") or [] if t.get("pspReference") == psp_reference]
            return {"transaction": found[0]} if found else None

        payload = self._s.mutate(
            "transaction_create", "transactionCreate", read_back=read_back, id=order_id,
            transaction={"name": name, "pspReference": psp_reference, "message": message or None,
                         "amountCharged": {"amount": str(amount), "currency": "EUR"}},
            transactionEvent={"message": message or name, "pspReference": psp_reference},
        )
        return p.transaction(payload["transaction"])

    def set_authorized(self, transaction_id: str, amount: Decimal, message: str = "") -> Transaction:
        """Set what stays authorised on a transaction this App owns (``transactionUpdate``).

        For a pay-by-hand order partly settled another way at the door (a voucher): the money
        left to collect shrinks. It sets a value, so sending it twice does no harm.
        """
        payload = self._s.mutate(
            "transaction_update", "transactionUpdate", idempotent=True, id=transaction_id,
            transaction={"amountAuthorized": {"amount": str(amount), "currency": "EUR"}},
            transactionEvent={"message": message} if message else None,
        )
        return p.transaction(payload["transaction"])

    def record_refunded(self, transaction_id: str, charged: Decimal, refunded: Decimal,
                        message: str = "") -> Transaction:
        """Set what a transaction this App owns has charged and refunded (``transactionUpdate``).

        For money the App gave back itself (a voucher spend credited back to its gift card when
        the order is cancelled). It sets values, so sending it twice does no harm.
        """
        payload = self._s.mutate(
            "transaction_update", "transactionUpdate", idempotent=True, id=transaction_id,
            transaction={"amountCharged": {"amount": str(charged), "currency": "EUR"},
                         "amountRefunded": {"amount": str(refunded), "currency": "EUR"}},
            transactionEvent={"message": message} if message else None,
        )
        return p.transaction(payload["transaction"])

    def _node(self, transaction_id: str) -> dict[str, Any] | None:
        return self._s.run("transaction", id=transaction_id).get("transaction")

    def get(self, transaction_id: str) -> Transaction | None:
        """The transaction as Saleor keeps it now, or None."""
        node = self._s.run("transaction", id=transaction_id).get("transaction")
        return p.transaction(node) if node else None


#: The amounts a requested action moves: (done, pending) fields of ``TransactionItem``.
_ACTION_AMOUNTS = {
    TransactionAction.CHARGE: ("chargedAmount", "chargePendingAmount"),
    TransactionAction.CANCEL: ("canceledAmount", "cancelPendingAmount"),
    TransactionAction.REFUND: ("refundedAmount", "refundPendingAmount"),
}


def _moved(action: TransactionAction, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether ``action`` shows between two readings of a transaction (as done or as pending)."""

    def total(node: dict[str, Any]) -> Decimal:
        return sum((Decimal(str((node.get(key) or {}).get("amount", 0))) for key in _ACTION_AMOUNTS[action]),
                   Decimal("0"))

    return total(after) > total(before)
