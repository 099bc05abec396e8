"""French number and name filters, available in every template (``builtins`` in settings).

``{{ price|eur }}`` -> ``10 147,52 €``; ``{{ total_cents|euros }}`` -> ``3,50 €``;
``{{ km|nombre }}`` -> ``1 204``; ``{{ km_per_delivery|nombre:1 }}`` -> ``3,4``. All go
through :func:`common.money.format_number`, the project's one French number format.
"""

from __future__ import annotations

from django import template

from common import money
from common.names import a, de

register = template.Library()


def _blank(value) -> bool:
    return value is None or value == ""


@register.filter
def eur(value, decimals: int = 2) -> str:
    """Euros (``Decimal``, number or numeric string) as ``1 234,50 €``; ``eur:0`` rounds to the euro."""
    if _blank(value):
        return ""
    try:
        return money.format_eur(value, int(decimals))
    except ValueError:
        return ""


@register.filter
def euros(cents) -> str:
    """Whole euro cents as ``3,50 €``."""
    if _blank(cents):
        return ""
    try:
        return money.format_cents(int(cents))
    except (TypeError, ValueError):
        return ""


@register.filter
def nombre(value, decimals: int = 0) -> str:
    """A number with French grouping and decimal comma: ``12345.6|nombre:1`` -> ``12 345,6``."""
    if _blank(value):
        return ""
    try:
        return money.format_number(value, int(decimals))
    except ValueError:
        return ""


@register.filter
def pourcent(share, decimals: int = 1) -> str:
    """A share (0–1) as a French percentage: ``0.9254|pourcent`` -> ``92,5 %``; None -> ``—``."""
    if _blank(share):
        return "—"
    try:
        return money.format_number(100 * float(share), int(decimals)) + "\u202f%"
    except (TypeError, ValueError):
        return "—"


@register.filter(name="de")
def de_filter(name) -> str:
    """``{{ commune.name|de }}`` -> ``du Quesnoy``, ``d'Englefontaine`` (see :func:`common.names.de`)."""
    return de(str(name)) if not _blank(name) else ""


@register.filter(name="a")
def a_filter(name) -> str:
    """``{{ commune.name|a }}`` -> ``au Quesnoy``, ``à Bavay`` (see :func:`common.names.a`)."""
    return a(str(name)) if not _blank(name) else ""
