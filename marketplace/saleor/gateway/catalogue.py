"""Catalogue: categories, product types and their attributes, products, variants, stock, media."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from marketplace.saleor import parsing as p
from marketplace.saleor.errors import SaleorNotFoundError
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.signals import catalogue_changed
from marketplace.saleor.values import (
    VENDOR_ATTRIBUTE_SLUG,
    VENDOR_METADATA_KEY,
    Category,
    Product,
    ProductInput,
    ProductMedia,
    ProductPage,
    ProductQuery,
    ProductType,
    StockLevel,
    Variant,
    VariantInput,
)

Write = TypeVar("Write", bound=Callable[..., Any])


def _announced(write: Write) -> Write:
    """Send :data:`catalogue_changed` after the write, even a failed one (it may have half-happened)."""
    @functools.wraps(write)
    def wrapper(self, *args, **kwargs):
        try:
            return write(self, *args, **kwargs)
        finally:
            catalogue_changed.send(sender=type(self))

    return wrapper  # type: ignore[return-value]


class CatalogueCalls:
    """What shoppers can buy (``saleor.catalogue``); every product names its vendor."""

    def __init__(self, session: SaleorSession):
        self._s = session
        self._attribute_ids: dict[str, str] = {}

    # ------------------------------------------------------------------ attributes
    def attribute_id(self, slug: str, name: str = "") -> str:
        """Id of the product dropdown attribute ``slug``, created on first use (cached)."""
        if slug not in self._attribute_ids or not self._s.cache:
            node = self._s.run("attribute_by_slug", slug=slug).get("attribute")
            if not node:
                node = self._s.mutate(
                    "attribute_create",
                    "attributeCreate",
                    input={
                        "name": name or slug.replace("-", " ").capitalize(),
                        "slug": slug,
                        "type": "PRODUCT_TYPE",
                        "inputType": "DROPDOWN",
                        "visibleInStorefront": True,
                        "valueRequired": False,
                    },
                )["attribute"]
            self._attribute_ids[slug] = node["id"]
        return self._attribute_ids[slug]

    def vendor_attribute_id(self) -> str:
        """Id of the ``vendor`` dropdown product attribute."""
        return self.attribute_id(VENDOR_ATTRIBUTE_SLUG, "Commerçant")

    def ensure_type_attributes(self, product_type_id: str, slugs: list[str]) -> list[str]:
        """Ids of the attributes ``slugs``, each assigned to the product type (once)."""
        ids = [self.attribute_id(slug) for slug in slugs]
        node = self._s.run("product_type_attributes", id=product_type_id).get("productType")
        if node is None:
            raise SaleorNotFoundError(f"product type {product_type_id} does not exist")
        have = {a["id"] for a in node.get("productAttributes") or []}
        missing = [i for i in ids if i not in have]
        if missing:
            self._s.mutate(
                "product_attribute_assign",
                "productAttributeAssign",
                productTypeId=product_type_id,
                operations=[{"id": i, "type": "PRODUCT"} for i in missing],
            )
        return ids

    # ------------------------------------------------------------------ categories and types
    def ensure_product_type(self, name: str, slug: str, has_variants: bool = True) -> ProductType:
        """Return the product type with ``slug``, creating it with the vendor attribute."""
        data = self._s.run("product_types", filter={"slugs": [slug]}, first=1)["productTypes"]
        if data["edges"]:
            return p.product_type(data["edges"][0]["node"])
        payload = self._s.mutate(
            "product_type_create",
            "productTypeCreate",
            input={
                "name": name,
                "slug": slug,
                "kind": "NORMAL",
                "hasVariants": has_variants,
                "isShippingRequired": True,
                "productAttributes": [self.vendor_attribute_id()],
            },
        )
        return p.product_type(payload["productType"])

    def ensure_category(self, name: str, slug: str, parent_id: str | None = None) -> Category:
        """Return the category with ``slug``, creating it when missing."""
        data = self._s.run("categories", filter={"slugs": [slug]}, first=1)["categories"]
        if data["edges"]:
            return p.category(data["edges"][0]["node"])  # type: ignore[return-value]
        payload = self._s.mutate(
            "category_create",
            "categoryCreate",
            input={"name": name, "slug": slug},
            parent=parent_id,
        )
        return p.category(payload["category"])  # type: ignore[return-value]

    def list_categories(self) -> list[Category]:
        """Return every category (up to 100)."""
        data = self._s.run("categories", filter=None, first=100)["categories"]
        return [p.category(e["node"]) for e in data["edges"]]  # type: ignore[misc]

    # ------------------------------------------------------------------ products
    def _product_input(self, data: ProductInput) -> dict[str, Any]:
        attributes = [{"id": self.vendor_attribute_id(), "dropdown": {"value": data.vendor_slug}}]
        extra = {
            slug: value
            for slug, value in data.attributes.items()
            if slug != VENDOR_ATTRIBUTE_SLUG and value
        }
        if extra:
            ids = self.ensure_type_attributes(data.product_type_id, sorted(extra))
            attributes += [
                {"id": attr_id, "dropdown": {"value": extra[slug]}}
                for attr_id, slug in zip(ids, sorted(extra), strict=True)
            ]
        return {
            "name": data.name,
            "slug": data.slug or None,
            "category": data.category_id,
            "description": p.description_json(data.description),
            "weight": str(data.weight_kg) if data.weight_kg is not None else None,
            "attributes": attributes,
            "metadata": p.metadata_input({**data.metadata, VENDOR_METADATA_KEY: data.vendor_slug}),
            "externalReference": data.external_reference or None,
        }

    @_announced
    def create_product(self, data: ProductInput) -> Product:
        """Create the product, then list it in the channel (published or not)."""
        def read_back() -> dict[str, Any] | None:
            # productCreate has no idempotency key: look for our own reference (slug, or the
            # external reference the PrestaShop import sets) before creating it a second time
            if not (data.slug or data.external_reference):
                return None
            node = self._s.run("product", id=None, slug=data.slug or None, externalReference=data.external_reference or None,
                               channel=self._s.channel_slug).get("product")
            return {"product": node} if node else None

        payload = self._s.mutate(
            "product_create",
            "productCreate",
            read_back=read_back,
            input={**self._product_input(data), "productType": data.product_type_id},
        )
        return self.set_product_published(payload["product"]["id"], data.is_published)

    @_announced
    def update_product(self, product_id: str, data: ProductInput) -> Product:
        """Update fields, vendor attribute, metadata and publication."""
        self._s.mutate(
            "product_update", "productUpdate", id=product_id, input=self._product_input(data)
        )
        return self.set_product_published(product_id, data.is_published)

    @_announced
    def set_product_published(self, product_id: str, published: bool) -> Product:
        """Publish (visible, purchasable) or unpublish the product in the channel."""
        self._s.mutate(
            "product_channel_listing_update",
            "productChannelListingUpdate",
            id=product_id,
            input={
                "updateChannels": [
                    {
                        "channelId": self._s.channel()["id"],
                        "isPublished": published,
                        "visibleInListings": published,
                        "isAvailableForPurchase": published,
                    }
                ]
            },
        )
        return self._require_product(product_id)

    def _require_product(self, product_id: str) -> Product:
        found = self.get_product(product_id)
        if found is None:
            raise SaleorNotFoundError(f"product {product_id} does not exist")
        return found

    def get_product(self, product_id: str = "", slug: str = "") -> Product | None:
        """Return a product by id or slug, or None."""
        node = self._s.run(
            "product", id=product_id or None, slug=slug or None, channel=self._s.channel_slug
        ).get("product")
        return p.product(node, self._s.channel_slug) if node else None

    def list_products(self, query: ProductQuery) -> ProductPage:
        """One page of products; vendor and warehouse filters use attribute and stock filters."""
        filter_: dict[str, Any] = {}
        if query.category_ids:
            filter_["categories"] = list(query.category_ids)
        if query.vendor_slugs:
            filter_["attributes"] = [
                {"slug": VENDOR_ATTRIBUTE_SLUG, "values": list(query.vendor_slugs)}
            ]
        if query.warehouse_ids:
            filter_["stocks"] = {"warehouseIds": list(query.warehouse_ids)}
        if query.ids:
            filter_["ids"] = list(query.ids)
        if query.metadata:
            filter_["metadata"] = [{"key": k, "value": v} for k, v in query.metadata.items()]
        if query.only_published:
            filter_["isPublished"] = True
        data = self._s.run(
            "products",
            channel=self._s.channel_slug,
            filter=filter_ or None,
            search=query.search or None,
            first=query.first,
            after=query.after,
        )["products"]
        return ProductPage(
            products=tuple(p.product(e["node"], self._s.channel_slug) for e in data["edges"]),
            total_count=data.get("totalCount") or 0,
            end_cursor=data["pageInfo"].get("endCursor"),
            has_next_page=data["pageInfo"]["hasNextPage"],
        )

    @_announced
    def delete_product(self, product_id: str) -> None:
        """Delete the product and its variants."""
        self._s.mutate("product_delete", "productDelete", id=product_id)

    def _variant_listing(self, variant_id: str, price: Decimal | None) -> None:
        if price is None:  # no known price: the variant stays out of the channel, not buyable
            return
        self._s.mutate(
            "variant_channel_listing_update",
            "productVariantChannelListingUpdate",
            id=variant_id,
            input=[{"channelId": self._s.channel()["id"], "price": str(price)}],
        )

    @_announced
    def create_variant(self, product_id: str, data: VariantInput) -> Variant:
        """Create the variant with stocks, then price it in the channel."""
        payload = self._s.mutate(
            "variant_create",
            "productVariantCreate",
            input={
                "product": product_id,
                "sku": data.sku,
                "name": data.name,
                "attributes": [],
                "trackInventory": data.track_inventory,
                "weight": str(data.weight_kg) if data.weight_kg is not None else None,
                "stocks": [
                    {"warehouse": s.warehouse_id, "quantity": s.quantity} for s in data.stocks
                ],
                "metadata": p.metadata_input(data.metadata),
                "externalReference": data.external_reference or None,
            },
        )
        variant_id = payload["productVariant"]["id"]
        self._variant_listing(variant_id, data.price)
        return self._require_variant(variant_id)

    @_announced
    def update_variant(self, variant_id: str, data: VariantInput) -> Variant:
        """Update fields and price; the listed stocks are set too."""
        self._s.mutate(
            "variant_update",
            "productVariantUpdate",
            id=variant_id,
            input={
                "sku": data.sku,
                "name": data.name,
                "trackInventory": data.track_inventory,
                "weight": str(data.weight_kg) if data.weight_kg is not None else None,
                "metadata": p.metadata_input(data.metadata),
            },
        )
        self._variant_listing(variant_id, data.price)
        if data.stocks:
            return self.set_variant_stocks(variant_id, data.stocks)
        return self._require_variant(variant_id)

    def _require_variant(self, variant_id: str) -> Variant:
        node = self._s.run("variant", id=variant_id, channel=self._s.channel_slug).get("productVariant")
        if not node:
            raise SaleorNotFoundError(f"variant {variant_id} does not exist")
        return p.variant(node, self._s.channel_slug)

    @_announced
    def set_variant_stocks(self, variant_id: str, stocks: Sequence[StockLevel]) -> Variant:
        """Set quantities per warehouse (``productVariantStocksUpdate``)."""
        payload = self._s.mutate(
            "variant_stocks_update",
            "productVariantStocksUpdate",
            variantId=variant_id,
            stocks=[{"warehouse": s.warehouse_id, "quantity": s.quantity} for s in stocks],
        )
        return p.variant(payload["productVariant"], self._s.channel_slug)

    @_announced
    def add_product_media(self, product_id: str, media_url: str, alt: str = "") -> ProductMedia:
        """Saleor downloads the image at ``media_url`` (``productMediaCreate``)."""
        payload = self._s.mutate(
            "product_media_create",
            "productMediaCreate",
            input={"product": product_id, "mediaUrl": media_url, "alt": alt},
        )
        m = payload["media"]
        return ProductMedia(m["id"], m["url"], m.get("alt") or "")

    @_announced
    def update_metadata(
        self, object_id: str, items: Mapping[str, str], private: bool = False
    ) -> None:
        """Merge public (or private) metadata into a product, variant or category."""
        self._s.update_metadata(object_id, items, private)
