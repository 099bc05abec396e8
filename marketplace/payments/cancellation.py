"""A cancelled order gives its money back: vouchers credited back to their cards, then Saleor asked to refund or release each payment."""

from __future__ import annotations

import logging

from django.utils import timezone

from marketplace.saleor import port
from marketplace.saleor.registry import ReceivedEvent, register_handler

from .actions import release_payments

logger = logging.getLogger(__name__)

HANDLER_NAME = "payments.release_on_cancel"


def on_order_cancelled(event: ReceivedEvent) -> None:
    """Give the vouchers' money back, then refund or release the payments of the cancelled order (read again from Saleor).

    Vouchers first: their "Chèque cadeau" transactions are then refunded already, so Saleor is
    not asked to refund them through a payment session they never had.
    """
    if event.order is None:
        return
    saleor = port.get_saleor()
    from .gift_card import give_back_order

    for spend in give_back_order(saleor, event.order.id, timezone.now()):
        logger.info("order %s cancelled: voucher spend %s credited back", event.order.number, spend.pk)
    order = saleor.orders.get(event.order.id) or event.order
    for tx in release_payments(saleor, order):
        logger.info("order %s cancelled: asked Saleor to refund/release transaction %s", order.number, tx.id)


def connect() -> None:
    """Subscribe to ORDER_CANCELLED (safe to call twice)."""
    register_handler("ORDER_CANCELLED", HANDLER_NAME, on_order_cancelled)
