"""Saleor's refusals reach a person as French sentences, and the per-line quantity limit holds."""

from __future__ import annotations

import httpx
import pytest
from graphql import GraphQLEnumType

from marketplace.saleor import port
from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.errors import FieldError, SaleorNetworkError, SaleorValidationError
from marketplace.saleor.gateway import SaleorGateway
from marketplace.saleor.refusals import CHECKOUT_ERRORS, UNKNOWN, in_french
from marketplace.saleor.schema import saleor_schema
from marketplace.saleor.standin.store import Store


def test_every_checkout_error_code_of_the_schema_has_a_french_sentence():
    enum = saleor_schema().type_map["CheckoutErrorCode"]
    assert isinstance(enum, GraphQLEnumType)
    codes = set(enum.values)
    assert {"INSUFFICIENT_STOCK", "QUANTITY_GREATER_THAN_LIMIT"} <= codes
    missing = codes - set(CHECKOUT_ERRORS)
    assert not missing, f"no French sentence for {sorted(missing)}"
    for code in codes:
        sentence = in_french(SaleorValidationError("checkoutLinesAdd", [FieldError("x", code, "English text")]))
        assert sentence != UNKNOWN and "English" not in sentence and sentence.endswith("."), code


def test_an_unknown_code_or_a_network_failure_is_still_french():
    unknown = SaleorValidationError("checkoutComplete", [FieldError(None, "SOMETHING_NEW", "Boom.")])
    assert in_french(unknown) == UNKNOWN
    assert "ne répond pas" in in_french(SaleorNetworkError("timeout after 3 attempts"))


def test_stock_refusal_says_how_many_are_left(saleor, market):
    with pytest.raises(SaleorValidationError) as refused:
        saleor.checkout.create([port.CheckoutLineInput(market["eggs_v"].id, 6)])
    assert in_french(refused.value) == "Il n'en reste que 5 en stock : diminuez la quantité."


def test_standin_enforces_the_shop_wide_line_limit_of_a_fresh_saleor(saleor, market):
    # given a fresh shop: limitQuantityPerCheckout is Saleor's default, 50
    assert saleor.setup.checkout_line_limit() == 50
    _set_stock(saleor, market, 200)
    # when a shopper asks for 51 loaves in one line (in two steps, as Saleor adds them up)
    checkout = saleor.checkout.create([port.CheckoutLineInput(market["bread_v"].id, 50)])
    with pytest.raises(SaleorValidationError) as refused:
        saleor.checkout.add_lines(checkout.id, [port.CheckoutLineInput(market["bread_v"].id, 1)])
    # then Saleor's code comes back, said in French with the figure
    assert refused.value.codes == {"QUANTITY_GREATER_THAN_LIMIT"}
    assert in_french(refused.value) == (
        "Vous pouvez commander au plus 50 fois cet article par commande : diminuez la quantité.")


def test_standin_shop_limit_and_variant_limit(saleor, market):
    # given the shop limit lowered to 30 and the bread's own limit set to 4
    store = Store()
    store.put("Shop", {"key": "settings", "limitQuantityPerCheckout": 30})
    assert saleor.setup.checkout_line_limit() == 30
    _set_stock(saleor, market, 200)
    with pytest.raises(SaleorValidationError):
        saleor.checkout.create([port.CheckoutLineInput(market["bread_v"].id, 31)])
    doc = store.get_by_gid(market["bread_v"].id, "ProductVariant")[1]
    store.put("ProductVariant", {**doc, "quantityLimitPerCustomer": 4})
    # then the variant's limit wins and is read back with the variant
    assert saleor.catalogue.get_product(market["bread_v"].product_id).variants[0].quantity_limit == 4
    with pytest.raises(SaleorValidationError) as refused:
        saleor.checkout.create([port.CheckoutLineInput(market["bread_v"].id, 5)])
    assert "au plus 4 fois" in in_french(refused.value)


def test_line_limit_falls_back_to_saleors_default_without_manage_settings():
    # given a real Saleor whose App token lacks MANAGE_SETTINGS (the field is permission-guarded)
    def handler(request):
        return httpx.Response(200, json={
            "data": {"shop": {"limitQuantityPerCheckout": None}},
            "errors": [{"message": "You need one of the following permissions: MANAGE_SETTINGS",
                        "extensions": {"exception": {"code": "PermissionDenied"}}}]})

    client = SaleorGraphQLClient("https://saleor.example/graphql/", "tok", transport=httpx.MockTransport(handler),
                                 max_attempts=1, backoff_s=0)
    # then the App assumes Saleor's default, 50 (Saleor still enforces its real value)
    assert SaleorGateway(client, channel_slug="mormal").setup.checkout_line_limit() == 50


def _set_stock(saleor, market, quantity):
    variant = saleor.catalogue.get_product(market["bread_v"].product_id).variants[0]
    saleor.catalogue.set_variant_stocks(
        variant.id, [port.StockLevel(s.warehouse_id, quantity) for s in variant.stocks])
