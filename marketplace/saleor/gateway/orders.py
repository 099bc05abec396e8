"""Orders: read them, fulfil a vendor's share from its warehouse, cancel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.order_values import Fulfillment, FulfillmentLineInput, Order, OrderQuery
from marketplace.saleor.values import ORDER_VENDOR_METADATA_PREFIX


class OrderCalls:
    """Saleor orders (``saleor.orders``)."""

    def __init__(self, session: SaleorSession):
        self._s = session

    def get(self, order_id: str) -> Order | None:
        """Return the order, or None."""
        node = self._s.run("order", id=order_id).get("order")
        return p.order(node) if node else None

    def find(self, query: OrderQuery) -> list[Order]:
        """Orders matching the query, newest first."""
        filter_: dict[str, Any] = {}
        meta = dict(query.metadata)
        if query.vendor_slug:
            meta[f"{ORDER_VENDOR_METADATA_PREFIX}{query.vendor_slug}"] = "1"
        if meta:
            filter_["metadata"] = [{"key": k, "value": v} for k, v in meta.items()]
        if query.ids:
            filter_["ids"] = list(query.ids)
        if query.numbers:
            filter_["numbers"] = list(query.numbers)
        if query.statuses:
            filter_["status"] = list(query.statuses)
        if query.created_from or query.created_to:
            filter_["created"] = {
                "gte": query.created_from.date().isoformat() if query.created_from else None,
                "lte": query.created_to.date().isoformat() if query.created_to else None,
            }
        data = self._s.run("orders", filter=filter_ or None, first=query.first)["orders"]
        orders = [p.order(e["node"]) for e in data["edges"]]
        if query.warehouse_id:
            orders = [
                o
                for o in orders
                if any(query.warehouse_id in ln.warehouse_ids for ln in o.lines)
                or any(f.warehouse_id == query.warehouse_id for f in o.fulfillments)
            ]
        return orders

    def fulfill(
        self, order_id: str, lines: Sequence[FulfillmentLineInput], notify_customer: bool = False
    ) -> list[Fulfillment]:
        """Fulfil order lines from the given warehouses (``orderFulfill``)."""
        payload = self._s.mutate(
            "order_fulfill",
            "orderFulfill",
            order=order_id,
            input={
                "notifyCustomer": notify_customer,
                "lines": [
                    {
                        "orderLineId": ln.order_line_id,
                        "stocks": [{"warehouse": ln.warehouse_id, "quantity": ln.quantity}],
                    }
                    for ln in lines
                ],
            },
        )
        return [p.fulfillment(f) for f in payload["fulfillments"] or []]

    def cancel(self, order_id: str) -> Order:
        """Cancel the order (``orderCancel``); Saleor refuses once something was fulfilled."""
        return p.order(self._s.mutate("order_cancel", "orderCancel", id=order_id)["order"])

    def update_metadata(self, order_id: str, items: Mapping[str, str]) -> None:
        """Merge public metadata into the order."""
        self._s.update_metadata(order_id, items)
