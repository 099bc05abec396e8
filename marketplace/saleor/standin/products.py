"""Stand-in resolvers for products, variants, prices, stock, media and metadata."""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.text import slugify

from common import money
from marketplace.saleor.standin import views as v
from marketplace.saleor.standin.catalogue import _key, _unique_slug
from marketplace.saleor.standin.store import (
    Context,
    Json,
    UserError,
    merge_metadata,
    new_key,
    now_iso,
)


def _assign_attributes(ctx: Context, doc: Json, items: list[Json] | None) -> None:
    if items is None:
        return
    product_type = ctx.store.get("ProductType", doc["productType"])
    assigned = {a["attribute"]: a for a in doc.get("attributes") or []}
    for item in items:
        _kind, attr = ctx.store.get_by_gid(item["id"], "Attribute")
        if attr["key"] not in product_type["productAttributes"]:
            raise UserError(
                "INVALID",
                f"Attribute {attr['slug']} is not assigned to this product type.",
                "attributes",
            )
        value_name = (item.get("dropdown") or {}).get("value") or (
            (item.get("values") or [None])[0]
        )
        if not value_name:
            assigned.pop(attr["key"], None)
            continue
        value = next((x for x in attr["values"] if x["name"] == value_name), None)
        if value is None:
            value = {
                "key": new_key(),
                "name": value_name,
                "slug": slugify(value_name) or new_key()[:8],
            }
            attr["values"].append(value)
            ctx.store.put("Attribute", attr)
        assigned[attr["key"]] = {"attribute": attr["key"], "values": [value]}
    doc["attributes"] = list(assigned.values())


def _apply_product_input(ctx: Context, doc: Json, input: Json) -> None:
    for field in ("name", "description", "externalReference", "rating"):
        if field in input and input[field] is not None:
            doc[field] = (
                v.description_json(input[field]) if field == "description" else input[field]
            )
    if input.get("category"):
        doc["category"] = ctx.store.get_by_gid(input["category"], "Category")[1]["key"]
    if input.get("weight") is not None:
        doc["weight"] = str(input["weight"])
    if input.get("slug"):
        doc["slug"] = _unique_slug(ctx, "Product", input["slug"], doc["name"], doc["key"])
    merge_metadata(doc, input.get("metadata"))
    merge_metadata(doc, input.get("privateMetadata"), "privateMetadata")
    _assign_attributes(ctx, doc, input.get("attributes"))


def m_product_create(ctx: Context, input: Json, **_: Any) -> Json:
    if not input.get("name"):
        raise UserError("REQUIRED", "This field is required.", "name")
    product_type = ctx.store.get_by_gid(input["productType"], "ProductType")[1]
    doc: Json = {
        "key": new_key(),
        "name": input["name"],
        "slug": _unique_slug(ctx, "Product", input.get("slug") or "", input["name"]),
        "productType": product_type["key"],
        "category": None,
        "created": now_iso(),
        "metadata": {},
        "privateMetadata": {},
        "attributes": [],
        "channelListings": [],
        "media": [],
    }
    _apply_product_input(ctx, doc, {k: val for k, val in input.items() if k != "slug"})
    ctx.store.put("Product", doc)
    return {"product": v.product_view(ctx.store, doc)}


def m_product_update(ctx: Context, id: str, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "Product")
    _apply_product_input(ctx, doc, input)
    ctx.store.put("Product", doc)
    return {"product": v.product_view(ctx.store, doc)}


def m_product_delete(ctx: Context, id: str, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "Product")
    view = v.product_view(ctx.store, doc)
    for var in v.variants_of(ctx.store, doc["key"]):
        ctx.store.delete("ProductVariant", var["key"])
    ctx.store.delete("Product", doc["key"])
    return {"product": view}


def m_product_channel_listing_update(ctx: Context, id: str, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "Product")
    listings = {c["channel"]: c for c in doc.get("channelListings") or []}
    for item in input.get("updateChannels") or []:
        channel_key = _key(item["channelId"], "Channel")
        if ctx.store.get("Channel", channel_key) is None:
            raise UserError("NOT_FOUND", "Channel not found.", "channelId")
        current = listings.get(channel_key, {"channel": channel_key})
        for field in ("isPublished", "visibleInListings", "isAvailableForPurchase"):
            if item.get(field) is not None:
                current[field] = item[field]
        listings[channel_key] = current
    for channel_id in input.get("removeChannels") or []:
        listings.pop(_key(channel_id, "Channel"), None)
    doc["channelListings"] = list(listings.values())
    ctx.store.put("Product", doc)
    return {"product": v.product_view(ctx.store, doc)}


def _price(value: Any, field: str) -> str:
    try:
        price = money.to_decimal(value)
    except ValueError as exc:
        raise UserError("INVALID", "Enter a valid number.", field) from exc
    if price < 0:
        raise UserError("INVALID", "Price must be positive.", field)
    return str(money.round_cents(price))


def m_variant_create(ctx: Context, input: Json, **_: Any) -> Json:
    _kind, product = ctx.store.get_by_gid(input["product"], "Product")
    sku = input.get("sku")
    if sku and ctx.store.taken("ProductVariant", "sku", sku):
        raise UserError("UNIQUE", "Product variant with this SKU already exists.", "sku")
    doc: Json = {
        "key": new_key(),
        "product": product["key"],
        "sku": sku,
        "name": input.get("name") or "",
        "trackInventory": input.get("trackInventory", True) is not False,
        "quantityLimitPerCustomer": input.get("quantityLimitPerCustomer"),
        "weight": str(input["weight"]) if input.get("weight") is not None else None,
        "created": now_iso(),
        "externalReference": input.get("externalReference"),
        "metadata": {},
        "privateMetadata": {},
        "channelListings": [],
        "stocks": [],
    }
    merge_metadata(doc, input.get("metadata"))
    for stock in input.get("stocks") or []:
        warehouse = ctx.store.get_by_gid(stock["warehouse"], "Warehouse")[1]
        doc["stocks"].append(
            {"warehouse": warehouse["key"], "quantity": stock["quantity"], "quantityAllocated": 0}
        )
    ctx.store.put("ProductVariant", doc)
    return {"productVariant": v.variant_view(ctx.store, doc)}


def m_variant_update(ctx: Context, id: str, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "ProductVariant")
    sku = input.get("sku")
    if sku and ctx.store.taken("ProductVariant", "sku", sku, except_key=doc["key"]):
        raise UserError("UNIQUE", "Product variant with this SKU already exists.", "sku")
    for field in ("sku", "name", "trackInventory", "externalReference", "quantityLimitPerCustomer"):
        if input.get(field) is not None:
            doc[field] = input[field]
    if input.get("weight") is not None:
        doc["weight"] = str(input["weight"])
    merge_metadata(doc, input.get("metadata"))
    ctx.store.put("ProductVariant", doc)
    return {"productVariant": v.variant_view(ctx.store, doc)}


def m_variant_channel_listing_update(ctx: Context, id: str, input: list[Json], **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "ProductVariant")
    listings = {c["channel"]: c for c in doc.get("channelListings") or []}
    for item in input:
        channel_key = _key(item["channelId"], "Channel")
        listings[channel_key] = {"channel": channel_key, "price": _price(item["price"], "price")}
    doc["channelListings"] = list(listings.values())
    ctx.store.put("ProductVariant", doc)
    return {"variant": v.variant_view(ctx.store, doc)}


def m_variant_stocks_update(ctx: Context, variantId: str, stocks: list[Json], **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(variantId, "ProductVariant")
    rows = {s["warehouse"]: s for s in doc.get("stocks") or []}
    changed = []
    for item in stocks:
        if item["quantity"] < 0:
            raise UserError("INVALID", "Quantity must be positive.", "quantity")
        warehouse = ctx.store.get_by_gid(item["warehouse"], "Warehouse")[1]
        row = rows.setdefault(
            warehouse["key"], {"warehouse": warehouse["key"], "quantity": 0, "quantityAllocated": 0}
        )
        if row["quantity"] != item["quantity"]:
            changed.append(warehouse)
        row["quantity"] = item["quantity"]
    doc["stocks"] = list(rows.values())
    ctx.store.put("ProductVariant", doc)
    for warehouse in changed:
        ctx.emit(
            "PRODUCT_VARIANT_STOCK_UPDATED",
            {
                "__typename": "ProductVariantStockUpdated",
                "issuedAt": now_iso(),
                "productVariant": v.variant_view(ctx.store, doc),
                "warehouse": v.warehouse_view(warehouse),
            },
        )
    return {"productVariant": v.variant_view(ctx.store, doc)}


def m_product_media_create(ctx: Context, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(input["product"], "Product")
    url = input.get("mediaUrl") or ""
    if not url.startswith(("http://", "https://", "/")):
        raise UserError("INVALID", "Enter a valid URL.", "mediaUrl")
    # A real Saleor downloads the picture and serves it from its own host. The stand-in lives in
    # this process, so a picture of ours is kept as a path on this server: the demo's photos keep
    # working when it is restarted on another port.
    own = settings.APP_PUBLIC_URL.rstrip("/")
    if url.startswith(own + "/"):
        url = url[len(own):]
    media = {"key": new_key(), "url": url, "alt": input.get("alt") or ""}
    doc.setdefault("media", []).append(media)
    ctx.store.put("Product", doc)
    view = v.product_view(ctx.store, doc)
    return {"product": view, "media": view["media"](None)[-1]}


def m_update_metadata(ctx: Context, id: str, input: list[Json], private: bool = False) -> Json:
    kind, doc = ctx.store.get_by_gid(id)
    merge_metadata(doc, input, "privateMetadata" if private else "metadata")
    ctx.store.put(kind, doc)
    return {"item": None}
