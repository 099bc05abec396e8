"""Vendors are reminded once, the day before, of the orders they still have to prepare."""

import datetime as dt
from decimal import Decimal

from django.core import mail

from marketplace.operations.reminders import send_reminders
from marketplace.storefront.models import ShopOrder
from marketplace.territory.models import Shopper
from marketplace.vendors.models import VendorOrder
from tests.vendors.conftest import make_vendor, saleor  # noqa: F401


def test_each_vendor_gets_one_reminder_listing_its_unprepared_orders(make_vendor, communes, django_user_model):  # noqa: F811
    day = dt.date(2030, 5, 14)
    cheese = make_vendor("fromagerie-rappel", "Maroilles", "39876543", email="fromagerie@exemple.fr")
    bakery = make_vendor("boulangerie-rappel", "Bavay", "41234567", email="boulangerie@exemple.fr")
    user = django_user_model.objects.create_user("client-rappel", password="x" * 12)
    commune = communes.get(name="Jolimetz")
    shopper = Shopper.objects.create(user=user, address="1 rue", commune=commune, lon=commune.lon, lat=commune.lat)
    for n, mode in ((1, "home"), (2, "collect")):
        ShopOrder.objects.create(saleor_order_id=f"O-{n}", number=str(n), checkout_id=f"C-{n}", shopper=shopper, placed_by=user,
                                 mode=mode, date=day, payment="card", total_cents=1000)
        VendorOrder.objects.create(vendor=cheese, saleor_order_id=f"O-{n}", number=str(n), placed_at=dt.datetime(2030, 5, 12, tzinfo=dt.UTC),
                                   commission_rate=Decimal("10"))
    VendorOrder.objects.create(vendor=bakery, saleor_order_id="O-1", number="1", placed_at=dt.datetime(2030, 5, 12, tzinfo=dt.UTC),
                               commission_rate=Decimal("10"), status=VendorOrder.Status.PREPARED)

    assert send_reminders(day) == 1
    assert send_reminders(day) == 0  # the hourly job runs again: nothing twice
    [message] = mail.outbox
    assert message.to == ["fromagerie@exemple.fr"]
    assert "commande 1 : passage de la camionnette" in message.body
    assert "commande 2 : retrait en boutique" in message.body
