"""Webhooks of the stand-in, delivered in process through the same intake as real ones.

The payload is what Saleor sends: the ``event`` object of our subscription document, executed
against Saleor's schema. Async events go to :func:`marketplace.saleor.webhooks.record_delivery`
(idempotent, handlers after commit); the sync shipping event goes to the registered provider.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import execute

from marketplace.saleor.documents import parsed_document
from marketplace.saleor.manifest import WEBHOOKS
from marketplace.saleor.standin.store import Context, Json, now_iso

#: The ``Saleor-Api-Url`` recorded for events of the stand-in.
STAND_IN_API_URL = "standin://saleor/graphql/"


class StandInContractError(AssertionError):
    """The stand-in produced an answer that does not fit Saleor's schema (a stand-in bug)."""


def subscription_payload(event_type: str, root: Json) -> dict[str, Any]:
    """Run the manifest's subscription document for ``event_type`` over ``root``.

    Raises
    ------
    StandInContractError
        When graphql-core finds the answer does not match the schema's types.
    """
    from marketplace.saleor.standin.transport import standin_schema

    result = execute(standin_schema(), parsed_document(WEBHOOKS[event_type][0]), root_value=root)
    if result.errors:
        raise StandInContractError(f"{event_type} payload breaks the schema: {result.errors}")
    return (result.data or {}).get("event") or {}


def deliver_events(ctx: Context) -> None:
    """Record every event the operation emitted (handlers run after commit)."""
    from marketplace.saleor.webhooks import record_delivery

    for event_type, root in ctx.events:
        payload = subscription_payload(event_type, root)
        record_delivery(STAND_IN_API_URL, event_type, json.dumps(payload, sort_keys=True).encode())
    ctx.events.clear()


def call_sync_shipping_webhook(ctx: Context, checkout: Json) -> list[Json]:
    """What our app answers to SHIPPING_LIST_METHODS_FOR_CHECKOUT for this checkout."""
    from marketplace.saleor.webhooks import shipping_methods_response

    root = {
        "__typename": "ShippingListMethodsForCheckout",
        "issuedAt": now_iso(),
        "checkout": checkout,
    }
    payload = subscription_payload("SHIPPING_LIST_METHODS_FOR_CHECKOUT", root)
    # the same JSON round trip as over HTTP
    return json.loads(json.dumps(shipping_methods_response(payload)))
