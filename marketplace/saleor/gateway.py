"""The one implementation of :class:`~.port.SaleorPort`: port calls become GraphQL documents.

The same gateway runs over HTTP (:class:`~.client.SaleorGraphQLClient`) and over the stand-in
(:class:`~.standin.transport.StandInTransport`), so service tests exercise this code too.
The catalogue half lives in :mod:`.gateway_catalogue`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.errors import SaleorNotFoundError
from marketplace.saleor.gateway_catalogue import CatalogueCalls
from marketplace.saleor.port import (
    ORDER_VENDOR_METADATA_PREFIX,
    Address,
    Checkout,
    CheckoutLineInput,
    CollectionPoint,
    Fulfillment,
    FulfillmentLineInput,
    Order,
    OrderQuery,
    PaymentMode,
    ShippingMethod,
    Transaction,
)


class SaleorGateway(CatalogueCalls):
    """Saleor through GraphQL documents: catalogue (inherited), checkout, payments and orders.

    Parameters
    ----------
    transport : Transport
        HTTP client or stand-in transport.
    channel_slug : str
        The sales channel (prices, listings and checkouts live in one channel).
    """

    # ------------------------------------------------------------------ checkout
    def _checkout(self, name: str, field: str, **variables: Any) -> Checkout:
        return p.checkout(self._mutate(name, field, **variables)["checkout"])

    def create_checkout(
        self,
        lines: Sequence[CheckoutLineInput],
        email: str | None = None,
        shipping_address: Address | None = None,
        billing_address: Address | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Checkout:
        """Create a checkout in the channel."""
        input_: dict[str, Any] = {
            "channel": self.channel_slug,
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

    def get_checkout(self, checkout_id: str) -> Checkout | None:
        """Return the checkout or None."""
        node = self._run("checkout", id=checkout_id).get("checkout")
        return p.checkout(node) if node else None

    def add_checkout_lines(self, checkout_id: str, lines: Sequence[CheckoutLineInput]) -> Checkout:
        """Add lines to the checkout."""
        return self._checkout(
            "checkout_lines_add",
            "checkoutLinesAdd",
            id=checkout_id,
            lines=[{"variantId": ln.variant_id, "quantity": ln.quantity} for ln in lines],
        )

    def update_checkout_lines(self, checkout_id: str, lines: Sequence[tuple[str, int]]) -> Checkout:
        """Set quantities by line id (0 removes the line)."""
        return self._checkout(
            "checkout_lines_update",
            "checkoutLinesUpdate",
            id=checkout_id,
            lines=[{"lineId": line_id, "quantity": qty} for line_id, qty in lines],
        )

    def set_checkout_email(self, checkout_id: str, email: str) -> Checkout:
        """Set the shopper's email."""
        return self._checkout(
            "checkout_email_update", "checkoutEmailUpdate", id=checkout_id, email=email
        )

    def set_checkout_shipping_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the delivery address."""
        return self._checkout(
            "checkout_shipping_address_update",
            "checkoutShippingAddressUpdate",
            id=checkout_id,
            address=p.address_input(address),
        )

    def set_checkout_billing_address(self, checkout_id: str, address: Address) -> Checkout:
        """Set the billing address."""
        return self._checkout(
            "checkout_billing_address_update",
            "checkoutBillingAddressUpdate",
            id=checkout_id,
            address=p.address_input(address),
        )

    def available_collection_points(self, checkout_id: str) -> list[CollectionPoint]:
        """Warehouses where this checkout can be collected."""
        node = self._run("checkout_collection_points", id=checkout_id).get("checkout")
        if not node:
            raise SaleorNotFoundError(f"checkout {checkout_id} does not exist")
        return [p.collection_point(w) for w in node["availableCollectionPoints"]]

    def shipping_methods(self, checkout_id: str) -> list[ShippingMethod]:
        """Delivery options (``deliveryOptionsCalculate``, Saleor 3.23); ids are delivery ids."""
        payload = self._mutate(
            "delivery_options_calculate", "deliveryOptionsCalculate", id=checkout_id
        )
        return [p.shipping_method(d) for d in payload["deliveries"] if d.get("shippingMethod")]

    def set_checkout_delivery_method(self, checkout_id: str, delivery_method_id: str) -> Checkout:
        """Choose a collection-point warehouse id or a delivery id from :meth:`shipping_methods`."""
        return self._checkout(
            "checkout_delivery_method_update",
            "checkoutDeliveryMethodUpdate",
            id=checkout_id,
            deliveryMethodId=delivery_method_id,
        )

    def pay_checkout(
        self, checkout_id: str, mode: PaymentMode, psp_reference: str, name: str = ""
    ) -> Transaction:
        """Record a transaction for the checkout's total (the app holds HANDLE_PAYMENTS)."""
        checkout = self.get_checkout(checkout_id)
        if checkout is None:
            raise SaleorNotFoundError(f"checkout {checkout_id} does not exist")
        amount = {"amount": str(checkout.total.amount), "currency": checkout.total.currency}
        key = "amountCharged" if mode is PaymentMode.CHARGE else "amountAuthorized"
        payload = self._mutate(
            "transaction_create",
            "transactionCreate",
            id=checkout_id,
            transaction={
                "name": name
                or (
                    "Paiement de test" if mode is PaymentMode.CHARGE else "Paiement à la livraison"
                ),
                "pspReference": psp_reference,
                key: amount,
                "availableActions": ["CHARGE"] if mode is PaymentMode.AUTHORIZE else [],
            },
        )
        return p.transaction(payload["transaction"])

    def complete_checkout(
        self, checkout_id: str, metadata: Mapping[str, str] | None = None
    ) -> Order:
        """Create the order, then tag it with its vendors (``mormal.vendor.<slug>`` metadata)."""
        payload = self._mutate(
            "checkout_complete",
            "checkoutComplete",
            id=checkout_id,
            metadata=p.metadata_input(metadata) if metadata else None,
        )
        order = p.order(payload["order"])
        tags = {f"{ORDER_VENDOR_METADATA_PREFIX}{slug}": "1" for slug in order.vendor_slugs}
        if tags:
            self.update_metadata(order.id, tags)
            order = self.get_order(order.id) or order
        return order

    # ------------------------------------------------------------------ orders
    def get_order(self, order_id: str) -> Order | None:
        """Return the order or None."""
        node = self._run("order", id=order_id).get("order")
        return p.order(node) if node else None

    def list_orders(self, query: OrderQuery) -> list[Order]:
        """Orders matching the query, newest first."""
        filter_: dict[str, Any] = {}
        meta = dict(query.metadata)
        if query.vendor_slug:
            meta[f"{ORDER_VENDOR_METADATA_PREFIX}{query.vendor_slug}"] = "1"
        if meta:
            filter_["metadata"] = [{"key": k, "value": v} for k, v in meta.items()]
        if query.ids:
            filter_["ids"] = list(query.ids)
        if query.numbers:
            filter_["numbers"] = list(query.numbers)
        if query.statuses:
            filter_["status"] = list(query.statuses)
        if query.created_from or query.created_to:
            filter_["created"] = {
                "gte": query.created_from.date().isoformat() if query.created_from else None,
                "lte": query.created_to.date().isoformat() if query.created_to else None,
            }
        data = self._run("orders", filter=filter_ or None, first=query.first)["orders"]
        orders = [p.order(e["node"]) for e in data["edges"]]
        if query.warehouse_id:
            orders = [
                o
                for o in orders
                if any(query.warehouse_id in ln.warehouse_ids for ln in o.lines)
                or any(f.warehouse_id == query.warehouse_id for f in o.fulfillments)
            ]
        return orders

    def fulfill_order(
        self, order_id: str, lines: Sequence[FulfillmentLineInput], notify_customer: bool = False
    ) -> list[Fulfillment]:
        """Fulfil lines from warehouses (``orderFulfill``)."""
        payload = self._mutate(
            "order_fulfill",
            "orderFulfill",
            order=order_id,
            input={
                "notifyCustomer": notify_customer,
                "lines": [
                    {
                        "orderLineId": ln.order_line_id,
                        "stocks": [{"warehouse": ln.warehouse_id, "quantity": ln.quantity}],
                    }
                    for ln in lines
                ],
            },
        )
        return [p.fulfillment(f) for f in payload["fulfillments"] or []]

    def charge_transaction(self, transaction_id: str, amount: Decimal) -> Transaction:
        """Move ``amount`` from authorised to charged (cash collected on delivery)."""
        payload = self._mutate(
            "transaction_update",
            "transactionUpdate",
            id=transaction_id,
            transaction={
                "amountAuthorized": {
                    "amount": "0",
                    "currency": self.channel().get("currencyCode", "EUR"),
                },
                "amountCharged": {
                    "amount": str(amount),
                    "currency": self.channel().get("currencyCode", "EUR"),
                },
                "availableActions": [],
            },
        )
        return p.transaction(payload["transaction"])

    def cancel_order(self, order_id: str) -> Order:
        """Cancel the order (``orderCancel``); Saleor refuses once something was fulfilled."""
        return p.order(self._mutate("order_cancel", "orderCancel", id=order_id)["order"])
