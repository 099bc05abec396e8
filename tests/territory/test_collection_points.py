"""One collection-point rule: a vendor's shop, a relay point and a pickup point become Saleor warehouses alike.

Each kind is made through its own app's entry point (vendors for shops and relay points, the
short circuit for pickup points) and held to the same specification; a last test fails as soon
as a second module builds warehouse fields or calls Saleor's warehouse mutations itself.
"""

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from marketplace.saleor.port import ClickAndCollect, get_saleor

ROOT = Path(__file__).resolve().parents[2]


class Place:
    """One kind of place, driven through the app that owns it."""

    def __init__(self, kind, reference, option, make, push, switch_off):
        self.kind, self.reference, self.option = kind, reference, option
        self.make, self.push, self.switch_off = make, push, switch_off


def _vendor(commune):
    from marketplace.vendors.models import Vendor
    from marketplace.vendors.seed import siret_for

    return Vendor.objects.create(
        name="Fromagerie du Pont", slug="fromagerie-du-pont", kind=Vendor.Kind.MERCHANT, legal_name="Fromagerie SARL",
        siret=siret_for("12345678"), address="3 rue du Pont", commune=commune, lon=commune.lon, lat=commune.lat,
        opening_hours={"2": [["09:00", "12:00"]]}, commission_rate=Decimal("10.00"), accepts_click_and_collect=True,
        email="fromagerie@exemple.fr",
    )


def _push_vendor(vendor, saleor):
    from marketplace.vendors.actions import sync_vendor_warehouse

    sync_vendor_warehouse(vendor, saleor)


def _relay(commune):
    from marketplace.territory.models import RelayPoint

    return RelayPoint.objects.create(name="Mairie de Landrecies", kind=RelayPoint.Kind.TOWN_HALL, commune=commune,
                                     address="Place de la Mairie", lon=commune.lon, lat=commune.lat, fridge_capacity_l=80)


def _push_relays(relay, saleor):
    from marketplace.vendors.actions import sync_relay_points

    sync_relay_points(saleor)


def _pickup(commune):
    from shortcircuit.models import PickupPoint

    return PickupPoint.objects.create(name="Halle de Landrecies", commune=commune, address="Place du marché",
                                      lon=commune.lon, lat=commune.lat)


def _push_pickup(point, saleor):
    from shortcircuit.actions.saleor_sync import sync_pickup_point

    sync_pickup_point(point, saleor)


def _vendor_off(vendor):
    vendor.accepts_click_and_collect = False


def _inactive(row):
    row.active = False


PLACES = {
    "vendor": Place("vendor", "vendor", ClickAndCollect.LOCAL, _vendor, _push_vendor, _vendor_off),
    "relay": Place("relay", "relay", ClickAndCollect.ALL, _relay, _push_relays, _inactive),
    "pickup_point": Place("pickup_point", "pickup", ClickAndCollect.ALL, _pickup, _push_pickup, _inactive),
}


@pytest.fixture(params=list(PLACES))
def place(request):
    return PLACES[request.param]


@pytest.fixture
def saleor(db):
    return get_saleor()


def test_an_open_place_is_a_public_collection_point_addressed_in_its_commune(place, communes, saleor):
    # given an open place of each kind in Landrecies
    row = place.make(communes.get(name="Landrecies"))
    # when its app pushes it to Saleor
    place.push(row, saleor)
    row.refresh_from_db()
    # then it is a public warehouse with its kind's option, addressed the same way for every kind
    warehouse = saleor.warehouses.get(row.saleor_warehouse_id)
    assert warehouse.click_and_collect == place.option and not warehouse.is_private
    assert (warehouse.address.postal_code, warehouse.address.city, warehouse.address.country) == ("59550", "LANDRECIES", "FR")  # Saleor normalises a French city
    assert warehouse.metadata["mormal.role"] == place.kind
    assert warehouse.external_reference == f"{place.reference}:{row.pk}"


def test_a_closed_place_keeps_its_warehouse_private_and_disabled(place, communes, saleor):
    # given a place already pushed
    row = place.make(communes.get(name="Landrecies"))
    place.push(row, saleor)
    row.refresh_from_db()
    count, first_id = len(saleor.warehouses.find()), row.saleor_warehouse_id
    # when it stops taking pickups and its app pushes it again
    place.switch_off(row)
    row.save()
    place.push(row, saleor)
    row.refresh_from_db()
    # then the same warehouse is hidden from checkout, none is added
    warehouse = saleor.warehouses.get(first_id)
    assert row.saleor_warehouse_id == first_id and len(saleor.warehouses.find()) == count
    assert warehouse.click_and_collect == ClickAndCollect.DISABLED and warehouse.is_private


def test_a_warehouse_left_by_an_interrupted_first_push_is_adopted_not_duplicated(place, communes, saleor):
    # given a first push that created the warehouse, then lost the id before storing it
    row = place.make(communes.get(name="Landrecies"))
    place.push(row, saleor)
    type(row).objects.filter(pk=row.pk).update(saleor_warehouse_id="")
    row.refresh_from_db()
    slug = saleor.warehouses.find()[-1].slug
    # when the app pushes it again
    place.push(row, saleor)
    row.refresh_from_db()
    # then the warehouse with that slug is the place's, and it is the only one
    assert [w.id for w in saleor.warehouses.find(slugs=[slug])] == [row.saleor_warehouse_id]


def test_pickup_point_at_first_order_goes_through_the_same_rule(communes, saleor):
    from shortcircuit.actions.saleor_sync import ensure_point_warehouse

    point = _pickup(communes.get(name="Landrecies"))
    warehouse_id = ensure_point_warehouse(point, saleor)
    warehouse = saleor.warehouses.get(warehouse_id)
    assert warehouse.click_and_collect == ClickAndCollect.ALL and warehouse.address.city == "LANDRECIES"
    assert ensure_point_warehouse(point, saleor) == warehouse_id


def _python_files():
    for top in ("marketplace", "shortcircuit", "integrations", "delivery"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts or path.is_relative_to(ROOT / "marketplace" / "saleor"):
                continue
            yield path


def test_no_module_but_the_rule_builds_warehouses():
    # given every module of the apps (the Saleor adapter itself apart)
    offenders = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in {"LOCAL", "ALL"}
                    and getattr(node.value, "attr", getattr(node.value, "id", "")) == "ClickAndCollect"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value if isinstance(func, ast.Attribute) else None
            calls_mutation = (name in {"create", "update"} and isinstance(owner, ast.Attribute)
                              and owner.attr == "warehouses")
            if name == "WarehouseInput" or calls_mutation:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    # then only the collection-point rule chooses LOCAL/ALL, builds warehouse fields or creates/updates warehouses
    assert offenders and all(o.startswith("marketplace/territory/collection_points.py:") for o in offenders), offenders
