"""A cancelled order gives its money back: Saleor is asked to refund or release each payment."""

from __future__ import annotations

import logging

from marketplace.saleor import port
from marketplace.saleor.registry import ReceivedEvent, register_handler

from .actions import release_payments

logger = logging.getLogger(__name__)

HANDLER_NAME = "payments.release_on_cancel"


def on_order_cancelled(event: ReceivedEvent) -> None:
    """Refund or release the payments of the cancelled order (read again from Saleor first)."""
    if event.order is None:
        return
    saleor = port.get_saleor()
    order = saleor.orders.get(event.order.id) or event.order
    for tx in release_payments(saleor, order):
        logger.info("order %s cancelled: asked Saleor to refund/release transaction %s", order.number, tx.id)


def connect() -> None:
    """Subscribe to ORDER_CANCELLED (safe to call twice)."""
    register_handler("ORDER_CANCELLED", HANDLER_NAME, on_order_cancelled)
