"""The card flow of the shopper's order: the gateway's client step, the return from the card company.

Split from :mod:`.checkout` (which places orders): a card gateway whose step runs in the browser
(Stripe's Payment Element) opens with :func:`start_card_payment` and comes back through
:func:`finish_card_return`; one whose step is a confirmation (the demo's 3-D Secure) raises
:class:`CardStepNeeded` from :func:`.checkout.place_order` and ends with :func:`finish_card_order`.
Both place the order with :mod:`.checkout`'s own checks and completion, once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common import money
from marketplace.payments import actions as payments
from marketplace.payments import card_gateways
from marketplace.saleor import port
from marketplace.territory.models import Shopper

from . import checkout as base
from . import reservations
from .error_codes import StorefrontErrorCode as Code
from .errors import StorefrontError
from .models import Consent, ShopOrder


class CardStepNeeded(StorefrontError):
    """The card gateway answered ``*_ACTION_REQUIRED``: the shopper's own step comes first.

    ``transaction_id`` and ``data`` (what the gateway's app returned for its client step, e.g. a
    3-D Secure challenge) go to the card step page; :func:`finish_card_order` then asks Saleor
    to process the transaction (``transactionProcess``) and places the order.
    """

    def __init__(self, transaction_id: str, gateway: str, data: object):
        super().__init__(Code.CARD_STEP)
        self.transaction_id, self.gateway, self.data = transaction_id, gateway, data


class CardPageNeeded(StorefrontError):
    """The card gateway's client step runs in the browser (Stripe's Payment Element): go to the card page."""

    def __init__(self, gateway: str):
        super().__init__(Code.CARD_STEP)
        self.gateway = gateway


@dataclass(frozen=True)
class CardPage:
    """What the card page shows: the gateway's client step, the amount, and whether it is already paid."""

    step: card_gateways.StripeStep
    amount: object
    already_paid: bool
    idempotency_key: str


def card_idempotency_key(checkout: port.Checkout, attempt: int = 0) -> str:
    """Saleor's idempotency key of one card payment of ``checkout`` at its current total.

    The same cart at the same total (a reload of the card page) gives the same key, so Saleor finds
    the same transaction and the Stripe app the same PaymentIntent; a changed total, or a new
    ``attempt`` after a cancelled payment, gives a new one (Saleor refuses one key for two amounts).
    """
    import hashlib

    digest = hashlib.sha256(checkout.id.encode()).hexdigest()[:16]
    return f"mormal-card-{digest}-{money.to_cents(checkout.total.amount)}-{attempt}"


def start_card_payment(checkout_id: str, shopper: Shopper, placed_by, saleor: port.SaleorPort,
                       channel: str = ShopOrder.Channel.WEB, consent: Consent | None = None,
                       now: dt.datetime | None = None, attempt: int = 0) -> CardPage:
    """Open the card gateway's client step: a charge in Saleor (``transactionInitialize``) the browser confirms.

    Nothing is charged here: Saleor's Stripe app creates a PaymentIntent and answers
    ``CHARGE_ACTION_REQUIRED`` with its client secret; the browser confirms it with Stripe.js and
    comes back to :func:`finish_card_return`. The place stays held (not for good) meanwhile.

    Raises
    ------
    StorefrontError
        As :func:`place_order` before paying; ``card_not_linked`` for a card gateway without a
        client step here; ``card_gateway_broken`` when the app's answer lacks the key or secret.
    """
    now = now or timezone.now()
    checkout, _mode, _choice = base._checked(checkout_id, shopper, placed_by, ShopOrder.Payment.CARD, saleor, consent, now)
    offered = payments.options(saleor, checkout.id)
    base.check_payment_offered(ShopOrder.Payment.CARD, offered)
    gateway = offered.card_gateway or ""
    if not card_gateways.has_client_step(gateway):
        raise StorefrontError(Code.CARD_NOT_LINKED)
    key = card_idempotency_key(checkout, attempt)
    with transaction.atomic():
        reservations.confirm(checkout.id, order_id=f"pending:{checkout.id}")  # refuses a place lost meanwhile
        reservations.keep_holding(checkout.id, now)
        saleor.checkout.update_metadata(checkout.id, {"mormal.payment": ShopOrder.Payment.CARD, "mormal.channel": channel})
    try:
        step, already_paid = card_gateways.open_stripe_step(saleor, checkout.id, offered.card_data, key)
    except card_gateways.CardGatewayError as exc:
        raise StorefrontError(Code.CARD_GATEWAY_BROKEN) from exc
    return CardPage(step=step, amount=checkout.total.amount, already_paid=already_paid, idempotency_key=key)


def finish_card_return(checkout_id: str, transaction_id: str, payment_intent: str, redirect_status: str,
                       shopper: Shopper, placed_by, saleor: port.SaleorPort, channel: str = ShopOrder.Channel.WEB,
                       consent: Consent | None = None, now: dt.datetime | None = None) -> ShopOrder:
    """Back from the card company: ask Saleor for the result (``transactionProcess``), then place the order once.

    Idempotent: the order already placed for this checkout is returned as it is (a reload of
    the return page places nothing twice). The order is placed only when Saleor reports the
    checkout paid; ``redirect_status`` (Stripe's word in the return URL) only chooses the sentence.

    Raises
    ------
    StorefrontError
        ``card_refunded`` when the card was charged but the order can no longer be placed (the
        day closed, the place went to someone else...): Saleor is asked to refund it;
        ``card_return_unknown`` when ``payment_intent`` is not this transaction's; ``card_declined``
        (the bank refused: choose another card), ``card_action_pending`` (the bank's confirmation is
        not done), ``card_processing`` (the bank has not answered yet), ``card_cancelled``, ``empty_cart``.
        Nothing stays charged in any of these cases.
    """
    done = ShopOrder.objects.filter(checkout_id=checkout_id).first()
    if done is not None:
        return done
    now = now or timezone.now()
    if saleor.checkout.get(checkout_id) is None:
        raise StorefrontError(Code.EMPTY_CART)
    paid = saleor.payments.process(transaction_id)
    if payment_intent and paid.transaction is not None and paid.transaction.psp_reference not in ("", payment_intent):
        raise StorefrontError(Code.CARD_RETURN_UNKNOWN)
    if not paid.succeeded or paid.transaction is None:
        raise StorefrontError(_return_refusal(paid.result, redirect_status))
    after = saleor.checkout.get(checkout_id)
    if after is None or not (after.charge_status in ("FULL", "OVERCHARGED") or after.authorize_status == "FULL"):
        raise StorefrontError(Code.CARD_PROCESSING)
    try:  # the card is charged: an order, or the money back
        checkout, mode, choice = base._checked(checkout_id, shopper, placed_by, ShopOrder.Payment.CARD, saleor, consent, now)
        with transaction.atomic():
            reservations.confirm(checkout.id, order_id=f"pending:{checkout.id}")
            saleor.checkout.update_metadata(checkout.id, {"mormal.payment": ShopOrder.Payment.CARD,
                                                          "mormal.channel": channel})
            return base._complete(paid, checkout, mode, choice, shopper, placed_by, ShopOrder.Payment.CARD, saleor,
                             channel, consent)
    except StorefrontError as refusal:
        payments.release_transaction(saleor, paid.transaction)
        raise StorefrontError(Code.CARD_REFUNDED, reason=refusal.message) from refusal


def _return_refusal(result: str, redirect_status: str) -> Code:
    """Why a card return placed no order, from Saleor's result (and Stripe's ``redirect_status``)."""
    if result.endswith("_REQUEST"):
        return Code.CARD_PROCESSING
    if result.endswith("_FAILURE") or redirect_status == "canceled":
        return Code.CARD_CANCELLED
    if redirect_status in ("requires_payment_method", "failed"):
        return Code.CARD_DECLINED
    return Code.CARD_ACTION_PENDING


def finish_card_order(checkout_id: str, transaction_id: str, data: object, shopper: Shopper, placed_by,
                      saleor: port.SaleorPort, channel: str = ShopOrder.Channel.WEB,
                      consent: Consent | None = None, now: dt.datetime | None = None) -> ShopOrder:
    """After the card gateway's client step: Saleor asks the app for the result, then the order is placed.

    Raises
    ------
    StorefrontError
        As :func:`place_order`; ``payment_refused`` when the gateway still does not charge.
    """
    now = now or timezone.now()
    checkout, mode, choice = base._checked(checkout_id, shopper, placed_by, ShopOrder.Payment.CARD, saleor, consent, now)
    with transaction.atomic():
        reservations.confirm(checkout.id, order_id=f"pending:{checkout.id}")
        saleor.checkout.update_metadata(checkout.id, {"mormal.payment": ShopOrder.Payment.CARD, "mormal.channel": channel})
        paid = saleor.payments.process(transaction_id, data)
        return base._complete(paid, checkout, mode, choice, shopper, placed_by, ShopOrder.Payment.CARD, saleor, channel,
                         consent)
