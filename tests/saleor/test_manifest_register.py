"""App lifecycle: the manifest Saleor reads and the register call that stores our token."""

import pytest
from django.db import connection

from marketplace.saleor.crypto import decrypt
from marketplace.saleor.models import SaleorInstallation


def test_manifest_declares_permissions_urls_and_webhooks(client, settings):
    settings.APP_PUBLIC_URL = "https://marche.mormal.example"
    # when Saleor fetches the manifest
    response = client.get("/saleor/api/manifest")
    # then it describes the App
    assert response.status_code == 200
    manifest = response.json()
    assert manifest["id"] == "mormal.marketplace"
    assert manifest["tokenTargetUrl"] == "https://marche.mormal.example/saleor/api/register"
    assert {"MANAGE_PRODUCTS", "MANAGE_ORDERS", "MANAGE_CHECKOUTS", "HANDLE_PAYMENTS"} <= set(
        manifest["permissions"]
    )
    events = {e: w for w in manifest["webhooks"] for e in w["asyncEvents"] + w["syncEvents"]}
    assert set(events) == {
        "ORDER_CREATED",
        "ORDER_FULLY_PAID",
        "ORDER_UPDATED",
        "ORDER_CANCELLED",
        "PRODUCT_VARIANT_STOCK_UPDATED",
        "SHIPPING_LIST_METHODS_FOR_CHECKOUT",
    }
    assert events["SHIPPING_LIST_METHODS_FOR_CHECKOUT"]["syncEvents"] == [
        "SHIPPING_LIST_METHODS_FOR_CHECKOUT"
    ]
    assert (
        events["ORDER_FULLY_PAID"]["targetUrl"]
        == "https://marche.mormal.example/saleor/api/webhooks/order-fully-paid"
    )
    assert "subscription" in events["ORDER_CREATED"]["query"]


def _register(client, jwks_server, token="tok-en-1234567890", domain=None):
    return client.post(
        "/saleor/api/register",
        data={"auth_token": token},
        content_type="application/json",
        headers={
            "Saleor-Api-Url": jwks_server.api_url,
            "Saleor-Domain": domain or jwks_server.domain,
        },
    )


def test_register_stores_the_token_encrypted_and_fetches_the_keys(client, jwks_server, db):
    # given an allowed Saleor instance calling our register endpoint
    response = _register(client, jwks_server, token="very-secret-app-token-42")
    # then the installation exists with the JWKS fetched from the instance
    assert response.status_code == 200
    installation = SaleorInstallation.objects.get(saleor_api_url=jwks_server.api_url)
    assert jwks_server.hits == 1
    assert [k["kid"] for k in installation.jwks["keys"]] == ["key-1"]
    # and the database column holds ciphertext only
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token_encrypted FROM saleor_app_saleorinstallation WHERE id = %s",
            [installation.pk],
        )
        (raw,) = cursor.fetchone()
    assert "very-secret-app-token-42" not in raw
    assert decrypt(raw) == "very-secret-app-token-42"


def test_register_from_a_domain_not_allowed_is_refused(client, jwks_server, db, monkeypatch):
    monkeypatch.setenv("SALEOR_ALLOWED_DOMAINS", "saleor.mormal.example")
    response = _register(client, jwks_server)
    assert response.status_code == 403
    assert "not in SALEOR_ALLOWED_DOMAINS" in response.json()["error"]["message"]
    assert not SaleorInstallation.objects.exists()
    assert jwks_server.hits == 0


def test_register_with_a_mismatched_domain_header_is_refused(client, jwks_server, db):
    response = _register(client, jwks_server, domain="evil.example")
    assert response.status_code == 403
    assert not SaleorInstallation.objects.exists()


def test_register_without_token_is_a_bad_request(client, jwks_server, db):
    response = _register(client, jwks_server, token="")
    assert response.status_code == 400
    assert not SaleorInstallation.objects.exists()


def test_production_without_encryption_key_refuses_to_store_tokens(settings, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from marketplace.saleor.crypto import encrypt

    settings.FIELD_ENCRYPTION_KEY = ""
    settings.DEBUG = False
    monkeypatch.delenv("MORMAL_DEV", raising=False)
    with pytest.raises(ImproperlyConfigured):
        encrypt("token")


def test_production_check_reports_a_missing_encryption_key(settings, monkeypatch):
    from marketplace.saleor.checks import saleor_settings

    settings.DEBUG = False
    settings.FIELD_ENCRYPTION_KEY = ""
    monkeypatch.delenv("MORMAL_DEV", raising=False)
    monkeypatch.delenv("SALEOR_ALLOWED_DOMAINS", raising=False)
    assert {p.id for p in saleor_settings(None)} == {"saleor_app.E001", "saleor_app.W001"}
    settings.FIELD_ENCRYPTION_KEY = "x" * 44
    monkeypatch.setenv("SALEOR_ALLOWED_DOMAINS", "saleor.example.org")
    assert saleor_settings(None) == []
