"""Staff pages inside a real Saleor 3.23 Dashboard: its extensions, its staff tokens, our verification.

Skipped unless SALEOR_API_URL and SALEOR_APP_TOKEN are set, and SALEOR_STAFF_EMAIL and
SALEOR_STAFF_PASSWORD (the App is installed from our manifest, then removed). Run under the
team's lock: Saleor allows one install of our manifest id at a time.
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from django.utils import timezone

from marketplace.saleor.error_codes import DashboardErrorCode
from marketplace.saleor.manifest import build_manifest
from marketplace.saleor.staff_tokens import StaffTokenRefused, verify_staff_token
from tests.saleor.test_live_saleor import (  # installed_app is a fixture
    API_URL,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    TOKEN,
    installed_app,  # noqa: F401 - a fixture
    needs_staff,
)

pytestmark = [
    pytest.mark.saleor_live,
    pytest.mark.skipif(not (API_URL and TOKEN), reason="no real Saleor configured (SALEOR_API_URL, SALEOR_APP_TOKEN)"),
]

EXTENSIONS = """query($filter: AppExtensionFilterInput) { appExtensions(first: 50, filter: $filter) { edges { node {
  label mountName targetName url settings accessToken permissions { code } app { id identifier } } } } }"""


def _staff_call(query: str, token: str | None = None, variables: dict | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.post(API_URL, headers=headers, json={"query": query, "variables": variables or {}}, timeout=20).json()
    assert not answer.get("errors"), answer["errors"]
    return answer["data"]


def _token_create() -> str:
    data = _staff_call("mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token } }",
                       variables={"e": STAFF_EMAIL, "p": STAFF_PASSWORD})
    return data["tokenCreate"]["token"]


def _claims(token: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


@needs_staff
def test_live_staff_tokens_of_saleor_are_verified_and_open_the_orders_livraison(installed_app, client):  # noqa: F811
    # 1. a staff token from tokenCreate: signature (Saleor's JWKS), issuer = the installed Saleor, expiry
    token = _token_create()
    staff = verify_staff_token(token, now=timezone.now())
    assert staff.email == STAFF_EMAIL.lower() and staff.saleor_api_url == API_URL
    assert "MANAGE_ORDERS" in staff.permissions  # tokenCreate's token has none: Saleor's `me` said so
    # ... and the same token, one claim changed, is refused
    claims = _claims(token)
    claims["email"] = "intrus@exemple.fr"
    head, _payload, signature = token.split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(StaffTokenRefused) as refused:
        verify_staff_token(f"{head}.{forged}.{signature}", now=timezone.now())
    assert refused.value.code == DashboardErrorCode.BAD_SIGNATURE

    # 2. Saleor kept our manifest's extensions (mount and target upper case, as the Dashboard reads them)
    nodes = [e["node"] for e in _staff_call(EXTENSIONS, token)["appExtensions"]["edges"]
             if e["node"]["app"]["identifier"] == build_manifest()["id"]]
    wanted = {(e["label"], e["mount"], e["target"]) for e in build_manifest()["extensions"]}
    assert {(n["label"], n["mountName"], n["targetName"]) for n in nodes} == wanted
    livraison = next(n for n in nodes if n["label"] == "Livraison")
    assert livraison["settings"] == {"newTabTarget": {"method": "POST"}}

    # 3. the token the Dashboard hands the "Livraison" action, posted the way the Dashboard posts it
    extension_token = livraison["accessToken"]
    assert _claims(extension_token)["type"] == "thirdparty"
    opened = client.post("/pilotage/tableau-de-bord/livraison/", {
        "accessToken": extension_token, "appId": livraison["app"]["id"], "saleorApiUrl": API_URL,
        "orderId": "T3JkZXI6bGl2ZQ=="})
    assert opened.status_code == 303, opened.content.decode()[:500]
    page = client.get(opened["Location"])
    assert page.status_code == 200 and "Livraison de la commande" in page.content.decode()
