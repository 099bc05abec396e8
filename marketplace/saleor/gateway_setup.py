"""Set-up half of the gateway: transport helpers, the channel and its shipping zone, attributes.

:class:`SetupCalls` is the base of :class:`~.gateway.SaleorGateway`.
"""

from __future__ import annotations

from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.client import Transport
from marketplace.saleor.errors import FieldError, SaleorNotFoundError, SaleorValidationError
from marketplace.saleor.port import VENDOR_ATTRIBUTE_SLUG, ProductType

#: Name of the shipping zone the adapter creates for the channel when it has none.
ZONE_NAME = "Pays de Mormal"


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


class SetupCalls:
    """Transport helpers and the objects every other call relies on.

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
        self._attribute_ids: dict[str, str] = {}
        # ids are cached against a real Saleor only: the stand-in's rows can be rolled back
        # (tests) or rebuilt (demo reset), and its look-ups cost a few milliseconds.
        self._cache = not transport.is_stand_in

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
        if self._channel is None or not self._cache:
            node = self._run("channel", slug=self.channel_slug).get("channel")
            if not node:
                raise SaleorNotFoundError(f"channel {self.channel_slug!r} does not exist in Saleor")
            self._channel = node
        return self._channel

    def ensure_sales_setup(
        self, name: str = "Pays de Mormal", currency: str = "EUR", country: str = "FR"
    ) -> dict[str, Any]:
        """Make sure the channel exists and has a shipping zone covering ``country``.

        A fresh Saleor needs both before any stock can be sold: stock counts only in
        warehouses that belong to the channel and to one of its zones for the buyer's country.

        Returns
        -------
        dict
            The channel ``{id, slug, currencyCode, defaultCountry}``.

        Raises
        ------
        SaleorValidationError
            Code ``CURRENCY_MISMATCH`` when the channel exists in another currency: a fresh
            Saleor creates ``default-channel`` in USD, and our prices must not land in it.
        """
        node = self._run("channel", slug=self.channel_slug).get("channel")
        if node and node["currencyCode"] != currency:
            message = (
                f"channel {self.channel_slug!r} sells in {node['currencyCode']}, the marketplace in "
                f"{currency}: set SALEOR_CHANNEL to a new slug (for example 'mormal') and run "
                "saleor_setup again"
            )
            raise SaleorValidationError(
                "channel", [FieldError("currencyCode", "CURRENCY_MISMATCH", message)]
            )
        if not node:
            node = self._mutate(
                "channel_create",
                "channelCreate",
                input={
                    "name": name,
                    "slug": self.channel_slug,
                    "currencyCode": currency,
                    "defaultCountry": country,
                    "isActive": True,
                    "orderSettings": {
                        "allowUnpaidOrders": False,
                        "automaticallyConfirmAllNewOrders": True,
                    },
                },
            )["channel"]
        self._channel = node
        if not self._zones_covering(country):
            self._mutate(
                "shipping_zone_create",
                "shippingZoneCreate",
                input={"name": ZONE_NAME, "countries": [country], "addChannels": [node["id"]]},
            )
        return node

    def unpaid_orders_fulfillable(self) -> bool:
        """Whether Saleor lets orders be fulfilled before they are paid (``shop`` settings).

        Pay-on-delivery orders are only authorised until the driver collects the money, and
        vendors fulfil their share before that. Saleor's default is yes; with
        ``fulfillmentAllowUnpaid`` off (and auto-approval on), ``orderFulfill`` answers
        ``CANNOT_FULFILL_UNPAID_ORDER`` for them.
        """
        shop = self._run("shop_settings").get("shop") or {}
        return bool(shop.get("fulfillmentAllowUnpaid")) or not shop.get("fulfillmentAutoApprove")

    def _zones_covering(self, country: str) -> list[str]:
        data = self._run("shipping_zones", filter={"channels": [self.channel()["id"]]}, first=100)
        return [
            e["node"]["id"]
            for e in data["shippingZones"]["edges"]
            if country in {c["code"] for c in e["node"]["countries"]}
        ]

    def attach_warehouse(self, warehouse_id: str, country: str) -> None:
        """Put a warehouse in the channel and in the channel's zones covering ``country``."""
        self._mutate(
            "channel_update",
            "channelUpdate",
            id=self.channel()["id"],
            input={"addWarehouses": [warehouse_id]},
        )
        for zone_id in self._zones_covering(country):
            self._mutate(
                "shipping_zone_update",
                "shippingZoneUpdate",
                id=zone_id,
                input={"addWarehouses": [warehouse_id]},
            )

    def attribute_id(self, slug: str, name: str = "") -> str:
        """Id of the product dropdown attribute ``slug``, created on first use (cached)."""
        if slug not in self._attribute_ids or not self._cache:
            node = self._run("attribute_by_slug", slug=slug).get("attribute")
            if not node:
                node = self._mutate(
                    "attribute_create",
                    "attributeCreate",
                    input={
                        "name": name or slug.replace("-", " ").capitalize(),
                        "slug": slug,
                        "type": "PRODUCT_TYPE",
                        "inputType": "DROPDOWN",
                        "visibleInStorefront": True,
                        "valueRequired": False,
                    },
                )["attribute"]
            self._attribute_ids[slug] = node["id"]
        return self._attribute_ids[slug]

    def vendor_attribute_id(self) -> str:
        """Id of the ``vendor`` dropdown product attribute."""
        return self.attribute_id(VENDOR_ATTRIBUTE_SLUG, "Commerçant")

    def ensure_type_attributes(self, product_type_id: str, slugs: list[str]) -> list[str]:
        """Ids of the attributes ``slugs``, each assigned to the product type (once)."""
        ids = [self.attribute_id(slug) for slug in slugs]
        node = self._run("product_type_attributes", id=product_type_id).get("productType")
        if node is None:
            raise SaleorNotFoundError(f"product type {product_type_id} does not exist")
        have = {a["id"] for a in node.get("productAttributes") or []}
        missing = [i for i in ids if i not in have]
        if missing:
            self._mutate(
                "product_attribute_assign",
                "productAttributeAssign",
                productTypeId=product_type_id,
                operations=[{"id": i, "type": "PRODUCT"} for i in missing],
            )
        return ids

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
