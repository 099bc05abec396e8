"""Stand-in resolvers for warehouses, categories, attributes, product types, products, variants."""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from marketplace.saleor.models import StandInDocument
from marketplace.saleor.standin import views as v
from marketplace.saleor.standin.listing import is_exact, narrowing
from marketplace.saleor.standin.store import (
    Context,
    Json,
    UserError,
    clean_address,
    connection,
    gid,
    merge_metadata,
    new_key,
    parse_gid,
)


def _unique_slug(ctx: Context, kind: str, wanted: str, name: str, key: str | None = None) -> str:
    slug = slugify(wanted or name) or new_key()[:8]
    if ctx.store.taken(kind, "slug", slug, except_key=key):
        if wanted:
            raise UserError("UNIQUE", f"{kind} with this Slug already exists.", "slug")
        slug = f"{slug}-{new_key()[:6]}"
    return slug


def _key(value: str, *kinds: str) -> str:
    return parse_gid(value, *kinds)[1]


# ------------------------------------------------------------------ queries


def q_channel(ctx: Context, slug: str | None = None, **_: Any) -> Json | None:
    doc = ctx.store.channel(slug)
    return v.channel_view(doc) if doc else None


def q_warehouse(ctx: Context, id: str, **_: Any) -> Json | None:
    doc = ctx.store.find(id, "Warehouse")
    return v.warehouse_view(doc) if doc else None


def q_warehouses(
    ctx: Context, first: int | None = None, filter: Json | None = None, **_: Any
) -> Json:
    docs = ctx.store.all("Warehouse")
    if filter and filter.get("ids"):
        wanted = {_key(i, "Warehouse") for i in filter["ids"]}
        docs = [d for d in docs if d["key"] in wanted]
    if filter and filter.get("slugs"):
        docs = [d for d in docs if d["slug"] in filter["slugs"]]
    return connection([v.warehouse_view(d) for d in docs], first)


def q_categories(
    ctx: Context, first: int | None = None, filter: Json | None = None, **_: Any
) -> Json:
    docs = ctx.store.all("Category")
    if filter and filter.get("slugs"):
        docs = [d for d in docs if d["slug"] in filter["slugs"]]
    return connection([v.category_view(ctx.store, d) for d in docs], first)


def q_attribute(
    ctx: Context, slug: str | None = None, id: str | None = None, **_: Any
) -> Json | None:
    for doc in ctx.store.all("Attribute"):
        if doc["slug"] == slug or (id and gid("Attribute", doc["key"]) == id):
            return v.attribute_view(doc)
    return None


def q_product_types(
    ctx: Context, first: int | None = None, filter: Json | None = None, **_: Any
) -> Json:
    docs = ctx.store.all("ProductType")
    if filter and filter.get("slugs"):
        docs = [d for d in docs if d["slug"] in filter["slugs"]]
    return connection([v.product_type_view(d) for d in docs], first)


def q_product(
    ctx: Context, id: str | None = None, slug: str | None = None, **_: Any
) -> Json | None:
    if id:
        doc = ctx.store.find(id, "Product")
    else:
        doc = ctx.store.find_one("Product", slug=slug) if slug else None
    return v.product_view(ctx.store, doc) if doc else None


def q_variant(ctx: Context, id: str | None = None, **_: Any) -> Json | None:
    doc = ctx.store.find(id, "ProductVariant")
    return v.variant_view(ctx.store, doc) if doc else None


def _matches(
    ctx: Context, doc: Json, flt: Json, search: str, variants: dict[str, list[Json]]
) -> bool:
    channel = ctx.store.channel()
    listing = next(
        (c for c in doc.get("channelListings") or [] if c["channel"] == channel["key"]), None
    )
    if (
        flt.get("isPublished") is not None
        and bool(listing and listing["isPublished"]) != flt["isPublished"]
    ):
        return False
    if flt.get("categories"):
        if not doc.get("category") or gid("Category", doc["category"]) not in flt["categories"]:
            return False
    if flt.get("ids") and gid("Product", doc["key"]) not in flt["ids"]:
        return False
    if flt.get("slugs") and doc["slug"] not in flt["slugs"]:
        return False
    for item in flt.get("metadata") or []:
        if (doc.get("metadata") or {}).get(item["key"]) != item.get(
            "value", (doc.get("metadata") or {}).get(item["key"])
        ):
            return False
        if item["key"] not in (doc.get("metadata") or {}):
            return False
    for wanted in flt.get("attributes") or []:
        attr = next((a for a in ctx.store.all("Attribute") if a["slug"] == wanted["slug"]), None)
        assigned = next(
            (a for a in doc.get("attributes") or [] if attr and a["attribute"] == attr["key"]), None
        )
        slugs = {val["slug"] for val in (assigned or {}).get("values", [])}
        if not slugs & set(wanted.get("values") or []):
            return False
    own = variants.get(doc["key"], [])
    if flt.get("stocks") and flt["stocks"].get("warehouseIds"):
        wanted_wh = {_key(w, "Warehouse") for w in flt["stocks"]["warehouseIds"]}
        if not any(s["warehouse"] in wanted_wh for var in own for s in var.get("stocks") or []):
            return False
    if search:
        haystack = " ".join(
            [doc["name"], doc["slug"], str(doc.get("description") or "")]
            + [str(var.get("sku") or "") for var in own]
        ).lower()
        if not all(word in haystack for word in search.lower().split()):
            return False
    return True


def q_products(
    ctx: Context,
    first: int | None = None,
    after: str | None = None,
    filter: Json | None = None,
    search: str | None = None,
    **_: Any,
) -> Json:
    flt = dict(filter or {})
    text = search or flt.get("search") or ""
    attribute = ctx.store.find_one
    where = narrowing(
        flt,
        text,
        ctx.store.channel()["key"],
        lambda slug: doc["key"] if (doc := attribute("Attribute", slug=slug)) else None,
    )
    if is_exact(flt, text):
        # Sort the candidates by name from two columns, then read only the page's documents.
        names = StandInDocument.objects.filter(where, kind="Product").values_list(
            "key", "data__name"
        )
        keys = [key for key, name in sorted(names, key=lambda kn: (kn[1].lower(), kn[0]))]
        page = connection(keys, first, after)
        docs = ctx.store.get_many("Product", [edge["node"] for edge in page["edges"]])
        ctx.store.prefetch_children("ProductVariant", list(docs))
        for edge in page["edges"]:
            edge["node"] = v.product_view(ctx.store, docs[edge["node"]])
        return page
    candidates = ctx.store.query("Product", where)
    ctx.store.prefetch_children("ProductVariant", [d["key"] for d in candidates])
    variants = {d["key"]: ctx.store.variants_of(d["key"]) for d in candidates}
    docs = [d for d in candidates if _matches(ctx, d, flt, text, variants)]
    docs.sort(key=lambda d: (d["name"].lower(), d["key"]))
    page = connection(docs, first, after)
    for edge in page["edges"]:
        edge["node"] = v.product_view(ctx.store, edge["node"])
    return page


# ------------------------------------------------------------------ mutations


def m_warehouse_create(ctx: Context, input: Json, **_: Any) -> Json:
    if not input.get("name"):
        raise UserError("REQUIRED", "This field is required.", "name")
    doc = {
        "key": new_key(),
        "name": input["name"],
        "slug": _unique_slug(ctx, "Warehouse", input.get("slug") or "", input["name"]),
        "email": input.get("email") or "",
        "externalReference": input.get("externalReference"),
        "address": clean_address(input.get("address"), "address"),
        "clickAndCollectOption": "DISABLED",
        "isPrivate": True,
        "metadata": {},
        "privateMetadata": {},
    }
    ctx.store.put("Warehouse", doc)
    return {"warehouse": v.warehouse_view(doc)}


def m_warehouse_update(ctx: Context, id: str, input: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "Warehouse")
    for field in ("name", "email", "externalReference", "clickAndCollectOption", "isPrivate"):
        if input.get(field) is not None:
            doc[field] = input[field]
    if input.get("slug"):
        doc["slug"] = _unique_slug(ctx, "Warehouse", input["slug"], doc["name"], doc["key"])
    if input.get("address") is not None:
        doc["address"] = clean_address(input["address"], "address")
    ctx.store.put("Warehouse", doc)
    return {"warehouse": v.warehouse_view(doc)}


def m_category_create(ctx: Context, input: Json, parent: str | None = None, **_: Any) -> Json:
    if not input.get("name"):
        raise UserError("REQUIRED", "This field is required.", "name")
    parent_doc = ctx.store.get_by_gid(parent, "Category")[1] if parent else None
    doc = {
        "key": new_key(),
        "name": input["name"],
        "slug": _unique_slug(ctx, "Category", input.get("slug") or "", input["name"]),
        "parent": parent_doc["key"] if parent_doc else None,
        "level": (parent_doc.get("level", 0) + 1) if parent_doc else 0,
        "metadata": {},
    }
    merge_metadata(doc, input.get("metadata"))
    ctx.store.put("Category", doc)
    return {"category": v.category_view(ctx.store, doc)}


def m_attribute_create(ctx: Context, input: Json, **_: Any) -> Json:
    doc = {
        "key": new_key(),
        "name": input["name"],
        "slug": _unique_slug(ctx, "Attribute", input.get("slug") or "", input["name"]),
        "type": input["type"],
        "inputType": input.get("inputType") or "DROPDOWN",
        "valueRequired": bool(input.get("valueRequired")),
        "visibleInStorefront": input.get("visibleInStorefront", True),
        "values": [],
    }
    ctx.store.put("Attribute", doc)
    return {"attribute": v.attribute_view(doc)}


def m_product_type_create(ctx: Context, input: Json, **_: Any) -> Json:
    if not input.get("name"):
        raise UserError("REQUIRED", "This field is required.", "name")
    doc = {
        "key": new_key(),
        "name": input["name"],
        "slug": _unique_slug(ctx, "ProductType", input.get("slug") or "", input["name"]),
        "kind": input.get("kind") or "NORMAL",
        "hasVariants": bool(input.get("hasVariants", True)),
        "isShippingRequired": input.get("isShippingRequired", True),
        "productAttributes": [_key(a, "Attribute") for a in input.get("productAttributes") or []],
    }
    ctx.store.put("ProductType", doc)
    return {"productType": v.product_type_view(doc)}
