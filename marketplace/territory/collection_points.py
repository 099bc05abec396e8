"""The one rule for the places a shopper collects at, as Saleor warehouses (click & collect).

Three kinds of place become a Saleor *collection point* (see the README glossary):

- a vendor's shop: click & collect ``LOCAL`` (served from its own stock) when it accepts pickups;
- a relay point (``territory.RelayPoint``) and a short-circuit pickup point
  (``shortcircuit.PickupPoint``): click & collect ``ALL`` (served from every warehouse's stock).

The rule, for all three: an active place is a public warehouse with its option; an inactive one
keeps its warehouse, private and ``DISABLED``; the address is the place's street in its commune
(main postal code, commune name as spelled in the INSEE list, France); the warehouse's
``mormal.role`` metadata names the kind. :func:`sync` creates the warehouse once (row lock, and
a warehouse left with the same slug by an interrupted first call is reused) and updates it after.
Vendors (``vendors.actions.saleor_sync``) and the short circuit (``shortcircuit.actions.saleor_sync``)
both go through here; ``tests/territory/test_collection_points.py`` holds them to it.

One warehouse is never a collection point: :data:`VOUCHER_STOCK`, where the e-vouchers' stock rows
live (Saleor fulfils gift-card lines from a warehouse); it is private and ``DISABLED``, and kept
here so that this module stays the only one deciding what a warehouse offers.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Protocol

from django.db import models, transaction

from marketplace.saleor import port

#: The e-vouchers' stock (``vouchers.online``): private, never offered for collection.
VOUCHER_STOCK = port.WarehouseInput(
    name="Chèques cadeaux dématérialisés", slug="cheques-cadeaux-dematerialises",
    address=port.Address(street_address_1="Communauté de Communes du Pays de Mormal", postal_code="59530",
                         city="LE QUESNOY", country="FR", first_name="", last_name="", phone=""),
    click_and_collect=port.ClickAndCollect.DISABLED, is_private=True)


class Role(enum.StrEnum):
    """What a warehouse stands for (its ``mormal.role`` metadata)."""

    VENDOR = "vendor"
    RELAY = "relay"
    PICKUP_POINT = "pickup_point"


#: The click & collect option of an active place of each kind.
OPTION: Mapping[Role, port.ClickAndCollect] = {
    Role.VENDOR: port.ClickAndCollect.LOCAL,
    Role.RELAY: port.ClickAndCollect.ALL,
    Role.PICKUP_POINT: port.ClickAndCollect.ALL,
}
#: Slug prefix and external-reference prefix per kind (kept as first pushed: Saleor already holds them).
_SLUG = {Role.VENDOR: "vendeur-", Role.RELAY: "relais-", Role.PICKUP_POINT: "circuit-retrait-"}
_REFERENCE = {Role.VENDOR: "vendor", Role.RELAY: "relay", Role.PICKUP_POINT: "pickup"}


class CommuneLike(Protocol):
    """What the rule reads of a commune."""

    name: str
    main_postal_code: str


def warehouse_input(role: Role, *, key: object, slug_key: object = None, name: str, street: str,
                    commune: CommuneLike, active: bool, email: str = "",
                    metadata: Mapping[str, str] | None = None) -> port.WarehouseInput:
    """The Saleor warehouse fields standing for one place (pure; no call to Saleor).

    Parameters
    ----------
    role
        The kind of place.
    key
        The local primary key (external reference ``<kind>:<key>``).
    slug_key
        What follows the slug prefix (default ``key``; a vendor uses its slug).
    name, street, commune, email
        Shown to shoppers at checkout; ``street`` is cut to Saleor's 255 characters.
    active
        Whether shoppers may collect there now.
    metadata
        Extra metadata (strings); ``mormal.role`` is always set from ``role``.
    """
    return port.WarehouseInput(
        name=name,
        address=port.Address(street_address_1=street[:255], postal_code=commune.main_postal_code,
                             city=commune.name, country="FR"),
        slug=f"{_SLUG[role]}{key if slug_key is None else slug_key}",
        email=email,
        click_and_collect=OPTION[role] if active else port.ClickAndCollect.DISABLED,
        is_private=not active,
        external_reference=f"{_REFERENCE[role]}:{key}",
        metadata={**(metadata or {}), port.WAREHOUSE_ROLE_METADATA_KEY: role.value},
    )


def sync(row: models.Model, data: port.WarehouseInput, saleor: port.SaleorPort,
         field: str = "saleor_warehouse_id") -> port.Warehouse:
    """Create or update the Saleor warehouse of ``row`` and store its id in ``row.<field>``.

    The first creation runs under a row lock, so two requests for a new place make one warehouse;
    a warehouse with the same slug (left by a call that failed before storing its id) is
    updated and adopted rather than duplicated.

    Raises
    ------
    SaleorError
        Any adapter error (validation, permission, network); the row keeps the id it had.
    """
    warehouse_id = getattr(row, field)
    if warehouse_id:
        return saleor.warehouses.update(warehouse_id, data)
    model = type(row)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=row.pk)
        warehouse_id = getattr(locked, field)
        if warehouse_id:
            warehouse = saleor.warehouses.update(warehouse_id, data)
        else:
            existing = saleor.warehouses.find(slugs=[data.slug])
            if existing:
                warehouse = saleor.warehouses.update(existing[0].id, data)
            else:
                warehouse = saleor.warehouses.create(data)
            model._default_manager.filter(pk=row.pk).update(**{field: warehouse.id})
    setattr(row, field, warehouse.id)
    return warehouse
