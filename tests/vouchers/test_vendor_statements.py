"""Vendors' monthly statements show what each received in vouchers (the platform owes it to them)."""

import csv
import io
from decimal import Decimal

from django.utils import timezone

from marketplace.payments import gift_card
from marketplace.storefront import checkout, offers
from marketplace.vendors import statements
from marketplace.vendors.actions import record_order
from marketplace.vendors.models import VendorOrder


def test_a_voucher_on_a_two_vendor_order_is_split_by_their_shares(
        saleor, two_vendors, calendar_for, make_shopper, issue):
    # given a cash order: a Maroilles (12,50 €) and two loaves (2 × 3,20 €), delivered for 3 €
    calendar_for("Jolimetz")
    shopper = make_shopper("gisele")
    cart = checkout.add_to_cart(None, two_vendors["maroilles"].variants.get().saleor_variant_id, 1, saleor)
    checkout.add_to_cart(cart.id, two_vendors["bread"].variants.get().saleor_variant_id, 2, saleor)
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    order = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)
    record_order(saleor.orders.get(order.saleor_order_id))  # what the ORDER_CREATED handler does
    shares = {s.vendor.slug: s for s in VendorOrder.objects.filter(saleor_order_id=order.saleor_order_id)}
    assert set(shares) == {"fromagerie-test", "boulangerie-test"}
    # when the shopper pays 10 € of it with a voucher at the door
    voucher = issue("10")
    gift_card.spend_at_door(saleor, voucher.code, order, timezone.now())
    # then each vendor's statement shows its part of the 10 €: 12,50 / 18,90 and 6,40 / 18,90 of it
    cheese = shares["fromagerie-test"]
    month = statements.monthly_statement(cheese.vendor, cheese.placed_at.year, cheese.placed_at.month)
    bread = statements.monthly_statement(shares["boulangerie-test"].vendor, cheese.placed_at.year,
                                         cheese.placed_at.month)
    assert month.vouchers == Decimal("6.61") and bread.vouchers == Decimal("3.39")
    assert month.vouchers + bread.vouchers == Decimal("10.00")
    # and the CSV carries the column, with its total
    rows = list(csv.reader(io.StringIO(statements.statement_csv(month)), delimiter=";"))
    column = rows[0].index("dont_cheques_cadeaux")
    assert rows[1][column] == "6,61" and rows[-1][0] == "TOTAL" and rows[-1][column] == "6,61"
