"""Set-up: the sales channel, its shipping zone, and the shop settings the app relies on."""

from __future__ import annotations

from typing import Any

from marketplace.saleor.errors import FieldError, SaleorPermissionError, SaleorValidationError
from marketplace.saleor.gateway.session import SaleorSession

#: Name of the shipping zone the adapter creates for the channel when it has none.
ZONE_NAME = "Pays de Mormal"

#: Saleor's ``DEFAULT_LIMIT_QUANTITY_PER_CHECKOUT``: what ``Shop.limitQuantityPerCheckout`` is on
#: a fresh Saleor, used when the App may not read the setting (it needs MANAGE_SETTINGS).
DEFAULT_CHECKOUT_LINE_LIMIT = 50


class SetupCalls:
    """What must exist in Saleor before anything is sold (``saleor.setup``)."""

    def __init__(self, session: SaleorSession):
        self._s = session

    def channel(self) -> dict[str, Any]:
        """The channel ``{id, slug, currencyCode}``; see :meth:`SaleorSession.channel`."""
        return self._s.channel()

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
        slug = self._s.channel_slug
        node = self._s.run("channel", slug=slug).get("channel")
        if node and node["currencyCode"] != currency:
            message = (
                f"channel {slug!r} sells in {node['currencyCode']}, the marketplace in "
                f"{currency}: set SALEOR_CHANNEL to a new slug (for example 'mormal') and run "
                "saleor_setup again"
            )
            raise SaleorValidationError(
                "channel", [FieldError("currencyCode", "CURRENCY_MISMATCH", message)]
            )
        if not node:
            node = self._s.mutate(
                "channel_create",
                "channelCreate",
                input={
                    "name": name,
                    "slug": slug,
                    "currencyCode": currency,
                    "defaultCountry": country,
                    "isActive": True,
                    "orderSettings": {
                        "allowUnpaidOrders": False,
                        "automaticallyConfirmAllNewOrders": True,
                    },
                },
            )["channel"]
        self._s.remember_channel(node)
        if not self.zones_covering(country):
            self._s.mutate(
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
        shop = self._s.run("shop_settings").get("shop") or {}
        return bool(shop.get("fulfillmentAllowUnpaid")) or not shop.get("fulfillmentAutoApprove")

    def checkout_line_limit(self) -> int | None:
        """The most of one variant a checkout line may hold (``Shop.limitQuantityPerCheckout``).

        Saleor refuses more with ``QUANTITY_GREATER_THAN_LIMIT``, unless the variant has its own
        ``quantityLimitPerCustomer``, which wins. None means no shop-wide limit. When the App's
        token lacks MANAGE_SETTINGS, Saleor's default (50) is assumed: Saleor still enforces the
        real value, and the storefront says its refusal in French.
        """
        try:
            shop = self._s.run("checkout_line_limit").get("shop") or {}
        except SaleorPermissionError:
            return DEFAULT_CHECKOUT_LINE_LIMIT
        return shop.get("limitQuantityPerCheckout")

    def zones_covering(self, country: str) -> list[str]:
        """Ids of the channel's shipping zones that cover ``country``."""
        data = self._s.run(
            "shipping_zones", filter={"channels": [self._s.channel()["id"]]}, first=100
        )
        return [
            e["node"]["id"]
            for e in data["shippingZones"]["edges"]
            if country in {c["code"] for c in e["node"]["countries"]}
        ]

    def attach_warehouse(self, warehouse_id: str, country: str) -> None:
        """Put a warehouse in the channel and in the channel's zones covering ``country``."""
        self._s.mutate(
            "channel_update",
            "channelUpdate",
            id=self._s.channel()["id"],
            input={"addWarehouses": [warehouse_id]},
        )
        for zone_id in self.zones_covering(country):
            self._s.mutate(
                "shipping_zone_update",
                "shippingZoneUpdate",
                id=zone_id,
                input={"addWarehouses": [warehouse_id]},
            )
