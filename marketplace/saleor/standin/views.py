"""Stored documents -> dicts shaped like Saleor's GraphQL types.

Relations are lazy callables ``(info, **args)``: graphql-core's default resolver calls them only
when a document selects the field, so cycles (variant -> product -> variants) cost nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from marketplace.saleor.standin.store import Json, Store, address_view, gid, meta_list, money

_EMPTY_CONNECTION = {
    "totalCount": 0,
    "pageInfo": {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    },
    "edges": [],
}


def lazy(func, *args: Any):
    """A field value computed only when selected."""
    return lambda info, **_kwargs: func(*args)


def _meta(doc: Json) -> Json:
    return {
        "metadata": meta_list(doc.get("metadata") or {}),
        "privateMetadata": meta_list(doc.get("privateMetadata") or {}),
    }


def channel_view(doc: Json) -> Json:
    """Saleor ``Channel``."""
    return {
        "__typename": "Channel",
        "id": gid("Channel", doc["key"]),
        "slug": doc["slug"],
        "name": doc["name"],
        "isActive": doc.get("isActive", True),
        "currencyCode": doc["currencyCode"],
        "hasOrders": False,
        "defaultCountry": {"code": doc["defaultCountry"], "country": "France"},
        "metadata": [],
        "privateMetadata": [],
    }


def warehouse_view(doc: Json) -> Json:
    """Saleor ``Warehouse``."""
    return {
        "__typename": "Warehouse",
        "id": gid("Warehouse", doc["key"]),
        "name": doc["name"],
        "slug": doc["slug"],
        "email": doc.get("email") or "",
        "isPrivate": doc["isPrivate"],
        "clickAndCollectOption": doc["clickAndCollectOption"],
        "externalReference": doc.get("externalReference"),
        "address": address_view(doc["address"]),
        "companyName": doc["address"].get("companyName") or "",
        "shippingZones": _EMPTY_CONNECTION,
        "stocks": None,
        **_meta(doc),
    }


def category_view(store: Store, doc: Json) -> Json:
    """Saleor ``Category``."""
    parent = doc.get("parent")
    return {
        "__typename": "Category",
        "id": gid("Category", doc["key"]),
        "name": doc["name"],
        "slug": doc["slug"],
        "description": None,
        "level": doc.get("level", 0),
        "updatedAt": doc["updatedAt"],
        "parent": lazy(
            lambda: category_view(store, store.get("Category", parent)) if parent else None
        ),
        **_meta(doc),
    }


def attribute_view(doc: Json) -> Json:
    """Saleor ``Attribute``."""
    return {
        "__typename": "Attribute",
        "id": gid("Attribute", doc["key"]),
        "name": doc["name"],
        "slug": doc["slug"],
        "inputType": doc["inputType"],
        "type": doc["type"],
        "valueRequired": doc.get("valueRequired", False),
        "visibleInStorefront": doc.get("visibleInStorefront", True),
        "filterableInStorefront": True,
        "filterableInDashboard": True,
        "availableInGrid": True,
        "storefrontSearchPosition": 0,
        "withChoices": doc["inputType"] in {"DROPDOWN", "MULTISELECT"},
        **_meta(doc),
    }


def product_type_view(doc: Json) -> Json:
    """Saleor ``ProductType``."""
    return {
        "__typename": "ProductType",
        "id": gid("ProductType", doc["key"]),
        "name": doc["name"],
        "slug": doc["slug"],
        "hasVariants": doc["hasVariants"],
        "isShippingRequired": doc.get("isShippingRequired", True),
        "isDigital": False,
        "kind": doc.get("kind", "NORMAL"),
        **_meta(doc),
    }


def _listing(doc: Json, channel: Json) -> Json | None:
    return next(
        (c for c in doc.get("channelListings") or [] if c["channel"] == channel["key"]), None
    )


def product_view(store: Store, doc: Json) -> Json:
    """Saleor ``Product``."""
    channel = store.channel()
    listing = _listing(doc, channel) or {}
    attributes = []
    for assigned in doc.get("attributes") or []:
        attr = store.get("Attribute", assigned["attribute"])
        if attr is None:
            continue
        attributes.append(
            {
                "attribute": attribute_view(attr),
                "values": [
                    {
                        "id": gid("AttributeValue", v["key"]),
                        "name": v["name"],
                        "slug": v["slug"],
                        "value": "",
                        "inputType": attr["inputType"],
                        "plainText": None,
                    }
                    for v in assigned["values"]
                ],
            }
        )
    variants = lambda: [variant_view(store, v) for v in variants_of(store, doc["key"])]  # noqa: E731
    return {
        "__typename": "Product",
        "id": gid("Product", doc["key"]),
        "name": doc["name"],
        "slug": doc["slug"],
        "description": doc.get("description"),
        "created": doc["created"],
        "updatedAt": doc["updatedAt"],
        "chargeTaxes": False,
        "weight": {"unit": "KG", "value": float(doc["weight"])} if doc.get("weight") else None,
        "externalReference": doc.get("externalReference"),
        "productType": product_type_view(store.get("ProductType", doc["productType"])),
        "category": lazy(
            lambda: (
                category_view(store, store.get("Category", doc["category"]))
                if doc.get("category")
                else None
            )
        ),
        "attributes": attributes,
        "channelListings": [
            {
                "id": gid("ProductChannelListing", doc["key"]),
                "channel": channel_view(channel),
                "isPublished": listing.get("isPublished", False),
                "visibleInListings": listing.get("visibleInListings", False),
                "isAvailableForPurchase": listing.get("isAvailableForPurchase", False),
                "publishedAt": None,
            }
        ]
        if listing
        else [],
        "isAvailableForPurchase": bool(listing.get("isAvailableForPurchase")),
        "variants": lazy(variants),
        "media": lazy(
            lambda: [
                {
                    "id": gid("ProductMedia", m["key"]),
                    "url": m["url"],
                    "alt": m.get("alt") or "",
                    "type": "IMAGE",
                    "oembedData": "{}",
                    "sortOrder": i,
                    "productId": gid("Product", doc["key"]),
                    "metadata": [],
                    "privateMetadata": [],
                }
                for i, m in enumerate(doc.get("media") or [])
            ]
        ),
        **_meta(doc),
    }


def variants_of(store: Store, product_key: str) -> list[Json]:
    """The product's variants, oldest first."""
    return store.variants_of(product_key)


def variant_price(store: Store, doc: Json) -> Decimal | None:
    """The variant's price in the channel, or None when not listed."""
    channel = store.channel()
    listing = _listing(doc, channel)
    return Decimal(listing["price"]) if listing else None


def available(stock: Json) -> int:
    """Quantity that can still be sold from one stock row."""
    return max(0, stock["quantity"] - stock.get("quantityAllocated", 0))


def selling_warehouses_of(store: Store, country: str | None = None) -> set[str]:
    """Keys of the warehouses whose stock the channel sells (see :mod:`.channels`)."""
    from marketplace.saleor.standin.channels import selling_warehouses
    from marketplace.saleor.standin.store import Context

    return selling_warehouses(Context(store=store), country)


def sellable(
    store: Store, doc: Json, country: str | None = None, warehouse: str | None = None
) -> int:
    """Quantity of a variant the channel can still sell (optionally from one warehouse)."""
    selling = selling_warehouses_of(store, country)
    return sum(
        available(s)
        for s in doc.get("stocks") or []
        if s["warehouse"] in selling and (warehouse is None or s["warehouse"] == warehouse)
    )


def variant_view(store: Store, doc: Json) -> Json:
    """Saleor ``ProductVariant``."""
    channel = store.channel()
    listing = _listing(doc, channel)

    def stocks() -> list[Json]:
        selling = selling_warehouses_of(store)
        rows = []
        for s in doc.get("stocks") or []:
            if s["warehouse"] not in selling:
                continue
            wh = store.get("Warehouse", s["warehouse"])
            if wh is not None:
                rows.append(
                    {
                        "id": gid("Stock", f"{doc['key']}-{s['warehouse']}"),
                        "warehouse": warehouse_view(wh),
                        "quantity": s["quantity"],
                        "quantityAllocated": s.get("quantityAllocated", 0),
                        "quantityReserved": 0,
                    }
                )
        return rows

    return {
        "__typename": "ProductVariant",
        "id": gid("ProductVariant", doc["key"]),
        "name": doc.get("name") or doc.get("sku") or "",
        "sku": doc.get("sku"),
        "trackInventory": doc.get("trackInventory", True),
        "quantityLimitPerCustomer": doc.get("quantityLimitPerCustomer"),
        "weight": {"unit": "KG", "value": float(doc["weight"])} if doc.get("weight") else None,
        "created": doc["created"],
        "updatedAt": doc["updatedAt"],
        "externalReference": doc.get("externalReference"),
        "product": lazy(lambda: product_view(store, store.get("Product", doc["product"]))),
        "channelListings": [
            {
                "id": gid("ProductVariantChannelListing", doc["key"]),
                "channel": channel_view(channel),
                "price": money(listing["price"], channel["currencyCode"]),
                "costPrice": None,
                "priorPrice": None,
            }
        ]
        if listing
        else [],
        "stocks": lazy(stocks),
        "quantityAvailable": lazy(lambda: sellable(store, doc)),
        **_meta(doc),
    }


def description_json(value: Any) -> str | None:
    """Keep Saleor's ``JSONString`` as a string."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def transaction_view(doc: Json) -> Json:
    """Saleor ``TransactionItem``."""
    currency = doc["currency"]
    zero = money(0, currency)
    return {
        "__typename": "TransactionItem",
        "id": gid("TransactionItem", doc["key"]),
        "token": doc["key"],
        "createdAt": doc["created"],
        "modifiedAt": doc["updatedAt"],
        "actions": doc.get("actions") or [],
        "name": doc.get("name") or "",
        "message": "",
        "pspReference": doc.get("pspReference") or "",
        "externalUrl": "",
        "authorizedAmount": money(doc["authorized"], currency),
        "chargedAmount": money(doc["charged"], currency),
        "authorizePendingAmount": zero,
        "refundedAmount": zero,
        "refundPendingAmount": zero,
        "canceledAmount": zero,
        "cancelPendingAmount": zero,
        "chargePendingAmount": zero,
        "events": [],
        "metadata": [],
        "privateMetadata": [],
    }
