"""The producer's pages: its cycles, orders and revenue, totals as a page and a PDF.

Every view is behind the vendors app's ``vendor_required`` and reads through selectors that
start from ``request.vendor``: another producer's cycle is a 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from marketplace.vendors.views.access import vendor_required

from .. import reports, selectors


@vendor_required
def cycles(request):
    """The producer's cycles with orders and revenue each."""
    rows = [(cycle, selectors.producer_totals(cycle, request.vendor)) for cycle in selectors.producer_cycles(request.vendor)]
    return render(request, "shortcircuit/producer_cycles.html", {"rows": rows})


@vendor_required
def cycle_detail(request, pk: int):
    """Totals per product and per pickup point, and the orders (names only with consent)."""
    cycle = selectors.producer_cycle(request.vendor, pk)
    totals = selectors.producer_totals(cycle, request.vendor)
    return render(request, "shortcircuit/producer_cycle.html", reports.totals_context(totals))


@vendor_required
def cycle_pdf(request, pk: int):
    """The same totals as a PDF."""
    cycle = selectors.producer_cycle(request.vendor, pk)
    totals = selectors.producer_totals(cycle, request.vendor)
    response = HttpResponse(reports.totals_pdf(totals), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reports.totals_filename(totals)}"'
    return response
