"""The Dashboard extensions of the manifest, and Dashboard staff tokens of an installed Saleor.

The manifest is checked against the real formats: Saleor 3.23's schema (``PermissionEnum``) and
rules (``saleor/app/manifest_validations.py``: extension permissions within the App's), and the
mounts and targets of the Dashboard 3.23 (``sdl/dashboard_extensions.json``, since Saleor 3.23's
schema types ``mountName``/``targetName`` as ``String``). Tokens are signed like Saleor signs
them and their keys fetched over HTTP from the pretend Saleor's ``/.well-known/jwks.json``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from graphql import GraphQLEnumType
from jwcrypto import jwk, jws

from marketplace.saleor.error_codes import DashboardErrorCode
from marketplace.saleor.manifest import APP_ID, PERMISSIONS, build_manifest
from marketplace.saleor.schema import SDL_DIR, saleor_schema
from marketplace.saleor.staff_tokens import StaffTokenRefused, verify_staff_token

NOW = dt.datetime(2027, 3, 2, 9, 30, tzinfo=dt.UTC)
DASHBOARD = json.loads((SDL_DIR / "dashboard_extensions.json").read_text(encoding="utf-8"))


def _extensions() -> list[dict]:
    return build_manifest()["extensions"]


def test_saleor_3_23_types_mounts_and_targets_as_strings_so_the_dashboard_lists_decide():
    schema = saleor_schema()
    assert "AppExtensionMountEnum" not in schema.type_map and "AppExtensionTargetEnum" not in schema.type_map
    fields = schema.type_map["AppManifestExtension"].fields
    assert str(fields["mountName"].type) == "String!" and str(fields["targetName"].type) == "String!"
    assert {"ORDER_DETAILS_MORE_ACTIONS", "NAVIGATION_ORDERS", "NAVIGATION_CATALOG"} <= set(DASHBOARD["mounts"])


def test_every_extension_validates_against_the_dashboard_and_saleor_formats():
    permission_enum = saleor_schema().type_map["PermissionEnum"]
    assert isinstance(permission_enum, GraphQLEnumType)
    extensions = _extensions()
    assert len({e["identifier"] for e in extensions}) == len(extensions)
    for ext in extensions:
        assert ext["mount"] in DASHBOARD["mounts"], ext
        assert ext["target"] in DASHBOARD["targets"], ext
        if ext["target"] == "WIDGET":
            assert ext["mount"] in DASHBOARD["widget_mounts"]
        # Saleor: a permission of the enum, and one the App itself asks for
        assert set(ext["permissions"]) <= set(permission_enum.values) & set(PERMISSIONS), ext
        # Dashboard: APP_PAGE urls start with "/", the others are absolute (or relative to appUrl)
        if ext["target"] == "APP_PAGE":
            assert ext["url"].startswith("/pilotage/tableau-de-bord/")
        else:
            assert ext["url"].startswith("http")
        options = ext.get("options", {})
        assert ("newTabTarget" in options) == (ext["target"] == "NEW_TAB")
        if "newTabTarget" in options:
            assert options["newTabTarget"]["method"] in DASHBOARD["new_tab_methods"]


def test_the_manifest_mounts_the_staff_pages_and_the_orders_livraison(client):
    by_label = {e["label"]: e for e in client.get("/saleor/api/manifest").json()["extensions"]}
    assert {"Tournées du jour", "Planification des tournées", "Indicateurs du marché", "Vendeurs du marché",
            "Tâches en échec", "Livraison", "Chèques cadeaux du Pays de Mormal"} == set(by_label)
    livraison = by_label["Livraison"]
    assert (livraison["mount"], livraison["target"], livraison["options"]) == (
        "ORDER_DETAILS_MORE_ACTIONS", "NEW_TAB", {"newTabTarget": {"method": "POST"}})
    assert livraison["permissions"] == ["MANAGE_ORDERS"]
    for label in ("Tournées du jour", "Planification des tournées"):
        assert (by_label[label]["mount"], by_label[label]["target"]) == ("NAVIGATION_ORDERS", "APP_PAGE")


# ---------------------------------------------------------------------- tokens of an installed Saleor


def saleor_token(keys, kid: str, **claims) -> str:
    """A JWT signed like Saleor 3.23's ``jwt_encode`` (RS256, ``kid`` in the header)."""
    body = {"iat": int(NOW.timestamp()), "exp": int(NOW.timestamp()) + 300, "owner": "saleor", "type": "thirdparty",
            "token": "abc", "email": "claire@mormal.fr", "user_id": "VXNlcjoy", "is_staff": True,
            "permissions": ["MANAGE_ORDERS"], "user_permissions": ["MANAGE_ORDERS", "MANAGE_STAFF"],
            "app_extension": "QXBwRXh0ZW5zaW9uOjE="}
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    signed = jws.JWS(json.dumps(body).encode())
    signed.add_signature(jwk.JWK.from_pyca(keys.keys[kid]), alg="RS256",
                         protected={"alg": "RS256", "kid": kid, "typ": "JWT"})
    return signed.serialize(compact=True)


def test_a_token_of_the_installed_saleor_is_verified_with_its_published_keys(installation, jwks_server, saleor_keys):
    token = saleor_token(saleor_keys, "key-1", iss=installation.saleor_api_url, app=installation.app_id)
    staff = verify_staff_token(token, now=NOW)
    assert staff.email == "claire@mormal.fr" and staff.saleor_api_url == jwks_server.api_url
    assert staff.permissions == {"MANAGE_ORDERS", "MANAGE_STAFF"}  # the staff member's own, not the App's share
    assert staff.extension_id == "QXBwRXh0ZW5zaW9uOjE="


def test_a_new_key_of_saleor_is_fetched_once_then_kept(installation, jwks_server, saleor_keys, settings):
    settings.SALEOR_JWKS_REFRESH_INTERVAL_S = 0  # the install's own fetch is long past
    saleor_keys.add_key("key-2")  # Saleor rotated its key
    token = saleor_token(saleor_keys, "key-2", iss=installation.saleor_api_url, app=installation.app_id)
    hits = jwks_server.hits
    for _ in range(3):
        verify_staff_token(token, now=NOW)
    assert jwks_server.hits == hits + 1


@pytest.mark.parametrize("claims, code", [
    ({"exp": int(NOW.timestamp()) - 60}, DashboardErrorCode.TOKEN_EXPIRED),
    ({"iss": "https://saleor.ailleurs.fr/graphql/"}, DashboardErrorCode.UNKNOWN_ISSUER),
    ({"app": "QXBwOjk5"}, DashboardErrorCode.WRONG_APP),
    ({"type": "refresh"}, DashboardErrorCode.TOKEN_MALFORMED),
    ({"is_staff": False}, DashboardErrorCode.NOT_STAFF),
])
def test_tokens_the_installed_saleor_did_not_mean_for_our_staff_pages_are_refused(
        installation, saleor_keys, claims, code):
    base = {"iss": installation.saleor_api_url, "app": installation.app_id}
    with pytest.raises(StaffTokenRefused) as refused:
        verify_staff_token(saleor_token(saleor_keys, "key-1", **{**base, **claims}), now=NOW)
    assert refused.value.code == code


def test_a_key_saleor_does_not_publish_is_refused(installation, saleor_keys):
    saleor_keys.add_key("stolen", publish=False)
    token = saleor_token(saleor_keys, "stolen", iss=installation.saleor_api_url, app=installation.app_id)
    with pytest.raises(StaffTokenRefused) as refused:
        verify_staff_token(token, now=NOW)
    assert refused.value.code == DashboardErrorCode.BAD_SIGNATURE


def test_an_unsigned_token_is_refused(installation):
    header = json.dumps({"alg": "none"}).encode()
    body = json.dumps({"iss": installation.saleor_api_url, "email": "a@b.fr", "is_staff": True}).encode()
    import base64

    token = b".".join(base64.urlsafe_b64encode(p).rstrip(b"=") for p in (header, body)).decode() + ".x"
    with pytest.raises(StaffTokenRefused) as refused:
        verify_staff_token(token, now=NOW)
    assert refused.value.code == DashboardErrorCode.BAD_SIGNATURE


def test_app_id_is_the_manifest_id():
    assert build_manifest()["id"] == APP_ID


def _saleor_answering_me(me: dict | None):
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"].startswith("Bearer ey")  # asked with the staff token itself
        assert b"userPermissions" in request.content
        return httpx.Response(200, json={"data": {"me": me}})

    return httpx.MockTransport(answer)


def test_a_token_create_token_gets_its_permissions_from_saleor(installation, saleor_keys):
    # tokenCreate's token: type "access", no permission claim, no app
    token = saleor_token(saleor_keys, "key-1", iss=installation.saleor_api_url, type="access",
                         permissions=None, user_permissions=None)
    me = {"id": "VXNlcjoy", "email": "claire@mormal.fr", "isStaff": True, "isActive": True,
          "userPermissions": [{"code": "MANAGE_ORDERS"}, {"code": "MANAGE_APPS"}]}
    staff = verify_staff_token(token, now=NOW, transport=_saleor_answering_me(me))
    assert staff.permissions == {"MANAGE_ORDERS", "MANAGE_APPS"}
    with pytest.raises(StaffTokenRefused) as refused:
        verify_staff_token(token, now=NOW, transport=_saleor_answering_me({**me, "isStaff": False}))
    assert refused.value.code == DashboardErrorCode.NOT_STAFF
