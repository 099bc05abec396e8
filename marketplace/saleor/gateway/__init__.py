"""The one implementation of :class:`~marketplace.saleor.port.SaleorPort`, split by Saleor domain.

Port calls become the GraphQL documents of ``graphql/*.graphql``, sent over HTTP
(:class:`~marketplace.saleor.client.SaleorGraphQLClient`) or to the stand-in
(:class:`~marketplace.saleor.standin.transport.StandInTransport`), so service tests exercise
this code too. Each domain is one module, as in Saleor itself, and callers name it::

    saleor.setup.ensure_sales_setup()         # setup.py: channel, shipping zone, shop settings
    saleor.warehouses.create(data)            # warehouses.py: vendors' shops, collection points
    saleor.catalogue.create_product(data)     # catalogue.py: categories, types, products, variants
    saleor.checkout.set_delivery_method(...)  # checkout.py: carts, delivery choice, completion
    saleor.payments.initialize(...)           # payments.py: gateways, transactions, refunds
    saleor.orders.fulfill(...)                # orders.py: read, fulfil, cancel orders
    saleor.customers.create(...)              # customers.py: shoppers as Saleor customers
    saleor.gift_cards.bulk_create(...)        # gift_cards.py: the territory's vouchers (balance in Saleor)
"""

from __future__ import annotations

from marketplace.saleor.client import Transport
from marketplace.saleor.gateway.catalogue import CatalogueCalls
from marketplace.saleor.gateway.checkout import CheckoutCalls
from marketplace.saleor.gateway.customers import CustomerCalls
from marketplace.saleor.gateway.gift_card_products import GiftCardProductCalls
from marketplace.saleor.gateway.gift_cards import GiftCardCalls
from marketplace.saleor.gateway.orders import OrderCalls
from marketplace.saleor.gateway.payments import PaymentCalls
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.gateway.setup import SetupCalls
from marketplace.saleor.gateway.warehouses import WarehouseCalls


class SaleorGateway:
    """Saleor through GraphQL documents, one attribute per domain.

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
        session = SaleorSession(transport, channel_slug)
        self.setup = SetupCalls(session)
        self.warehouses = WarehouseCalls(session, self.setup)
        self.catalogue = CatalogueCalls(session)
        self.orders = OrderCalls(session)
        self.checkout = CheckoutCalls(session, self.orders)
        self.payments = PaymentCalls(session)
        self.customers = CustomerCalls(session)
        self.gift_cards = GiftCardCalls(session)
        self.gift_card_products = GiftCardProductCalls(session, self.setup, self.warehouses, self.catalogue)


__all__ = ["SaleorGateway"]
