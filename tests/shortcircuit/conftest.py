"""Fixtures for the short circuit: two producers in the Saleor stand-in, customers, an open cycle."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.vendors.seed import siret_for

PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.fixture
def saleor(db):
    """The Saleor port as the app gets it (the PostgreSQL stand-in when no SALEOR_API_URL)."""
    from marketplace.saleor.port import get_saleor

    return get_saleor()


def _producer(communes, slug: str, commune: str, siren: str):
    from marketplace.vendors import actions
    from marketplace.vendors.models import Vendor

    row = communes.get(name=commune)
    vendor = Vendor(name=slug.replace("-", " ").title(), slug=slug, kind=Vendor.Kind.PRODUCER, legal_name=f"{slug} EARL",
                    siret=siret_for(siren), address=f"1 chemin de la ferme, {row.main_postal_code} {commune}",
                    commune=row, lon=row.lon, lat=row.lat, email=f"{slug}@exemple.fr",
                    opening_hours={"5": [["09:00", "18:00"]]}, accepts_click_and_collect=False)
    outcome = actions.register_vendor(vendor)
    assert outcome.synced, outcome.message
    return vendor


def _product(vendor, name: str, temperature: str, price: str, stock: int = 200, unit: str = "unit"):
    from marketplace.vendors import actions
    from marketplace.vendors.models import Product, ProductVariant

    product = Product(name=name, category="epicerie", temperature=temperature, origin="farm", unit=unit)
    variant = ProductVariant(name="pièce", price=Decimal(price), unit_quantity=Decimal("1"), stock=stock,
                             weight_kg=Decimal("0.500"))
    outcome = actions.save_product(vendor, product, [variant])
    assert outcome.synced, outcome.message
    return product.variants.get()


@pytest.fixture
def farm_a(communes, saleor):
    """A dairy farm at Maroilles: chilled cheese and yoghurts."""
    vendor = _producer(communes, "ferme-a", "Maroilles", "41234567")
    vendor.cheese = _product(vendor, "Maroilles fermier", "chilled", "9.00")
    vendor.yoghurt = _product(vendor, "Yaourts nature x4", "chilled", "3.20")
    return vendor


@pytest.fixture
def farm_b(communes, saleor):
    """An orchard at Jolimetz: ambient apples and frozen ice cream."""
    vendor = _producer(communes, "ferme-b", "Jolimetz", "51234567")
    vendor.apples = _product(vendor, "Pommes Reinette", "ambient", "4.00")
    vendor.ice = _product(vendor, "Glace vanille", "frozen", "6.50")
    return vendor


@pytest.fixture
def make_member(django_user_model):
    """A user who belongs to a vendor (owner)."""
    from marketplace.vendors.models import VendorMembership

    def make(vendor, username: str):
        user = django_user_model.objects.create_user(username=username, email=f"{username}@exemple.fr", password=PASSWORD)
        VendorMembership.objects.create(user=user, vendor=vendor, role=VendorMembership.Role.OWNER)
        return user

    return make


@pytest.fixture
def make_customer(django_user_model, communes):
    """A member with a delivery address (a territory Shopper)."""
    from marketplace.territory.models import Shopper

    def make(username: str, first: str = "Jeanne", last: str = "Dupont", commune: str = "Bavay"):
        user = django_user_model.objects.create_user(username=username, email=f"{username}@exemple.fr", password=PASSWORD,
                                                     first_name=first, last_name=last)
        row = communes.get(name=commune)
        Shopper.objects.create(user=user, address=f"3 rue Pasteur, {row.main_postal_code} {commune}", commune=row,
                               lon=row.lon, lat=row.lat, phone="03 27 11 22 33")
        return user

    return make


@pytest.fixture
def customer(make_customer):
    return make_customer("jeanne", "Jeanne", "Dupont")


@pytest.fixture
def points(communes):
    """Two pickup points: a farm shop with fridge and freezer, a café with neither."""
    from shortcircuit.models import PickupPoint

    bavay, quesnoy = communes.get(name="Bavay"), communes.get(name="Le Quesnoy")
    shop = PickupPoint.objects.create(name="Halle de Bavay", commune=bavay, address="Place du marché, 59570 Bavay",
                                      lon=bavay.town_hall_lon, lat=bavay.town_hall_lat, holds_chilled=True, holds_frozen=True)
    cafe = PickupPoint.objects.create(name="Café du Quesnoy", commune=quesnoy, address="2 rue Thiers, 59530 Le Quesnoy",
                                      lon=quesnoy.town_hall_lon, lat=quesnoy.town_hall_lat, holds_chilled=False)
    return shop, cafe


def minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


@pytest.fixture
def cycle(farm_a, farm_b, points):
    """An open cycle: both farms (minimums 20 € and 0 €), two points, home delivery."""
    from shortcircuit.models import CyclePickup, CycleProducer, CycleProduct, OrderCycle, PickupSlot

    now = timezone.now()
    ready = timezone.localdate(now) + dt.timedelta(days=4)
    cycle = OrderCycle.objects.create(name="Semaine test", opens_at=now - dt.timedelta(days=1),
                                      closes_at=minute(now) + dt.timedelta(days=2), home_delivery_on=ready,
                                      home_delivery_fee=Decimal("3.00"))
    CycleProducer.objects.create(cycle=cycle, vendor=farm_a, minimum_amount=Decimal("20.00"))
    CycleProducer.objects.create(cycle=cycle, vendor=farm_b, minimum_amount=Decimal("0"))
    cycle.cheese = CycleProduct.objects.create(cycle=cycle, variant=farm_a.cheese)
    cycle.yoghurt = CycleProduct.objects.create(cycle=cycle, variant=farm_a.yoghurt, max_quantity=5)
    cycle.apples = CycleProduct.objects.create(cycle=cycle, variant=farm_b.apples)
    cycle.ice = CycleProduct.objects.create(cycle=cycle, variant=farm_b.ice)
    shop, cafe = points
    at_shop = CyclePickup.objects.create(cycle=cycle, point=shop, ready_on=ready)
    at_cafe = CyclePickup.objects.create(cycle=cycle, point=cafe, ready_on=ready)
    cycle.shop_slot = PickupSlot.objects.create(pickup=at_shop, date=ready, starts=dt.time(17), ends=dt.time(19), capacity=10)
    cycle.cafe_slot = PickupSlot.objects.create(pickup=at_cafe, date=ready, starts=dt.time(10), ends=dt.time(12), capacity=1)
    return cycle
