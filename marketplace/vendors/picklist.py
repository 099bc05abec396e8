"""The pick list: what a vendor must prepare, per order and in total, as HTML and as PDF."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from delivery import coldchain

from .models import Vendor, VendorOrder

#: Coldest first, then what nobody classified (it is handled as chilled: :mod:`delivery.coldchain`).
TEMPERATURE_ORDER = {coldchain.FROZEN: 0, coldchain.CHILLED: 1, coldchain.UNKNOWN: 2, "": 2, coldchain.AMBIENT: 3}


@dataclass(frozen=True)
class PickTotal:
    """How many items of one variant to take out, over every order on the list."""

    product_name: str
    variant_name: str
    sku: str
    temperature: str
    quantity: int

    @property
    def temperature_label(self) -> str:
        """French label of the temperature class."""
        return coldchain.SHORT_LABELS.get(self.temperature or coldchain.UNKNOWN, self.temperature)


def pick_totals(orders: list[VendorOrder]) -> list[PickTotal]:
    """Sum quantities per SKU, frozen first then chilled then ambient, by product name."""
    totals: OrderedDict[tuple, list] = OrderedDict()
    for order in orders:
        for line in order.lines.all():
            key = (line.sku or line.product_name, line.variant_name)
            entry = totals.setdefault(key, [line.product_name, line.variant_name, line.sku, line.temperature, 0])
            entry[4] += line.quantity
    items = [PickTotal(*entry) for entry in totals.values()]
    return sorted(items, key=lambda t: (TEMPERATURE_ORDER.get(t.temperature, 9), t.product_name, t.variant_name))


def pick_list_context(vendor: Vendor, orders: list[VendorOrder]) -> dict:
    """Template context shared by the HTML print view and the PDF."""
    return {"vendor": vendor, "orders": orders, "totals": pick_totals(orders), "printed_at": timezone.localtime()}


def pick_list_pdf(vendor: Vendor, orders: list[VendorOrder], base_url: str) -> bytes:
    """Render the pick list to PDF with WeasyPrint (A4, print stylesheet)."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string("vendors/pick_list_print.html", {**pick_list_context(vendor, orders), "for_pdf": True})
    return HTML(string=html, base_url=base_url).write_pdf()
