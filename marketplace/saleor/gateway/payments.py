"""Payments through Saleor's Transactions API: pay or authorise a checkout, charge on delivery."""

from __future__ import annotations

from decimal import Decimal

from marketplace.saleor import parsing as p
from marketplace.saleor.errors import SaleorNotFoundError
from marketplace.saleor.gateway.checkout import CheckoutCalls
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.order_values import Transaction
from marketplace.saleor.values import PaymentMode


class PaymentCalls:
    """Transactions recorded by the app (``saleor.payments``; the app holds HANDLE_PAYMENTS)."""

    def __init__(self, session: SaleorSession, checkout: CheckoutCalls):
        self._s = session
        self._checkout = checkout

    def pay_checkout(
        self, checkout_id: str, mode: PaymentMode, psp_reference: str, name: str = ""
    ) -> Transaction:
        """Record a transaction covering the checkout's total (``transactionCreate``).

        Raises
        ------
        SaleorNotFoundError
            When the checkout does not exist (or was already completed).
        """
        checkout = self._checkout.get(checkout_id)
        if checkout is None:
            raise SaleorNotFoundError(f"checkout {checkout_id} does not exist")
        amount = {"amount": str(checkout.total.amount), "currency": checkout.total.currency}
        key = "amountCharged" if mode is PaymentMode.CHARGE else "amountAuthorized"
        default_name = (
            "Paiement de test" if mode is PaymentMode.CHARGE else "Paiement à la livraison"
        )
        payload = self._s.mutate(
            "transaction_create",
            "transactionCreate",
            id=checkout_id,
            transaction={
                "name": name or default_name,
                "pspReference": psp_reference,
                key: amount,
                "availableActions": ["CHARGE"] if mode is PaymentMode.AUTHORIZE else [],
            },
        )
        return p.transaction(payload["transaction"])

    def charge(self, transaction_id: str, amount: Decimal) -> Transaction:
        """Move ``amount`` from authorised to charged (cash collected on delivery)."""
        currency = self._s.channel().get("currencyCode", "EUR")
        payload = self._s.mutate(
            "transaction_update",
            "transactionUpdate",
            id=transaction_id,
            transaction={
                "amountAuthorized": {"amount": "0", "currency": currency},
                "amountCharged": {"amount": str(amount), "currency": currency},
                "availableActions": [],
            },
        )
        return p.transaction(payload["transaction"])
