"""Gift-card products: e-vouchers shoppers buy, which Saleor turns into gift cards once paid.

Saleor 3.23's own way (``giftcard/utils.py``): a product whose type has ``kind: GIFT_CARD`` and
``isShippingRequired: false`` needs no delivery at checkout; when its order is fully paid and the
channel's ``orderSettings.automaticallyFulfillNonShippableGiftCard`` is on, Saleor fulfils those
lines itself and issues one card per unit, worth the line's unit price (``gift_cards_create``:
``createdBy``/``createdByEmail`` the buyer, ``product`` the line's product, a ``BOUGHT`` event
with the order's id), before sending ``ORDER_FULLY_PAID``. Fulfilling needs a stock row of the
variant in a warehouse of the channel (``Lack of gift card stock for checkout channel``
otherwise), so the variants are not inventory-tracked and have a row in their own warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from common.money import round_cents
from marketplace.saleor import parsing as p
from marketplace.saleor.gateway.catalogue import CatalogueCalls
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.gateway.setup import SetupCalls
from marketplace.saleor.gateway.warehouses import WarehouseCalls
from marketplace.saleor.values import GiftCard, GiftCardProduct, WarehouseInput

#: The quantity on each e-voucher's stock row: never counted (``trackInventory`` off), but large, so
#: no allocation Saleor might still attempt at checkout completion can run short.
STOCK_ROW = 1_000_000


def _sku(slug: str, amount: Decimal) -> str:
    return f"{slug}-{int(amount)}" if amount == int(amount) else f"{slug}-{amount}"


class GiftCardProductCalls:
    """Saleor gift-card products (``saleor.gift_card_products``)."""

    def __init__(self, session: SaleorSession, setup: SetupCalls, warehouses: WarehouseCalls,
                 catalogue: CatalogueCalls):
        self._s = session
        self._setup = setup
        self._warehouses = warehouses
        self._catalogue = catalogue

    def find(self, slug: str) -> GiftCardProduct | None:
        """The gift-card product with ``slug`` and its priced variants, or None."""
        node = self._s.run("product", id=None, slug=slug, externalReference=None,
                           channel=self._s.channel_slug).get("product")
        if not node:
            return None
        product = p.product(node, self._s.channel_slug)
        variants = {round_cents(v.price.amount): v.id for v in product.variants if v.price is not None}
        return GiftCardProduct(product_id=product.id, slug=product.slug, variants=variants)

    def ensure(self, *, name: str, slug: str, amounts: Sequence[Decimal], warehouse: WarehouseInput,
               category_name: str, category_slug: str) -> GiftCardProduct:
        """Make sure the e-voucher product exists with one variant per amount; idempotent.

        Creates what is missing: the ``GIFT_CARD`` product type (not shipped), the category, the
        product (published, available, left out of listings: it has its own page), a variant per
        amount priced in the channel with a stock row in ``warehouse`` (created if missing), and
        turns on the channel's automatic fulfilment of non-shippable gift cards.
        """
        self._s.mutate("channel_update", "channelUpdate", id=self._s.channel()["id"],
                       input={"orderSettings": {"automaticallyFulfillNonShippableGiftCard": True}})
        found = self.find(slug)
        wanted = [round_cents(Decimal(a)) for a in amounts]
        if found is not None and all(a in found.variants for a in wanted):
            return found
        warehouse_id = self._warehouse(warehouse)
        if found is None:
            type_id = self._product_type(f"{name} (dématérialisé)", f"{slug}-type")
            category = self._catalogue.ensure_category(category_name, category_slug)
            payload = self._s.mutate("product_create", "productCreate", input={
                "name": name, "slug": slug, "productType": type_id, "category": category.id, "attributes": []})
            product_id = payload["product"]["id"]
            self._s.mutate("product_channel_listing_update", "productChannelListingUpdate", id=product_id, input={
                "updateChannels": [{"channelId": self._s.channel()["id"], "isPublished": True,
                                    "visibleInListings": False, "isAvailableForPurchase": True}]})
            have: dict[Decimal, str] = {}
        else:
            product_id, have = found.product_id, dict(found.variants)
        for amount in wanted:
            if amount in have:
                continue
            payload = self._s.mutate("variant_create", "productVariantCreate", input={
                "product": product_id, "sku": _sku(slug, amount), "name": f"{amount:.2f} €".replace(".", ","),
                "attributes": [], "trackInventory": False,
                "stocks": [{"warehouse": warehouse_id, "quantity": STOCK_ROW}]})
            variant_id = payload["productVariant"]["id"]
            self._s.mutate("variant_channel_listing_update", "productVariantChannelListingUpdate", id=variant_id,
                           input=[{"channelId": self._s.channel()["id"], "price": str(amount)}])
        ready = self.find(slug)
        assert ready is not None  # just created
        return ready

    def _product_type(self, name: str, slug: str) -> str:
        data = self._s.run("product_types", filter={"slugs": [slug]}, first=1)["productTypes"]
        if data["edges"]:
            return data["edges"][0]["node"]["id"]
        payload = self._s.mutate("product_type_create", "productTypeCreate", input={
            "name": name, "slug": slug, "kind": "GIFT_CARD", "hasVariants": True, "isShippingRequired": False})
        return payload["productType"]["id"]

    def _warehouse(self, data: WarehouseInput) -> str:
        found = self._warehouses.find(slugs=[data.slug]) if data.slug else []
        if found:
            return found[0].id
        return self._warehouses.create(data).id

    def bought_in_order(self, order_id: str, product_id: str, email: str | None) -> list[GiftCard]:
        """The cards Saleor issued for ``order_id`` (``BOUGHT`` events), among the product's cards bought by ``email``."""
        filter_: dict[str, Any] = {"products": [product_id]}
        if email:
            filter_["createdByEmail"] = email
        found: list[GiftCard] = []
        after = None
        while True:
            data = self._s.run("gift_cards_bought", filter=filter_, first=100, after=after)["giftCards"]
            found.extend(p.gift_card(e["node"]) for e in data["edges"]
                         if any(ev.get("orderId") == order_id for ev in e["node"].get("events") or []))
            if not data["pageInfo"]["hasNextPage"]:
                return found
            after = data["pageInfo"]["endCursor"]
