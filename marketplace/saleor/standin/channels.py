"""Stand-in resolvers for the channel, shipping zones and attribute assignment.

Like Saleor, stock is sellable only from warehouses that belong to the channel and to one of
the channel's shipping zones covering the buyer's country (:func:`selling_warehouses`).
"""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

from typing import Any

from marketplace.saleor.standin import views as v
from marketplace.saleor.standin.store import (
    Context,
    Json,
    UserError,
    connection,
    gid,
    new_key,
    parse_gid,
)

#: A fresh Saleor's shop settings the App reads (``limitQuantityPerCheckout`` is Saleor's
#: ``DEFAULT_LIMIT_QUANTITY_PER_CHECKOUT``). A test changes them by storing a ``Shop`` document
#: with key ``settings``.
SHOP_DEFAULTS: Json = {
    "limitQuantityPerCheckout": 50,
    "fulfillmentAllowUnpaid": True,
    "fulfillmentAutoApprove": True,
}


def shop_settings(ctx: Context) -> Json:
    """The shop settings: Saleor's defaults, overridden by a stored ``Shop`` document."""
    return {**SHOP_DEFAULTS, **(ctx.store.get("Shop", "settings") or {})}


def q_shop(ctx: Context, **_: Any) -> Json:
    return {"__typename": "Shop", **shop_settings(ctx)}


def _zone_view(ctx: Context, doc: Json) -> Json:
    return {
        "__typename": "ShippingZone",
        "id": gid("ShippingZone", doc["key"]),
        "name": doc["name"],
        "default": False,
        "description": doc.get("description") or "",
        "countries": [{"code": c, "country": c} for c in doc["countries"]],
        "warehouses": lambda info, **_: [
            v.warehouse_view(w) for w in ctx.store.all("Warehouse") if w["key"] in doc["warehouses"]
        ],
        "channels": lambda info, **_: [
            v.channel_view(ctx.store.get("Channel", c)) for c in doc["channels"]
        ],
        "metadata": [],
        "privateMetadata": [],
    }


def selling_warehouses(ctx: Context, country: str | None = None) -> set[str]:
    """Keys of warehouses whose stock the channel sells to ``country`` (default: the channel's)."""
    channel = ctx.store.channel()
    country = country or channel["defaultCountry"]
    in_channel = set(channel.get("warehouses") or [])
    zoned: set[str] = set()
    for zone in ctx.store.all("ShippingZone"):
        if channel["key"] in zone["channels"] and country in zone["countries"]:
            zoned |= set(zone["warehouses"])
    return in_channel & zoned


def q_shipping_zones(
    ctx: Context, first: int | None = None, filter: Json | None = None, **_: Any
) -> Json:
    zones = ctx.store.all("ShippingZone")
    if filter and filter.get("channels"):
        wanted = {parse_gid(c, "Channel")[1] for c in filter["channels"]}
        zones = [z for z in zones if wanted & set(z["channels"])]
    return connection([_zone_view(ctx, z) for z in zones], first)


def q_product_type(ctx: Context, id: str, **_: Any) -> Json | None:
    doc = ctx.store.find(id, "ProductType")
    if not doc:
        return None
    view = v.product_type_view(doc)
    view["productAttributes"] = [
        v.attribute_view(ctx.store.get("Attribute", k)) for k in doc["productAttributes"]
    ]
    return view


def m_channel_create(ctx: Context, input: Json, **_: Any) -> Json:
    if any(c["slug"] == input["slug"] for c in ctx.store.all("Channel")):
        raise UserError("UNIQUE", "Channel with this Slug already exists.", "slug")
    doc = {
        "key": new_key(),
        "slug": input["slug"],
        "name": input["name"],
        "currencyCode": input["currencyCode"],
        "defaultCountry": input["defaultCountry"],
        "isActive": bool(input.get("isActive", False)),
        "warehouses": [parse_gid(w, "Warehouse")[1] for w in input.get("addWarehouses") or []],
    }
    ctx.store.put("Channel", doc)
    return {"channel": v.channel_view(doc)}


def m_channel_update(ctx: Context, id: str, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "Channel")
    warehouses = list(doc.get("warehouses") or [])
    for wid in input.get("addWarehouses") or []:
        key = ctx.store.get_by_gid(wid, "Warehouse")[1]["key"]
        if key not in warehouses:
            warehouses.append(key)
    if input.get("isActive") is not None:
        doc["isActive"] = input["isActive"]
    if input.get("orderSettings"):  # e.g. automaticallyFulfillNonShippableGiftCard
        doc["orderSettings"] = {**(doc.get("orderSettings") or {}),
                                **{k: v for k, v in input["orderSettings"].items() if v is not None}}
    removed = {parse_gid(w, "Warehouse")[1] for w in input.get("removeWarehouses") or []}
    doc["warehouses"] = [w for w in warehouses if w not in removed]
    ctx.store.put("Channel", doc)
    return {"channel": v.channel_view(doc)}


def m_shipping_zone_create(ctx: Context, input: Json, **_: Any) -> Json:
    doc = {
        "key": new_key(),
        "name": input.get("name") or "Zone",
        "description": input.get("description") or "",
        "countries": list(input.get("countries") or []),
        "warehouses": [
            ctx.store.get_by_gid(w, "Warehouse")[1]["key"] for w in input.get("addWarehouses") or []
        ],
        "channels": [
            ctx.store.get_by_gid(c, "Channel")[1]["key"] for c in input.get("addChannels") or []
        ],
    }
    ctx.store.put("ShippingZone", doc)
    return {"shippingZone": _zone_view(ctx, doc)}


def m_shipping_zone_update(ctx: Context, id: str, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "ShippingZone")
    for field, kind in (("Warehouses", "Warehouse"), ("Channels", "Channel")):
        current = list(doc[field.lower()])
        for item in input.get(f"add{field}") or []:
            key = ctx.store.get_by_gid(item, kind)[1]["key"]
            if key not in current:
                current.append(key)
        removed = {parse_gid(i, kind)[1] for i in input.get(f"remove{field}") or []}
        doc[field.lower()] = [k for k in current if k not in removed]
    if input.get("countries") is not None:
        doc["countries"] = list(input["countries"])
    ctx.store.put("ShippingZone", doc)
    return {"shippingZone": _zone_view(ctx, doc)}


def m_product_attribute_assign(
    ctx: Context, productTypeId: str, operations: list[Json], **_: Any
) -> Json:
    _kind, doc = ctx.store.get_by_gid(productTypeId, "ProductType")
    for op in operations:
        attr = ctx.store.get_by_gid(op["id"], "Attribute")[1]
        if op["type"] != "PRODUCT":
            raise UserError(
                "INVALID", "Only product attributes are used by the marketplace.", "operations"
            )
        if attr["key"] in doc["productAttributes"]:
            raise UserError(
                "ATTRIBUTE_ALREADY_ASSIGNED", f"{attr['slug']} is already assigned.", "operations"
            )
        doc["productAttributes"].append(attr["key"])
    ctx.store.put("ProductType", doc)
    return {"productType": v.product_type_view(doc)}
