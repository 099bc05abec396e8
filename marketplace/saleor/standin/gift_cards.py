"""Gift cards as Saleor 3.23 keeps them: a code, a balance in one currency, an expiry date, tags.

The code is stored in the indexed ``sku`` column, so a look-up by code costs one indexed query.
As in Saleor, a card is usable (``GiftCard.objects.active(date)``) while it is active and its
expiry date is today or later (UTC date, like Saleor's server); ``giftCardBalanceAdjust`` clamps
a deduction at zero; checkouts and orders take from cards in :mod:`.checkout` and :mod:`.orders`.
"""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils import timezone

from common.money import round_cents
from marketplace.saleor.standin.store import (
    Context,
    Json,
    UserError,
    connection,
    gid,
    merge_metadata,
    meta_list,
    money,
    new_key,
    now_iso,
)


def today() -> dt.date:
    """Saleor's "today" for gift cards: the server's UTC date."""
    return timezone.now().astimezone(dt.UTC).date()


def gift_card_view(doc: Json, ctx: Context | None = None) -> Json:
    """Saleor ``GiftCard``; with ``ctx``, its product and buyer too (a card bought in an order)."""
    from marketplace.saleor.standin import customers as cu
    from marketplace.saleor.standin import views as v
    from marketplace.saleor.standin.bought_gift_cards import event_view

    currency = doc.get("currency") or "EUR"
    product = ctx.store.get("Product", doc["product"]) if ctx and doc.get("product") else None

    def events(info: Any = None, filter: Json | None = None, **_: Any) -> list[Json]:
        wanted = (filter or {}).get("type")
        orders = set((filter or {}).get("orders") or [])
        return [event_view(e) for e in doc.get("events") or [] if (not wanted or e["type"] == wanted)
                and (not orders or gid("Order", e.get("orderKey") or "") in orders)]

    return {
        "__typename": "GiftCard",
        "id": gid("GiftCard", doc["key"]),
        "code": doc["code"],
        "displayCode": doc["code"][-4:],
        "last4CodeChars": doc["code"][-4:],
        "isActive": doc["isActive"],
        "expiryDate": doc.get("expiryDate"),
        "created": doc["created"],
        "lastUsedOn": doc.get("lastUsedOn"),
        "initialBalance": money(doc["initialBalance"], currency),
        "currentBalance": money(doc["currentBalance"], currency),
        "tags": [{"id": gid("GiftCardTag", t), "name": t} for t in doc.get("tags") or []],
        "events": events,
        "createdByEmail": doc.get("createdByEmail"),
        "createdBy": cu.user_of(ctx, doc.get("createdBy")) if ctx else None,
        "boughtInChannel": doc.get("boughtInChannel"),
        "product": (lambda info, **_: v.product_view(ctx.store, product)) if ctx and product else None,
        "metadata": meta_list(doc.get("metadata") or {}),
        "privateMetadata": [],
    }


def usable(doc: Json | None, currency: str = "EUR") -> bool:
    """Saleor's ``GiftCard.objects.active(date=today)`` with the channel's currency."""
    if doc is None or not doc["isActive"] or (doc.get("currency") or "EUR") != currency:
        return False
    expiry = doc.get("expiryDate")
    return expiry is None or dt.date.fromisoformat(expiry) >= today()


def by_code(ctx: Context, code: str) -> Json | None:
    """The stored card with this exact code, or None."""
    return ctx.store.find_one("GiftCard", sku=code) if code else None


def take(ctx: Context, doc: Json, amount: Decimal) -> Decimal:
    """Take up to ``amount`` from the card (never below zero); return what was taken."""
    balance = Decimal(doc["currentBalance"])
    taken = min(balance, max(Decimal("0"), amount))
    doc["currentBalance"] = str(balance - taken)
    if taken > 0:
        doc["lastUsedOn"] = now_iso()
    ctx.store.put("GiftCard", doc)
    return taken


def _balance(value: Json | None) -> tuple[Decimal, str]:
    try:
        amount = round_cents(Decimal(str((value or {}).get("amount"))))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise UserError("INVALID", "Balance amount is invalid.", "balance") from exc
    if amount <= 0:
        raise UserError("INVALID", "Balance amount have to be greater than 0.", "balance")
    return amount, str((value or {}).get("currency") or "EUR")


def _expiry(value: str | None, message: str) -> str | None:
    """Saleor's ``is_date_in_future``: an expiry date today or before is refused."""
    if not value:
        return None
    if dt.date.fromisoformat(value) <= today():
        raise UserError("INVALID", message, "expiryDate")
    return value


def new_card(ctx: Context, amount: Decimal, currency: str, expiry: str | None, tags: list[str], active: bool,
         code: str | None = None) -> Json:
    if not code:  # Saleor 3.23's generate_promo_code(): "ABCD-EF12-3456", 12 hex digits in groups of four
        digits = secrets.token_hex(6).upper()
        code = "-".join(digits[i:i + 4] for i in range(0, 12, 4))
    doc: Json = {"key": new_key(), "code": code, "sku": code, "currency": currency, "isActive": active,
                 "initialBalance": str(amount), "currentBalance": str(amount), "expiryDate": expiry,
                 "tags": sorted({tag.lower() for tag in tags}),  # Saleor keeps tags in lower case
                 "created": now_iso(), "lastUsedOn": None, "metadata": {}}
    return ctx.store.put("GiftCard", doc)


def q_gift_card(ctx: Context, id: str, **_: Any) -> Json | None:
    doc = ctx.store.find(id, "GiftCard")
    return gift_card_view(doc, ctx) if doc else None


def q_gift_cards(ctx: Context, filter: Json | None = None, first: int | None = None,
                 after: str | None = None, **_: Any) -> Json:
    filter = filter or {}
    docs = ctx.store.query("GiftCard", Q(sku=filter["code"]) if filter.get("code") else None)
    if filter.get("tags"):
        wanted = set(filter["tags"])  # compared as given: Saleor's filter is name__in
        docs = [d for d in docs if wanted & set(d.get("tags") or [])]
    if filter.get("isActive") is not None:
        docs = [d for d in docs if d["isActive"] == filter["isActive"]]
    if filter.get("products"):  # Saleor: product__in
        wanted = {gid_key for gid_key in (_key_of(p) for p in filter["products"]) if gid_key}
        docs = [d for d in docs if d.get("product") in wanted]
    if filter.get("createdByEmail"):  # Saleor: created_by_email exactly
        docs = [d for d in docs if d.get("createdByEmail") == filter["createdByEmail"]]
    return connection([gift_card_view(d, ctx) for d in docs], first, after)


def _key_of(global_id: str) -> str | None:
    from marketplace.saleor.standin.store import parse_gid

    try:
        return parse_gid(global_id, "Product")[1]
    except UserError:  # a malformed id matches nothing
        return None


def m_gift_card_create(ctx: Context, input: Json, **_: Any) -> Json:
    amount, currency = _balance(input.get("balance"))
    code = input.get("code")
    if code and by_code(ctx, code) is not None:
        raise UserError("ALREADY_EXISTS", "Promo code already exists.", "code")
    doc = new_card(ctx, amount, currency, _expiry(input.get("expiryDate"), "Expiry date must be in the future."), input.get("addTags") or [],
               bool(input.get("isActive")), code)
    merge_metadata(doc, input.get("metadata"))
    ctx.store.put("GiftCard", doc)
    return {"giftCard": gift_card_view(doc, ctx)}


def m_gift_card_bulk_create(ctx: Context, input: Json, **_: Any) -> Json:
    if int(input.get("count") or 0) < 1:
        raise UserError("INVALID", "Count value must be greater than 0.", "count")
    amount, currency = _balance(input.get("balance"))
    expiry = _expiry(input.get("expiryDate"), "Expiry date cannot be in the past.")
    docs = [new_card(ctx, amount, currency, expiry, input.get("tags") or [], bool(input.get("isActive")))
            for _ in range(int(input["count"]))]
    return {"count": len(docs), "giftCards": [gift_card_view(d) for d in docs]}


def m_gift_card_balance_adjust(ctx: Context, id: str, amount: Any, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "GiftCard")
    delta = round_cents(Decimal(str(amount)))
    balance = Decimal(doc["currentBalance"]) + delta
    doc["currentBalance"] = str(max(Decimal("0"), balance))  # a deduction below zero clamps to zero
    if Decimal(doc["currentBalance"]) > Decimal(doc["initialBalance"]):
        doc["initialBalance"] = doc["currentBalance"]  # a top-up above it raises the initial balance
    ctx.store.put("GiftCard", doc)
    return {"giftCard": gift_card_view(doc, ctx)}


def m_gift_card_deactivate(ctx: Context, id: str, **_: Any) -> Json:
    """Saleor's ``GiftCardDeactivate``: ``is_active`` set to false (again, when it is already), balance kept."""
    _kind, doc = ctx.store.get_by_gid(id, "GiftCard")
    doc["isActive"] = False
    ctx.store.put("GiftCard", doc)
    return {"giftCard": gift_card_view(doc, ctx)}
