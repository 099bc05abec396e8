"""Figures of the territory's vouchers for staff, and each vendor's share of what vouchers paid.

Balances are Saleor's, as last read (:func:`refresh_balances` reads them all again). Euros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from common import money
from marketplace.saleor import port

from .actions import saleor_today
from .models import Voucher, VoucherSpend

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VoucherFigures:
    """Vouchers issued or sold, spent (at the door and online), expired unspent, and still outstanding."""

    issued_count: int
    issued_value: Decimal
    sold_online_count: int
    sold_online_value: Decimal
    spent_value: Decimal
    spent_at_door: Decimal
    expired_value: Decimal
    outstanding_value: Decimal
    outstanding_count: int

    @property
    def spent_online(self) -> Decimal:
        """Spent at online checkouts: all spending less what the App took at the door."""
        return self.spent_value - self.spent_at_door


def figures(now: dt.datetime) -> VoucherFigures:
    """The figures over every voucher the App knows, judged on Saleor's day (``now``'s UTC date)."""
    today = saleor_today(now)
    rows = list(Voucher.objects.values("origin", "initial_amount", "balance", "expiry_date"))
    expired = [r for r in rows if r["expiry_date"] is not None and r["expiry_date"] < today]
    live = [r for r in rows if r not in expired]
    online = [r for r in rows if r["origin"] == Voucher.Origin.ONLINE]
    return VoucherFigures(
        issued_count=len(rows) - len(online),
        issued_value=sum((r["initial_amount"] for r in rows if r["origin"] != Voucher.Origin.ONLINE), ZERO),
        sold_online_count=len(online),
        sold_online_value=sum((r["initial_amount"] for r in online), ZERO),
        spent_value=sum((r["initial_amount"] - r["balance"] for r in rows), ZERO),
        spent_at_door=VoucherSpend.objects.filter(channel=VoucherSpend.Channel.DOOR).aggregate(
            s=Sum("amount"))["s"] or ZERO,
        expired_value=sum((r["balance"] for r in expired), ZERO),
        outstanding_value=sum((r["balance"] for r in live), ZERO),
        outstanding_count=sum(1 for r in live if r["balance"] > 0),
    )


def refresh_balances(saleor: port.SaleorPort, now: dt.datetime, most: int = 10_000) -> int:
    """Read every gift card from Saleor and keep its balance on our rows; return how many were read.

    Cards Saleor issued from an online purchase (gift-card products) get their row here too.
    """
    cards = saleor.gift_cards.find(first=most)
    known = {v.gift_card_id: v for v in Voucher.objects.all()}
    for card in cards:
        row = known.get(card.id)
        if row is None:
            Voucher.objects.get_or_create(gift_card_id=card.id, defaults={
                "code": card.code, "origin": Voucher.Origin.ONLINE, "tag": ", ".join(card.tags),
                "initial_amount": card.initial_balance.amount, "balance": card.current_balance.amount,
                "expiry_date": card.expiry_date, "created_at": card.created, "balance_read_at": now})
        elif row.balance != card.current_balance.amount or row.expiry_date != card.expiry_date:
            Voucher.objects.filter(pk=row.pk).update(balance=card.current_balance.amount,
                                                     expiry_date=card.expiry_date, balance_read_at=now)
    return len(cards)


def vendor_shares(order_totals: dict[int, Decimal], paid: Decimal) -> dict[int, Decimal]:
    """Split ``paid`` euros of vouchers over the vendors of one order, by their share of it, to the cent.

    ``order_totals`` maps a vendor id to its share of the order (TTC). The cents left by rounding
    go to the largest shares first, so the parts always add up to ``paid``.

    Raises
    ------
    ValueError
        When ``paid`` is negative.
    """
    if paid < 0:
        raise ValueError(f"Montant négatif : {paid}.")
    whole = sum(order_totals.values(), ZERO)
    if whole <= 0 or paid == 0:
        return dict.fromkeys(order_totals, ZERO)
    paid = min(money.round_cents(paid), whole)
    cents = money.to_cents(paid)
    exact = {k: Decimal(cents) * v / whole for k, v in order_totals.items()}
    parts = {k: int(e) for k, e in exact.items()}
    left = cents - sum(parts.values())
    for k in sorted(exact, key=lambda k: (exact[k] - parts[k], order_totals[k]), reverse=True)[:left]:
        parts[k] += 1
    return {k: money.from_cents(c) for k, c in parts.items()}


def vouchers_by_order(saleor_order_ids: list[str]) -> dict[str, Decimal]:
    """Euros paid with vouchers (at the door and online), per Saleor order id."""
    rows = (VoucherSpend.objects.filter(saleor_order_id__in=saleor_order_ids).values("saleor_order_id")
            .annotate(s=Sum("amount")))
    return {r["saleor_order_id"]: r["s"] for r in rows}
