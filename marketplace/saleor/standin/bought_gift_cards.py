"""Gift cards bought as products, as Saleor 3.23 issues them when their order is fully paid.

Saleor (``order/actions.py::handle_fully_paid_order``): when an order becomes fully paid and its
channel's ``orderSettings.automaticallyFulfillNonShippableGiftCard`` is on (the default), the
non-shippable lines of gift-card products (product type kind ``GIFT_CARD``) are fulfilled
automatically (``giftcard/utils.py::fulfill_non_shippable_gift_cards``), from the line's
allocation or, with none, the variant's first stock in the channel. Fulfilling them creates one
card per unit (``gift_cards_create``): balance = the line's gross unit price, ``createdBy`` the
order's customer, ``createdByEmail`` its e-mail, ``product`` the line's product, a ``BOUGHT``
event naming the order; then each non-shippable card is sent to the customer (``GIFT_CARD_SENT``
webhook, when subscribed). Only after that does Saleor send ``ORDER_FULLY_PAID``, so an App
handling that webhook finds the cards already issued.
"""

from __future__ import annotations

from decimal import Decimal

from marketplace.saleor.standin import gift_cards as gc
from marketplace.saleor.standin.store import Context, Json, gid, new_key, now_iso


def is_gift_card_variant(ctx: Context, variant: Json | None) -> tuple[bool, bool]:
    """(is a gift card, needs shipping) for a variant, from its product type."""
    product = ctx.store.get("Product", variant["product"]) if variant else None
    kind = ctx.store.get("ProductType", product["productType"]) if product else None
    if kind is None:
        return False, True
    return kind.get("kind") == "GIFT_CARD", bool(kind.get("isShippingRequired", True))


def _warehouse_for(ctx: Context, line: Json) -> str | None:
    """Where Saleor fulfils a gift-card line from: its allocation, else the variant's first channel stock."""
    for allocation in line.get("allocations") or []:
        if allocation["quantity"] > 0:
            return allocation["warehouse"]
    variant = ctx.store.get("ProductVariant", line["variant"]) or {}
    in_channel = set(ctx.store.channel().get("warehouses") or [])
    return next((s["warehouse"] for s in variant.get("stocks") or [] if s["warehouse"] in in_channel), None)


def issue_for_paid_order(ctx: Context, order: Json) -> list[Json]:
    """Fulfil the order's non-shippable gift-card lines and issue their cards (once); return the new cards.

    Saleor raises ``GiftCardNotApplicable`` ("Lack of gift card stock for checkout channel") for a
    line with neither allocation nor stock in the channel: such a line is left unfulfilled here.
    """
    channel = ctx.store.channel()
    if not (channel.get("orderSettings") or {}).get("automaticallyFulfillNonShippableGiftCard", True):
        return []
    todo = [ln for ln in order["lines"] if ln.get("isGiftCard") and not ln.get("isShippingRequired", True)
            and ln["quantityFulfilled"] < ln["quantity"]]
    issued: list[Json] = []
    by_warehouse: dict[str, list[Json]] = {}
    for line in todo:
        warehouse = _warehouse_for(ctx, line)
        if warehouse is None:
            continue
        quantity = line["quantity"] - line["quantityFulfilled"]
        for allocation in line.get("allocations") or []:
            allocation["quantity"] = 0
        line["quantityFulfilled"] = line["quantity"]
        by_warehouse.setdefault(warehouse, []).append({"line": line["key"], "quantity": quantity})
        for _ in range(quantity):
            card = gc.new_card(ctx, Decimal(line["unitPrice"]), channel["currencyCode"], None, [], True)
            card.update({
                "createdBy": order.get("user"), "createdByEmail": order.get("userEmail"),
                "product": line["product"], "boughtInChannel": channel["slug"],
                "events": [{"key": new_key(), "type": "BOUGHT", "date": now_iso(), "orderKey": order["key"],
                            "orderNumber": order["number"], "email": order.get("userEmail")}],
            })
            issued.append(ctx.store.put("GiftCard", card))
    for warehouse, lines in by_warehouse.items():
        order["fulfillments"].append({"key": new_key(), "number": len(order["fulfillments"]) + 1,
                                      "status": "FULFILLED", "created": now_iso(), "warehouse": warehouse,
                                      "lines": lines})
    if by_warehouse:
        done = all(ln["quantityFulfilled"] >= ln["quantity"] for ln in order["lines"])
        order["status"] = "FULFILLED" if done else "PARTIALLY_FULFILLED"
        ctx.store.put("Order", order)
    _send(ctx, issued)
    return issued


def _send(ctx: Context, cards: list[Json]) -> None:
    """``GIFT_CARD_SENT`` for each card, to the buyer's e-mail, when the App subscribes to it."""
    from marketplace.saleor.manifest import WEBHOOKS

    if "GIFT_CARD_SENT" not in WEBHOOKS:
        return
    for card in cards:
        ctx.emit("GIFT_CARD_SENT", {"__typename": "GiftCardSent", "issuedAt": now_iso(),
                                    "giftCard": gc.gift_card_view(card, ctx), "channel": card["boughtInChannel"],
                                    "sentToEmail": card.get("createdByEmail")})


def event_view(event: Json) -> Json:
    """Saleor ``GiftCardEvent`` (the fields the App reads)."""
    return {"__typename": "GiftCardEvent", "id": gid("GiftCardEvent", event["key"]), "type": event["type"],
            "date": event["date"], "orderId": gid("Order", event["orderKey"]) if event.get("orderKey") else None,
            "orderNumber": event.get("orderNumber"), "email": event.get("email"), "message": None,
            "user": None, "app": None, "balance": None, "expiryDate": None, "oldExpiryDate": None,
            "tags": None, "oldTags": None}
