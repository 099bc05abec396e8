"""Monthly sales and commission statements of the vendor, on screen and as CSV."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from ..statements import monthly_statement, months_with_orders, statement_csv
from .access import vendor_required


def _statement(request, year, month):
    try:
        return monthly_statement(request.vendor, year, month)
    except ValueError as exc:
        raise Http404(str(exc)) from exc


@vendor_required
def statement_index(request):
    """The months that have a statement, newest first."""
    return render(request, "vendors/statement_index.html", {"months": months_with_orders(request.vendor)})


@vendor_required
def statement_month(request, year, month):
    """One month's statement: per-order sales, commission and payout."""
    return render(request, "vendors/statement_month.html", {"statement": _statement(request, year, month)})


@vendor_required
def statement_csv_download(request, year, month):
    """The month's statement as a CSV file (semicolons, decimal commas, UTF-8 with BOM)."""
    statement = _statement(request, year, month)
    response = HttpResponse("\ufeff" + statement_csv(statement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="releve-{request.vendor.slug}-{year}-{month:02d}.csv"'
    return response
