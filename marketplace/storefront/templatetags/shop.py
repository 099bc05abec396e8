"""Template filters for the storefront (the French number filters are builtins: see core.templatetags.french)."""

from django import template

from marketplace.core.templatetags.french import euros

register = template.Library()
register.filter("euros", euros)
