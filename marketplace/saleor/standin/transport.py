"""Run our GraphQL documents against Saleor's own schema, with resolvers over the stand-in store.

graphql-core validates each document against the schema, then executes it; every value the
resolvers return is checked against the schema's types (non-null fields, enums, lists). A
mismatch raises :class:`~.events.StandInContractError`: the stand-in cannot answer with a shape
Saleor would never send. Mutations are serialised across processes by one PostgreSQL advisory
lock and run in one transaction with the events they emit.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection, transaction
from graphql import GraphQLSchema, OperationType, build_schema, execute, validate

from marketplace.saleor.documents import parsed_document
from marketplace.saleor.errors import SaleorValidationError
from marketplace.saleor.schema import schema_path
from marketplace.saleor.standin import catalogue as cat
from marketplace.saleor.standin import channels as ch
from marketplace.saleor.standin import checkout as co
from marketplace.saleor.standin import customers as cu
from marketplace.saleor.standin import gift_cards as gc
from marketplace.saleor.standin import orders as od
from marketplace.saleor.standin import payments as pay
from marketplace.saleor.standin import products as pr
from marketplace.saleor.standin.events import StandInContractError, deliver_events
from marketplace.saleor.standin.store import Context, UserError

ADVISORY_LOCK_ID = 7_340_021  # arbitrary, constant: "the stand-in's write lock"

QUERIES = {
    "channel": cat.q_channel,
    "warehouse": cat.q_warehouse,
    "warehouses": cat.q_warehouses,
    "categories": cat.q_categories,
    "attribute": cat.q_attribute,
    "productTypes": cat.q_product_types,
    "product": cat.q_product,
    "products": cat.q_products,
    "productVariant": cat.q_variant,
    "checkout": co.q_checkout,
    "shippingZones": ch.q_shipping_zones,
    "productType": ch.q_product_type,
    "order": od.q_order,
    "user": cu.q_user,
    "orders": od.q_orders,
    "transaction": pay.q_transaction,
    "shop": ch.q_shop,
    "giftCard": gc.q_gift_card,
    "giftCards": gc.q_gift_cards,
}

MUTATIONS = {
    "createWarehouse": cat.m_warehouse_create,
    "channelCreate": ch.m_channel_create,
    "channelUpdate": ch.m_channel_update,
    "shippingZoneCreate": ch.m_shipping_zone_create,
    "shippingZoneUpdate": ch.m_shipping_zone_update,
    "productAttributeAssign": ch.m_product_attribute_assign,
    "updateWarehouse": cat.m_warehouse_update,
    "updateMetadata": pr.m_update_metadata,
    "updatePrivateMetadata": functools.partial(pr.m_update_metadata, private=True),
    "categoryCreate": cat.m_category_create,
    "attributeCreate": cat.m_attribute_create,
    "productTypeCreate": cat.m_product_type_create,
    "productCreate": pr.m_product_create,
    "productUpdate": pr.m_product_update,
    "productDelete": pr.m_product_delete,
    "productChannelListingUpdate": pr.m_product_channel_listing_update,
    "productVariantCreate": pr.m_variant_create,
    "productVariantUpdate": pr.m_variant_update,
    "productVariantChannelListingUpdate": pr.m_variant_channel_listing_update,
    "productVariantStocksUpdate": pr.m_variant_stocks_update,
    "productMediaCreate": pr.m_product_media_create,
    "checkoutCreate": co.m_checkout_create,
    "checkoutLinesAdd": co.m_checkout_lines_add,
    "checkoutLinesUpdate": co.m_checkout_lines_update,
    "checkoutEmailUpdate": co.m_checkout_email_update,
    "checkoutCustomerAttach": co.m_checkout_customer_attach,
    "customerCreate": cu.m_customer_create,
    "customerUpdate": cu.m_customer_update,
    "checkoutShippingAddressUpdate": co.m_checkout_shipping_address_update,
    "checkoutBillingAddressUpdate": co.m_checkout_billing_address_update,
    "deliveryOptionsCalculate": co.m_delivery_options_calculate,
    "checkoutDeliveryMethodUpdate": co.m_checkout_delivery_method_update,
    "paymentGatewayInitialize": pay.m_payment_gateway_initialize,
    "transactionInitialize": pay.m_transaction_initialize,
    "transactionProcess": pay.m_transaction_process,
    "transactionRequestAction": pay.m_transaction_request_action,
    "checkoutComplete": od.m_checkout_complete,
    "orderFulfill": od.m_order_fulfill,
    "orderCancel": od.m_order_cancel,
    "giftCardCreate": gc.m_gift_card_create,
    "giftCardBulkCreate": gc.m_gift_card_bulk_create,
    "giftCardBalanceAdjust": gc.m_gift_card_balance_adjust,
    "giftCardDeactivate": gc.m_gift_card_deactivate,
    "checkoutAddPromoCode": co.m_checkout_add_promo_code,
    "transactionCreate": pay.m_transaction_create,
    "transactionUpdate": pay.m_transaction_update,
}


def _query(func):
    def resolve(_root, info, **kwargs):
        try:
            return func(info.context, **kwargs)
        except UserError:
            return None  # Saleor answers null for an unknown or malformed id in a query

    return resolve


#: Non-null payload fields a refused mutation still carries (Saleor's graphene default values).
REFUSAL_DEFAULTS: dict[str, dict[str, Any]] = {"giftCardBulkCreate": {"count": 0, "giftCards": []}}


def _mutation(func, defaults: dict[str, Any] | None = None):
    def resolve(_root, info, **kwargs):
        ctx = info.context
        emitted = len(ctx.events)
        try:
            with transaction.atomic():  # a refused mutation leaves no trace, as in Saleor
                return {"errors": [], **func(ctx, **kwargs)}
        except UserError as exc:
            del ctx.events[emitted:]
            ctx.store.forget()
            return {**(defaults or {}),
                    "errors": [{"field": exc.field, "code": exc.code, "message": exc.message}]}

    return resolve


@functools.cache
def standin_schema() -> GraphQLSchema:
    """A private copy of Saleor's schema with the stand-in's root resolvers attached."""
    schema = build_schema(schema_path().read_text(encoding="utf-8"))
    for name, func in QUERIES.items():
        schema.query_type.fields[name].resolve = _query(func)
    for name, func in MUTATIONS.items():
        schema.mutation_type.fields[name].resolve = _mutation(func, REFUSAL_DEFAULTS.get(name))
    schema.subscription_type.fields["event"].resolve = lambda root, _info, **_: root
    return schema


@functools.cache
def _checked_document(name: str):
    document = parsed_document(name)
    errors = validate(standin_schema(), document)
    if errors:
        raise SaleorValidationError(
            name, []
        )  # pragma: no cover - the schema test catches this first
    operation = next(d for d in document.definitions if hasattr(d, "operation"))
    return document, operation.operation


class StandInTransport:
    """Same ``execute`` contract as :class:`~marketplace.saleor.client.SaleorGraphQLClient`."""

    is_stand_in = True

    def execute(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run document ``name``; return its ``data``.

        Raises
        ------
        StandInContractError
            When the answer does not fit the schema (a bug of the stand-in, never of the caller).
        """
        document, operation = _checked_document(name)
        ctx = Context()
        with transaction.atomic():
            if operation is OperationType.MUTATION:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
            result = execute(
                standin_schema(), document, variable_values=variables or {}, context_value=ctx
            )
            if result.errors:
                raise StandInContractError(f"{name}: {result.errors}")
            deliver_events(ctx)
        return result.data or {}


@functools.cache
def shared_stand_in():
    """The process-wide gateway over the stand-in."""
    from django.conf import settings

    from marketplace.saleor.gateway import SaleorGateway

    return SaleorGateway(StandInTransport(), channel_slug=settings.SALEOR_CHANNEL)
