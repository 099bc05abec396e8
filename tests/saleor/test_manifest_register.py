"""App lifecycle: the manifest Saleor reads and the register call that stores our token."""

import pytest
from django.db import connection

from marketplace.saleor.crypto import decrypt
from marketplace.saleor.models import SaleorInstallation

PAYMENT_APP_EVENTS = {
    "PAYMENT_GATEWAY_INITIALIZE_SESSION",
    "TRANSACTION_INITIALIZE_SESSION",
    "TRANSACTION_PROCESS_SESSION",
    "TRANSACTION_CHARGE_REQUESTED",
    "TRANSACTION_CANCELATION_REQUESTED",
    "TRANSACTION_REFUND_REQUESTED",
}


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
        "ORDER_REFUNDED",
        "ORDER_FULLY_REFUNDED",
        "PRODUCT_VARIANT_STOCK_UPDATED",
        "SHIPPING_LIST_METHODS_FOR_CHECKOUT",
        *PAYMENT_APP_EVENTS,
    }
    # the payment app's calls are synchronous: Saleor records what we answer
    assert all(events[e]["syncEvents"] == [e] and not events[e]["asyncEvents"] for e in PAYMENT_APP_EVENTS)
    assert events["SHIPPING_LIST_METHODS_FOR_CHECKOUT"]["syncEvents"] == [
        "SHIPPING_LIST_METHODS_FOR_CHECKOUT"
    ]
    assert (
        events["ORDER_FULLY_PAID"]["targetUrl"]
        == "https://marche.mormal.example/saleor/api/webhooks/order-fully-paid"
    )
    assert "subscription" in events["ORDER_CREATED"]["query"]


def _register(client, jwks_server, token="tok-en-1234567890", domain=None, api_url=None):
    return client.post(
        "/saleor/api/register",
        data={"auth_token": token},
        content_type="application/json",
        headers={
            "Saleor-Api-Url": api_url or jwks_server.api_url,
            "Saleor-Domain": domain or jwks_server.domain,
        },
    )


def test_register_stores_the_token_encrypted_once_saleor_confirms_it(client, jwks_server, db):
    # given an allowed Saleor instance that issued the token to our App
    token = jwks_server.issue_token("very-secret-app-token-42", app_id="QXBwOjc=")
    # when it calls our register endpoint
    response = _register(client, jwks_server, token=token)
    # then we asked that Saleor about the token, fetched its keys, and stored the installation
    assert response.status_code == 200
    assert jwks_server.bearers == ["very-secret-app-token-42"]
    installation = SaleorInstallation.objects.get(saleor_api_url=jwks_server.api_url)
    assert (installation.app_id, installation.version) == ("QXBwOjc=", 1)
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


def test_a_forged_caller_naming_the_allowed_saleor_with_a_made_up_token_is_refused(client, jwks_server, db):
    # given someone who knows our register URL and the allowed Saleor's API URL, not a real token
    response = _register(client, jwks_server, token="forged-token-0000")
    # then Saleor, asked with that token, does not confirm it: nothing is stored
    assert response.status_code == 403
    assert "did not confirm the token" in response.json()["error"]["message"]
    assert "AUTHENTICATED_APP" in response.json()["error"]["message"]
    assert jwks_server.bearers == ["forged-token-0000"]
    assert not SaleorInstallation.objects.exists()
    assert jwks_server.hits == 0


def test_a_token_of_another_app_of_the_same_saleor_is_refused(client, jwks_server, db):
    token = jwks_server.issue_token("token-of-the-reports-app", identifier="saleor.app.reports")
    response = _register(client, jwks_server, token=token)
    assert response.status_code == 403
    assert "'saleor.app.reports'" in response.json()["error"]["message"]
    assert not SaleorInstallation.objects.exists()


def test_an_inactive_app_token_is_refused(client, jwks_server, db):
    token = jwks_server.issue_token("token-of-a-disabled-app", active=False)
    assert _register(client, jwks_server, token=token).status_code == 403
    assert not SaleorInstallation.objects.exists()


def test_register_from_a_url_not_allowed_is_refused_before_any_call(client, jwks_server, db, settings):
    token = jwks_server.issue_token("tok-en-1234567890")
    settings.SALEOR_ALLOWED_API_URLS = ["https://saleor.mormal.example/graphql/"]
    response = _register(client, jwks_server, token=token)
    assert response.status_code == 403
    assert "not in SALEOR_ALLOWED_API_URLS" in response.json()["error"]["message"]
    assert not SaleorInstallation.objects.exists()
    assert jwks_server.hits == 0 and jwks_server.bearers == []


def test_the_same_host_with_another_path_is_not_the_allowed_url(client, jwks_server, db):
    # given the allowed URL http://127.0.0.1:<port>/graphql/: a host match is not enough
    token = jwks_server.issue_token("tok-en-1234567890")
    other = jwks_server.api_url.replace("/graphql/", "/other/graphql/")
    response = _register(client, jwks_server, token=token, api_url=other)
    assert response.status_code == 403
    assert jwks_server.bearers == []
    assert not SaleorInstallation.objects.exists()


def test_register_with_a_mismatched_domain_header_is_refused(client, jwks_server, db):
    token = jwks_server.issue_token("tok-en-1234567890")
    response = _register(client, jwks_server, token=token, domain="evil.example")
    assert response.status_code == 403
    assert not SaleorInstallation.objects.exists()


def test_register_without_token_is_a_bad_request(client, jwks_server, db):
    response = _register(client, jwks_server, token="")
    assert response.status_code == 400
    assert not SaleorInstallation.objects.exists()


def test_a_second_app_of_the_same_saleor_is_refused_until_staff_remove_the_first(
    client, jwks_server, db, admin_client
):
    # given our App installed by Saleor as App 7
    first = jwks_server.issue_token("token-of-app-7", app_id="QXBwOjc=")
    assert _register(client, jwks_server, token=first).status_code == 200
    # when another install of the manifest (App 8) registers with its own, valid, token
    second = jwks_server.issue_token("token-of-app-8", app_id="QXBwOjg=")
    response = _register(client, jwks_server, token=second)
    # then it is refused and App 7's token stays
    assert response.status_code == 409
    assert "staff must remove" in response.json()["error"]["message"]
    installation = SaleorInstallation.objects.get()
    assert (installation.app_id, decrypt(installation.token_encrypted)) == ("QXBwOjc=", "token-of-app-7")
    # when staff remove the installation in the admin
    page = admin_client.get(f"/admin/saleor_app/saleorinstallation/{installation.pk}/delete/")
    assert page.status_code == 200
    removed = admin_client.post(f"/admin/saleor_app/saleorinstallation/{installation.pk}/delete/", {"post": "yes"})
    assert removed.status_code == 302
    # then App 8 can register
    assert _register(client, jwks_server, token=second).status_code == 200
    assert SaleorInstallation.objects.get().app_id == "QXBwOjg="


def test_the_same_app_registering_a_new_token_replaces_it_and_bumps_the_version(client, jwks_server, db):
    jwks_server.issue_token("token-one", app_id="QXBwOjc=")
    jwks_server.issue_token("token-two", app_id="QXBwOjc=")
    assert _register(client, jwks_server, token="token-one").status_code == 200
    assert _register(client, jwks_server, token="token-two").status_code == 200
    installation = SaleorInstallation.objects.get()
    assert installation.version == 2
    assert decrypt(installation.token_encrypted) == "token-two"


def test_staff_cannot_add_an_installation_by_hand(admin_client, db):
    assert admin_client.get("/admin/saleor_app/saleorinstallation/add/").status_code == 403
    listing = admin_client.get("/admin/saleor_app/saleorinstallation/")
    assert listing.status_code == 200


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
    settings.SALEOR_ALLOWED_API_URLS = []
    monkeypatch.delenv("MORMAL_DEV", raising=False)
    assert {p.id for p in saleor_settings(None)} == {"saleor_app.E001", "saleor_app.W001"}
    settings.FIELD_ENCRYPTION_KEY = "x" * 44
    settings.SALEOR_ALLOWED_API_URLS = ["https://saleor.example.org/graphql/"]
    assert saleor_settings(None) == []
