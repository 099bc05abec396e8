"""Figures of the territory's vouchers for staff, and each vendor's share of what vouchers paid.

Balances are Saleor's, as last read (:func:`refresh_balances` reads them all again). Euros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from common import money
from marketplace.saleor import port

from .actions import saleor_today
from .models import Voucher, VoucherPurchase, VoucherSpend

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
    withdrawn_count: int = 0
    withdrawn_spent: Decimal = ZERO

    @property
    def spent_online(self) -> Decimal:
        """Spent at online checkouts: all spending less what the App took at the door."""
        return self.spent_value - self.spent_at_door


def figures(now: dt.datetime) -> VoucherFigures:
    """The figures over every voucher the App knows, judged on Saleor's day (``now``'s UTC date).

    A voucher withdrawn because its order was cancelled or refunded is never outstanding; what was
    spent on it before counts as spent (that money is gone) and as ``withdrawn_spent``.
    """
    today = saleor_today(now)
    rows = list(Voucher.objects.values("origin", "initial_amount", "balance", "expiry_date", "deactivated_at",
                                       "spent_before_deactivation"))
    withdrawn = [r for r in rows if r["deactivated_at"] is not None]
    expired = [r for r in rows if r["expiry_date"] is not None and r["expiry_date"] < today and r not in withdrawn]
    live = [r for r in rows if r not in expired and r not in withdrawn]
    online = [r for r in rows if r["origin"] == Voucher.Origin.ONLINE]
    return VoucherFigures(
        issued_count=len(rows) - len(online),
        issued_value=sum((r["initial_amount"] for r in rows if r["origin"] != Voucher.Origin.ONLINE), ZERO),
        sold_online_count=len(online),
        sold_online_value=sum((r["initial_amount"] for r in online), ZERO),
        spent_value=sum((r["initial_amount"] - r["balance"] for r in rows), ZERO),
        spent_at_door=VoucherSpend.objects.filter(channel=VoucherSpend.Channel.DOOR, refunded_at__isnull=True).aggregate(
            s=Sum("amount"))["s"] or ZERO,
        expired_value=sum((r["balance"] for r in expired), ZERO),
        outstanding_value=sum((r["balance"] for r in live), ZERO),
        outstanding_count=sum(1 for r in live if r["balance"] > 0),
        withdrawn_count=len(withdrawn),
        withdrawn_spent=sum((r["spent_before_deactivation"] or ZERO for r in withdrawn), ZERO),
    )


def withdrawn_vouchers(most: int = 100) -> list[Voucher]:
    """Vouchers deactivated because their order was cancelled or refunded, newest first, with their purchase."""
    return list(Voucher.objects.filter(deactivated_at__isnull=False).select_related("purchase")
                .order_by("-deactivated_at", "-pk")[:most])


def paid_purchases(most: int = 30) -> list[VoucherPurchase]:
    """E-voucher purchases paid, newest first, each with ``still_active``: how many of its vouchers can still serve."""
    found = list(VoucherPurchase.objects.filter(paid_at__isnull=False).order_by("-paid_at", "-pk")[:most])
    active: dict[int, int] = {}
    for pk in Voucher.objects.filter(purchase__in=found, deactivated_at__isnull=True).values_list("purchase_id", flat=True):
        active[pk] = active.get(pk, 0) + 1
    for purchase in found:
        purchase.still_active = active.get(purchase.pk, 0)  # type: ignore[attr-defined]
    return found


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
    """Euros paid with vouchers (at the door and online), per Saleor order id; spends given back by a cancel do not count."""
    rows = (VoucherSpend.objects.filter(saleor_order_id__in=saleor_order_ids, refunded_at__isnull=True)
            .values("saleor_order_id")
            .annotate(s=Sum("amount")))
    return {r["saleor_order_id"]: r["s"] for r in rows}


@dataclass(frozen=True)
class VoucherMonth:
    """One month of the vouchers, in euros: money put on cards, money spent, expired, and left at the month's end."""

    month: dt.date
    issued_count: int
    issued_value: Decimal
    sold_online_count: int
    sold_online_value: Decimal
    spent_at_door: Decimal
    spent_online: Decimal
    spent_elsewhere: Decimal
    expired_value: Decimal
    outstanding_value: Decimal

    @property
    def spent_value(self) -> Decimal:
        """Everything spent that month."""
        return self.spent_at_door + self.spent_online + self.spent_elsewhere


@dataclass(frozen=True)
class VoucherYear:
    """The vouchers over a period: its months, totals, and the share spent locally.

    ``local_share`` is the voucher money spent on orders of the territory's vendors (spends the
    App recorded on our orders, at the door and online, less what a cancelled order gave back)
    divided by the money put on vouchers over the same period (issued by staff and sold online);
    None when none was put on.
    """

    months: list[VoucherMonth]
    spent_locally: Decimal
    put_on_cards: Decimal
    local_share: Decimal | None

    @property
    def totals(self) -> VoucherMonth | None:
        """The period as one row: sums of the months, and what is outstanding at the end of the last one."""
        if not self.months:
            return None
        summed = {f: sum((getattr(m, f) for m in self.months), 0) for f in (
            "issued_count", "issued_value", "sold_online_count", "sold_online_value", "spent_at_door",
            "spent_online", "spent_elsewhere", "expired_value")}
        return VoucherMonth(month=self.months[0].month, outstanding_value=self.months[-1].outstanding_value, **summed)


def _month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def by_month(start: dt.date, end: dt.date, now: dt.datetime) -> VoucherYear:
    """The vouchers month by month from ``start`` to before ``end`` (first days of months), as seen at ``now``.

    Dated by the territory's clock (Europe/Paris): issued and sold by the card's creation,
    spent by the spend (a spend given back by a cancelled order does not count), expired by the
    expiry date once past (the balance last read from Saleor), and outstanding at each month's
    end: what was put on cards still valid then (and not withdrawn by a cancelled or refunded
    order by then), less what was spent by then. Spending Saleor
    shows in a balance but the App did not record (a card used on an order made in Saleor's
    Dashboard) is ``spent_elsewhere``, dated when the balance was read. Months after ``now``
    are left out.
    """
    today = saleor_today(now)
    vouchers = list(Voucher.objects.all())
    spends = list(VoucherSpend.objects.filter(refunded_at__isnull=True))
    recorded: dict[int, Decimal] = {}
    spent_on: dict[int, list[tuple[dt.date, Decimal]]] = {}  # voucher -> (local day, amount) of each spend
    for s in spends:
        recorded[s.voucher_id] = recorded.get(s.voucher_id, ZERO) + s.amount
        spent_on.setdefault(s.voucher_id, []).append((timezone.localtime(s.spent_at).date(), s.amount))
    # what each card's balance shows spent beyond the spends the App recorded (never negative)
    elsewhere = {v.pk: max(ZERO, v.initial_amount - v.balance - recorded.get(v.pk, ZERO)) for v in vouchers}
    months: list[VoucherMonth] = []
    last = _month_of(now)
    month = start.replace(day=1)
    while month < end and month <= last:
        after = _next_month(month)
        made = [v for v in vouchers if _month_of(v.created_at) == month]
        issued = [v for v in made if v.origin != Voucher.Origin.ONLINE]
        sold = [v for v in made if v.origin == Voucher.Origin.ONLINE]
        here = [s for s in spends if _month_of(s.spent_at) == month]
        month_end = min(after, today + dt.timedelta(days=1))  # the first day not counted
        live = [v for v in vouchers if timezone.localtime(v.created_at).date() < month_end
                and (v.expiry_date is None or v.expiry_date >= month_end - dt.timedelta(days=1))
                and (v.deactivated_at is None or timezone.localtime(v.deactivated_at).date() >= month_end)]
        spent_by_end = {v.pk: sum((amount for day, amount in spent_on.get(v.pk, ()) if day < month_end), ZERO)
                        + (elsewhere[v.pk] if timezone.localtime(v.balance_read_at).date() < month_end else ZERO)
                        for v in live}
        months.append(VoucherMonth(
            month=month, issued_count=len(issued), issued_value=sum((v.initial_amount for v in issued), ZERO),
            sold_online_count=len(sold), sold_online_value=sum((v.initial_amount for v in sold), ZERO),
            spent_at_door=sum((s.amount for s in here if s.channel == VoucherSpend.Channel.DOOR), ZERO),
            spent_online=sum((s.amount for s in here if s.channel == VoucherSpend.Channel.ONLINE), ZERO),
            spent_elsewhere=sum((elsewhere[v.pk] for v in vouchers if _month_of(v.balance_read_at) == month), ZERO),
            expired_value=sum((v.balance for v in vouchers if v.expiry_date is not None and v.expiry_date < today
                               and v.expiry_date.replace(day=1) == month), ZERO),
            outstanding_value=sum((max(ZERO, v.initial_amount - spent_by_end[v.pk]) for v in live), ZERO),
        ))
        month = after
    spent_locally = sum((m.spent_at_door + m.spent_online for m in months), ZERO)
    put_on = sum((m.issued_value + m.sold_online_value for m in months), ZERO)
    return VoucherYear(months=months, spent_locally=spent_locally, put_on_cards=put_on,
                       local_share=(spent_locally / put_on) if put_on else None)
