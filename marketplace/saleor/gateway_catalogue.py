"""Catalogue half of the gateway: channel set-up, warehouses, categories, types, products.

:class:`CatalogueCalls` is the base of :class:`~.gateway.SaleorGateway`; see that class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.errors import SaleorNotFoundError
from marketplace.saleor.gateway_setup import SetupCalls
from marketplace.saleor.port import (
    VENDOR_ATTRIBUTE_SLUG,
    VENDOR_METADATA_KEY,
    Category,
    Product,
    ProductInput,
    ProductMedia,
    ProductPage,
    ProductQuery,
    StockLevel,
    Variant,
    VariantInput,
    Warehouse,
    WarehouseInput,
)


class CatalogueCalls(SetupCalls):
    """Saleor through GraphQL documents (catalogue side).

    Parameters
    ----------
    transport : Transport
        HTTP client or stand-in transport.
    channel_slug : str
        The sales channel (prices, listings and checkouts live in one channel).
    """

    # ------------------------------------------------------------------ warehouses
    def create_warehouse(self, data: WarehouseInput) -> Warehouse:
        """Create a warehouse, then set its click & collect option, privacy and metadata."""
        payload = self._mutate(
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
        self.attach_warehouse(warehouse_id, data.address.country)
        return self.update_warehouse(warehouse_id, data)

    def update_warehouse(self, warehouse_id: str, data: WarehouseInput) -> Warehouse:
        """Update a warehouse's fields and merge its metadata."""
        payload = self._mutate(
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
            self.update_metadata(warehouse_id, data.metadata)
            return self.get_warehouse(warehouse_id)  # type: ignore[return-value]
        return p.warehouse(payload["warehouse"])

    def get_warehouse(self, warehouse_id: str) -> Warehouse | None:
        """Return the warehouse or None."""
        node = self._run("warehouse", id=warehouse_id).get("warehouse")
        return p.warehouse(node) if node else None

    def list_warehouses(self, ids: Sequence[str] = ()) -> list[Warehouse]:
        """Return the given warehouses, or all (up to 100)."""
        filter_ = {"ids": list(ids)} if ids else None
        data = self._run("warehouses", filter=filter_, first=100)["warehouses"]
        return [p.warehouse(e["node"]) for e in data["edges"]]

    # ------------------------------------------------------------------ catalogue set-up
    def ensure_category(self, name: str, slug: str, parent_id: str | None = None) -> Category:
        """Return the category with ``slug``, creating it when missing."""
        data = self._run("categories", filter={"slugs": [slug]}, first=1)["categories"]
        if data["edges"]:
            return p.category(data["edges"][0]["node"])  # type: ignore[return-value]
        payload = self._mutate(
            "category_create",
            "categoryCreate",
            input={"name": name, "slug": slug},
            parent=parent_id,
        )
        return p.category(payload["category"])  # type: ignore[return-value]

    def list_categories(self) -> list[Category]:
        """Return every category (up to 100)."""
        data = self._run("categories", filter=None, first=100)["categories"]
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

    def create_product(self, data: ProductInput) -> Product:
        """Create the product, then list it in the channel (published or not)."""
        payload = self._mutate(
            "product_create",
            "productCreate",
            input={**self._product_input(data), "productType": data.product_type_id},
        )
        return self.set_product_published(payload["product"]["id"], data.is_published)

    def update_product(self, product_id: str, data: ProductInput) -> Product:
        """Update fields, vendor attribute, metadata and publication."""
        self._mutate(
            "product_update", "productUpdate", id=product_id, input=self._product_input(data)
        )
        return self.set_product_published(product_id, data.is_published)

    def set_product_published(self, product_id: str, published: bool) -> Product:
        """Publish (visible, purchasable) or unpublish the product in the channel."""
        self._mutate(
            "product_channel_listing_update",
            "productChannelListingUpdate",
            id=product_id,
            input={
                "updateChannels": [
                    {
                        "channelId": self.channel()["id"],
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
        node = self._run(
            "product", id=product_id or None, slug=slug or None, channel=self.channel_slug
        ).get("product")
        return p.product(node, self.channel_slug) if node else None

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
        data = self._run(
            "products",
            channel=self.channel_slug,
            filter=filter_ or None,
            search=query.search or None,
            first=query.first,
            after=query.after,
        )["products"]
        return ProductPage(
            products=tuple(p.product(e["node"], self.channel_slug) for e in data["edges"]),
            total_count=data.get("totalCount") or 0,
            end_cursor=data["pageInfo"].get("endCursor"),
            has_next_page=data["pageInfo"]["hasNextPage"],
        )

    def delete_product(self, product_id: str) -> None:
        """Delete the product and its variants."""
        self._mutate("product_delete", "productDelete", id=product_id)

    def _variant_listing(self, variant_id: str, price: Decimal) -> None:
        self._mutate(
            "variant_channel_listing_update",
            "productVariantChannelListingUpdate",
            id=variant_id,
            input=[{"channelId": self.channel()["id"], "price": str(price)}],
        )

    def create_variant(self, product_id: str, data: VariantInput) -> Variant:
        """Create the variant with stocks, then price it in the channel."""
        payload = self._mutate(
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

    def update_variant(self, variant_id: str, data: VariantInput) -> Variant:
        """Update fields and price; the listed stocks are set too."""
        self._mutate(
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
        node = self._run("variant", id=variant_id, channel=self.channel_slug).get("productVariant")
        if not node:
            raise SaleorNotFoundError(f"variant {variant_id} does not exist")
        return p.variant(node, self.channel_slug)

    def set_variant_stocks(self, variant_id: str, stocks: Sequence[StockLevel]) -> Variant:
        """Set quantities per warehouse (``productVariantStocksUpdate``)."""
        payload = self._mutate(
            "variant_stocks_update",
            "productVariantStocksUpdate",
            variantId=variant_id,
            stocks=[{"warehouse": s.warehouse_id, "quantity": s.quantity} for s in stocks],
        )
        return p.variant(payload["productVariant"], self.channel_slug)

    def add_product_media(self, product_id: str, media_url: str, alt: str = "") -> ProductMedia:
        """Saleor downloads the image at ``media_url`` (``productMediaCreate``)."""
        payload = self._mutate(
            "product_media_create",
            "productMediaCreate",
            input={"product": product_id, "mediaUrl": media_url, "alt": alt},
        )
        m = payload["media"]
        return ProductMedia(m["id"], m["url"], m.get("alt") or "")

    def update_metadata(
        self, object_id: str, items: Mapping[str, str], private: bool = False
    ) -> None:
        """Merge metadata items into any object."""
        name, field = (
            ("private_metadata_update", "updatePrivateMetadata")
            if private
            else ("metadata_update", "updateMetadata")
        )
        self._mutate(name, field, id=object_id, input=p.metadata_input(items))
