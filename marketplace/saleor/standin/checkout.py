"""Stand-in resolvers for checkouts: lines, addresses, collection points, delivery options."""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

from marketplace.saleor.standin import customers as cu
from marketplace.saleor.standin import gift_cards as gc
from marketplace.saleor.standin import views as v
from marketplace.saleor.standin.channels import shop_settings
from marketplace.saleor.standin.store import (
    Context,
    Json,
    UserError,
    address_view,
    clean_address,
    gid,
    merge_metadata,
    money,
    new_key,
    now_iso,
    parse_gid,
    taxed,
)

APP_IDENTIFIER = "mormal.marketplace"


def line_price(ctx: Context, line: Json) -> Decimal:
    """Unit price of a checkout line's variant in the channel."""
    variant = ctx.store.get("ProductVariant", line["variant"])
    return (v.variant_price(ctx.store, variant) if variant else None) or Decimal("0")


def subtotal(ctx: Context, doc: Json) -> Decimal:
    """Sum of the lines."""
    return sum((line_price(ctx, ln) * ln["quantity"] for ln in doc["lines"]), Decimal("0"))


def shipping_price(doc: Json) -> Decimal:
    """Price of the chosen delivery (0 for a collection point)."""
    chosen = doc.get("deliveryMethod") or {}
    return Decimal(chosen.get("price") or "0")


def gross_total(ctx: Context, doc: Json) -> Decimal:
    """Subtotal plus delivery, before gift cards."""
    return subtotal(ctx, doc) + shipping_price(doc)


def shipping_required(ctx: Context, doc: Json) -> bool:
    """Saleor's ``is_shipping_required``: a line whose product type needs shipping (gift-card e-vouchers do not)."""
    from marketplace.saleor.standin.bought_gift_cards import is_gift_card_variant

    return any(is_gift_card_variant(ctx, ctx.store.get("ProductVariant", ln["variant"]))[1] for ln in doc["lines"])


def gift_cards_of(ctx: Context, doc: Json) -> list[Json]:
    """The usable gift cards attached to the checkout (``checkoutAddPromoCode``), in the order added."""
    cards = (ctx.store.get("GiftCard", key) for key in doc.get("giftCards") or [])
    return [c for c in cards if gc.usable(c)]


def total(ctx: Context, doc: Json) -> Decimal:
    """What the shopper still pays: subtotal plus delivery, less the gift cards' balances (never below 0).

    Saleor's checkout ``totalPrice`` counts the attached gift cards the same way
    (``calculate_checkout_total_with_gift_cards``); it takes their balance at completion.
    """
    cover = sum((Decimal(c["currentBalance"]) for c in gift_cards_of(ctx, doc)), Decimal("0"))
    return max(Decimal("0"), gross_total(ctx, doc) - cover)


def paid(ctx: Context, transaction_keys: list[str]) -> tuple[Decimal, Decimal]:
    """(authorised, charged) over the given transactions."""
    authorised = charged = Decimal("0")
    for key in transaction_keys:
        t = ctx.store.get("TransactionItem", key)
        if t:
            authorised += Decimal(t["authorized"])
            charged += Decimal(t["charged"])
    return authorised, charged


def statuses(amount_due: Decimal, authorised: Decimal, charged: Decimal) -> tuple[str, str]:
    """Saleor's (authorizeStatus, chargeStatus) for an amount and its transactions."""
    covered = authorised + charged
    authorize = "FULL" if covered >= amount_due else ("PARTIAL" if covered > 0 else "NONE")
    if charged > amount_due:
        charge = "OVERCHARGED"
    elif charged >= amount_due:
        charge = "FULL"
    else:
        charge = "PARTIAL" if charged > 0 else "NONE"
    return authorize, charge


def shipping_method_view(method: Json, currency: str = "EUR") -> Json:
    """Saleor ``ShippingMethod`` from a stored app method."""
    return {
        "__typename": "ShippingMethod",
        "id": method["id"],
        "name": method["name"],
        "description": json.dumps(
            {"blocks": [{"type": "paragraph", "data": {"text": method["description"]}}]}
        )
        if method.get("description")
        else None,
        "minimumDeliveryDays": method.get("minimum_delivery_days"),
        "maximumDeliveryDays": method.get("maximum_delivery_days"),
        "price": money(method["price"], currency),
        "active": True,
        "message": None,
        "metadata": [
            {"key": k, "value": str(val)} for k, val in (method.get("metadata") or {}).items()
        ],
        "privateMetadata": [],
    }


def checkout_view(ctx: Context, doc: Json) -> Json:
    """Saleor ``Checkout``."""
    channel = ctx.store.channel()
    currency = channel["currencyCode"]
    lines = []
    for ln in doc["lines"]:
        variant = ctx.store.get("ProductVariant", ln["variant"])
        price = line_price(ctx, ln)
        lines.append(
            {
                "id": gid("CheckoutLine", ln["key"]),
                "quantity": ln["quantity"],
                "variant": v.variant_view(ctx.store, variant),
                "unitPrice": taxed(price, currency),
                "undiscountedUnitPrice": money(price, currency),
                "totalPrice": taxed(price * ln["quantity"], currency),
                "undiscountedTotalPrice": money(price * ln["quantity"], currency),
                "requiresShipping": True,
                "metadata": [],
                "privateMetadata": [],
            }
        )
    authorised, charged = paid(ctx, doc.get("transactions") or [])
    due = total(ctx, doc)
    authorize_status, charge_status = statuses(due, authorised, charged)
    chosen = doc.get("deliveryMethod")
    delivery_method = delivery = None
    if chosen and chosen["type"] == "warehouse":
        warehouse = ctx.store.get("Warehouse", chosen["key"])
        delivery_method = v.warehouse_view(warehouse) if warehouse else None
    elif chosen:
        method_view = shipping_method_view(chosen["method"], currency)
        delivery_method = method_view
        delivery = {"id": chosen["deliveryId"], "shippingMethod": method_view}
    return {
        "__typename": "Checkout",
        "id": gid("Checkout", doc["key"]),
        "token": doc["key"],
        "email": doc.get("email"),
        "user": cu.user_of(ctx, doc.get("user")),
        "created": doc["created"],
        "updatedAt": doc["updatedAt"],
        "channel": v.channel_view(channel),
        "quantity": sum(ln["quantity"] for ln in doc["lines"]),
        "isShippingRequired": shipping_required(ctx, doc),
        "authorizeStatus": authorize_status,
        "chargeStatus": charge_status,
        "lines": lines,
        "shippingAddress": address_view(doc.get("shippingAddress")),
        "billingAddress": address_view(doc.get("billingAddress")),
        "deliveryMethod": delivery_method,
        "delivery": delivery,
        "subtotalPrice": taxed(subtotal(ctx, doc), currency),
        "shippingPrice": taxed(shipping_price(doc), currency),
        "totalPrice": taxed(due, currency),
        "totalBalance": money(authorised + charged - due, currency),
        "availableCollectionPoints": lambda info, **_: [
            v.warehouse_view(w) for w in collection_points(ctx, doc)
        ],
        "customerNote": "",
        "languageCode": doc.get("languageCode") or "FR_FR",
        "displayGrossPrices": True,
        "taxExemption": False,
        "giftCards": [gc.gift_card_view(c) for c in gift_cards_of(ctx, doc)],
        "metadata": [
            {"key": k, "value": val} for k, val in sorted((doc.get("metadata") or {}).items())
        ],
        "privateMetadata": [],
    }


def country_of(ctx: Context, doc: Json) -> str:
    """The buyer's country: the shipping address's, else the channel's default."""
    return (doc.get("shippingAddress") or {}).get("country") or ctx.store.channel()[
        "defaultCountry"
    ]


def collection_points(ctx: Context, doc: Json) -> list[Json]:
    """Warehouses offered for pickup, the way Saleor picks them.

    LOCAL: the warehouse's own stock covers every line. ALL: the stock of all warehouses
    together covers every line.
    """
    if not doc["lines"]:
        return []
    variants = {
        ln["variant"]: ctx.store.get("ProductVariant", ln["variant"]) for ln in doc["lines"]
    }
    country = country_of(ctx, doc)
    selling = v.selling_warehouses_of(ctx.store, country)
    points = []
    for warehouse in ctx.store.all("Warehouse"):
        option = warehouse["clickAndCollectOption"]
        if option == "DISABLED" or warehouse["key"] not in selling:
            continue
        ok = True
        for ln in doc["lines"]:
            variant = variants[ln["variant"]] or {}
            only = warehouse["key"] if option == "LOCAL" else None
            ok = ok and v.sellable(ctx.store, variant, country, only) >= ln["quantity"]
        if ok:
            points.append(warehouse)
    return points


def _load(ctx: Context, checkout_id: str) -> Json:
    return ctx.store.get_by_gid(checkout_id, "Checkout")[1]


def _save(ctx: Context, doc: Json, *, keep_delivery: bool = False) -> Json:
    if (
        not keep_delivery
        and doc.get("deliveryMethod")
        and doc["deliveryMethod"]["type"] == "delivery"
    ):
        doc["deliveryMethod"] = None  # lines or address changed: app methods must be recalculated
    ctx.store.put("Checkout", doc)
    return {"checkout": checkout_view(ctx, doc)}


def _add_lines(ctx: Context, doc: Json, lines: list[Json]) -> None:
    for item in lines:
        if item["quantity"] < 1:
            raise UserError("ZERO_QUANTITY", "The quantity should be higher than zero.", "quantity")
        _kind, variant = ctx.store.get_by_gid(item["variantId"], "ProductVariant")
        product = ctx.store.get("Product", variant["product"])
        channel = ctx.store.channel()
        listed = any(
            c["channel"] == channel["key"] and c.get("isAvailableForPurchase")
            for c in product.get("channelListings") or []
        )
        if not listed or v.variant_price(ctx.store, variant) is None:
            raise UserError(
                "PRODUCT_NOT_PUBLISHED",
                f"Variant {variant.get('sku')} is not available in the channel.",
                "lines",
            )
        existing = next((ln for ln in doc["lines"] if ln["variant"] == variant["key"]), None)
        wanted = item["quantity"] + (existing["quantity"] if existing else 0)
        # Saleor: the variant's own limit, else the shop's (checkout/utils _check_quantity_limits)
        limit = variant.get("quantityLimitPerCustomer") or shop_settings(ctx)["limitQuantityPerCheckout"]
        if limit is not None and wanted > limit:
            raise UserError(
                "QUANTITY_GREATER_THAN_LIMIT",
                f"Cannot add more than {limit} times this item: {variant.get('sku')}.",
                "quantity",
            )
        left = v.sellable(ctx.store, variant, country_of(ctx, doc))
        if variant.get("trackInventory", True) and left < wanted:
            raise UserError(
                "INSUFFICIENT_STOCK",
                f"Could not add items {variant.get('sku')}. Only {left} remaining in stock.",
                "quantity",
            )
        if existing:
            existing["quantity"] = wanted
        else:
            doc["lines"].append(
                {"key": new_key(), "variant": variant["key"], "quantity": item["quantity"]}
            )


def q_checkout(
    ctx: Context, id: str | None = None, token: str | None = None, **_: Any
) -> Json | None:
    doc = ctx.store.find(id, "Checkout") if id else ctx.store.get("Checkout", str(token))
    return checkout_view(ctx, doc) if doc else None


def m_checkout_create(ctx: Context, input: Json, **_: Any) -> Json:
    channel = ctx.store.channel(input.get("channel"))
    if channel is None:
        raise UserError("NOT_FOUND", "Channel with given slug does not exist.", "channel")
    if not channel.get("isActive", True):
        raise UserError(
            "CHANNEL_INACTIVE", f"Channel with '{channel['slug']}' is inactive.", "channel"
        )
    doc: Json = {
        "key": new_key(),
        "email": input.get("email"),
        "lines": [],
        "shippingAddress": clean_address(input.get("shippingAddress"), "shippingAddress"),
        "billingAddress": clean_address(input.get("billingAddress"), "billingAddress"),
        "deliveryMethod": None,
        "deliveries": [],
        "transactions": [],
        "metadata": {},
        "created": now_iso(),
        "languageCode": input.get("languageCode") or "FR_FR",
    }
    merge_metadata(doc, input.get("metadata"))
    _add_lines(ctx, doc, input.get("lines") or [])
    return _save(ctx, doc)


def m_checkout_lines_add(ctx: Context, id: str, lines: list[Json], **_: Any) -> Json:
    doc = _load(ctx, id)
    _add_lines(ctx, doc, lines)
    return _save(ctx, doc)


def m_checkout_lines_update(ctx: Context, id: str, lines: list[Json], **_: Any) -> Json:
    doc = _load(ctx, id)
    for item in lines:
        key = parse_gid(item["lineId"], "CheckoutLine")[1] if item.get("lineId") else None
        line = next((ln for ln in doc["lines"] if ln["key"] == key), None)
        if line is None:
            raise UserError("INVALID", "Provided line_id does not exist in checkout.", "lineId")
        quantity = item.get("quantity")
        if quantity is None:
            continue
        if quantity < 0:
            raise UserError("ZERO_QUANTITY", "The quantity should be higher than zero.", "quantity")
        doc["lines"].remove(line)
        if quantity > 0:
            _add_lines(
                ctx,
                doc,
                [{"variantId": gid("ProductVariant", line["variant"]), "quantity": quantity}],
            )
            doc["lines"][-1]["key"] = line["key"]
    return _save(ctx, doc)


def m_checkout_customer_attach(ctx: Context, id: str | None = None, customerId: str | None = None,
                               **_: Any) -> Json:
    """As an App (IMPERSONATE_USER): the customer owns the checkout, and its e-mail is theirs."""
    doc = _load(ctx, id or "")
    if not customerId:
        raise UserError("REQUIRED", "The customerId value must be provided when running mutation as app.",
                        "customerId")
    _kind, user = ctx.store.get_by_gid(customerId, "User")
    if doc.get("user") and doc["user"] != user["key"]:
        # Saleor answers PermissionDenied; the App never re-attaches a checkout to someone else
        raise UserError("INVALID", "You cannot reassign a checkout that is already attached to a user.", "id")
    doc["user"], doc["email"] = user["key"], user["email"]
    return _save(ctx, doc, keep_delivery=True)


def m_checkout_add_promo_code(ctx: Context, promoCode: str, id: str | None = None, **_: Any) -> Json:
    """``checkoutAddPromoCode`` with a gift card code (vouchers are not used here).

    As Saleor's ``add_gift_card_code_to_checkout``: only an active, unexpired card in the
    channel's currency; anything else is ``InvalidPromoCode`` (code ``INVALID``, field ``promoCode``).
    """
    doc = _load(ctx, id or "")
    card = gc.by_code(ctx, (promoCode or "").strip())
    if not gc.usable(card, ctx.store.channel()["currencyCode"]):
        raise UserError("INVALID", "Promo code is invalid", "promoCode")
    assert card is not None
    if card["key"] not in (doc.get("giftCards") or []):
        doc.setdefault("giftCards", []).append(card["key"])
    return _save(ctx, doc, keep_delivery=True)


def m_checkout_email_update(ctx: Context, id: str, email: str, **_: Any) -> Json:
    doc = _load(ctx, id)
    if "@" not in (email or ""):
        raise UserError("INVALID", "Enter a valid email address.", "email")
    doc["email"] = email
    return _save(ctx, doc, keep_delivery=True)


def m_checkout_shipping_address_update(
    ctx: Context, id: str, shippingAddress: Json, **_: Any
) -> Json:
    doc = _load(ctx, id)
    if (doc.get("deliveryMethod") or {}).get("type") == "warehouse":  # as Saleor 3.23 answers
        raise UserError(
            "SHIPPING_CHANGE_FORBIDDEN",
            "Can't change shipping address manually. For click and collect delivery, address is set to a warehouse address.",
            "shippingAddress",
        )
    doc["shippingAddress"] = clean_address(shippingAddress, "shippingAddress")
    return _save(ctx, doc)


def m_checkout_billing_address_update(
    ctx: Context, id: str, billingAddress: Json, **_: Any
) -> Json:
    doc = _load(ctx, id)
    doc["billingAddress"] = clean_address(billingAddress, "billingAddress")
    return _save(ctx, doc, keep_delivery=True)


def app_method_id(method_id: str) -> str:
    """How Saleor names an app's shipping method: base64 of ``app:<app id>:<method id>``."""
    return base64.b64encode(f"app:{APP_IDENTIFIER}:{method_id}".encode()).decode()


def m_delivery_options_calculate(ctx: Context, id: str, **_: Any) -> Json:
    """Ask the app (SHIPPING_LIST_METHODS_FOR_CHECKOUT, in process) and store the deliveries."""
    from marketplace.saleor.standin.events import call_sync_shipping_webhook

    doc = _load(ctx, id)
    offers = (
        call_sync_shipping_webhook(ctx, checkout_view(ctx, doc))
        if doc["lines"] and doc.get("shippingAddress")
        else []
    )
    doc["deliveries"] = [
        {
            "deliveryId": gid("CheckoutDelivery", new_key()),
            "method": {
                "id": app_method_id(o["id"]),
                "name": o["name"],
                "price": str(o["amount"]),
                "description": o.get("description"),
                "minimum_delivery_days": o.get("minimum_delivery_days"),
                "maximum_delivery_days": o.get("maximum_delivery_days"),
                "metadata": o.get("metadata") or {},
            },
        }
        for o in offers
    ]
    ctx.store.put("Checkout", doc)
    currency = ctx.store.channel()["currencyCode"]
    return {
        "deliveries": [
            {"id": d["deliveryId"], "shippingMethod": shipping_method_view(d["method"], currency)}
            for d in doc["deliveries"]
        ]
    }


def m_checkout_delivery_method_update(
    ctx: Context, id: str, deliveryMethodId: str | None = None, **_: Any
) -> Json:
    doc = _load(ctx, id)
    if not deliveryMethodId:
        doc["deliveryMethod"] = None
        return _save(ctx, doc)
    kind = parse_gid(deliveryMethodId)[0] if not deliveryMethodId.startswith("YXBw") else "app"
    if kind == "Warehouse":
        warehouse = ctx.store.get_by_gid(deliveryMethodId, "Warehouse")[1]
        if warehouse["key"] not in {w["key"] for w in collection_points(ctx, doc)}:
            raise UserError(
                "DELIVERY_METHOD_NOT_APPLICABLE",
                "This pick up point is not applicable.",
                "deliveryMethodId",
            )
        doc["deliveryMethod"] = {"type": "warehouse", "key": warehouse["key"], "price": "0"}
        doc["shippingAddress"] = {**warehouse["address"], "key": new_key()}
        return _save(ctx, doc, keep_delivery=True)
    chosen = next(
        (
            d
            for d in doc.get("deliveries") or []
            if deliveryMethodId in (d["deliveryId"], d["method"]["id"])
        ),
        None,
    )
    if chosen is None:
        raise UserError(
            "DELIVERY_METHOD_NOT_APPLICABLE",
            "This shipping method is not applicable.",
            "deliveryMethodId",
        )
    doc["deliveryMethod"] = {
        "type": "delivery",
        "deliveryId": chosen["deliveryId"],
        "method": chosen["method"],
        "price": chosen["method"]["price"],
    }
    return _save(ctx, doc, keep_delivery=True)
