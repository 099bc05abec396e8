"""Our payment app's "chèque cadeau" at the door: the driver scans a voucher, Saleor's balance pays part of the order.

Saleor 3.23 has no checkout step at the door, so the App does what a payment app does for money
it takes itself, in this order:

1. under a PostgreSQL row lock on the voucher (``select_for_update`` on its :class:`Voucher`
   row, keyed by the gift card's id), read the card and the order's pay-by-hand transaction in
   Saleor, take ``min(balance, still to collect)`` with ``giftCardBalanceAdjust`` and note the
   spend (one per voucher and order: the same scan twice is one debit);
2. after the lock, record it on the order: a transaction of its own, "Chèque cadeau", charged
   with the amount (``transactionCreate``), and the pay-by-hand transaction's authorised amount
   lowered to what is left to collect (``transactionUpdate``), so the cash charge at delivery
   takes exactly the rest. Step 2 sets values from the spends, so it can be run again.

The lock is what keeps a voucher from going below zero when two phones scan it at once: the
second waits, then reads the balance the first left. (Saleor would clamp at zero anyway, but then
the second phone would believe it took money it did not.)

A cancelled order gives its vouchers' money back (:func:`give_back_order`): Saleor does not
restore a gift card's balance when an order is cancelled, so the App credits each spend back
(``giftCardBalanceAdjust`` with a positive amount) once, under the same lock, and marks the
order's "Chèque cadeau" transaction refunded.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from celery import shared_task
from django.db import transaction

from common import money
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError, SaleorMutationUncertain
from marketplace.vouchers import actions as vouchers
from marketplace.vouchers.error_codes import VoucherError
from marketplace.vouchers.error_codes import VoucherErrorCode as Code
from marketplace.vouchers.models import Voucher, VoucherSpend

from .models import PaymentSession

logger = logging.getLogger(__name__)

#: The name of the order's transaction that records a voucher spend (seen in Saleor's Dashboard).
TRANSACTION_NAME = "Chèque cadeau du Pays de Mormal"


@dataclass(frozen=True)
class DoorSpend:
    """What the driver reads after a scan: the amount taken, the voucher's balance, what is left to collect."""

    last4: str
    amount: Decimal
    balance_after: Decimal
    due_after: Decimal
    order_number: str
    repeated: bool = False  # the same voucher was already scanned for this order: nothing more taken

    @property
    def sentence(self) -> str:
        """The French line the phone shows."""
        head = ("Déjà enregistré : " if self.repeated else "") + (
            f"{'c' if self.repeated else 'C'}hèque cadeau ••••{self.last4} : {money.format_eur(self.amount)} débités pour la commande "
            f"{self.order_number}. Solde restant du chèque : {money.format_eur(self.balance_after)}.")
        rest = (f" Reste à encaisser : {money.format_eur(self.due_after)}." if self.due_after > 0
                else " Rien d'autre à encaisser.")
        return head + rest


def spend_at_door(saleor: port.SaleorPort, code: str, order, now: dt.datetime, by: str = "") -> DoorSpend:
    """Take what ``order`` (a pay-by-hand :class:`~marketplace.storefront.models.ShopOrder`) still owes from the voucher ``code``.

    Raises
    ------
    VoucherError
        ``NOT_PAID_BY_HAND``, ``UNKNOWN``, ``INACTIVE``, ``EXPIRED``, ``EXHAUSTED``,
        ``ALREADY_USED``, ``NOTHING_DUE`` or ``SALEOR_FAILED`` (nothing was taken).
    """
    if not order.transaction_id or order.payment == "card":
        raise VoucherError(Code.NOT_PAID_BY_HAND, order=order.number)
    found = vouchers.voucher_for_code(saleor, code, now)
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=found.pk)
        spend = VoucherSpend.objects.filter(voucher=voucher, saleor_order_id=order.saleor_order_id).first()
        repeated = spend is not None
        if spend is None:
            spend = _take(saleor, voucher, order, now, by)
    try:
        record_on_order(saleor, spend, order)
    except SaleorError as exc:  # the card is debited: the order's side is finished by a retried task
        logger.warning("voucher spend %s not yet recorded on the order: %s", spend.pk, exc)
        record_spend_task.delay(spend.pk)
    return DoorSpend(voucher.code[-4:], spend.amount, spend.balance_after, spend.due_after, spend.order_number,
                     repeated)


def _take(saleor: port.SaleorPort, voucher: Voucher, order, now: dt.datetime, by: str) -> VoucherSpend:
    """Debit the card in Saleor and note the spend (the caller holds the voucher's row lock)."""
    try:
        card = vouchers.check_usable(saleor.gift_cards.get(voucher.gift_card_id), voucher, now)
        due = _still_to_collect(saleor, order)
    except SaleorError as exc:
        raise VoucherError(Code.SALEOR_FAILED) from exc
    if due <= 0:
        raise VoucherError(Code.NOTHING_DUE, order=order.number)
    before = card.current_balance.amount
    amount = min(before, due)
    try:
        after = saleor.gift_cards.adjust_balance(card.id, -amount).current_balance.amount
    except SaleorMutationUncertain:
        # no answer: read the card back; the deduction happened only if the balance moved by it
        seen = saleor.gift_cards.get(card.id)
        if seen is None or seen.current_balance.amount != before - amount:
            raise VoucherError(Code.SALEOR_FAILED) from None
        after = seen.current_balance.amount
    except SaleorError as exc:
        raise VoucherError(Code.SALEOR_FAILED) from exc
    if after != before - amount:  # the card was used elsewhere (online) between our read and our debit
        logger.warning("voucher %s: balance %s after taking %s from %s", voucher.pk, after, amount, before)
    voucher.balance, voucher.balance_read_at = after, now
    voucher.save(update_fields=["balance", "balance_read_at"])
    return VoucherSpend.objects.create(
        voucher=voucher, saleor_order_id=order.saleor_order_id, order_number=order.number, amount=amount,
        balance_after=after, due_after=due - amount, spent_at=now, by=by[:120])


def _still_to_collect(saleor: port.SaleorPort, order) -> Decimal:
    """What the order's pay-by-hand transaction still has authorised (money not yet collected)."""
    tx = saleor.payments.get(order.transaction_id)
    if tx is None:
        return Decimal("0")
    return tx.authorized.amount - tx.amount("charge_pending")


def record_on_order(saleor: port.SaleorPort, spend: VoucherSpend, order) -> None:
    """Show the spend on the Saleor order and lower what is left to collect (safe to run again).

    The authorised amount is set to what was left right after the spend (read under the lock),
    never lowered by a subtraction, so a second run sets the same value.
    """
    if spend.recorded_at is not None or spend.refunded_at is not None:
        return  # recorded already, or the order was cancelled first: nothing is owed on it any more
    message = (f"Chèque cadeau ••••{spend.voucher.code[-4:]} scanné à la porte : "
               f"{money.format_eur(spend.amount)} ; solde restant {money.format_eur(spend.balance_after)}.")
    tx = saleor.payments.record_charged(spend.saleor_order_id, TRANSACTION_NAME, spend.psp_reference,
                                        spend.amount, message)
    # what was left to collect right after this spend, or less if Saleor already holds less (a later spend)
    left = min(spend.due_after, _still_to_collect(saleor, order))
    saleor.payments.set_authorized(order.transaction_id, left,
                                   f"Reste à encaisser après chèque(s) cadeau : {money.format_eur(left)}.")
    PaymentSession.objects.filter(transaction_id=order.transaction_id).update(authorized=left)
    _lower_stop_amount(spend.saleor_order_id, left)
    VoucherSpend.objects.filter(pk=spend.pk).update(transaction_id=tx.id, recorded_at=spend.spent_at)
    spend.transaction_id, spend.recorded_at = tx.id, spend.spent_at


@shared_task(name="payments.record_voucher_spend", autoretry_for=(SaleorError,), max_retries=8, retry_backoff=30)
def record_spend_task(spend_pk: int) -> None:
    """Celery entry point: finish :func:`record_on_order` for a spend Saleor could not take at the door."""
    from marketplace.storefront.models import ShopOrder

    spend = VoucherSpend.objects.select_related("voucher").get(pk=spend_pk)
    order = ShopOrder.objects.get(saleor_order_id=spend.saleor_order_id)
    record_on_order(port.get_saleor(), spend, order)


def _lower_stop_amount(saleor_order_id: str, left: Decimal) -> None:
    """The driver's stop shows what is still to collect for this order."""
    from delivery.models import DeliveryTask

    DeliveryTask.objects.filter(source=f"order:{saleor_order_id}").update(payment_cents=money.to_cents(left))


def give_back_order(saleor: port.SaleorPort, saleor_order_id: str, now: dt.datetime) -> list[VoucherSpend]:
    """Credit back to their gift cards the voucher spends of a cancelled order (at the door and online); safe to run again.

    Returns the spends this call credited (empty when all were given back before).

    Raises
    ------
    VoucherError
        ``NOT_GIVEN_BACK`` when Saleor could not be asked; what was credited before stays credited
        and a later run finishes the rest.
    """
    credited = []
    for spend in VoucherSpend.objects.filter(saleor_order_id=saleor_order_id).select_related("voucher").order_by("pk"):
        if give_back(saleor, spend, now):
            credited.append(spend)
        spend.refresh_from_db()
        record_refund_on_order(saleor, spend, now)
    return credited


def _note_balance_before(saleor: port.SaleorPort, spend: VoucherSpend) -> VoucherSpend:
    """Keep the card's balance before the credit, committed before Saleor is asked (see :func:`give_back`)."""
    with transaction.atomic():
        Voucher.objects.select_for_update().get(pk=spend.voucher_id)
        spend = VoucherSpend.objects.select_for_update().select_related("voucher").get(pk=spend.pk)
        if spend.refunded_at is None and spend.refund_balance_before is None:
            card = saleor.gift_cards.get(spend.voucher.gift_card_id)
            if card is None:
                raise SaleorError(f"gift card {spend.voucher.gift_card_id} not found")
            spend.refund_balance_before = card.current_balance.amount
            spend.save(update_fields=["refund_balance_before"])
    return spend


def give_back(saleor: port.SaleorPort, spend: VoucherSpend, now: dt.datetime) -> bool:
    """Put ``spend``'s amount back on its gift card once; True when this call did it.

    In two steps under the voucher's row lock: the card's balance before the credit is committed
    first, then the card is credited and the spend marked. A run that died after Saleor credited
    the card but before the mark finds the balance already up by the amount and only marks it.

    Raises
    ------
    VoucherError
        ``NOT_GIVEN_BACK`` when Saleor could not be asked or gave no clear answer.
    """
    if spend.refunded_at is not None:
        return False
    refused = VoucherError(Code.NOT_GIVEN_BACK, voucher=f"••••{spend.voucher.code[-4:]}",
                           amount=money.format_eur(spend.amount), order=spend.order_number)
    try:
        spend = _note_balance_before(saleor, spend)
        with transaction.atomic():
            voucher = Voucher.objects.select_for_update().get(pk=spend.voucher_id)
            spend = VoucherSpend.objects.select_for_update().get(pk=spend.pk)
            if spend.refunded_at is not None:
                return False
            before = spend.refund_balance_before
            card = saleor.gift_cards.get(voucher.gift_card_id)
            if card is None or before is None:
                raise refused
            if card.current_balance.amount == before + spend.amount:
                after = card.current_balance.amount  # an earlier run credited it and died before the mark
            else:
                try:
                    after = saleor.gift_cards.adjust_balance(card.id, spend.amount).current_balance.amount
                except SaleorMutationUncertain:
                    seen = saleor.gift_cards.get(card.id)
                    if seen is None or seen.current_balance.amount != card.current_balance.amount + spend.amount:
                        raise refused from None
                    after = seen.current_balance.amount
            voucher.balance, voucher.balance_read_at = after, now
            voucher.save(update_fields=["balance", "balance_read_at"])
            VoucherSpend.objects.filter(pk=spend.pk).update(refunded_at=now)
    except SaleorError as exc:
        raise refused from exc
    logger.info("voucher spend %s: %s credited back to the card (order %s cancelled)", spend.pk, spend.amount,
                spend.order_number)
    return True


def record_refund_on_order(saleor: port.SaleorPort, spend: VoucherSpend, now: dt.datetime) -> None:
    """Mark the order's "Chèque cadeau" transaction refunded once its money is back on the card (safe to run again).

    Spends taken online have no transaction of ours (Saleor took the card at checkout): nothing to mark.
    """
    if spend.refunded_at is None or spend.refund_recorded_at is not None or not spend.transaction_id:
        return
    message = (f"Commande annulée : {money.format_eur(spend.amount)} recrédités sur le chèque cadeau "
               f"••••{spend.voucher.code[-4:]}.")
    saleor.payments.record_refunded(spend.transaction_id, Decimal("0"), spend.amount, message)
    VoucherSpend.objects.filter(pk=spend.pk).update(refund_recorded_at=now)
    spend.refund_recorded_at = now
