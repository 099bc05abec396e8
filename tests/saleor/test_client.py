"""The HTTP client at the transport level (httpx.MockTransport): retries, timeouts, typed errors."""

import io

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


def test_set_up_warns_when_saleor_refuses_to_fulfil_unpaid_orders(monkeypatch):
    # given a Saleor whose shop has fulfillmentAllowUnpaid off (seen on the live 3.23.28: then
    # orderFulfill answers CANNOT_FULFILL_UNPAID_ORDER for a pay-on-delivery order)
    from django.core.management import call_command

    from marketplace.saleor.management.commands import saleor_setup

    def handler(request):
        query = request.read().decode()
        if "ShopSettings" in query:
            shop = {"fulfillmentAllowUnpaid": False, "fulfillmentAutoApprove": True}
            return httpx.Response(200, json={"data": {"shop": shop}})
        if "ShippingZones" in query:
            zone = {"id": "U2hpcHBpbmdab25lOjE=", "name": "FR", "countries": [{"code": "FR"}]}
            return httpx.Response(
                200, json={"data": {"shippingZones": {"edges": [{"node": zone}]}}}
            )
        channel = {
            "id": "Q2hhbm5lbDo0",
            "slug": "mormal",
            "currencyCode": "EUR",
            "defaultCountry": {"code": "FR"},
        }
        return httpx.Response(200, json={"data": {"channel": channel}})

    gateway = SaleorGateway(_client(handler), channel_slug="mormal")
    monkeypatch.setattr(saleor_setup, "get_saleor", lambda: gateway)
    out, err = io.StringIO(), io.StringIO()
    # when staff run the set-up
    call_command("saleor_setup", stdout=out, stderr=err)
    # then the channel is reported ready and the setting to change is named
    assert "Channel mormal (EUR) is ready" in out.getvalue()
    assert "fulfillmentAllowUnpaid" in err.getvalue()
