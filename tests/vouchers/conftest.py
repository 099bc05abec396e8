"""Voucher fixtures: a market in the stand-in, shoppers, and a pay-by-hand order to pay at the door."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.storefront import checkout, offers
from tests.saleor.conftest import installation, jwks_server, market, saleor_keys  # noqa: F401
from tests.storefront.conftest import calendar_for, make_shopper, relay, two_vendors  # noqa: F401
from tests.vendors.conftest import make_product, make_vendor, saleor  # noqa: F401


@pytest.fixture
def cash_order(saleor, two_vendors, calendar_for, make_shopper):  # noqa: F811
    """Place a home-delivered order paid in cash at the door; ``cash_order(loaves)`` returns its ShopOrder."""
    calendar_for("Jolimetz")
    made = []

    def place(loaves: int = 2, name: str = "gisele"):
        shopper = make_shopper(name) if not made else made[0][0]
        cart = checkout.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, loaves, saleor)
        checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key,
                                 saleor)
        order = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)
        made.append((shopper, order))
        return order

    return place


@pytest.fixture
def issue(saleor):  # noqa: F811
    """Issue one voucher of ``amount`` euros (tag "CCAS 2027") and return its row."""
    from marketplace.vouchers import actions

    def make(amount="20", expiry_days=365, tag="CCAS 2027"):
        now = timezone.now()
        expiry = actions.saleor_today(now) + dt.timedelta(days=expiry_days)
        batch = actions.issue_batch(saleor, tag=tag, amount=Decimal(amount), count=1, expiry_date=expiry, now=now)
        return batch.vouchers.get()

    return make
