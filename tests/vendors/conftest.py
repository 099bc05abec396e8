"""Fixtures for the vendors tests: vendors registered in the Saleor stand-in, their members, products."""

from decimal import Decimal

import pytest

from marketplace.vendors.seed import siret_for

PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.fixture
def saleor(db):
    """The Saleor port as the app gets it (the PostgreSQL stand-in when no SALEOR_API_URL)."""
    from marketplace.saleor.port import get_saleor

    return get_saleor()


@pytest.fixture
def make_vendor(communes, saleor):
    """Register a vendor (and its Saleor warehouse) through the onboarding action."""
    from marketplace.vendors import actions
    from marketplace.vendors.models import Vendor

    def make(slug: str, commune: str = "Maroilles", siren: str = "12345678", **extra) -> Vendor:
        commune_row = communes.get(name=commune)
        fields = {
            "name": slug.replace("-", " ").title(), "slug": slug, "kind": Vendor.Kind.MERCHANT,
            "legal_name": f"{slug} SARL", "siret": siret_for(siren), "address": f"1 rue de {commune}",
            "commune": commune_row, "lon": commune_row.lon, "lat": commune_row.lat,
            "opening_hours": {"2": [["09:00", "12:00"]]}, "commission_rate": Decimal("10.00"),
        } | extra
        vendor = Vendor(**fields)
        outcome = actions.register_vendor(vendor)
        assert outcome.synced, outcome.message
        return vendor

    return make


@pytest.fixture
def make_member(django_user_model):
    """A user who belongs to a vendor (owner by default)."""
    from marketplace.vendors.models import VendorMembership

    def make(vendor, username: str, role: str = VendorMembership.Role.OWNER):
        user = django_user_model.objects.create_user(username=username, email=f"{username}@exemple.fr", password=PASSWORD)
        VendorMembership.objects.create(user=user, vendor=vendor, role=role)
        return user

    return make


@pytest.fixture
def make_product():
    """Save a product with variants through the catalogue action (pushed to Saleor)."""
    from marketplace.vendors import actions
    from marketplace.vendors.models import Product, ProductVariant

    def make(vendor, name: str, variants=(("250 g", "4.50", "0.25", 10),), **extra) -> Product:
        product = Product(name=name, category=extra.pop("category", "fromagerie"),
                          temperature=extra.pop("temperature", "chilled"), origin=extra.pop("origin", "farm"),
                          unit=extra.pop("unit", "kg"), **extra)
        rows = [ProductVariant(name=n, price=Decimal(p), unit_quantity=Decimal(q), stock=s) for n, p, q, s in variants]
        outcome = actions.save_product(vendor, product, rows)
        assert outcome.synced, outcome.message
        return product

    return make


@pytest.fixture
def maroilles(make_vendor):
    """The cheese shop at Maroilles."""
    return make_vendor("fromagerie-test", "Maroilles", "39876543")


@pytest.fixture
def bakery(make_vendor):
    """A bakery at Le Quesnoy, another vendor."""
    return make_vendor("boulangerie-test", "Le Quesnoy", "81234567")


@pytest.fixture
def relay(communes, saleor):
    """The Landrecies town hall as a relay point, pushed to Saleor as a collection point."""
    from marketplace.territory.models import RelayPoint
    from marketplace.vendors import actions

    commune = communes.get(name="Landrecies")
    point = RelayPoint.objects.create(
        name="Mairie de Landrecies", kind=RelayPoint.Kind.TOWN_HALL, commune=commune, address="Place de la Mairie",
        lon=commune.town_hall_lon, lat=commune.town_hall_lat, opening_hours={"1": [["09:00", "12:00"]]}, fridge_capacity_l=100,
    )
    actions.sync_relay_points()
    point.refresh_from_db()
    return point
