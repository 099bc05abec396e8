"""Each shopper with an account is a Saleor customer, and their checkouts belong to that customer.

The App creates the customer (``customerCreate``) once the e-mail is confirmed, keeps its
e-mail and name in step (``customerUpdate``), and attaches every checkout to it
(``checkoutCustomerAttach``) before the order is placed, so the Saleor order and the Dashboard
show the person, not only an e-mail. A guest (no account) orders with an e-mail only.
"""

from __future__ import annotations

import logging

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError, SaleorValidationError
from marketplace.storefront.session import is_guest
from marketplace.territory.models import Shopper

log = logging.getLogger(__name__)


def external_reference(shopper: Shopper) -> str:
    """The Saleor customer's ``externalReference``: our account, stable across e-mail changes.

    The id and the second the account was made: an id alone is reused by another database (a
    restore, a test run) talking to the same Saleor, and would hand one person's orders to another.
    """
    return f"mormal-user-{shopper.user_id}-{int(shopper.user.date_joined.timestamp())}"


def ensure_customer(shopper: Shopper, saleor: port.SaleorPort) -> str | None:
    """The shopper's Saleor customer id, creating the customer on first use; None for a guest.

    A customer already in Saleor with this account's reference or e-mail (made by an earlier
    attempt, or in the Dashboard) is adopted rather than duplicated.

    Raises
    ------
    SaleorError
        When Saleor refuses or cannot be reached.
    """
    if is_guest(shopper) or not shopper.user.email:
        return None
    if shopper.saleor_customer_id:
        return shopper.saleor_customer_id
    user, reference = shopper.user, external_reference(shopper)
    try:
        customer = saleor.customers.create(user.email, user.first_name, user.last_name, external_reference=reference)
    except SaleorValidationError as exc:
        if "UNIQUE" not in exc.codes:
            raise
        customer = saleor.customers.get(email=user.email) or saleor.customers.get(external_reference=reference)
        if customer is None:
            raise
        if customer.email.lower() != user.email.lower():  # this account, whose e-mail changed meanwhile
            customer = saleor.customers.update(customer.id, email=user.email)
    Shopper.objects.filter(pk=shopper.pk).update(saleor_customer_id=customer.id)
    shopper.saleor_customer_id = customer.id
    return customer.id


def update_customer(shopper: Shopper, saleor: port.SaleorPort) -> None:
    """Copy the account's e-mail and name onto its Saleor customer (creating it if there is none yet).

    Raises
    ------
    SaleorError
        When Saleor refuses or cannot be reached.
    """
    if not shopper.saleor_customer_id:
        ensure_customer(shopper, saleor)
        return
    user = shopper.user
    saleor.customers.update(shopper.saleor_customer_id, email=user.email, first_name=user.first_name,
                            last_name=user.last_name)


def attach_checkout(checkout: port.Checkout, shopper: Shopper, saleor: port.SaleorPort) -> port.Checkout:
    """Make the checkout the shopper's in Saleor (and its e-mail theirs); a guest's keeps its e-mail.

    Raises
    ------
    SaleorError
        When Saleor refuses or cannot be reached.
    """
    customer_id = ensure_customer(shopper, saleor)
    if customer_id is None or checkout.customer_id == customer_id:
        return checkout
    if checkout.customer_id:  # another person's cart (a relative switched who they order for): keep it theirs
        log.warning("checkout %s belongs to another Saleor customer; not re-attached", checkout.id)
        return checkout
    return saleor.checkout.attach_customer(checkout.id, customer_id)


def on_confirmed(shopper: Shopper) -> None:
    """After the e-mail is confirmed: create the customer now if Saleor answers, else at checkout."""
    try:
        ensure_customer(shopper, port.get_saleor())
    except SaleorError as exc:
        log.warning("Saleor customer for shopper %s not created yet (%s); retried at checkout", shopper.pk, exc)


def forget_customer(shopper: Shopper, saleor: port.SaleorPort) -> None:
    """After an erasure: the Saleor customer keeps no name or e-mail, and can no longer be used.

    Orders stay in Saleor (the accounts need them), owned by an anonymous, inactive customer.

    Raises
    ------
    SaleorError
        When Saleor refuses or cannot be reached.
    """
    if not shopper.saleor_customer_id:
        return
    saleor.customers.update(shopper.saleor_customer_id, email=f"efface-{shopper.user_id}@mormal.invalid",
                            first_name="", last_name="", is_active=False)
