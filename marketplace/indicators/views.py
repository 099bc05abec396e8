"""Staff pages: the indicators dashboard and the annual activity report (PDF)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.core.staff_rights import StaffRight, staff_right_required
from marketplace.territory.models import Commune

from . import charts, facts, figures

REFRESH_EVERY_S = 300
#: No activity can predate the platform; a year before this, or after the current one, is a bad address.
FIRST_YEAR = 2020


def _known_year(year: int) -> bool:
    return FIRST_YEAR <= year <= timezone.localdate().year


def _period(request) -> figures.Period:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("annee", today.year))
        month = int(request.GET["mois"]) if request.GET.get("mois") else None
        if month is not None and not 1 <= month <= 12:
            month = None
    except ValueError:
        year, month = today.year, None
    if not _known_year(year):
        year = today.year
    commune = Commune.objects.filter(insee=request.GET.get("commune", "")).first()
    return figures.Period(year, month, commune)


def _context(period: figures.Period) -> dict:
    if cache.add("indicators:refreshed", True, REFRESH_EVERY_S):
        facts.refresh_all()
    data = figures.all_figures(period, timezone.now())
    data["charts"] = {
        "vendors": charts.vendors_chart(data["vendors"]), "sales": charts.sales_chart(data["sales"]),
        "revenue": charts.revenue_chart(data["revenue"]),
        "deliveries": charts.deliveries_chart(data["deliveries"]["by_mode"], data["deliveries"]["failed"]),
        "van": charts.van_chart(data["van"]["per_month"]), "value": charts.value_chart(data["value"]),
        "efficiency": charts.efficiency_chart(data["efficiency"]["per_month"]),
        "satisfaction": charts.satisfaction_chart(data["satisfaction"]["by_month"]),
        "training": charts.training_chart(data["training"]["by_month"]),
        "recruitment": charts.recruitment_chart(data["recruitment"]["by_month"]),
        "vouchers": charts.vouchers_chart(data["vouchers"].months),
    }
    return data


@staff_right_required(StaffRight.INDICATORS)
def dashboard(request):
    """The indicators, filterable by year, month and commune."""
    period = _period(request)
    context = _context(period)
    context.update({"communes": Commune.objects.order_by("name"), "years": range(timezone.localdate().year - 2, timezone.localdate().year + 1),
                    "months": list(enumerate(charts.MONTHS, start=1))})
    return render(request, "indicators/dashboard.html", context)


@staff_right_required(StaffRight.INDICATORS)
def annual_report(request, year: int):
    """The annual activity report as a PDF (A4, French)."""
    from weasyprint import HTML

    if not _known_year(year):
        raise Http404(f"no activity report for {year}")
    context = _context(figures.Period(year))
    context["generated"] = dt.datetime.now()
    html = render_to_string("indicators/report.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-activite-{year}.pdf"'
    return response
