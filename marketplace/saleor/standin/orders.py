"""Stand-in resolvers for payments (Transactions API), checkout completion, orders, fulfillment."""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q

from marketplace.saleor.standin import customers as cu
from marketplace.saleor.standin import gift_cards as gc
from marketplace.saleor.standin import views as v
from marketplace.saleor.standin.bought_gift_cards import is_gift_card_variant, issue_for_paid_order
from marketplace.saleor.standin.checkout import (
    checkout_view,
    collection_points,
    country_of,
    gift_cards_of,
    gross_total,
    line_price,
    paid,
    shipping_method_view,
    shipping_required,
    statuses,
    total,
)
from marketplace.saleor.standin.store import (
    Context,
    Json,
    UserError,
    address_view,
    gid,
    merge_metadata,
    new_key,
    now_iso,
    parse_gid,
    taxed,
)


def _allocate(
    ctx: Context, variant: Json, quantity: int, preferred: str | None, country: str
) -> list[Json]:
    """Allocate ``quantity`` from the sellable stocks (preferred warehouse first)."""
    allocations = []
    selling = v.selling_warehouses_of(ctx.store, country)
    stocks = sorted(
        (s for s in variant.get("stocks") or [] if s["warehouse"] in selling),
        key=lambda s: (s["warehouse"] != preferred, -v.available(s)),
    )
    remaining = quantity
    for stock in stocks:
        take = min(remaining, v.available(stock))
        if take > 0:
            stock["quantityAllocated"] = stock.get("quantityAllocated", 0) + take
            allocations.append({"warehouse": stock["warehouse"], "quantity": take})
            remaining -= take
    if remaining > 0 and variant.get("trackInventory", True):
        raise UserError(
            "INSUFFICIENT_STOCK", f"Insufficient product stock: {variant.get('sku')}", "lines"
        )
    return allocations


def m_checkout_complete(
    ctx: Context, id: str, metadata: list[Json] | None = None, **_: Any
) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "Checkout")
    if not doc["lines"]:
        raise UserError("NO_LINES", "Cannot create order without product", "lines")
    if not doc.get("email"):
        raise UserError("EMAIL_NOT_SET", "Email is not set", "email")
    chosen = doc.get("deliveryMethod")
    shipping = shipping_required(ctx, doc)  # Saleor asks for delivery only when a line needs shipping
    if shipping and not chosen:
        raise UserError("SHIPPING_METHOD_NOT_SET", "Shipping method is not set", "shippingMethod")
    if shipping and not doc.get("shippingAddress"):
        raise UserError(
            "SHIPPING_ADDRESS_NOT_SET", "Shipping address is not set", "shippingAddress"
        )
    if not doc.get("billingAddress"):
        raise UserError("BILLING_ADDRESS_NOT_SET", "Billing address is not set", "billingAddress")
    if chosen and chosen["type"] == "warehouse" and chosen["key"] not in {
        w["key"] for w in collection_points(ctx, doc)
    }:
        raise UserError(
            "DELIVERY_METHOD_NOT_APPLICABLE",
            "This pick up point is not applicable.",
            "deliveryMethodId",
        )
    due = total(ctx, doc)
    authorised, charged = paid(ctx, doc.get("transactions") or [])
    if authorised + charged < due:
        raise UserError(
            "CHECKOUT_NOT_FULLY_PAID",
            "The authorized amount doesn't cover the checkout's total amount.",
            "id",
        )
    preferred = chosen["key"] if chosen and chosen["type"] == "warehouse" else None
    lines = []
    for ln in doc["lines"]:
        variant = ctx.store.get("ProductVariant", ln["variant"])
        product = ctx.store.get("Product", variant["product"])
        allocations = _allocate(ctx, variant, ln["quantity"], preferred, country_of(ctx, doc))
        ctx.store.put("ProductVariant", variant)
        is_gift_card, needs_shipping = is_gift_card_variant(ctx, variant)
        lines.append(
            {
                "key": new_key(),
                "variant": variant["key"],
                "product": product["key"],
                "productName": product["name"],
                "variantName": variant.get("name") or "",
                "productSku": variant.get("sku"),
                "quantity": ln["quantity"],
                "quantityFulfilled": 0,
                "unitPrice": str(line_price(ctx, ln)),
                "allocations": allocations,
                "isGiftCard": is_gift_card,
                "isShippingRequired": needs_shipping,
            }
        )
    order: Json = {
        "key": new_key(),
        "number": str(ctx.store.count("Order") + 1),
        "created": now_iso(),
        "status": "UNFULFILLED",
        "userEmail": doc["email"],
        "user": doc.get("user"),
        "checkoutKey": doc["key"],
        "lines": lines,
        "shippingAddress": doc.get("shippingAddress"),
        "billingAddress": doc.get("billingAddress"),
        "deliveryMethod": chosen,
        "shippingPrice": (chosen or {}).get("price") or "0",
        "total": str(due),
        "transactions": list(doc.get("transactions") or []),
        "fulfillments": [],
        "metadata": dict(doc.get("metadata") or {}),
    }
    merge_metadata(order, metadata)
    order["authorizeStatus"], order["chargeStatus"] = statuses(due, authorised, charged)
    # the gift cards pay first: Saleor takes from each, in the order added, what the total needs
    left = gross_total(ctx, doc)
    order["giftCards"] = []
    for card in gift_cards_of(ctx, doc):
        taken = gc.take(ctx, card, left)
        left -= taken
        order["giftCards"].append({"key": card["key"], "used": str(taken)})
    ctx.store.put("Order", order)
    for key in order["transactions"]:
        t = ctx.store.get("TransactionItem", key)
        t["owner"] = {"kind": "Order", "key": order["key"]}
        ctx.store.put("TransactionItem", t)
    ctx.store.delete("Checkout", doc["key"])
    ctx.emit(
        "ORDER_CREATED",
        {"__typename": "OrderCreated", "issuedAt": now_iso(), "order": order_view(ctx, order)},
    )
    if order["chargeStatus"] in {"FULL", "OVERCHARGED"}:
        issue_for_paid_order(ctx, order)  # Saleor's handle_fully_paid_order, before ORDER_FULLY_PAID
        ctx.emit(
            "ORDER_FULLY_PAID",
            {
                "__typename": "OrderFullyPaid",
                "issuedAt": now_iso(),
                "order": order_view(ctx, order),
            },
        )
    return {"order": order_view(ctx, order), "confirmationNeeded": False, "confirmationData": None}


def order_view(ctx: Context, doc: Json) -> Json:
    """Saleor ``Order``."""
    currency = ctx.store.channel()["currencyCode"]
    line_views = {}
    lines = []
    for ln in doc["lines"]:
        variant = ctx.store.get("ProductVariant", ln["variant"])
        unit = Decimal(ln["unitPrice"])
        view = {
            "__typename": "OrderLine",
            "id": gid("OrderLine", ln["key"]),
            "productName": ln["productName"],
            "variantName": ln["variantName"],
            "productSku": ln.get("productSku"),
            "productVariantId": gid("ProductVariant", ln["variant"]),
            "isShippingRequired": ln.get("isShippingRequired", True),
            "quantity": ln["quantity"],
            "quantityFulfilled": ln["quantityFulfilled"],
            "quantityToFulfill": ln["quantity"] - ln["quantityFulfilled"],
            "unitPrice": taxed(unit, currency),
            "totalPrice": taxed(unit * ln["quantity"], currency),
            "allocations": [
                {
                    "id": gid("Allocation", f"{ln['key']}-{a['warehouse']}"),
                    "quantity": a["quantity"],
                    "warehouse": v.warehouse_view(ctx.store.get("Warehouse", a["warehouse"])),
                }
                for a in ln.get("allocations") or []
                if a["quantity"] > 0
            ],
            "variant": v.variant_view(ctx.store, variant) if variant else None,
            "metadata": [],
            "privateMetadata": [],
        }
        line_views[ln["key"]] = view
        lines.append(view)
    chosen = doc.get("deliveryMethod") or {}
    delivery_method = None
    if chosen.get("type") == "warehouse":
        warehouse = ctx.store.get("Warehouse", chosen["key"])
        delivery_method = v.warehouse_view(warehouse) if warehouse else None
    elif chosen:
        delivery_method = shipping_method_view(chosen["method"], currency)
    fulfillments = [
        {
            "id": gid("Fulfillment", f["key"]),
            "fulfillmentOrder": f["number"],
            "status": f["status"],
            "trackingNumber": "",
            "created": f["created"],
            "warehouse": v.warehouse_view(ctx.store.get("Warehouse", f["warehouse"]))
            if f.get("warehouse")
            else None,
            "lines": [
                {
                    "id": gid("FulfillmentLine", f"{f['key']}-{i}"),
                    "quantity": fl["quantity"],
                    "orderLine": line_views.get(fl["line"]),
                }
                for i, fl in enumerate(f["lines"])
            ],
            "metadata": [],
            "privateMetadata": [],
        }
        for f in doc.get("fulfillments") or []
    ]
    return {
        "__typename": "Order",
        "id": gid("Order", doc["key"]),
        "number": doc["number"],
        "created": doc["created"],
        "updatedAt": doc["updatedAt"],
        "status": doc["status"],
        "chargeStatus": doc["chargeStatus"],
        "authorizeStatus": doc["authorizeStatus"],
        "userEmail": doc.get("userEmail"),
        "user": cu.user_of(ctx, doc.get("user")),
        "checkoutId": gid("Checkout", doc["checkoutKey"]) if doc.get("checkoutKey") else None,
        "collectionPointName": delivery_method["name"]
        if chosen.get("type") == "warehouse" and delivery_method
        else None,
        "shippingMethodName": delivery_method["name"] if chosen.get("type") == "delivery" else None,
        "lines": lines,
        "shippingAddress": address_view(doc.get("shippingAddress")),
        "billingAddress": address_view(doc.get("billingAddress")),
        "deliveryMethod": delivery_method,
        "shippingPrice": taxed(doc.get("shippingPrice") or "0", currency),
        "total": taxed(doc["total"], currency),
        "fulfillments": fulfillments,
        "channel": v.channel_view(ctx.store.channel()),
        "transactions": lambda info, **_: [
            v.transaction_view(ctx.store.get("TransactionItem", k))
            for k in doc.get("transactions") or []
        ],
        "metadata": [
            {"key": k, "value": val} for k, val in sorted((doc.get("metadata") or {}).items())
        ],
        "privateMetadata": [],
    }


def q_order(ctx: Context, id: str | None = None, **_: Any) -> Json | None:
    doc = ctx.store.find(id, "Order")
    return order_view(ctx, doc) if doc else None


def q_orders(ctx: Context, first: int | None = None, filter: Json | None = None, **_: Any) -> Json:
    from marketplace.saleor.standin.store import connection

    flt = filter or {}
    where = Q()  # read only orders that may match (metadata via the GIN index), then check each
    for item in flt.get("metadata") or []:
        if item.get("value") is not None:
            where &= Q(data__contains={"metadata": {item["key"]: item["value"]}})
        else:
            where &= Q(data__metadata__has_key=item["key"])
    docs = []
    for doc in ctx.store.query("Order", where):
        meta = doc.get("metadata") or {}
        if any(
            item["key"] not in meta
            or (
                "value" in item and item["value"] is not None and meta[item["key"]] != item["value"]
            )
            for item in flt.get("metadata") or []
        ):
            continue
        if flt.get("ids") and gid("Order", doc["key"]) not in flt["ids"]:
            continue
        if flt.get("numbers") and doc["number"] not in flt["numbers"]:
            continue
        if flt.get("status") and doc["status"] not in flt["status"]:
            continue
        created = flt.get("created") or {}
        if created.get("gte") and doc["created"][:10] < created["gte"]:
            continue
        if created.get("lte") and doc["created"][:10] > created["lte"]:
            continue
        docs.append(doc)
    docs.sort(key=lambda d: d["created"], reverse=True)
    return connection([order_view(ctx, d) for d in docs], first)


def m_order_fulfill(ctx: Context, order: str, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(order, "Order")
    if doc["status"] in {"CANCELED", "DRAFT", "UNCONFIRMED"}:
        raise UserError(
            "CANNOT_FULFILL_UNPAID_ORDER" if doc["status"] == "UNCONFIRMED" else "INVALID",
            "Order cannot be fulfilled.",
            "order",
        )
    by_warehouse: dict[str, list[Json]] = {}
    lines = {ln["key"]: ln for ln in doc["lines"]}
    for item in input.get("lines") or []:
        line = lines.get(parse_gid(item["orderLineId"], "OrderLine")[1])
        if line is None:
            raise UserError("NOT_FOUND", "Order line not found.", "orderLineId")
        for stock in item["stocks"]:
            quantity = stock["quantity"]
            if quantity <= 0:
                continue
            if line["quantityFulfilled"] + quantity > line["quantity"]:
                raise UserError(
                    "FULFILL_ORDER_LINE",
                    f"Only {line['quantity'] - line['quantityFulfilled']} items remaining to fulfill.",
                    "orderLineId",
                )
            warehouse = ctx.store.get_by_gid(stock["warehouse"], "Warehouse")[1]
            variant = ctx.store.get("ProductVariant", line["variant"])
            row = next(
                (
                    s
                    for s in (variant or {}).get("stocks") or []
                    if s["warehouse"] == warehouse["key"]
                ),
                None,
            )
            if row is None or row["quantity"] < quantity:
                raise UserError(
                    "INSUFFICIENT_STOCK",
                    f"Insufficient product stock: {line.get('productSku')}",
                    "stocks",
                )
            allocation = next(
                (a for a in line.get("allocations") or [] if a["warehouse"] == warehouse["key"]),
                None,
            )
            released = min(quantity, allocation["quantity"]) if allocation else 0
            if allocation:
                allocation["quantity"] -= released
            row["quantity"] -= quantity
            row["quantityAllocated"] = max(0, row.get("quantityAllocated", 0) - released)
            ctx.store.put("ProductVariant", variant)
            line["quantityFulfilled"] += quantity
            by_warehouse.setdefault(warehouse["key"], []).append(
                {"line": line["key"], "quantity": quantity}
            )
    created = []
    for warehouse_key, flines in by_warehouse.items():
        fulfillment = {
            "key": new_key(),
            "number": len(doc["fulfillments"]) + 1,
            "status": "FULFILLED",
            "created": now_iso(),
            "warehouse": warehouse_key,
            "lines": flines,
        }
        doc["fulfillments"].append(fulfillment)
        created.append(fulfillment["key"])
    done = all(ln["quantityFulfilled"] >= ln["quantity"] for ln in doc["lines"])
    doc["status"] = "FULFILLED" if done else "PARTIALLY_FULFILLED"
    ctx.store.put("Order", doc)
    view = order_view(ctx, doc)
    ctx.emit("ORDER_UPDATED", {"__typename": "OrderUpdated", "issuedAt": now_iso(), "order": view})
    fulfillments = [
        f for f in view["fulfillments"] if any(f["id"] == gid("Fulfillment", k) for k in created)
    ]
    return {"order": view, "fulfillments": fulfillments}


__all__ = ["checkout_view", "m_checkout_complete"]


def m_order_cancel(ctx: Context, id: str, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "Order")
    if doc["status"] in {"CANCELED", "FULFILLED", "PARTIALLY_FULFILLED", "DRAFT"} or doc.get(
        "fulfillments"
    ):
        raise UserError("CANNOT_CANCEL_ORDER", "This order can't be canceled.", "order")
    for line in doc["lines"]:
        variant = ctx.store.get("ProductVariant", line["variant"])
        for allocation in line.get("allocations") or []:
            row = next(
                (
                    s
                    for s in (variant or {}).get("stocks") or []
                    if s["warehouse"] == allocation["warehouse"]
                ),
                None,
            )
            if row is not None:
                row["quantityAllocated"] = max(
                    0, row.get("quantityAllocated", 0) - allocation["quantity"]
                )
            allocation["quantity"] = 0
        if variant is not None:
            ctx.store.put("ProductVariant", variant)
    doc["status"] = "CANCELED"
    ctx.store.put("Order", doc)
    view = order_view(ctx, doc)
    ctx.emit("ORDER_UPDATED", {"__typename": "OrderUpdated", "issuedAt": now_iso(), "order": view})
    ctx.emit(
        "ORDER_CANCELLED", {"__typename": "OrderCancelled", "issuedAt": now_iso(), "order": view}
    )
    return {"order": view}
