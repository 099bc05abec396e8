"""The App manifest Saleor reads when the App is installed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from marketplace.saleor.documents import load_document

APP_ID = "mormal.marketplace"
APP_VERSION = "1.0.0"

PERMISSIONS = (
    "MANAGE_PRODUCTS",
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES",
    "MANAGE_ORDERS",
    "MANAGE_CHECKOUTS",
    "HANDLE_CHECKOUTS",
    "HANDLE_PAYMENTS",
    "MANAGE_CHANNELS",
    "MANAGE_SHIPPING",
    # shoppers as Saleor customers (customerCreate/Update), their checkouts attached to them
    "MANAGE_USERS",
    "IMPERSONATE_USER",
    # the territory's vouchers: giftCardBulkCreate, giftCards, giftCardBalanceAdjust (door spending)
    "MANAGE_GIFT_CARD",
)

#: event type -> (subscription document name, URL slug, sync?)
WEBHOOKS: dict[str, tuple[str, bool]] = {
    "ORDER_CREATED": ("subscriptions/order_created", False),
    "ORDER_FULLY_PAID": ("subscriptions/order_fully_paid", False),
    "ORDER_UPDATED": ("subscriptions/order_updated", False),
    "ORDER_CANCELLED": ("subscriptions/order_cancelled", False),
    "ORDER_REFUNDED": ("subscriptions/order_refunded", False),
    "ORDER_FULLY_REFUNDED": ("subscriptions/order_fully_refunded", False),
    "PRODUCT_VARIANT_STOCK_UPDATED": ("subscriptions/product_variant_stock_updated", False),
    "SHIPPING_LIST_METHODS_FOR_CHECKOUT": (
        "subscriptions/shipping_list_methods_for_checkout",
        True,
    ),
    # The App is the payment app for cash and cheques (Saleor's Transactions API): Saleor
    # calls these synchronously and records what they answer.
    "PAYMENT_GATEWAY_INITIALIZE_SESSION": ("subscriptions/payment_gateway_initialize_session", True),
    "TRANSACTION_INITIALIZE_SESSION": ("subscriptions/transaction_initialize_session", True),
    "TRANSACTION_PROCESS_SESSION": ("subscriptions/transaction_process_session", True),
    "TRANSACTION_CHARGE_REQUESTED": ("subscriptions/transaction_charge_requested", True),
    "TRANSACTION_CANCELATION_REQUESTED": ("subscriptions/transaction_cancelation_requested", True),
    "TRANSACTION_REFUND_REQUESTED": ("subscriptions/transaction_refund_requested", True),
}


@dataclass(frozen=True)
class Extension:
    """A page of ours inside the Saleor Dashboard (one item of the manifest's ``extensions``).

    ``page`` is the slug of :data:`marketplace.operations.dashboard.PAGES`; ``permissions`` are
    what the Dashboard requires to show the entry (a subset of :data:`PERMISSIONS`, as Saleor
    demands); our page then checks the staff member's own permissions
    (:mod:`marketplace.core.staff_rights`).
    """

    page: str
    label: str
    mount: str
    target: str
    permissions: tuple[str, ...] = ()


#: Navigation entries open in the Dashboard (``APP_PAGE``: an iframe given the token by the App
#: Bridge); the order's "Livraison" opens in a new tab by a POST carrying the token and ``orderId``.
EXTENSIONS: tuple[Extension, ...] = (
    Extension("tournees", "Tournées du jour", "NAVIGATION_ORDERS", "APP_PAGE", ("MANAGE_ORDERS",)),
    Extension("planification", "Planification des tournées", "NAVIGATION_ORDERS", "APP_PAGE", ("MANAGE_ORDERS",)),
    Extension("indicateurs", "Indicateurs du marché", "NAVIGATION_ORDERS", "APP_PAGE"),
    Extension("taches-en-echec", "Tâches en échec", "NAVIGATION_ORDERS", "APP_PAGE"),
    Extension("vendeurs", "Vendeurs du marché", "NAVIGATION_CATALOG", "APP_PAGE"),
    # beside Saleor's own "Cartes cadeaux" (Catalogue): shown only to who may manage gift cards
    Extension("cheques-cadeaux", "Chèques cadeaux du Pays de Mormal", "NAVIGATION_CATALOG", "APP_PAGE",
              ("MANAGE_GIFT_CARD",)),
    Extension("livraison", "Livraison", "ORDER_DETAILS_MORE_ACTIONS", "NEW_TAB", ("MANAGE_ORDERS",)),
)


def dashboard_path(page: str) -> str:
    """Our address the Dashboard opens for ``page``."""
    return f"/pilotage/tableau-de-bord/{page}/"


def extension_manifest(extension: Extension) -> dict[str, Any]:
    """One item of the manifest's ``extensions`` (Saleor 3.23's ``ManifestExtensionSchema``)."""
    item: dict[str, Any] = {
        "identifier": f"mormal-{extension.page}",
        "label": extension.label,
        "mount": extension.mount,
        "target": extension.target,
        "permissions": list(extension.permissions),
        # APP_PAGE urls must be relative to appUrl; the others absolute
        "url": dashboard_path(extension.page) if extension.target == "APP_PAGE"
        else public_url(dashboard_path(extension.page)),
    }
    if extension.target == "NEW_TAB":
        item["options"] = {"newTabTarget": {"method": "POST"}}
    return item


def event_slug(event_type: str) -> str:
    """``ORDER_FULLY_PAID`` -> ``order-fully-paid`` (the webhook URL segment)."""
    return event_type.lower().replace("_", "-")


def event_from_slug(slug: str) -> str | None:
    """The event type for a URL segment, or None if the manifest has no such webhook."""
    event_type = slug.upper().replace("-", "_")
    return event_type if event_type in WEBHOOKS else None


def public_url(path: str) -> str:
    """Absolute URL of one of our paths, from ``settings.APP_PUBLIC_URL``."""
    return settings.APP_PUBLIC_URL.rstrip("/") + path


def build_manifest() -> dict[str, Any]:
    """The manifest JSON (Saleor's ``Manifest`` format)."""
    webhooks = []
    for event_type, (document, is_sync) in WEBHOOKS.items():
        webhooks.append(
            {
                "name": event_type.replace("_", " ").capitalize(),
                "asyncEvents": [] if is_sync else [event_type],
                "syncEvents": [event_type] if is_sync else [],
                "query": load_document(document),
                "targetUrl": public_url(f"/saleor/api/webhooks/{event_slug(event_type)}"),
                "isActive": True,
            }
        )
    return {
        "id": APP_ID,
        "version": APP_VERSION,
        "requiredSaleorVersion": "^3.23",
        "name": "Marché du Pays de Mormal",
        "author": "Communauté de Communes du Pays de Mormal",
        "about": "Place de marché des commerçants, artisans et producteurs du Pays de Mormal, "
        "avec retrait en boutique, points relais et livraison par camion réfrigéré.",
        "permissions": list(PERMISSIONS),
        "appUrl": public_url("/"),
        "tokenTargetUrl": public_url("/saleor/api/register"),
        "homepageUrl": public_url("/"),
        "supportUrl": public_url("/"),
        "dataPrivacyUrl": public_url("/"),
        "extensions": [extension_manifest(e) for e in EXTENSIONS],
        "webhooks": webhooks,
    }
