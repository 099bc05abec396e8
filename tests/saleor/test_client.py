"""The HTTP client at the transport level (httpx.MockTransport): retries, timeouts, typed errors."""

import io
import re

import httpx
import pytest

from marketplace.saleor import port
from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.errors import (
    SaleorNetworkError,
    SaleorPermissionError,
    SaleorValidationError,
)
from marketplace.saleor.gateway import SaleorGateway

URL = "https://saleor.example/graphql/"


def _client(handler, attempts=3):
    return SaleorGraphQLClient(
        URL, "tok", transport=httpx.MockTransport(handler), max_attempts=attempts, backoff_s=0
    )


def test_sends_the_document_and_the_app_token():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "data": {
                    "channel": {
                        "id": "Q2hhbm5lbDox",
                        "slug": "c",
                        "currencyCode": "EUR",
                        "defaultCountry": {"code": "FR"},
                    }
                }
            },
        )

    data = _client(handler).execute("channel", {"slug": "c"})
    assert data["channel"]["currencyCode"] == "EUR"
    body = seen[0].read().decode()
    assert seen[0].headers["Authorization"] == "Bearer tok"
    assert "query Channel($slug: String!)" in body and '"slug": "c"' in body.replace('":"', '": "')


def test_5xx_is_retried_then_succeeds():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) < 3:
            return httpx.Response(502)
        return httpx.Response(200, json={"data": {"warehouse": None}})

    assert _client(handler).execute("warehouse", {"id": "x"}) == {"warehouse": None}
    assert len(calls) == 3


def test_network_failure_gives_up_after_bounded_attempts():
    calls = []

    def handler(request):
        calls.append(1)
        raise httpx.ConnectError("connection refused")

    with pytest.raises(SaleorNetworkError) as error:
        _client(handler, attempts=3).execute("warehouse", {"id": "x"})
    assert len(calls) == 3
    assert "after 3 attempts" in str(error.value)


def test_timeout_is_a_network_error():
    def handler(request):
        raise httpx.ReadTimeout("slow")

    with pytest.raises(SaleorNetworkError):
        _client(handler, attempts=2).execute("warehouse", {"id": "x"})


def test_401_is_a_permission_error_and_is_not_retried():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(401, json={"errors": [{"message": "bad token"}]})

    with pytest.raises(SaleorPermissionError):
        _client(handler).execute("warehouse", {"id": "x"})
    assert calls == [1]


def test_graphql_permission_denied_is_a_permission_error():
    def handler(request):
        return httpx.Response(
            200,
            json={
                "data": None,
                "errors": [
                    {
                        "message": "You need one of the following permissions: MANAGE_ORDERS",
                        "extensions": {"exception": {"code": "PermissionDenied"}},
                    }
                ],
            },
        )

    with pytest.raises(SaleorPermissionError):
        _client(handler).execute("order", {"id": "x"})


def test_mutation_errors_become_a_validation_error_with_saleor_codes():
    def handler(request):
        return httpx.Response(
            200,
            json={
                "data": {
                    "checkoutCreate": {
                        "checkout": None,
                        "errors": [
                            {
                                "field": "quantity",
                                "code": "INSUFFICIENT_STOCK",
                                "message": "Only 0 remaining in stock.",
                            }
                        ],
                    }
                }
            },
        )

    gateway = SaleorGateway(_client(handler), "default-channel")
    with pytest.raises(SaleorValidationError) as error:
        gateway.checkout.create([port.CheckoutLineInput("UHJvZHVjdFZhcmlhbnQ6MQ==", 1)])
    (item,) = error.value.errors
    assert (item.field, item.code, item.message) == (
        "quantity",
        "INSUFFICIENT_STOCK",
        "Only 0 remaining in stock.",
    )


def test_get_saleor_is_the_http_client_when_configured(settings, db):
    from marketplace.saleor.client import shared_client

    shared_client.cache_clear()
    settings.SALEOR_API_URL = URL
    settings.SALEOR_APP_TOKEN = "tok"
    try:
        gateway = port.get_saleor()
        assert gateway.is_stand_in is False
        assert gateway.transport.api_url == URL
    finally:
        shared_client.cache_clear()


def test_set_up_refuses_saleors_default_channel_in_usd():
    # given a fresh Saleor: its migrations create default-channel in USD (seen on 3.23.28)
    asked = []

    def handler(request):
        asked.append(request)
        channel = {
            "id": "Q2hhbm5lbDox",
            "slug": "default-channel",
            "currencyCode": "USD",
            "defaultCountry": {"code": "US"},
        }
        return httpx.Response(200, json={"data": {"channel": channel}})

    gateway = SaleorGateway(_client(handler), channel_slug="default-channel")
    # when the marketplace's set-up runs on that channel
    with pytest.raises(SaleorValidationError) as refused:
        gateway.setup.ensure_sales_setup()
    # then it stops before adding a shipping zone, and says which setting to change
    assert refused.value.codes == {"CURRENCY_MISMATCH"}
    assert "USD" in str(refused.value) and "SALEOR_CHANNEL" in str(refused.value)
    assert len(asked) == 1


class _SetUpSaleor:
    """A Saleor answering ``saleor_setup``'s calls, statefully, every answer executed against Saleor's SDL.

    graphql-core runs the very document the gateway sent, with its variables, over these answers
    (``schema.graphql``): a missing non-null field, a value outside an enum or an input Saleor's
    schema does not accept fails the test, as it would fail on Saleor.
    """

    CHANNEL = {"id": "Q2hhbm5lbDo0", "slug": "mormal", "currencyCode": "EUR", "defaultCountry": {"code": "FR"}}
    WAREHOUSE = {"id": "V2FyZWhvdXNlOjk=", "name": "Chèques cadeaux dématérialisés",
                 "slug": "cheques-cadeaux-dematerialises", "email": "", "isPrivate": True,
                 "clickAndCollectOption": "DISABLED", "externalReference": None, "metadata": [],
                 "address": {"firstName": "", "lastName": "", "companyName": "",
                             "streetAddress1": "Communauté de Communes du Pays de Mormal", "streetAddress2": "",
                             "city": "LE QUESNOY", "postalCode": "59530", "country": {"code": "FR"}, "phone": ""}}

    def __init__(self):
        self.operations: list[str] = []
        self.product = None
        self.product_type = None
        self.category = None
        self.auto_fulfil = False

    def _answer(self, operation: str, v: dict) -> dict:
        if operation == "ShopSettings":
            return {"shop": {"fulfillmentAllowUnpaid": False, "fulfillmentAutoApprove": True}}
        if operation == "ShippingZones":
            zone = {"id": "U2hpcHBpbmdab25lOjE=", "name": "FR", "countries": [{"code": "FR"}]}
            return {"shippingZones": {"edges": [{"node": zone}]}}
        if operation == "Channel":
            return {"channel": self.CHANNEL}
        if operation == "ChannelUpdate":
            self.auto_fulfil = v["input"]["orderSettings"]["automaticallyFulfillNonShippableGiftCard"]
            return {"channelUpdate": {"channel": {"id": v["id"]}, "errors": []}}
        if operation == "Product":
            return {"product": self.product if self.product and v["slug"] == self.product["slug"] else None}
        if operation == "Warehouses":  # the private warehouse is there already
            return {"warehouses": {"edges": [{"node": self.WAREHOUSE}]}}
        if operation == "ProductTypes":
            return {"productTypes": {"edges": [{"node": self.product_type}] if self.product_type else []}}
        if operation == "ProductTypeCreate":
            i = v["input"]
            assert (i["kind"], i["isShippingRequired"]) == ("GIFT_CARD", False)
            self.product_type = {"id": "UHJvZHVjdFR5cGU6Nw==", "name": i["name"], "slug": i["slug"],
                                 "hasVariants": i["hasVariants"], "kind": "GIFT_CARD"}
            return {"productTypeCreate": {"productType": self.product_type, "errors": []}}
        if operation == "Categories":
            return {"categories": {"edges": [{"node": self.category}] if self.category else []}}
        if operation == "CategoryCreate":
            self.category = {"id": "Q2F0ZWdvcnk6Mw==", "name": v["input"]["name"], "slug": v["input"]["slug"],
                             "parent": None}
            return {"categoryCreate": {"category": self.category, "errors": []}}
        if operation == "ProductCreate":
            i = v["input"]
            self.product = {"id": "UHJvZHVjdDoxMg==", "name": i["name"], "slug": i["slug"], "description": None,
                            "updatedAt": "2026-12-06T10:00:00+00:00", "isAvailableForPurchase": None,
                            "category": self.category, "productType": self.product_type, "attributes": [],
                            "channelListings": [], "variants": [], "media": [], "metadata": []}
            return {"productCreate": {"product": {"id": self.product["id"]}, "errors": []}}
        if operation == "ProductChannelListingUpdate":
            (listing,) = v["input"]["updateChannels"]
            self.product["isAvailableForPurchase"] = listing["isAvailableForPurchase"]
            self.product["channelListings"] = [{"channel": {"slug": "mormal"}, "isPublished": listing["isPublished"]}]
            return {"productChannelListingUpdate": {"product": {"id": v["id"]}, "errors": []}}
        if operation == "VariantCreate":
            i = v["input"]
            variant = {"id": f"UHJvZHVjdFZhcmlhbnQ6{len(self.product['variants']) + 1}", "sku": i["sku"],
                       "name": i["name"], "trackInventory": i["trackInventory"], "quantityAvailable": None,
                       "quantityLimitPerCustomer": None, "weight": None, "product": {"id": self.product["id"]},
                       "channelListings": [], "metadata": [],
                       "stocks": [{"warehouse": {"id": s["warehouse"]}, "quantity": s["quantity"],
                                   "quantityAllocated": 0} for s in i["stocks"]]}
            self.product["variants"].append(variant)
            return {"productVariantCreate": {"productVariant": {"id": variant["id"]}, "errors": []}}
        if operation == "VariantChannelListingUpdate":
            variant = next(x for x in self.product["variants"] if x["id"] == v["id"])
            variant["channelListings"] = [{"channel": {"slug": "mormal"},
                                           "price": {"amount": float(v["input"][0]["price"]), "currency": "EUR"}}]
            return {"productVariantChannelListingUpdate": {"variant": {"id": v["id"]}, "errors": []}}
        raise AssertionError(f"saleor_setup sent an unexpected {operation}")

    def __call__(self, request):
        import json

        from graphql import graphql_sync

        from marketplace.saleor.schema import saleor_schema

        body = json.loads(request.read().decode())
        operation = re.search(r"\b(?:query|mutation)\s+(\w+)", body["query"]).group(1)
        self.operations.append(operation)
        answer = self._answer(operation, body.get("variables") or {})
        checked = graphql_sync(saleor_schema(), body["query"], root_value=answer,
                               variable_values=body.get("variables") or {})
        assert not checked.errors, (operation, checked.errors)
        return httpx.Response(200, json={"data": checked.data})


def test_set_up_warns_when_saleor_refuses_to_fulfil_unpaid_orders(monkeypatch):
    # given a Saleor whose shop has fulfillmentAllowUnpaid off (seen on the live 3.23.28: then
    # orderFulfill answers CANNOT_FULFILL_UNPAID_ORDER for a pay-on-delivery order)
    from django.core.management import call_command

    from marketplace.saleor.management.commands import saleor_setup

    fake = _SetUpSaleor()
    gateway = SaleorGateway(_client(fake), channel_slug="mormal")
    monkeypatch.setattr(saleor_setup, "get_saleor", lambda: gateway)
    out, err = io.StringIO(), io.StringIO()
    # when staff run the set-up
    call_command("saleor_setup", stdout=out, stderr=err)
    # then the channel is reported ready and the setting to change is named
    assert "Channel mormal (EUR) is ready" in out.getvalue()
    assert "fulfillmentAllowUnpaid" in err.getvalue()


def test_set_up_creates_the_e_voucher_product_once(monkeypatch):
    # given a Saleor without the e-voucher product (it used to be created on the first purchase only)
    from django.core.management import call_command

    from marketplace.saleor.management.commands import saleor_setup

    fake = _SetUpSaleor()
    gateway = SaleorGateway(_client(fake), channel_slug="mormal")
    monkeypatch.setattr(saleor_setup, "get_saleor", lambda: gateway)
    out = io.StringIO()
    # when staff run the set-up
    call_command("saleor_setup", stdout=out, stderr=io.StringIO())
    # then Saleor got the GIFT_CARD product type, the product, a variant priced per amount, the channel's auto-fulfilment
    assert "E-voucher product cheque-cadeau-pays-de-mormal is ready (10,00 €, 20,00 €, 50,00 €)." in out.getvalue()
    assert fake.auto_fulfil and fake.product_type["kind"] == "GIFT_CARD"
    assert [(x["sku"], x["channelListings"][0]["price"]["amount"], x["trackInventory"])
            for x in fake.product["variants"]] == [("cheque-cadeau-pays-de-mormal-10", 10.0, False),
                                                  ("cheque-cadeau-pays-de-mormal-20", 20.0, False),
                                                  ("cheque-cadeau-pays-de-mormal-50", 50.0, False)]
    assert fake.operations.count("ProductCreate") == 1 and fake.operations.count("VariantCreate") == 3
    # when it runs again, nothing more is created
    fake.operations.clear()
    call_command("saleor_setup", stdout=io.StringIO(), stderr=io.StringIO())
    assert not {"ProductCreate", "VariantCreate", "ProductTypeCreate", "CategoryCreate"} & set(fake.operations)
    assert len(fake.product["variants"]) == 3
