"""Customers: each shopper's account is a Saleor customer (``User``), created and kept up to date by the App.

Saleor 3.23: ``customerCreate``/``customerUpdate`` need the App's ``MANAGE_USERS`` permission;
attaching a checkout to a customer (``checkoutCustomerAttach`` with ``customerId``) needs
``IMPERSONATE_USER`` (:meth:`CheckoutCalls.attach_customer`).
"""

from __future__ import annotations

from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.order_values import Customer


class CustomerCalls:
    """Saleor customers (``saleor.customers``)."""

    def __init__(self, session: SaleorSession):
        self._s = session

    def create(self, email: str, first_name: str = "", last_name: str = "",
               external_reference: str | None = None) -> Customer:
        """Create an active customer whose e-mail is already confirmed (by our sign-up link).

        Raises
        ------
        SaleorValidationError
            ``UNIQUE`` when a customer already has this e-mail or external reference.
        """
        input_: dict[str, Any] = {"email": email, "firstName": first_name, "lastName": last_name,
                                  "isActive": True, "isConfirmed": True, "languageCode": "FR_FR",
                                  "channel": self._s.channel_slug}
        if external_reference:
            input_["externalReference"] = external_reference
        return p.customer(self._s.mutate("customer_create", "customerCreate", input=input_)["user"])

    def update(self, customer_id: str, email: str | None = None, first_name: str | None = None,
               last_name: str | None = None, is_active: bool | None = None) -> Customer:
        """Change the fields given (None leaves a field as it is)."""
        fields = {"email": email, "firstName": first_name, "lastName": last_name, "isActive": is_active}
        input_ = {k: v for k, v in fields.items() if v is not None}
        return p.customer(self._s.mutate("customer_update", "customerUpdate", id=customer_id, input=input_)["user"])

    def get(self, customer_id: str | None = None, email: str | None = None,
            external_reference: str | None = None) -> Customer | None:
        """The customer with this id, e-mail or external reference, or None."""
        node = self._s.run("customer", id=customer_id, email=email, externalReference=external_reference).get("user")
        return p.customer(node) if node else None
