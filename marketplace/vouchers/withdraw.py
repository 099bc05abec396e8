"""Vouchers bought online are withdrawn when their order is cancelled or refunded: the one home of that rule.

Saleor 3.23 keeps the cards it issued for a paid order of the gift-card product active whatever
happens to the order afterwards when the money goes back through the Transactions API
(``transactionRequestRefundForOrder`` / a refund reported by the payment app sends
``ORDER_REFUNDED``, with no change to the cards); only its own ``orderCancel`` deactivates them,
and it refuses a fulfilled order, which a paid e-voucher order always is. So the App deactivates
them itself (``giftCardDeactivate``, ``MANAGE_GIFT_CARD``), each under its voucher's row lock (the
lock door spends take), and notes when, why, and what was already spent on the card before: that
money is gone, staff see it on their page ("déjà dépensé X € avant l'annulation") and act.

How many cards go: all of them when the order is cancelled or refunded in full; for a partial
refund, enough cards (the least spent first) for their face values to cover the refunded euros.
Every run recomputes from what is already withdrawn, so a webhook delivered twice, or the
cancel's and the refund's webhooks both, deactivate each card once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.saleor.registry import ReceivedEvent
from marketplace.saleor.values import TransactionAction

from . import online
from .error_codes import VoucherError
from .error_codes import VoucherErrorCode as Code
from .models import DeactivationReason, Voucher, VoucherPurchase

log = logging.getLogger(__name__)

ZERO = Decimal("0.00")


def _refunded(order: port.Order) -> Decimal:
    return sum((t.amount("refunded") for t in order.transactions), ZERO)


def withdraw_order(saleor: port.SaleorPort, order: port.Order, reason: DeactivationReason,
                   now: dt.datetime, *, whole: bool = False) -> list[Voucher]:
    """Deactivate in Saleor the cards the order sold, as many as its cancel or refund takes back; return those deactivated now.

    ``whole``: every card (the order is cancelled or fully refunded); otherwise the refunded
    euros Saleor shows on the order's transactions decide. Safe to run again.

    Raises
    ------
    RuntimeError
        When Saleor shows fewer cards than vouchers sold (the handler is run again later).
    """
    sold = online.bought_lines(order)
    if not sold:
        return []
    cards = saleor.gift_card_products.bought_in_order(order.id, online.product(saleor).product_id, order.email)
    if len(cards) < sold:
        raise RuntimeError(f"order {order.number}: {len(cards)} gift card(s) found for {sold} sold")
    online.keep_cards(cards, online.purchase_of(order), now)  # the refund may come before ORDER_FULLY_PAID's handler
    rows = list(Voucher.objects.filter(gift_card_id__in=[c.id for c in cards]))
    target = None if whole or _refunded(order) >= order.total.amount else _refunded(order)
    withdrawn = sum((v.initial_amount for v in rows if v.deactivated_at), ZERO)
    done: list[Voucher] = []
    for row in sorted((v for v in rows if not v.deactivated_at), key=lambda v: (-v.balance, v.pk)):
        if target is not None and withdrawn >= target:
            break
        voucher = _deactivate(saleor, row.pk, reason, now)
        withdrawn += row.initial_amount
        if voucher is not None:
            done.append(voucher)
    return done


def _deactivate(saleor: port.SaleorPort, pk: int, reason: DeactivationReason, now: dt.datetime) -> Voucher | None:
    """Deactivate one card under its row lock and note what was spent before; None when it was done already."""
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=pk)
        if voucher.deactivated_at is not None:
            return None
        card = saleor.gift_cards.deactivate(voucher.gift_card_id)  # Saleor answers the same when done already
        balance = card.current_balance.amount
        voucher.balance, voucher.balance_read_at = balance, now
        voucher.deactivated_at, voucher.deactivation_reason = now, reason
        voucher.spent_before_deactivation = max(ZERO, voucher.initial_amount - balance)
        voucher.save(update_fields=["balance", "balance_read_at", "deactivated_at", "deactivation_reason",
                                    "spent_before_deactivation"])
    if voucher.spent_before_deactivation:
        log.warning("voucher %s deactivated (%s) after %s EUR were spent on it", voucher.pk, reason,
                    voucher.spent_before_deactivation)
    return voucher


@dataclass(frozen=True)
class TakenBack:
    """What staff taking a purchase back did: cards withdrawn now, euros refunded now, euros spent before."""

    withdrawn: list[Voucher]
    refunded: Decimal
    spent_before: Decimal


def refund_purchase(saleor: port.SaleorPort, purchase: VoucherPurchase, now: dt.datetime) -> TakenBack:
    """Staff take an e-voucher purchase back: its cards withdrawn first (no spend slips in), then what they held refunded.

    What was already spent on the cards is not refunded (that money went to the shops); it
    stays on the staff page. Run again after a failure, it refunds only what is still due.

    Raises
    ------
    VoucherError
        ``REFUND_FAILED`` when Saleor does not refund the card (the cards are withdrawn already).
    """
    order = saleor.orders.get(purchase.saleor_order_id) if purchase.saleor_order_id else None
    if order is None:
        raise VoucherError(Code.REFUND_FAILED, order=purchase.order_number or "?", amount="commande introuvable")
    done = withdraw_order(saleor, order, DeactivationReason.REFUNDED, now, whole=True)
    vouchers = list(Voucher.objects.filter(purchase=purchase))
    left = sum((v.balance for v in vouchers), ZERO)
    due = max(ZERO, left - _refunded(order))
    asked = ZERO
    for tx in order.transactions:
        amount = min(due - asked, tx.charged.amount)
        if amount <= 0:
            continue
        try:
            saleor.payments.request_action(tx.id, TransactionAction.REFUND, amount)
        except SaleorError as exc:
            from common import money

            raise VoucherError(Code.REFUND_FAILED, order=order.number, amount=money.format_eur(due - asked)) from exc
        asked += amount
    return TakenBack(withdrawn=done, refunded=asked,
                     spent_before=sum((v.spent_before_deactivation or ZERO for v in vouchers), ZERO))


def on_order_cancelled(event: ReceivedEvent) -> None:
    """ORDER_CANCELLED: every voucher the order sold is withdrawn."""
    if event.order is not None:
        withdraw_order(port.get_saleor(), event.order, DeactivationReason.CANCELLED, timezone.now(), whole=True)


def on_order_refunded(event: ReceivedEvent) -> None:
    """ORDER_REFUNDED / ORDER_FULLY_REFUNDED: the vouchers the refunded euros paid for are withdrawn.

    The order is read again from Saleor: the refunded amounts are those it shows now.
    """
    if event.order is None or not online.bought_lines(event.order):
        return
    saleor = port.get_saleor()
    order = saleor.orders.get(event.order.id) or event.order
    withdraw_order(saleor, order, DeactivationReason.REFUNDED, timezone.now(),
                   whole=event.event_type == "ORDER_FULLY_REFUNDED")


def connect() -> None:
    """Subscribe to the cancel and refund events (from ``VouchersConfig.ready``)."""
    from marketplace.saleor.registry import register_handler

    register_handler("ORDER_CANCELLED", "vouchers.withdraw_on_cancel", on_order_cancelled)
    register_handler("ORDER_REFUNDED", "vouchers.withdraw_on_refund", on_order_refunded)
    register_handler("ORDER_FULLY_REFUNDED", "vouchers.withdraw_on_full_refund", on_order_refunded)
