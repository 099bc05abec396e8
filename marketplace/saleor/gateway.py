"""The one implementation of :class:`~.port.SaleorPort`: port calls become GraphQL documents.

The same gateway runs over HTTP (:class:`~.client.SaleorGraphQLClient`) and over the stand-in
(:class:`~.standin.transport.StandInTransport`), so service tests exercise this code too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.client import Transport
from marketplace.saleor.errors import FieldError, SaleorNotFoundError, SaleorValidationError
from marketplace.saleor.port import (
    ORDER_VENDOR_METADATA_PREFIX,
    VENDOR_ATTRIBUTE_SLUG,
    VENDOR_METADATA_KEY,
    Address,
    Category,
    Checkout,
    CheckoutLineInput,
    CollectionPoint,
    Fulfillment,
    FulfillmentLineInput,
    Order,
    OrderQuery,
    PaymentMode,
    Product,
    ProductInput,
    ProductMedia,
    ProductPage,
    ProductQuery,
    ProductType,
    ShippingMethod,
    StockLevel,
    Transaction,
    Variant,
    VariantInput,
    Warehouse,
    WarehouseInput,
)


def _raise_errors(operation: str, payload: dict[str, Any] | None) -> dict[str, Any]:
    if payload is None:
        raise SaleorNotFoundError(f"{operation}: Saleor returned no payload")
    errors = payload.get("errors") or []
    if errors:
        codes = {e.get("code") for e in errors}
        items = [
            FieldError(e.get("field"), str(e.get("code")), e.get("message") or "") for e in errors
        ]
        if codes == {"NOT_FOUND"}:
            raise SaleorNotFoundError(
                f"{operation}: " + "; ".join(i.message or i.code for i in items)
            )
        raise SaleorValidationError(operation, items)
    return payload


class SaleorGateway:
    """Saleor through GraphQL documents.

    Parameters
    ----------
    transport : Transport
        HTTP client or stand-in transport.
    channel_slug : str
        The sales channel (prices, listings and checkouts live in one channel).
    """

    def __init__(self, transport: Transport, channel_slug: str = "default-channel"):
        self.transport = transport
        self.channel_slug = channel_slug
        self.is_stand_in = transport.is_stand_in
        self._channel: dict[str, Any] | None = None
        self._vendor_attribute_id: str | None = None

    # ------------------------------------------------------------------ helpers
    def _run(self, name: str, **variables: Any) -> dict[str, Any]:
        return self.transport.execute(name, variables)

    def _mutate(self, name: str, field: str, **variables: Any) -> dict[str, Any]:
        return _raise_errors(field, self._run(name, **variables).get(field))

    def channel(self) -> dict[str, Any]:
        """The channel ``{id, slug, currencyCode}`` (cached).

        Raises
        ------
        SaleorNotFoundError
            When the channel slug does not exist in Saleor.
        """
        if self._channel is None:
            node = self._run("channel", slug=self.channel_slug).get("channel")
            if not node:
                raise SaleorNotFoundError(f"channel {self.channel_slug!r} does not exist in Saleor")
            self._channel = node
        return self._channel

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
        return self.update_warehouse(payload["warehouse"]["id"], data)

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

    def vendor_attribute_id(self) -> str:
        """Id of the ``vendor`` dropdown product attribute, created on first use."""
        if self._vendor_attribute_id is None:
            node = self._run("attribute_by_slug", slug=VENDOR_ATTRIBUTE_SLUG).get("attribute")
            if not node:
                node = self._mutate(
                    "attribute_create",
                    "attributeCreate",
                    input={
                        "name": "Commerçant",
                        "slug": VENDOR_ATTRIBUTE_SLUG,
                        "type": "PRODUCT_TYPE",
                        "inputType": "DROPDOWN",
                        "visibleInStorefront": True,
                        "valueRequired": False,
                    },
                )["attribute"]
            self._vendor_attribute_id = node["id"]
        return self._vendor_attribute_id

    def ensure_product_type(self, name: str, slug: str, has_variants: bool = True) -> ProductType:
        """Return the product type with ``slug``, creating it with the vendor attribute."""
        data = self._run("product_types", filter={"slugs": [slug]}, first=1)["productTypes"]
        if data["edges"]:
            return p.product_type(data["edges"][0]["node"])
        payload = self._mutate(
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

    # ------------------------------------------------------------------ products
    def _product_input(self, data: ProductInput) -> dict[str, Any]:
        attributes = [{"id": self.vendor_attribute_id(), "dropdown": {"value": data.vendor_slug}}]
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

    # ------------------------------------------------------------------ checkout
    def _checkout(self, name: str, field: str, **variables: Any) -> Checkout:
        return p.checkout(self._mutate(name, field, **variables)["checkout"])

    def create_checkout(
        self,
        lines: Sequence[CheckoutLineInput],
        email: str | None = None,
        shipping_address: Address | None = None,
        billing_address: Address | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Checkout:
        """Create a checkout in the channel."""
        input_: dict[str, Any] = {
            "channel": self.channel_slug,
            "lines": [{"variantId": ln.variant_id, "quantity": ln.quantity} for ln in lines],
            "email": email,
            "languageCode": "FR_FR",
        }
        if shipping_address:
            input_["shippingAddress"] = p.address_input(shipping_address)
        if billing_address:
            input_["billingAddress"] = p.address_input(billing_address)
        if metadata:
            input_["metadata"] = p.metadata_input(metadata)
        return self._checkout("checkout_create", "checkoutCreate", input=input_)

    def get_checkout(self, checkout_id: str) -> Checkout | None:
        """Return the checkout or None."""
        node = self._run("checkout", id=checkout_id).get("checkout")
        return p.checkout(node) if node else None

    def add_checkout_lines(self, checkout_id: str, lines: Sequence[CheckoutLineInput]) -> Checkout:
        """Add lines to the checkout."""
        return self._checkout(
            "checkout_lines_add",
            "checkoutLinesAdd",
            id=checkout_id,
            lines=[{"variantId": ln.variant_id, "quantity": ln.quantity} for ln in lines],
        )

    def update_checkout_lines(self, checkout_id: str, lines: Sequence[tuple[str, int]]) -> Checkout:
        """Set quantities by line id (0 removes the line)."""
        return self._checkout(
            "checkout_lines_update",
            "checkoutLinesUpdate",
            id=checkout_id,
            lines=[{"lineId": line_id, "quantity": qty} for line_id, qty in lines],
        )

    def set_checkout_email(self, checkout_id: str, email: str) -> Checkout:
        """Set the shopper's email."""
        return self._checkout(
            "checkout_email_update", "checkoutEmailUpdate", id=checkout_id, email=email
        )

    def set_checkout_shipping_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the delivery address."""
        return self._checkout(
            "checkout_shipping_address_update",
            "checkoutShippingAddressUpdate",
            id=checkout_id,
            address=p.address_input(address),
        )

    def set_checkout_billing_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the billing address."""
        return self._checkout(
            "checkout_billing_address_update",
            "checkoutBillingAddressUpdate",
            id=checkout_id,
            address=p.address_input(address),
        )

    def available_collection_points(self, checkout_id: str) -> list[CollectionPoint]:
        """Warehouses where this checkout can be collected."""
        node = self._run("checkout_collection_points", id=checkout_id).get("checkout")
        if not node:
            raise SaleorNotFoundError(f"checkout {checkout_id} does not exist")
        return [p.collection_point(w) for w in node["availableCollectionPoints"]]

    def shipping_methods(self, checkout_id: str) -> list[ShippingMethod]:
        """Delivery options (``deliveryOptionsCalculate``, Saleor 3.23); ids are delivery ids."""
        payload = self._mutate(
            "delivery_options_calculate", "deliveryOptionsCalculate", id=checkout_id
        )
        return [p.shipping_method(d) for d in payload["deliveries"] if d.get("shippingMethod")]

    def set_checkout_delivery_method(self, checkout_id: str, delivery_method_id: str) -> Checkout:
        """Choose a collection-point warehouse id or a delivery id from :meth:`shipping_methods`."""
        return self._checkout(
            "checkout_delivery_method_update",
            "checkoutDeliveryMethodUpdate",
            id=checkout_id,
            deliveryMethodId=delivery_method_id,
        )

    def pay_checkout(
        self, checkout_id: str, mode: PaymentMode, psp_reference: str, name: str = ""
    ) -> Transaction:
        """Record a transaction for the checkout's total (the app holds HANDLE_PAYMENTS)."""
        checkout = self.get_checkout(checkout_id)
        if checkout is None:
            raise SaleorNotFoundError(f"checkout {checkout_id} does not exist")
        amount = {"amount": str(checkout.total.amount), "currency": checkout.total.currency}
        key = "amountCharged" if mode is PaymentMode.CHARGE else "amountAuthorized"
        payload = self._mutate(
            "transaction_create",
            "transactionCreate",
            id=checkout_id,
            transaction={
                "name": name
                or (
                    "Paiement de test" if mode is PaymentMode.CHARGE else "Paiement à la livraison"
                ),
                "pspReference": psp_reference,
                key: amount,
                "availableActions": ["CHARGE"] if mode is PaymentMode.AUTHORIZE else [],
            },
        )
        return p.transaction(payload["transaction"])

    def complete_checkout(
        self, checkout_id: str, metadata: Mapping[str, str] | None = None
    ) -> Order:
        """Create the order, then tag it with its vendors (``mormal.vendor.<slug>`` metadata)."""
        payload = self._mutate(
            "checkout_complete",
            "checkoutComplete",
            id=checkout_id,
            metadata=p.metadata_input(metadata) if metadata else None,
        )
        order = p.order(payload["order"])
        tags = {f"{ORDER_VENDOR_METADATA_PREFIX}{slug}": "1" for slug in order.vendor_slugs}
        if tags:
            self.update_metadata(order.id, tags)
            order = self.get_order(order.id) or order
        return order

    # ------------------------------------------------------------------ orders
    def get_order(self, order_id: str) -> Order | None:
        """Return the order or None."""
        node = self._run("order", id=order_id).get("order")
        return p.order(node) if node else None

    def list_orders(self, query: OrderQuery) -> list[Order]:
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
        data = self._run("orders", filter=filter_ or None, first=query.first)["orders"]
        return [p.order(e["node"]) for e in data["edges"]]

    def fulfill_order(
        self, order_id: str, lines: Sequence[FulfillmentLineInput], notify_customer: bool = False
    ) -> list[Fulfillment]:
        """Fulfil lines from warehouses (``orderFulfill``)."""
        payload = self._mutate(
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

    def charge_transaction(self, transaction_id: str, amount: Decimal) -> Transaction:
        """Move ``amount`` from authorised to charged (cash collected on delivery)."""
        payload = self._mutate(
            "transaction_update",
            "transactionUpdate",
            id=transaction_id,
            transaction={
                "amountAuthorized": {
                    "amount": "0",
                    "currency": self.channel().get("currencyCode", "EUR"),
                },
                "amountCharged": {
                    "amount": str(amount),
                    "currency": self.channel().get("currencyCode", "EUR"),
                },
                "availableActions": [],
            },
        )
        return p.transaction(payload["transaction"])
