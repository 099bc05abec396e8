"""Template filters for the storefront."""

from django import template

from common import money

register = template.Library()


@register.filter
def euros(cents) -> str:
    """Format integer euro cents the French way: ``350`` -> ``3,50 €``."""
    try:
        value = int(cents)
    except (TypeError, ValueError):
        return ""
    return money.format_cents(value)
