"""Stand-in resolvers for the Transactions API: Saleor asks the payment apps, in process.

As in Saleor, a transaction belongs to the payment app (gateway) it was initialised with, and
only that app's answers move its amounts. The apps are this App (its registered responders,
exactly what the HTTP webhook view calls), while ``settings.PAYMENT_DEMO_GATEWAY`` is on,
the demonstration's card gateway, and while ``settings.STANDIN_STRIPE_APP`` is on (tests), a
Stripe-app-shaped card gateway (:mod:`.stripe_app`). Each call builds the manifest's subscription payload against
Saleor's schema and reads the answer as Saleor does (allowed ``result`` values, ``pspReference``
required for a success). One difference: Saleor sends ``TRANSACTION_*_REQUESTED`` from a
background task, so a real ``transactionRequestAction`` returns before the app has answered;
the stand-in answers at once. Callers read the amounts back either way.
"""

# ruff: noqa: D103 -- q_<field> / m_<mutation> resolve the Saleor field of that name; the schema documents them.

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings

from marketplace.saleor import registry
from marketplace.saleor.manifest import APP_ID
from marketplace.saleor.standin import stripe_app
from marketplace.saleor.standin import views as v
from marketplace.saleor.standin.checkout import checkout_view, paid, statuses, total
from marketplace.saleor.standin.events import STAND_IN_API_URL, subscription_payload
from marketplace.saleor.standin.orders import order_view
from marketplace.saleor.standin.store import Context, Json, UserError, new_key, now_iso

logger = logging.getLogger(__name__)

App = Callable[[str, dict[str, Any]], dict[str, Any]]

#: Results Saleor accepts from each event, and what a success does to the amounts (from -> to).
SESSION_RESULTS = {
    "AUTHORIZATION": ("AUTHORIZATION_SUCCESS", "AUTHORIZATION_FAILURE", "AUTHORIZATION_ACTION_REQUIRED",
                      "AUTHORIZATION_REQUEST"),
    "CHARGE": ("CHARGE_SUCCESS", "CHARGE_FAILURE", "CHARGE_ACTION_REQUIRED", "CHARGE_REQUEST"),
}
ACTIONS = {
    "CHARGE": ("TRANSACTION_CHARGE_REQUESTED", "TransactionChargeRequested", "CHARGE_SUCCESS",
               "CHARGE_FAILURE", "authorized", "charged"),
    "CANCEL": ("TRANSACTION_CANCELATION_REQUESTED", "TransactionCancelationRequested", "CANCEL_SUCCESS",
               "CANCEL_FAILURE", "authorized", "canceled"),
    "REFUND": ("TRANSACTION_REFUND_REQUESTED", "TransactionRefundRequested", "REFUND_SUCCESS",
               "REFUND_FAILURE", "charged", "refunded"),
}


def payment_apps() -> dict[str, App]:
    """The payment apps installed in the stand-in, by gateway id."""
    apps: dict[str, App] = {}

    def ours(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        responder = registry.payment_responder(event_type)
        if responder is None:
            raise UserError("MISSING_TRANSACTION_ACTION_REQUEST_WEBHOOK", f"No app handles {event_type}.")
        return responder(STAND_IN_API_URL, payload)

    if registry.payment_responder("PAYMENT_GATEWAY_INITIALIZE_SESSION") is not None:
        apps[APP_ID] = ours
    if settings.PAYMENT_DEMO_GATEWAY:
        apps.update(registry.stand_in_payment_apps())
    if settings.STANDIN_STRIPE_APP:  # tests only: a Stripe-app-shaped card gateway
        apps[stripe_app.GATEWAY_ID] = stripe_app.respond
    return apps


def _call(gateway: str, event_type: str, root: Json) -> dict[str, Any]:
    """The app's answer to the ``event_type`` payload built from ``root`` (a JSON round trip, as over HTTP)."""
    payload = json.loads(json.dumps(subscription_payload(event_type, root)))
    answer = payment_apps()[gateway](event_type, payload)
    return json.loads(json.dumps(answer))


def _source(ctx: Context, source_id: str) -> tuple[str, Json, Json]:
    kind, doc = ctx.store.get_by_gid(source_id, "Checkout", "Order")
    view = checkout_view(ctx, doc) if kind == "Checkout" else order_view(ctx, doc)
    return kind, doc, view


def m_payment_gateway_initialize(ctx: Context, id: str, amount: Any = None,
                                 paymentGateways: list[Json] | None = None, **_: Any) -> Json:
    _kind, doc, view = _source(ctx, id)
    apps = payment_apps()
    requested = paymentGateways or [{"id": gateway} for gateway in sorted(apps)]
    due = Decimal(str(amount)) if amount is not None else _due(ctx, _kind, doc)
    configs = []
    for gateway in requested:
        if gateway["id"] not in apps:
            configs.append({"id": gateway["id"], "data": None, "errors": [{
                "field": "id", "code": "NOT_FOUND",
                "message": "Active app with `HANDLE_PAYMENTS` permissions or app webhook not found."}]})
            continue
        answer = _call(gateway["id"], "PAYMENT_GATEWAY_INITIALIZE_SESSION", {
            "__typename": "PaymentGatewayInitializeSession", "issuedAt": now_iso(), "amount": float(due),
            "data": gateway.get("data"), "sourceObject": view})
        configs.append({"id": gateway["id"], "data": answer.get("data"), "errors": []})
    return {"gatewayConfigs": configs}


def _due(ctx: Context, kind: str, doc: Json) -> Decimal:
    """What is left to pay: the total minus what other transactions authorised or charged."""
    amount = total(ctx, doc) if kind == "Checkout" else Decimal(doc["total"])
    authorised, charged = paid(ctx, doc.get("transactions") or [])
    return max(Decimal("0"), amount - authorised - charged)


def _event(tx: Json, type_: str, amount: Decimal, psp: str = "", message: str = "",
           idempotency_key: str | None = None) -> Json:
    event = {"key": new_key(), "created": now_iso(), "type": type_, "amount": str(amount),
             "pspReference": psp, "message": message, "idempotencyKey": idempotency_key}
    tx.setdefault("events", []).append(event)
    return event


def _read_answer(answer: dict[str, Any], allowed: tuple[str, ...], failure: str, amount: Decimal
                 ) -> tuple[str, Decimal, str, str]:
    """(result, amount, pspReference, message) as Saleor reads them; a bad answer is a failure."""
    result = str(answer.get("result") or "")
    psp = str(answer.get("pspReference") or "")
    message = str(answer.get("message") or "")
    if result not in allowed or (result.endswith("_SUCCESS") and not psp):
        logger.warning("payment app answered %r: recorded as %s", answer, failure)
        return failure, amount, psp, f"Incorrect response from the payment app: {answer!r}"[:500]
    value = Decimal(str(answer["amount"])) if answer.get("amount") is not None else amount
    return result, value, psp, message


def _apply(tx: Json, answer: dict[str, Any]) -> None:
    if answer.get("pspReference"):
        tx["pspReference"] = answer["pspReference"]
    if answer.get("actions") is not None:
        tx["actions"] = list(answer["actions"])
    tx["message"] = answer.get("message") or ""


def _session(ctx: Context, tx: Json, kind: str, source_view: Json, event_type: str, data: Any,
             flow: str, amount: Decimal, idempotency_key: str) -> tuple[Json, Any]:
    typename = "TransactionInitializeSession" if event_type == "TRANSACTION_INITIALIZE_SESSION" else "TransactionProcessSession"
    root = {"__typename": typename, "issuedAt": now_iso(), "merchantReference": v.gid("TransactionItem", tx["key"]),
            "idempotencyKey": idempotency_key, "data": data, "customerIpAddress": None,
            "action": {"actionType": flow, "amount": float(amount), "currency": tx["currency"]},
            "transaction": v.transaction_view(tx), "sourceObject": source_view}
    answer = _call(tx["app"], event_type, root)
    result, value, psp, message = _read_answer(answer, SESSION_RESULTS[flow], SESSION_RESULTS[flow][1], amount)
    _apply(tx, {**answer, "message": message})
    if result == "AUTHORIZATION_SUCCESS":
        tx["authorized"] = str(value)
    elif result == "CHARGE_SUCCESS":
        tx["charged"] = str(value)
    event = _event(tx, result, value, psp, message, idempotency_key)
    ctx.store.put("TransactionItem", tx)
    if kind == "Order":
        after_order_payment(ctx, ctx.store.get("Order", tx["owner"]["key"]))
    return event, answer.get("data")


def m_transaction_initialize(ctx: Context, id: str, paymentGateway: Json, action: str | None = None,
                             amount: Any = None, idempotencyKey: str | None = None, **_: Any) -> Json:
    kind, doc, view = _source(ctx, id)
    gateway = paymentGateway["id"]
    if gateway not in payment_apps():
        raise UserError("NOT_FOUND", f"Active app with `HANDLE_PAYMENTS` permissions or app webhook not found ({gateway}).",
                        "paymentGateway")
    key = idempotencyKey or new_key()
    flow = action or "CHARGE"  # Saleor's default transaction flow strategy
    for tx_key in doc.get("transactions") or []:
        tx = ctx.store.get("TransactionItem", tx_key)
        if tx and tx.get("idempotencyKey") == key:
            # Saleor 3.23 (payment/utils.py handle_transaction_initialize_session): the same key finds
            # the same transaction and asks the app again (the app passes the key on to its PSP); a
            # different amount or gateway with that key is refused.
            value = Decimal(str(amount)) if amount is not None else Decimal(tx["requested"])
            if tx.get("app") != gateway or value != Decimal(tx["requested"]) or tx["flow"] != flow:
                raise UserError("UNIQUE", "Different transaction with provided idempotency key already exists.",
                                "idempotencyKey")
            event, data = _session(ctx, tx, kind, view, "TRANSACTION_INITIALIZE_SESSION", paymentGateway.get("data"),
                                   flow, value, key)
            return {"transaction": v.transaction_view(ctx.store.get("TransactionItem", tx["key"])),
                    "transactionEvent": v.transaction_event_view(event, tx["currency"]), "data": data}
    value = Decimal(str(amount)) if amount is not None else _due(ctx, kind, doc)
    currency = ctx.store.channel()["currencyCode"]
    tx = {"key": new_key(), "name": "", "pspReference": "", "authorized": "0", "charged": "0",
          "refunded": "0", "canceled": "0", "currency": currency, "actions": [], "events": [],
          "owner": {"kind": kind, "key": doc["key"]}, "app": gateway, "flow": flow,
          "requested": str(value), "idempotencyKey": key, "created": now_iso()}
    _event(tx, f"{flow}_REQUEST", value, idempotency_key=key)
    ctx.store.put("TransactionItem", tx)
    doc.setdefault("transactions", []).append(tx["key"])
    ctx.store.put(kind, doc)
    event, data = _session(ctx, tx, kind, view, "TRANSACTION_INITIALIZE_SESSION", paymentGateway.get("data"),
                           flow, value, key)
    return {"transaction": v.transaction_view(ctx.store.get("TransactionItem", tx["key"])),
            "transactionEvent": v.transaction_event_view(event, currency), "data": data}


def m_transaction_process(ctx: Context, id: str | None = None, data: Any = None, **_: Any) -> Json:
    if not id:
        raise UserError("REQUIRED", "The transaction id is required.", "id")
    _kind, tx = ctx.store.get_by_gid(id, "TransactionItem")
    kind, _doc, view = _source(ctx, v.gid(tx["owner"]["kind"], tx["owner"]["key"]))
    event, answer_data = _session(ctx, tx, kind, view, "TRANSACTION_PROCESS_SESSION", data, tx["flow"],
                                  Decimal(tx["requested"]), tx.get("idempotencyKey") or "")
    return {"transaction": v.transaction_view(ctx.store.get("TransactionItem", tx["key"])),
            "transactionEvent": v.transaction_event_view(event, tx["currency"]), "data": answer_data}


def m_transaction_request_action(ctx: Context, actionType: str, id: str | None = None, amount: Any = None,
                                 **_: Any) -> Json:
    if not id:
        raise UserError("REQUIRED", "The transaction id is required.", "id")
    _kind, tx = ctx.store.get_by_gid(id, "TransactionItem")
    if tx.get("app") not in payment_apps():
        raise UserError("MISSING_TRANSACTION_ACTION_REQUEST_WEBHOOK",
                        "No app or plugin is configured to handle payment action requests.", "id")
    event_type, typename, success, failure, source_field, target_field = ACTIONS[actionType]
    available = Decimal(tx[source_field])
    value = Decimal(str(amount)) if amount is not None else available
    if value <= 0 or value > available:
        raise UserError("INVALID", f"Cannot {actionType.lower()} {value}: {available} available.", "amount")
    _event(tx, actionType + "_REQUEST", value)
    root = {"__typename": typename, "issuedAt": now_iso(),
            "action": {"actionType": actionType, "amount": float(value), "currency": tx["currency"]},
            "transaction": v.transaction_view(tx), "grantedRefund": None}
    answer = _call(tx["app"], event_type, root)
    result, answered, psp, message = _read_answer(answer, (success, failure), failure, value)
    _apply(tx, {**answer, "message": message})
    if result == success:
        tx[source_field] = str(Decimal(tx[source_field]) - answered)
        tx[target_field] = str(Decimal(tx.get(target_field) or "0") + answered)
    _event(tx, result, answered, psp, message)
    ctx.store.put("TransactionItem", tx)
    if tx["owner"]["kind"] == "Order":
        after_order_payment(ctx, ctx.store.get("Order", tx["owner"]["key"]))
    return {"transaction": v.transaction_view(tx)}


def new_app_transaction(ctx: Context, owner_kind: str, owner: Json, app: str | None, name: str, psp: str,
                        charged: Decimal, message: str = "") -> Json:
    """A ``TransactionItem`` recorded as already charged (``transactionCreate``, or a gift card taken)."""
    currency = ctx.store.channel()["currencyCode"]
    tx = {"key": new_key(), "name": name, "pspReference": psp, "authorized": "0", "charged": str(charged),
          "refunded": "0", "canceled": "0", "currency": currency, "actions": [], "events": [],
          "owner": {"kind": owner_kind, "key": owner["key"]}, "app": app, "flow": "CHARGE",
          "requested": str(charged), "idempotencyKey": None, "created": now_iso(), "message": message}
    _event(tx, "CHARGE_SUCCESS", charged, psp, message)
    ctx.store.put("TransactionItem", tx)
    owner.setdefault("transactions", []).append(tx["key"])
    ctx.store.put(owner_kind, owner)
    return tx


def m_transaction_create(ctx: Context, id: str, transaction: Json, transactionEvent: Json | None = None,
                         **_: Any) -> Json:
    """``transactionCreate`` by this App (HANDLE_PAYMENTS): money it took itself, recorded on the order."""
    kind, doc = ctx.store.get_by_gid(id, "Checkout", "Order")
    charged = Decimal(str((transaction.get("amountCharged") or {}).get("amount") or "0"))
    if (transaction.get("amountCharged") or {}).get("currency", "EUR") != ctx.store.channel()["currencyCode"]:
        raise UserError("INCORRECT_CURRENCY", "Currency needs to be the same as the order's currency.",
                        "amountCharged")
    message = (transactionEvent or {}).get("message") or transaction.get("message") or ""
    tx = new_app_transaction(ctx, kind, doc, APP_ID, transaction.get("name") or "",
                             transaction.get("pspReference") or "", charged, message)
    if kind == "Order":
        after_order_payment(ctx, ctx.store.get("Order", doc["key"]))
    return {"transaction": v.transaction_view(ctx.store.get("TransactionItem", tx["key"]))}


def m_transaction_update(ctx: Context, id: str | None = None, transaction: Json | None = None,
                         transactionEvent: Json | None = None, **_: Any) -> Json:
    """``transactionUpdate`` by the app that owns the transaction: it sets the amounts it names."""
    _kind, tx = ctx.store.get_by_gid(id or "", "TransactionItem")
    if tx.get("app") != APP_ID:
        raise UserError("NOT_FOUND", "Only the app that created the transaction can update it.", "id")
    for field, name in (("amountAuthorized", "authorized"), ("amountCharged", "charged"),
                        ("amountCanceled", "canceled"), ("amountRefunded", "refunded")):
        value = (transaction or {}).get(field)
        if value is not None:
            tx[name] = str(Decimal(str(value["amount"])))
    if (transactionEvent or {}).get("message"):
        _event(tx, "AUTHORIZATION_ADJUSTMENT", Decimal(tx["authorized"]), tx.get("pspReference") or "",
               transactionEvent["message"])  # type: ignore[index]
    ctx.store.put("TransactionItem", tx)
    if tx["owner"]["kind"] == "Order":
        after_order_payment(ctx, ctx.store.get("Order", tx["owner"]["key"]))
    return {"transaction": v.transaction_view(tx)}


def q_transaction(ctx: Context, id: str | None = None, **_: Any) -> Json | None:
    if not id:
        return None
    return v.transaction_view(ctx.store.get_by_gid(id, "TransactionItem")[1])


def _refunded(ctx: Context, order: Json) -> Decimal:
    return sum((Decimal(ctx.store.get("TransactionItem", k).get("refunded") or "0")
                for k in order.get("transactions") or []), Decimal("0"))


def after_order_payment(ctx: Context, order: Json) -> None:
    """Recompute the order's payment statuses and emit what Saleor emits when they change."""
    before = (order.get("chargeStatus"), order.get("authorizeStatus"))
    refunded_before = Decimal(order.get("refunded") or "0")
    authorised, charged = paid(ctx, order.get("transactions") or [])
    order["authorizeStatus"], order["chargeStatus"] = statuses(Decimal(order["total"]), authorised, charged)
    refunded = _refunded(ctx, order)
    order["refunded"] = str(refunded)
    ctx.store.put("Order", order)
    if (order["chargeStatus"], order["authorizeStatus"]) != before or refunded != refunded_before:
        view = order_view(ctx, order)
        ctx.emit("ORDER_UPDATED", {"__typename": "OrderUpdated", "issuedAt": now_iso(), "order": view})
        if order["chargeStatus"] != before[0] and order["chargeStatus"] in {"FULL", "OVERCHARGED"}:
            from marketplace.saleor.standin.bought_gift_cards import issue_for_paid_order

            if issue_for_paid_order(ctx, order):  # Saleor's handle_fully_paid_order, before ORDER_FULLY_PAID
                view = order_view(ctx, order)
            ctx.emit("ORDER_FULLY_PAID", {"__typename": "OrderFullyPaid", "issuedAt": now_iso(), "order": view})
        if refunded > refunded_before:
            # Saleor 3.23 (order/actions.py::order_transaction_updated -> order_refunded) sends
            # ORDER_REFUNDED for a transaction refund, and ORDER_FULLY_REFUNDED too once the
            # transactions' refunded values reach the order's total
            ctx.emit("ORDER_REFUNDED", {"__typename": "OrderRefunded", "issuedAt": now_iso(), "order": view})
            if refunded >= Decimal(order["total"]):
                ctx.emit("ORDER_FULLY_REFUNDED", {"__typename": "OrderFullyRefunded", "issuedAt": now_iso(),
                                                  "order": view})
