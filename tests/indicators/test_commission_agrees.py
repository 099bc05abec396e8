"""The commission the indicators count is the one the vendor's statement shows, to the cent."""

import datetime as dt
from decimal import Decimal

from marketplace.indicators import facts
from marketplace.indicators.models import SaleFact
from tests.vendors.conftest import make_vendor, saleor  # noqa: F401


def test_indicators_and_statement_round_the_commission_the_same_way(db, make_vendor, communes, django_user_model):  # noqa: F811
    from marketplace.storefront.models import ShopOrder
    from marketplace.territory.models import Shopper
    from marketplace.vendors.models import VendorOrder, VendorOrderLine
    from marketplace.vendors.statements import monthly_statement

    # given a 19.99 € share at 8.5 % commission: 1.69915 €, where truncation and half-up disagree
    vendor = make_vendor("epicerie-c", "Bavay", "41234567")
    user = django_user_model.objects.create_user("odette", password="x" * 12)
    commune = communes.get(name="Jolimetz")
    shopper = Shopper.objects.create(user=user, address="1 rue", commune=commune, lon=commune.lon, lat=commune.lat)
    ShopOrder.objects.create(saleor_order_id="O-9", number="9", checkout_id="C-9", shopper=shopper, placed_by=user,
                             mode="home", date=dt.date(2026, 5, 4), payment="card", total_cents=1999)
    share = VendorOrder.objects.create(vendor=vendor, saleor_order_id="O-9", number="9",
                                       placed_at=dt.datetime(2026, 5, 2, 10, tzinfo=dt.UTC), commission_rate=Decimal("8.5"))
    VendorOrderLine.objects.create(order=share, saleor_line_id="L1", product_name="Miel", quantity=1,
                                   unit_price=Decimal("19.99"), total_price=Decimal("19.99"), vat_rate=Decimal("5.5"))

    # when the indicators are refreshed and the month's statement is built
    facts.refresh_sales()
    statement = monthly_statement(vendor, 2026, 5)

    # then both say 1.70 € (the indicators used to truncate to 1.69 €)
    assert statement.commission == Decimal("1.70")
    assert SaleFact.objects.get().commission_cents == 170
    # and the statement's HT is the one VAT rule: 19.99 / 1.055 = 18.947... -> 18.95
    assert statement.sales_ht == Decimal("18.95")
