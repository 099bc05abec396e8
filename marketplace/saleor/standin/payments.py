"""Stand-in resolvers for the Transactions API: payments recorded by the App on checkouts and orders."""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marketplace.saleor.standin import views as v
from marketplace.saleor.standin.checkout import (
    paid,
    statuses,
)
from marketplace.saleor.standin.orders import order_view
from marketplace.saleor.standin.store import (
    Context,
    Json,
    new_key,
    now_iso,
)


def _amount(value: Json | None) -> str:
    return str(Decimal(str(value["amount"])) if value else Decimal("0"))


def m_transaction_create(ctx: Context, id: str, transaction: Json, **_: Any) -> Json:
    kind, owner = ctx.store.get_by_gid(id, "Checkout", "Order")
    doc = {
        "key": new_key(),
        "name": transaction.get("name") or "",
        "pspReference": transaction.get("pspReference") or "",
        "authorized": _amount(transaction.get("amountAuthorized")),
        "charged": _amount(transaction.get("amountCharged")),
        "currency": (
            transaction.get("amountCharged")
            or transaction.get("amountAuthorized")
            or {"currency": "EUR"}
        )["currency"],
        "actions": transaction.get("availableActions") or [],
        "owner": {"kind": kind, "key": owner["key"]},
        "created": now_iso(),
    }
    ctx.store.put("TransactionItem", doc)
    owner.setdefault("transactions", []).append(doc["key"])
    ctx.store.put(kind, owner)
    if kind == "Order":
        _after_order_payment(ctx, owner)
    return {"transaction": v.transaction_view(doc)}


def m_transaction_update(ctx: Context, id: str, transaction: Json, **_: Any) -> Json:
    _kind, doc = ctx.store.get_by_gid(id, "TransactionItem")
    if transaction.get("amountAuthorized") is not None:
        doc["authorized"] = _amount(transaction["amountAuthorized"])
    if transaction.get("amountCharged") is not None:
        doc["charged"] = _amount(transaction["amountCharged"])
    if transaction.get("availableActions") is not None:
        doc["actions"] = transaction["availableActions"]
    ctx.store.put("TransactionItem", doc)
    owner_kind, owner_key = doc["owner"]["kind"], doc["owner"]["key"]
    if owner_kind == "Order":
        _after_order_payment(ctx, ctx.store.get("Order", owner_key))
    return {"transaction": v.transaction_view(doc)}


def _after_order_payment(ctx: Context, order: Json) -> None:
    before = order.get("chargeStatus")
    authorised, charged = paid(ctx, order.get("transactions") or [])
    order["authorizeStatus"], order["chargeStatus"] = statuses(
        Decimal(order["total"]), authorised, charged
    )
    ctx.store.put("Order", order)
    if order["chargeStatus"] != before:
        ctx.emit(
            "ORDER_UPDATED",
            {"__typename": "OrderUpdated", "issuedAt": now_iso(), "order": order_view(ctx, order)},
        )
        if order["chargeStatus"] in {"FULL", "OVERCHARGED"}:
            ctx.emit(
                "ORDER_FULLY_PAID",
                {
                    "__typename": "OrderFullyPaid",
                    "issuedAt": now_iso(),
                    "order": order_view(ctx, order),
                },
            )
