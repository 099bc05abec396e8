"""The producer's cycle totals as a printable page and a PDF (WeasyPrint)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import ProducerTotals


def totals_context(totals: ProducerTotals) -> dict:
    """Template context shared by the producer's page, the print view and the PDF."""
    return {"totals": totals, "cycle": totals.cycle, "vendor": totals.vendor, "printed_at": timezone.localtime()}


def totals_pdf(totals: ProducerTotals) -> bytes:
    """Render a producer's totals for a cycle to an A4 PDF."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string("shortcircuit/producer_totals_print.html", totals_context(totals))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def totals_filename(totals: ProducerTotals) -> str:
    """``circuit-court-<cycle id>-<producer slug>.pdf``."""
    return f"circuit-court-{totals.cycle.pk}-{totals.vendor.slug}.pdf"
