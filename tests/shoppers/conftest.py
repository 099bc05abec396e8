"""Shoppers' fixtures: the storefront's vendors, calendar, relay point and shoppers."""

from tests.storefront.conftest import calendar_for, make_shopper, relay, tomorrow_noon, two_vendors  # noqa: F401
from tests.vendors.conftest import make_product, make_vendor, saleor  # noqa: F401
