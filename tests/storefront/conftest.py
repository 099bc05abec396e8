"""Storefront fixtures: two vendors with products in the Saleor stand-in, a calendar, shoppers."""

import datetime as dt

import pytest

from tests.vendors.conftest import make_product, make_vendor, saleor  # noqa: F401  (shared fixtures)


@pytest.fixture
def two_vendors(make_vendor, make_product):  # noqa: F811 (fixtures imported above)
    """A cheese shop (chilled goods) and a bakery (ambient), each with one product in Saleor."""
    everyday = {str(d): [["08:00", "12:30"], ["14:00", "19:00"]] for d in range(1, 7)}
    cheese = make_vendor("fromagerie-test", "Maroilles", "39876543", opening_hours=everyday)
    bakery = make_vendor("boulangerie-test", "Le Quesnoy", "41234567", opening_hours=everyday, kind="merchant")
    maroilles = make_product(cheese, "Maroilles AOP", variants=(("750 g", "12.50", "0.75", 20),))
    bread = make_product(bakery, "Pain de campagne", category="boulangerie", temperature="ambient", origin="shop",
                         unit="unit", variants=(("800 g", "3.20", "1", 30),))
    return {"cheese": cheese, "bakery": bakery, "maroilles": maroilles, "bread": bread}


@pytest.fixture
def calendar_for(communes):
    """Make the van serve a commune every day with one slot of the given capacity."""
    from delivery.models import ServiceArea
    from marketplace.storefront.models import SlotPattern

    def make(commune_name: str, capacity: int = 5):
        commune = communes.get(name=commune_name)
        for weekday in range(1, 8):
            area, _ = ServiceArea.objects.get_or_create(name=f"Tous les jours {weekday}", weekday=weekday)
            area.communes.add(commune)
            SlotPattern.objects.get_or_create(area=area, start_s=9 * 3600, end_s=12 * 3600,
                                              defaults={"capacity": capacity, "price_cents": 300})
        return commune

    return make


@pytest.fixture
def make_shopper(communes, django_user_model):
    """A registered shopper living in a commune."""
    from marketplace.territory.models import Shopper

    def make(username: str, commune_name: str = "Jolimetz", **extra):
        commune = communes.get(name=commune_name)
        user = django_user_model.objects.create_user(username=username, email=f"{username}@exemple.fr",
                                                     password="mot-de-passe-2026", first_name=username.title(), last_name="Test")
        return Shopper.objects.create(user=user, address=f"3 rue Pasteur, {commune.main_postal_code} {commune.name}",
                                      commune=commune, lon=commune.lon, lat=commune.lat, phone="03 27 11 22 33", **extra)

    return make


@pytest.fixture
def relay(communes, saleor):  # noqa: F811
    """The town hall of Jolimetz as a relay point with a 10-litre fridge, synced to Saleor."""
    from marketplace.territory.models import RelayPoint
    from marketplace.vendors.actions.saleor_sync import sync_relay_points

    commune = communes.get(name="Jolimetz")
    point = RelayPoint.objects.create(
        name="Mairie de Jolimetz", kind="town_hall", commune=commune, address="Mairie, 59530 Jolimetz",
        lon=commune.town_hall_lon, lat=commune.town_hall_lat, fridge_capacity_l=10,
        opening_hours={str(d): [["09:00", "12:00"], ["14:00", "17:00"]] for d in range(1, 8)})
    sync_relay_points(saleor)
    point.refresh_from_db()
    return point


@pytest.fixture
def tomorrow_noon():
    """A fixed 'now' well before the cut-off for the day after."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10, 0)))
