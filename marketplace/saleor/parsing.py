"""Turn Saleor's JSON answers (shaped by our fragments) into the port's typed values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from common.money import round_cents
from marketplace.saleor.port import (
    VENDOR_ATTRIBUTE_SLUG,
    VENDOR_METADATA_KEY,
    Address,
    AppliedGiftCard,
    Category,
    Checkout,
    CheckoutLine,
    ClickAndCollect,
    CollectionPoint,
    Customer,
    Fulfillment,
    GiftCard,
    Money,
    Order,
    OrderLine,
    PaymentGateway,
    Product,
    ProductMedia,
    ProductType,
    SelectedDelivery,
    ShippingMethod,
    ShippingRequest,
    ShippingRequestLine,
    StockLevel,
    Transaction,
    TransactionResult,
    Variant,
    Warehouse,
)

Json = dict[str, Any]


def metadata(node: Json | None) -> dict[str, str]:
    """``[{key, value}]`` to a dict."""
    return {m["key"]: m["value"] for m in (node or {}).get("metadata") or []}


def money(node: Json | None) -> Money:
    """Saleor ``Money`` to :class:`Money` (the JSON float read through ``str``, half-up to the cent)."""
    if not node:
        return Money(Decimal("0.00"))
    return Money(round_cents(node["amount"]), node["currency"])


def address(node: Json | None) -> Address | None:
    """Saleor ``Address`` to :class:`Address`."""
    if not node:
        return None
    return Address(
        street_address_1=node["streetAddress1"],
        street_address_2=node.get("streetAddress2") or "",
        postal_code=node["postalCode"],
        city=node["city"],
        country=(node.get("country") or {}).get("code") or "FR",
        first_name=node.get("firstName") or "",
        last_name=node.get("lastName") or "",
        company_name=node.get("companyName") or "",
        phone=node.get("phone") or "",
    )


def address_input(value: Address) -> Json:
    """:class:`Address` to Saleor ``AddressInput``."""
    return {
        "firstName": value.first_name,
        "lastName": value.last_name,
        "companyName": value.company_name,
        "streetAddress1": value.street_address_1,
        "streetAddress2": value.street_address_2,
        "city": value.city,
        "postalCode": value.postal_code,
        "country": value.country,
        "phone": value.phone,
    }


def metadata_input(items: dict[str, str] | Any) -> list[Json]:
    """A mapping to Saleor ``[MetadataInput!]``."""
    return [{"key": k, "value": str(v)} for k, v in dict(items or {}).items()]


def warehouse(node: Json) -> Warehouse:
    """Saleor ``Warehouse`` (WarehouseFields) to :class:`Warehouse`."""
    return Warehouse(
        id=node["id"],
        name=node["name"],
        slug=node["slug"],
        email=node.get("email") or "",
        address=address(node["address"]) or Address("", "", ""),
        click_and_collect=ClickAndCollect(node["clickAndCollectOption"]),
        is_private=node["isPrivate"],
        external_reference=node.get("externalReference"),
        metadata=metadata(node),
    )


def collection_point(node: Json) -> CollectionPoint:
    """A warehouse from ``availableCollectionPoints``."""
    return CollectionPoint(
        id=node["id"],
        name=node["name"],
        click_and_collect=ClickAndCollect(node["clickAndCollectOption"]),
        address=address(node["address"]) or Address("", "", ""),
    )


def category(node: Json | None) -> Category | None:
    """Saleor ``Category`` to :class:`Category`."""
    if not node:
        return None
    return Category(node["id"], node["name"], node["slug"], (node.get("parent") or {}).get("id"))


def product_type(node: Json) -> ProductType:
    """Saleor ``ProductType`` to :class:`ProductType`."""
    return ProductType(node["id"], node["name"], node["slug"], bool(node.get("hasVariants")),
                       node.get("kind") or "NORMAL")


def variant(node: Json, channel_slug: str) -> Variant:
    """Saleor ``ProductVariant`` (VariantFields) to :class:`Variant`."""
    price = None
    for listing in node.get("channelListings") or []:
        if listing["channel"]["slug"] == channel_slug and listing.get("price"):
            price = money(listing["price"])
    weight = node.get("weight")
    weight_kg = None
    if weight:
        factor = {
            "KG": Decimal(1),
            "G": Decimal("0.001"),
            "LB": Decimal("0.45359237"),
            "OZ": Decimal("0.028349523125"),
            "TONNE": Decimal(1000),
        }
        weight_kg = (
            Decimal(str(weight["value"])) * factor.get(weight["unit"], Decimal(1))
        ).normalize()
    return Variant(
        id=node["id"],
        product_id=node["product"]["id"],
        sku=node.get("sku"),
        name=node.get("name") or "",
        price=price,
        weight_kg=weight_kg,
        track_inventory=node["trackInventory"],
        stocks=tuple(
            StockLevel(s["warehouse"]["id"], s["quantity"], s.get("quantityAllocated") or 0)
            for s in node.get("stocks") or []
        ),
        quantity_available=node.get("quantityAvailable") or 0,
        metadata=metadata(node),
        quantity_limit=node.get("quantityLimitPerCustomer"),
    )


def product(node: Json, channel_slug: str) -> Product:
    """Saleor ``Product`` (ProductFields) to :class:`Product`."""
    attrs: dict[str, str] = {}
    for selected in node.get("attributes") or []:
        values = selected.get("values") or []
        if values:
            first = values[0]
            attrs[selected["attribute"]["slug"]] = (
                first.get("slug") or first.get("plainText") or first.get("name") or ""
            )
    meta = metadata(node)
    listings = [
        c for c in node.get("channelListings") or [] if c["channel"]["slug"] == channel_slug
    ]
    updated = node.get("updatedAt")
    return Product(
        id=node["id"],
        name=node["name"],
        slug=node["slug"],
        description=description_text(node.get("description")),
        vendor_slug=meta.get(VENDOR_METADATA_KEY) or attrs.get(VENDOR_ATTRIBUTE_SLUG),
        category=category(node.get("category")),
        product_type=product_type(node["productType"]),
        attributes=attrs,
        variants=tuple(variant(v, channel_slug) for v in node.get("variants") or []),
        media=tuple(
            ProductMedia(m["id"], m["url"], m.get("alt") or "") for m in node.get("media") or []
        ),
        metadata=meta,
        is_published=bool(listings and listings[0]["isPublished"]),
        is_available_for_purchase=bool(node.get("isAvailableForPurchase")),
        updated_at=datetime.fromisoformat(updated) if updated else None,
    )


def description_json(text: str) -> str | None:
    """Plain text to Saleor's EditorJS ``JSONString`` (one paragraph per line)."""
    import json

    if not text:
        return None
    blocks = [
        {"type": "paragraph", "data": {"text": line}} for line in text.splitlines() if line.strip()
    ]
    return json.dumps({"blocks": blocks, "version": "2.24.3"})


def description_text(value: Any) -> str:
    """EditorJS ``JSONString`` (or already-decoded dict) back to plain text."""
    import json

    if not value:
        return ""
    data = json.loads(value) if isinstance(value, str) else value
    return "\n".join(b.get("data", {}).get("text", "") for b in data.get("blocks", []))


def _delivery(node: Json) -> SelectedDelivery | None:
    method = node.get("deliveryMethod")
    if method and method["__typename"] == "Warehouse":
        return SelectedDelivery(
            "collection_point", method["id"], method["name"], Money(Decimal("0.00"))
        )
    delivery = node.get("delivery")
    if delivery and delivery.get("shippingMethod"):
        sm = delivery["shippingMethod"]
        return SelectedDelivery("shipping_method", delivery["id"], sm["name"], money(sm["price"]))
    if method and method["__typename"] == "ShippingMethod":
        return SelectedDelivery(
            "shipping_method", method["id"], method["name"], money(method["price"])
        )
    return None


def checkout(node: Json) -> Checkout:
    """Saleor ``Checkout`` (CheckoutFields) to :class:`Checkout`."""
    lines = tuple(
        CheckoutLine(
            id=ln["id"],
            variant_id=ln["variant"]["id"],
            sku=ln["variant"].get("sku"),
            product_id=ln["variant"]["product"]["id"],
            product_name=ln["variant"]["product"]["name"],
            variant_name=ln["variant"].get("name") or "",
            vendor_slug=metadata(ln["variant"]["product"]).get(VENDOR_METADATA_KEY),
            quantity=ln["quantity"],
            unit_price=money(ln["unitPrice"]["gross"]),
            total_price=money(ln["totalPrice"]["gross"]),
            quantity_available=ln["variant"].get("quantityAvailable"),
            quantity_limit=ln["variant"].get("quantityLimitPerCustomer"),
        )
        for ln in node.get("lines") or []
    )
    return Checkout(
        id=node["id"],
        token=str(node["token"]),
        email=node.get("email"),
        lines=lines,
        shipping_address=address(node.get("shippingAddress")),
        billing_address=address(node.get("billingAddress")),
        delivery=_delivery(node),
        subtotal=money(node["subtotalPrice"]["gross"]),
        shipping_price=money(node["shippingPrice"]["gross"]),
        total=money(node["totalPrice"]["gross"]),
        is_shipping_required=node["isShippingRequired"],
        authorize_status=node["authorizeStatus"],
        charge_status=node["chargeStatus"],
        metadata=metadata(node),
        customer_id=(node.get("user") or {}).get("id"),
        gift_cards=tuple(
            AppliedGiftCard(g["id"], g.get("last4CodeChars") or "", money(g.get("currentBalance")))
            for g in node.get("giftCards") or []
        ),
    )


def gift_card(node: Json) -> GiftCard:
    """Saleor ``GiftCard`` (GiftCardFields) to :class:`GiftCard`."""
    expiry = node.get("expiryDate")
    used = node.get("lastUsedOn")
    return GiftCard(
        id=node["id"],
        code=node["code"],
        last4=node.get("last4CodeChars") or node["code"][-4:],
        is_active=bool(node["isActive"]),
        expiry_date=date.fromisoformat(expiry) if expiry else None,
        initial_balance=money(node["initialBalance"]),
        current_balance=money(node["currentBalance"]),
        tags=tuple(sorted(t["name"] for t in node.get("tags") or [])),
        created=datetime.fromisoformat(node["created"]),
        last_used_on=datetime.fromisoformat(used) if used else None,
        metadata=metadata(node),
    )


def customer(node: Json) -> Customer:
    """Saleor ``User`` (CustomerFields) to :class:`Customer`."""
    return Customer(id=node["id"], email=node["email"], first_name=node.get("firstName") or "",
                    last_name=node.get("lastName") or "", is_active=node.get("isActive", True),
                    external_reference=node.get("externalReference"))


def shipping_method(delivery: Json) -> ShippingMethod:
    """A ``Delivery`` from ``deliveryOptionsCalculate`` to :class:`ShippingMethod` (id = delivery id)."""
    sm = delivery["shippingMethod"]
    return ShippingMethod(
        id=delivery["id"],
        name=sm["name"],
        price=money(sm["price"]),
        minimum_delivery_days=sm.get("minimumDeliveryDays"),
        maximum_delivery_days=sm.get("maximumDeliveryDays"),
        description=description_text(sm.get("description")) if sm.get("description") else "",
        metadata=metadata(sm),
    )


def transaction(node: Json) -> Transaction:
    """Saleor ``TransactionItem`` to :class:`Transaction`."""

    def optional(key: str) -> Money | None:
        return money(node[key]) if node.get(key) else None

    return Transaction(
        id=node["id"],
        name=node.get("name") or "",
        psp_reference=node.get("pspReference") or "",
        authorized=money(node["authorizedAmount"]),
        charged=money(node["chargedAmount"]),
        refunded=optional("refundedAmount"),
        canceled=optional("canceledAmount"),
        charge_pending=optional("chargePendingAmount"),
        refund_pending=optional("refundPendingAmount"),
        cancel_pending=optional("cancelPendingAmount"),
    )


def payment_gateway(node: Json) -> PaymentGateway:
    """One ``PaymentGatewayConfig`` to :class:`PaymentGateway`."""
    errors = tuple(str(e.get("message") or e.get("code")) for e in node.get("errors") or [])
    return PaymentGateway(id=node["id"], data=node.get("data"), errors=errors)


def transaction_result(payload: Json) -> TransactionResult:
    """The payload of ``transactionInitialize``/``transactionProcess`` to :class:`TransactionResult`."""
    event = payload.get("transactionEvent") or {}
    node = payload.get("transaction")
    return TransactionResult(
        transaction=transaction(node) if node else None,
        result=str(event.get("type") or ""),
        psp_reference=event.get("pspReference") or "",
        message=event.get("message") or "",
        data=payload.get("data"),
    )


def fulfillment(node: Json) -> Fulfillment:
    """Saleor ``Fulfillment`` to :class:`Fulfillment`."""
    return Fulfillment(
        id=node["id"],
        number=node["fulfillmentOrder"],
        status=node["status"],
        warehouse_id=(node.get("warehouse") or {}).get("id"),
        lines=tuple(
            (fl["orderLine"]["id"], fl["quantity"])
            for fl in node.get("lines") or []
            if fl.get("orderLine")
        ),
    )


def order(node: Json) -> Order:
    """Saleor ``Order`` (OrderFields) to :class:`Order`."""
    lines = []
    for ln in node.get("lines") or []:
        product_node = (ln.get("variant") or {}).get("product")
        lines.append(
            OrderLine(
                id=ln["id"],
                variant_id=ln.get("productVariantId"),
                sku=ln.get("productSku"),
                product_name=ln["productName"],
                variant_name=ln.get("variantName") or "",
                vendor_slug=metadata(product_node).get(VENDOR_METADATA_KEY)
                if product_node
                else None,
                quantity=ln["quantity"],
                quantity_fulfilled=ln["quantityFulfilled"],
                unit_price=money(ln["unitPrice"]["gross"]),
                total_price=money(ln["totalPrice"]["gross"]),
                warehouse_ids=tuple(a["warehouse"]["id"] for a in ln.get("allocations") or []),
            )
        )
    method = node.get("deliveryMethod")
    delivery = None
    if method and method["__typename"] == "Warehouse":
        delivery = SelectedDelivery(
            "collection_point", method["id"], method["name"], Money(Decimal("0.00"))
        )
    elif method:
        delivery = SelectedDelivery(
            "shipping_method", method["id"], method["name"], money(node["shippingPrice"]["gross"])
        )
    return Order(
        id=node["id"],
        number=node["number"],
        created=datetime.fromisoformat(node["created"]),
        status=node["status"],
        charge_status=node["chargeStatus"],
        authorize_status=node["authorizeStatus"],
        email=node.get("userEmail"),
        transactions=tuple(transaction(t) for t in node.get("transactions") or []),
        lines=tuple(lines),
        shipping_address=address(node.get("shippingAddress")),
        billing_address=address(node.get("billingAddress")),
        delivery=delivery,
        total=money(node["total"]["gross"]),
        metadata=metadata(node),
        fulfillments=tuple(fulfillment(f) for f in node.get("fulfillments") or []),
        checkout_id=node.get("checkoutId"),
        customer_id=(node.get("user") or {}).get("id"),
    )


def shipping_request(node: Json) -> ShippingRequest:
    """The checkout of a SHIPPING_LIST_METHODS_FOR_CHECKOUT payload to :class:`ShippingRequest`."""
    return ShippingRequest(
        checkout_id=node["id"],
        email=node.get("email"),
        shipping_address=address(node.get("shippingAddress")),
        lines=tuple(
            ShippingRequestLine(
                variant_id=ln["variant"]["id"],
                sku=ln["variant"].get("sku"),
                product_name=ln["variant"]["product"]["name"],
                vendor_slug=metadata(ln["variant"]["product"]).get(VENDOR_METADATA_KEY),
                quantity=ln["quantity"],
                unit_price=money(ln["undiscountedUnitPrice"]),
            )
            for ln in node.get("lines") or []
        ),
        metadata=metadata(node),
    )
