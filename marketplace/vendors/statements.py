"""Monthly sales and commission statements of one vendor, and their CSV export.

Amounts are euros. Sales are TTC (VAT included) as paid by shoppers; the commission is the
rate recorded on each order (a percentage of its TTC total), rounded to the cent per order, so
the rows always add up to the totals. Cancelled orders are left out of the totals; those whose
payment was refunded to the shopper are listed apart, so the vendor sees why a sale went away.
The part of each order paid with chèques cadeaux (online or at the door) is shown per vendor (split over the
order's vendors by their share, to the cent): the platform owes it to them like any other sale.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from common import money

from .models import Vendor, VendorOrder

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre"]


@dataclass(frozen=True)
class StatementRow:
    """One order share in a statement."""

    number: str
    placed_at: datetime
    delivery_method: str
    sales_ttc: Decimal
    sales_ht: Decimal
    commission_rate: Decimal
    commission: Decimal
    vouchers: Decimal = Decimal("0.00")  # of the sales TTC, paid with chèques cadeaux (the platform owes it)

    @property
    def payout(self) -> Decimal:
        """What the vendor receives for this order: sales TTC minus commission."""
        return self.sales_ttc - self.commission


@dataclass(frozen=True)
class Statement:
    """A vendor's month: one row per order share and the totals."""

    vendor: Vendor
    year: int
    month: int
    rows: tuple[StatementRow, ...]
    refunds: tuple[StatementRow, ...] = ()

    @property
    def label(self) -> str:
        """The month in French, e.g. ``novembre 2026``."""
        return f"{MONTHS_FR[self.month - 1]} {self.year}"

    @property
    def sales_ttc(self) -> Decimal:
        """Total sales, VAT included."""
        return sum((r.sales_ttc for r in self.rows), Decimal("0.00"))

    @property
    def sales_ht(self) -> Decimal:
        """Total sales without VAT."""
        return sum((r.sales_ht for r in self.rows), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        """VAT collected: TTC minus HT."""
        return self.sales_ttc - self.sales_ht

    @property
    def commission(self) -> Decimal:
        """Total commission kept by the platform."""
        return sum((r.commission for r in self.rows), Decimal("0.00"))

    @property
    def vouchers(self) -> Decimal:
        """Of the sales TTC, what shoppers paid with chèques cadeaux (owed to the vendor by the platform)."""
        return sum((r.vouchers for r in self.rows), Decimal("0.00"))

    @property
    def payout(self) -> Decimal:
        """What the vendor is paid for the month."""
        return self.sales_ttc - self.commission


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """Start (included) and end (excluded) of a month in the platform's time zone.

    Raises
    ------
    ValueError
        When ``month`` is not 1–12 or ``year`` is outside 2000–2100.
    """
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(f"Mois invalide : {year}-{month:02d}.")
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def monthly_statement(vendor: Vendor, year: int, month: int) -> Statement:
    """Build the statement of ``vendor`` for one month (orders placed in that month).

    Raises
    ------
    ValueError
        When the month is invalid.
    """
    start, end = month_bounds(year, month)
    orders = (
        VendorOrder.objects.filter(vendor=vendor, placed_at__gte=start, placed_at__lt=end)
        .exclude(status=VendorOrder.Status.CANCELLED).prefetch_related("lines").order_by("placed_at", "pk")
    )
    refunded = (
        VendorOrder.objects.filter(vendor=vendor, placed_at__gte=start, placed_at__lt=end,
                                   status=VendorOrder.Status.CANCELLED, refunded_at__isnull=False)
        .prefetch_related("lines").order_by("placed_at", "pk")
    )
    orders = list(orders)
    shares = _voucher_shares(vendor, orders)
    return Statement(vendor, year, month, tuple(_row(o, shares.get(o.saleor_order_id)) for o in orders),
                     tuple(_row(o) for o in refunded))


def _voucher_shares(vendor: Vendor, orders: list[VendorOrder]) -> dict[str, Decimal]:
    """The vendor's part of the vouchers that paid each order (split over its vendors by their share)."""
    from marketplace.vouchers.selectors import vendor_shares, vouchers_by_order

    paid = vouchers_by_order([o.saleor_order_id for o in orders])
    out = {}
    for order_id, amount in paid.items():
        totals: dict[int, Decimal] = {}
        for share in VendorOrder.objects.filter(saleor_order_id=order_id).exclude(
                status=VendorOrder.Status.CANCELLED).prefetch_related("lines"):
            totals[share.vendor_id] = sum((ln.total_price for ln in share.lines.all()), Decimal("0.00"))
        out[order_id] = vendor_shares(totals, amount).get(vendor.pk, Decimal("0.00"))
    return out


def _row(order: VendorOrder, vouchers: Decimal | None = None) -> StatementRow:
    lines = list(order.lines.all())
    ttc = sum((ln.total_price for ln in lines), Decimal("0.00"))
    ht = sum((ln.total_excl_tax for ln in lines), Decimal("0.00"))
    commission = money.percent_of(ttc, order.commission_rate)
    return StatementRow(order.number, order.placed_at, order.delivery_method, ttc, ht, order.commission_rate, commission,
                        vouchers or Decimal("0.00"))


def months_with_orders(vendor: Vendor) -> list[date]:
    """First days of the months in which ``vendor`` has orders, newest first (current month included)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    dates = VendorOrder.objects.filter(vendor=vendor).values_list("placed_at", flat=True)
    months = {d.astimezone(tz).date().replace(day=1) for d in dates}
    months.add(datetime.now(tz).date().replace(day=1))
    return sorted(months, reverse=True)


def statement_csv(statement: Statement) -> str:
    """The statement as CSV for French spreadsheets: ``;`` separators, decimal commas, a totals row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["commande", "date", "retrait", "ventes_ttc", "ventes_ht", "taux_commission", "commission", "a_reverser",
                     "dont_cheques_cadeaux"])
    tz = ZoneInfo(settings.TIME_ZONE)
    for r in statement.rows:
        writer.writerow([r.number, r.placed_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"), r.delivery_method,
                         money.decimal_comma(r.sales_ttc), money.decimal_comma(r.sales_ht), money.decimal_comma(r.commission_rate), money.decimal_comma(r.commission), money.decimal_comma(r.payout),
                         money.decimal_comma(r.vouchers)])
    writer.writerow(["TOTAL", statement.label, "", money.decimal_comma(statement.sales_ttc), money.decimal_comma(statement.sales_ht), "",
                     money.decimal_comma(statement.commission), money.decimal_comma(statement.payout),
                     money.decimal_comma(statement.vouchers)])
    for r in statement.refunds:
        writer.writerow([r.number, r.placed_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
                         "annulée, remboursée au client", money.decimal_comma(r.sales_ttc), "", "", "0,00", "0,00", ""])
    return out.getvalue()
