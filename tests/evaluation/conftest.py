"""Fixtures for the evaluation tests: two vendors with their owners, a shopper with a delivered order."""

import datetime as dt
import zoneinfo

import pytest

from tests.storefront.conftest import make_shopper  # noqa: F401 (shared fixture)
from tests.vendors.conftest import PASSWORD, make_member, make_vendor, saleor  # noqa: F401 (shared fixtures)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SHOPPER_PASSWORD = "mot-de-passe-2026"


def paris(*args) -> dt.datetime:
    """An aware Paris datetime: ``paris(2027, 3, 31, 23, 30)``."""
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def cheese(make_vendor):  # noqa: F811
    """Vendor A: the cheese shop at Maroilles."""
    return make_vendor("fromagerie-eval", "Maroilles", "39876543")


@pytest.fixture
def bakery(make_vendor):  # noqa: F811
    """Vendor B: a bakery at Le Quesnoy."""
    return make_vendor("boulangerie-eval", "Le Quesnoy", "81234567")


@pytest.fixture
def owners(cheese, bakery, make_member):  # noqa: F811
    """The owner of each vendor, by vendor slug."""
    return {"a": make_member(cheese, "fromager-eval"), "b": make_member(bakery, "boulanger-eval")}


@pytest.fixture
def make_order(make_shopper):  # noqa: F811
    """A home order for a shopper, with its van drop (``status`` of the drop: delivered by default)."""
    from delivery.models import DeliveryDay, DeliveryTask, ServiceArea
    from marketplace.storefront.models import ShopOrder, Slot, SlotPattern

    def make(shopper, number: str, status: str = "delivered", day: dt.date = dt.date(2026, 3, 3)) -> ShopOrder:
        area, _ = ServiceArea.objects.get_or_create(name="Secteur test", weekday=day.isoweekday())
        pattern, _ = SlotPattern.objects.get_or_create(area=area, start_s=32400, end_s=43200)
        slot, _ = Slot.objects.get_or_create(pattern=pattern, date=day, defaults={"capacity": 10})
        order = ShopOrder.objects.create(slot=slot, saleor_order_id=f"O-{number}", number=number, checkout_id=f"C-{number}",
                                         shopper=shopper, placed_by=shopper.user, mode="home", date=day,
                                         payment="card", total_cents=1550)
        delivery_day, _ = DeliveryDay.objects.get_or_create(date=day)
        DeliveryTask.objects.create(day=delivery_day, kind="home", source=f"order:O-{number}:fromagerie-eval:deliver",
                                    name="Client", address=shopper.address, lon=shopper.lon, lat=shopper.lat,
                                    windows=[[32400, 43200]], status=status)
        return order

    return make
