"""Checkout: the shopper's cart, addresses, the delivery choice, and turning it into an order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.errors import SaleorNotFoundError
from marketplace.saleor.gateway.orders import OrderCalls
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.order_values import (
    Checkout,
    CheckoutLineInput,
    Order,
    ShippingMethod,
)
from marketplace.saleor.values import ORDER_VENDOR_METADATA_PREFIX, Address, CollectionPoint


class CheckoutCalls:
    """Saleor checkouts (``saleor.checkout``); lines may come from several vendors."""

    def __init__(self, session: SaleorSession, orders: OrderCalls):
        self._s = session
        self._orders = orders

    def _checkout(self, name: str, field: str, **variables: Any) -> Checkout:
        return p.checkout(self._s.mutate(name, field, **variables)["checkout"])

    def create(
        self,
        lines: Sequence[CheckoutLineInput],
        email: str | None = None,
        shipping_address: Address | None = None,
        billing_address: Address | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Checkout:
        """Create a checkout in the channel (French language)."""
        input_: dict[str, Any] = {
            "channel": self._s.channel_slug,
            "lines": [{"variantId": ln.variant_id, "quantity": ln.quantity} for ln in lines],
            "email": email,
            "languageCode": "FR_FR",
        }
        if shipping_address:
            input_["shippingAddress"] = p.address_input(shipping_address)
        if billing_address:
            input_["billingAddress"] = p.address_input(billing_address)
        if metadata:
            input_["metadata"] = p.metadata_input(metadata)
        return self._checkout("checkout_create", "checkoutCreate", input=input_)

    def get(self, checkout_id: str) -> Checkout | None:
        """Return the checkout, or None when unknown or already completed."""
        node = self._s.run("checkout", id=checkout_id).get("checkout")
        return p.checkout(node) if node else None

    def add_lines(self, checkout_id: str, lines: Sequence[CheckoutLineInput]) -> Checkout:
        """Add lines (quantities add up for a variant already in the checkout)."""
        return self._checkout(
            "checkout_lines_add",
            "checkoutLinesAdd",
            id=checkout_id,
            lines=[{"variantId": ln.variant_id, "quantity": ln.quantity} for ln in lines],
        )

    def update_lines(self, checkout_id: str, lines: Sequence[tuple[str, int]]) -> Checkout:
        """Set quantities by checkout line id; quantity 0 removes the line."""
        return self._checkout(
            "checkout_lines_update",
            "checkoutLinesUpdate",
            id=checkout_id,
            lines=[{"lineId": line_id, "quantity": qty} for line_id, qty in lines],
        )

    def set_email(self, checkout_id: str, email: str) -> Checkout:
        """Set the shopper's email."""
        return self._checkout(
            "checkout_email_update", "checkoutEmailUpdate", id=checkout_id, email=email
        )

    def add_promo_code(self, checkout_id: str, code: str) -> Checkout:
        """Attach a gift card by its code (``checkoutAddPromoCode``); the total drops by its balance.

        Saleor takes the amount from the card when the checkout is completed (3.23 still allows
        gift cards here while the channel's ``allowLegacyGiftCardUse`` is on, its default).

        Raises
        ------
        SaleorValidationError
            ``INVALID_PROMO_CODE`` for a code that is unknown, inactive or expired.
        """
        return self._checkout(
            "checkout_add_promo_code", "checkoutAddPromoCode", id=checkout_id, promoCode=code.strip()
        )

    def set_shipping_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the delivery address."""
        return self._checkout(
            "checkout_shipping_address_update",
            "checkoutShippingAddressUpdate",
            id=checkout_id,
            address=p.address_input(address),
        )

    def set_billing_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the billing address."""
        return self._checkout(
            "checkout_billing_address_update",
            "checkoutBillingAddressUpdate",
            id=checkout_id,
            address=p.address_input(address),
        )

    def collection_points(self, checkout_id: str) -> list[CollectionPoint]:
        """Warehouses where this checkout can be collected (``availableCollectionPoints``)."""
        node = self._s.run("checkout_collection_points", id=checkout_id).get("checkout")
        if not node:
            raise SaleorNotFoundError(f"checkout {checkout_id} does not exist")
        return [p.collection_point(w) for w in node["availableCollectionPoints"]]

    def shipping_methods(self, checkout_id: str) -> list[ShippingMethod]:
        """Delivery options (``deliveryOptionsCalculate``, Saleor 3.23); ids are delivery ids."""
        payload = self._s.mutate(
            "delivery_options_calculate", "deliveryOptionsCalculate", id=checkout_id
        )
        return [p.shipping_method(d) for d in payload["deliveries"] if d.get("shippingMethod")]

    def set_delivery_method(self, checkout_id: str, delivery_method_id: str | None) -> Checkout:
        """Choose a collection-point warehouse id or a delivery id from :meth:`shipping_methods`; ``None`` removes it."""
        return self._checkout(
            "checkout_delivery_method_update",
            "checkoutDeliveryMethodUpdate",
            id=checkout_id,
            deliveryMethodId=delivery_method_id,
        )

    def attach_customer(self, checkout_id: str, customer_id: str) -> Checkout:
        """Make the customer the checkout's owner (``checkoutCustomerAttach``, as an App).

        Saleor also sets the checkout's e-mail to the customer's; it refuses a checkout that
        already belongs to someone else. Needs the App's ``IMPERSONATE_USER`` permission.
        """
        return self._checkout("checkout_customer_attach", "checkoutCustomerAttach", id=checkout_id,
                              customerId=customer_id)

    def update_metadata(self, checkout_id: str, items: Mapping[str, str]) -> None:
        """Merge public metadata into the checkout (Saleor copies it onto the order)."""
        self._s.update_metadata(checkout_id, items)

    def complete(self, checkout_id: str, metadata: Mapping[str, str] | None = None) -> Order:
        """Create the order, then tag it with its vendors (``mormal.vendor.<slug>`` metadata).

        The checkout must be paid or authorised first (:meth:`PaymentCalls.initialize`).
        """
        def read_back() -> dict[str, Any] | None:
            # the order Saleor made of this checkout, if the lost answer had created it
            edges = self._s.run("orders", filter={"checkoutIds": [checkout_id]}, first=1)["orders"]["edges"]
            return {"order": edges[0]["node"]} if edges else None

        payload = self._s.mutate(
            "checkout_complete",
            "checkoutComplete",
            read_back=read_back,
            id=checkout_id,
            metadata=p.metadata_input(metadata) if metadata else None,
        )
        order = p.order(payload["order"])
        tags = {f"{ORDER_VENDOR_METADATA_PREFIX}{slug}": "1" for slug in order.vendor_slugs}
        if tags:
            self._s.update_metadata(order.id, tags)
            order = self._orders.get(order.id) or order
        return order
