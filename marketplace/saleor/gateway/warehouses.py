"""Warehouses: a vendor's shop (its own stock) and the collection points of the channel."""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.saleor import parsing as p
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.gateway.setup import SetupCalls
from marketplace.saleor.values import Warehouse, WarehouseInput


class WarehouseCalls:
    """Saleor warehouses (``saleor.warehouses``)."""

    def __init__(self, session: SaleorSession, setup: SetupCalls):
        self._s = session
        self._setup = setup

    def create(self, data: WarehouseInput) -> Warehouse:
        """Create a warehouse in the channel and its zone, then set click & collect and privacy."""
        payload = self._s.mutate(
            "warehouse_create",
            "createWarehouse",
            input={
                "name": data.name,
                "slug": data.slug or None,
                "email": data.email,
                "externalReference": data.external_reference or None,
                "address": p.address_input(data.address),
            },
        )
        warehouse_id = payload["warehouse"]["id"]
        self._setup.attach_warehouse(warehouse_id, data.address.country)
        return self.update(warehouse_id, data)

    def update(self, warehouse_id: str, data: WarehouseInput) -> Warehouse:
        """Update name, address, email, click & collect option, privacy; merge metadata."""
        payload = self._s.mutate(
            "warehouse_update",
            "updateWarehouse",
            id=warehouse_id,
            input={
                "name": data.name,
                "email": data.email,
                "address": p.address_input(data.address),
                "clickAndCollectOption": data.click_and_collect.value,
                "isPrivate": data.is_private,
            },
        )
        if data.metadata:
            self._s.update_metadata(warehouse_id, data.metadata)
            return self.get(warehouse_id)  # type: ignore[return-value]
        return p.warehouse(payload["warehouse"])

    def get(self, warehouse_id: str) -> Warehouse | None:
        """Return the warehouse, or None when the id is unknown."""
        node = self._s.run("warehouse", id=warehouse_id).get("warehouse")
        return p.warehouse(node) if node else None

    def find(self, ids: Sequence[str] = (), slugs: Sequence[str] = ()) -> list[Warehouse]:
        """Return the warehouses with the given ids or slugs, or all of them (up to 100) when both are empty."""
        filter_ = {k: list(v) for k, v in (("ids", ids), ("slugs", slugs)) if v} or None
        data = self._s.run("warehouses", filter=filter_, first=100)["warehouses"]
        return [p.warehouse(e["node"]) for e in data["edges"]]
