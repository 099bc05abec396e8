"""Issuing vouchers and reading them back: every balance is Saleor's, every refusal a :class:`VoucherError`.

A voucher is a Saleor gift card. Staff issue a batch (:func:`issue_batch`); a driver or a shopper
presents a code, which :func:`voucher_for_code` finds (in our rows, else in Saleor) and
:func:`check_usable` judges by Saleor's own rule: active, not past its expiry date (Saleor's
server date, UTC), balance above zero. Taking money at the door is the payment app's
(:mod:`marketplace.payments.gift_card`); online, Saleor takes it at checkout completion.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from common import money
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError

from .error_codes import VoucherError
from .error_codes import VoucherErrorCode as Code
from .models import Voucher, VoucherBatch

#: At most this many vouchers in one batch (one Saleor call; a PDF page each).
MAX_BATCH = 500
#: At most this face value per voucher, in euros.
MAX_AMOUNT = Decimal("500")

_NOT_IN_CODE = re.compile(r"[\s\-–.]")
_SALEOR_CODE = re.compile(r"^[0-9A-F]{12}$")


def normalise_code(text: str) -> str:
    """A typed or scanned code in Saleor's form: ``7f3a 9c21-b04e`` → ``7F3A-9C21-B04E``.

    Saleor 3.23 draws codes as 12 hex digits in groups of four; spaces, dashes and case as typed
    do not matter. Any other text comes back in capitals without spaces (a code set by hand).
    """
    bare = _NOT_IN_CODE.sub("", text or "").upper()
    return display_code(bare) if _SALEOR_CODE.match(bare) else bare


def display_code(code: str) -> str:
    """The code in groups of four for reading aloud and printing (``ABCD-EF12-3456``)."""
    if "-" in code:
        return code
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def saleor_today(now: dt.datetime) -> dt.date:
    """The day Saleor judges expiry by: its server's UTC date (``GiftCard.objects.active(date)``)."""
    return now.astimezone(dt.UTC).date()


def date_fr(day: dt.date) -> str:
    """``3 janvier 2027``."""
    from marketplace.vendors.statements import MONTHS_FR

    return f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def _amount(raw: object) -> Decimal:
    try:
        value = money.round_cents(Decimal(str(raw).replace(",", ".").replace("€", "").strip()))
    except (InvalidOperation, ValueError):
        raise VoucherError(Code.BAD_AMOUNT, most=MAX_AMOUNT) from None
    if not Decimal("1") <= value <= MAX_AMOUNT:
        raise VoucherError(Code.BAD_AMOUNT, most=MAX_AMOUNT)
    return value


def issue_batch(saleor: port.SaleorPort, *, tag: str, amount: object, count: object,
                expiry_date: dt.date | None, now: dt.datetime, by=None) -> VoucherBatch:
    """Issue ``count`` vouchers of ``amount`` euros for ``tag`` as Saleor gift cards, and keep their rows.

    Raises
    ------
    VoucherError
        ``NO_TAG``, ``BAD_COUNT`` (1 to :data:`MAX_BATCH`), ``BAD_AMOUNT`` (1 € to
        :data:`MAX_AMOUNT`), ``PAST_EXPIRY`` (an expiry today or before), ``SALEOR_FAILED``.
    """
    tag = (tag or "").strip()
    if not tag:
        raise VoucherError(Code.NO_TAG)
    try:
        n = int(str(count).strip())
    except ValueError:
        raise VoucherError(Code.BAD_COUNT, most=MAX_BATCH) from None
    if not 1 <= n <= MAX_BATCH:
        raise VoucherError(Code.BAD_COUNT, most=MAX_BATCH)
    value = _amount(amount)
    today = saleor_today(now)
    if expiry_date is not None and expiry_date <= today:
        raise VoucherError(Code.PAST_EXPIRY, today=date_fr(today))
    try:
        cards = saleor.gift_cards.bulk_create(n, value, expiry_date, tags=[tag])
    except SaleorError as exc:
        raise VoucherError(Code.SALEOR_FAILED) from exc
    with transaction.atomic():
        batch = VoucherBatch.objects.create(tag=tag, amount=value, count=n, expiry_date=expiry_date,
                                            issued_by=by, issued_at=now)
        Voucher.objects.bulk_create([
            Voucher(gift_card_id=c.id, code=c.code, batch=batch, origin=Voucher.Origin.BATCH, tag=tag,
                    initial_amount=c.initial_balance.amount, balance=c.current_balance.amount,
                    expiry_date=c.expiry_date, created_at=now, balance_read_at=now)
            for c in cards])
    return batch


def remember(card: port.GiftCard, now: dt.datetime, origin: str = Voucher.Origin.SEEN) -> Voucher:
    """The row of a Saleor card, created the first time the App sees it (safe under races)."""
    found = Voucher.objects.filter(gift_card_id=card.id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Voucher.objects.create(
                gift_card_id=card.id, code=card.code, origin=origin, tag=", ".join(card.tags),
                initial_amount=card.initial_balance.amount, balance=card.current_balance.amount,
                expiry_date=card.expiry_date, created_at=card.created, balance_read_at=now)
    except IntegrityError:
        return Voucher.objects.get(gift_card_id=card.id)


def voucher_for_code(saleor: port.SaleorPort, code: str, now: dt.datetime) -> Voucher:
    """The voucher with this code (typed, scanned, any case or spacing).

    Raises
    ------
    VoucherError
        ``UNKNOWN`` when neither the App nor Saleor has a card with this code.
    """
    clean = normalise_code(code)
    if not clean:
        raise VoucherError(Code.UNKNOWN, voucher=code.strip())
    found = Voucher.objects.filter(code=clean).first()
    if found is not None:
        return found
    try:
        card = saleor.gift_cards.find_by_code(clean)
    except SaleorError as exc:
        raise VoucherError(Code.SALEOR_FAILED) from exc
    if card is None:
        raise VoucherError(Code.UNKNOWN, voucher=display_code(clean))
    return remember(card, now)


def check_usable(card: port.GiftCard | None, voucher: Voucher, now: dt.datetime) -> port.GiftCard:
    """Return the card if money can be taken from it now, by Saleor's rule.

    Raises
    ------
    VoucherError
        ``UNKNOWN`` (deleted in Saleor), ``INACTIVE``, ``EXPIRED``, ``ALREADY_USED`` (its whole
        balance went to earlier orders at the door) or ``EXHAUSTED`` (spent elsewhere).
    """
    shown = display_code(voucher.code)
    if card is None:
        raise VoucherError(Code.UNKNOWN, voucher=shown)
    if not card.is_active:
        raise VoucherError(Code.INACTIVE, voucher=shown)
    if card.expired_on(saleor_today(now)):
        assert card.expiry_date is not None
        raise VoucherError(Code.EXPIRED, voucher=shown, expiry=date_fr(card.expiry_date))
    if card.current_balance.amount <= 0:
        last = voucher.spends.order_by("-spent_at").first()
        if last is not None:
            raise VoucherError(Code.ALREADY_USED, voucher=shown, when=date_fr(last.spent_at.date()))
        raise VoucherError(Code.EXHAUSTED, voucher=shown)
    return card


def refresh(saleor: port.SaleorPort, voucher: Voucher, now: dt.datetime) -> port.GiftCard | None:
    """Read the card from Saleor and keep its balance on the row (for the staff figures)."""
    card = saleor.gift_cards.get(voucher.gift_card_id)
    if card is not None:
        Voucher.objects.filter(pk=voucher.pk).update(balance=card.current_balance.amount, balance_read_at=now)
        voucher.balance, voucher.balance_read_at = card.current_balance.amount, now
    return card


def apply_online(saleor: port.SaleorPort, checkout_id: str, code: str, now: dt.datetime) -> port.Checkout:
    """Put the voucher ``code`` on the shopper's checkout: its balance lowers the total to pay.

    Judged first by our rule, for a French sentence; Saleor then attaches it
    (``checkoutAddPromoCode``) and takes the balance when the checkout is completed.

    Raises
    ------
    VoucherError
        ``UNKNOWN``, ``INACTIVE``, ``EXPIRED``, ``EXHAUSTED``, ``ALREADY_USED``, ``SALEOR_FAILED``, or
        ``VOUCHER_FOR_VOUCHER`` on a checkout of e-vouchers (a voucher never pays for a voucher).
    """
    from .online import is_voucher_checkout

    checkout = saleor.checkout.get(checkout_id)
    if checkout is not None and is_voucher_checkout(checkout):  # the territory's rule, not Saleor's
        raise VoucherError(Code.VOUCHER_FOR_VOUCHER)
    voucher = voucher_for_code(saleor, code, now)
    try:
        check_usable(saleor.gift_cards.get(voucher.gift_card_id), voucher, now)
        return saleor.checkout.add_promo_code(checkout_id, voucher.code)
    except SaleorError as exc:
        raise VoucherError(Code.SALEOR_FAILED) from exc


def record_online(checkout: port.Checkout, order_id: str, order_number: str, now: dt.datetime) -> list:
    """Note what each voucher on a just-completed checkout paid, as Saleor takes it (in the order added).

    ``checkout`` is the checkout read just before completion (its cards' balances then). For the
    vendors' statements; the balances themselves stay Saleor's.
    """
    from .models import VoucherSpend

    left = checkout.subtotal.amount + checkout.shipping_price.amount
    noted = []
    for applied in checkout.gift_cards:
        taken = min(applied.current_balance.amount, left)
        left -= taken
        voucher = Voucher.objects.filter(gift_card_id=applied.id).first()
        if voucher is None or taken <= 0:
            continue
        spend, _ = VoucherSpend.objects.get_or_create(
            voucher=voucher, saleor_order_id=order_id,
            defaults={"channel": VoucherSpend.Channel.ONLINE, "order_number": order_number, "amount": taken,
                      "balance_after": applied.current_balance.amount - taken, "due_after": left,
                      "spent_at": now, "recorded_at": now})
        Voucher.objects.filter(pk=voucher.pk).update(balance=spend.balance_after, balance_read_at=now)
        noted.append(spend)
    return noted
