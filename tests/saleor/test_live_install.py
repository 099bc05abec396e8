"""The App install against a real Saleor 3: what it confirms, what we refuse, and a re-install.

Skipped unless SALEOR_API_URL and SALEOR_APP_TOKEN are set (the re-install also needs
SALEOR_STAFF_EMAIL and SALEOR_STAFF_PASSWORD). Run under the team's lock: Saleor allows one
install of our manifest id at a time.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import httpx
import pytest

from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.crypto import decrypt
from marketplace.saleor.manifest import APP_ID
from marketplace.saleor.models import SaleorInstallation
from tests.saleor.test_live_saleor import (
    API_URL,
    APP_PERMISSIONS,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    TOKEN,
    _wait_for,
    needs_staff,
)

pytestmark = [
    pytest.mark.saleor_live,
    pytest.mark.skipif(not (API_URL and TOKEN), reason="no real Saleor configured (SALEOR_API_URL, SALEOR_APP_TOKEN)"),
]


def _register(client, token: str):
    return client.post("/saleor/api/register", data={"auth_token": token}, content_type="application/json",
                       headers={"Saleor-Api-Url": API_URL, "Saleor-Domain": urlsplit(API_URL).netloc})


def test_live_register_refuses_tokens_saleor_does_not_confirm(client, db, settings):
    settings.SALEOR_ALLOWED_API_URLS = [API_URL]
    # a made-up token, sent as if Saleor called us
    forged = _register(client, f"forged-{uuid.uuid4().hex}")
    assert forged.status_code == 403
    message = forged.json()["error"]["message"]
    assert "did not confirm the token" in message and "AUTHENTICATED_APP" in message
    # a real token of another App of the same Saleor (the live tests' own local App)
    other = _register(client, TOKEN)
    assert other.status_code == 403
    assert f"not to an active {APP_ID!r}" in other.json()["error"]["message"]
    assert not SaleorInstallation.objects.exists()


class _Staff:
    """GraphQL calls as the Saleor staff user."""

    def __init__(self) -> None:
        self.http = httpx.Client(timeout=20)
        login = self.call("mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token } }",
                          {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}, auth=False)
        self.headers = {"Authorization": f"Bearer {login['tokenCreate']['token']}"}

    def call(self, query: str, variables: dict | None = None, auth: bool = True) -> dict:
        answer = self.http.post(API_URL, headers=self.headers if auth else {},
                                json={"query": query, "variables": variables or {}}).json()
        assert not answer.get("errors"), answer["errors"]
        return answer["data"]

    def install(self, manifest_url: str) -> str:
        data = self.call("""
            mutation($url: String!, $perms: [PermissionEnum!]) { appInstall(input: {appName: "Mormal (live install)",
              manifestUrl: $url, permissions: $perms}) { appInstallation { id } errors { message } } }""",
                         {"url": manifest_url, "perms": APP_PERMISSIONS})["appInstall"]
        assert data["errors"] == []
        return data["appInstallation"]["id"]

    def job(self, job_id: str) -> dict | None:
        jobs = self.call("{ appsInstallations { id status message } }")["appsInstallations"]
        return next((j for j in jobs if j["id"] == job_id), None)

    def apps_of(self, manifest_url: str) -> list[str]:
        edges = self.call("{ apps(first: 100) { edges { node { id manifestUrl } } } }")["apps"]["edges"]
        return [e["node"]["id"] for e in edges if e["node"]["manifestUrl"] == manifest_url]

    def delete_app(self, app_id: str) -> None:
        self.call("mutation($id: ID!) { appDelete(id: $id) { errors { message } } }", {"id": app_id})

    def drop_failed(self, job_id: str) -> None:
        self.call("mutation($id: ID!) { appDeleteFailedInstallation(id: $id) { errors { message } } }", {"id": job_id})


@needs_staff
def test_live_reinstall_is_refused_until_staff_remove_the_first(live_server, settings, transactional_db, admin_client):
    """Install; delete the App in Saleor; install again (refused by us); remove ours; install again."""
    settings.APP_PUBLIC_URL = live_server.url
    settings.SALEOR_ALLOWED_API_URLS = [API_URL]
    manifest_url = f"{live_server.url}/saleor/api/manifest"
    staff = _Staff()
    try:
        # 1. Saleor installs our App: it calls /register, we ask it about the token, we store it
        staff.install(manifest_url)
        first = _wait_for(lambda: SaleorInstallation.objects.filter(saleor_api_url=API_URL).first(),
                          what="the first registration")
        _wait_for(lambda: staff.apps_of(manifest_url), what="the App in Saleor's list")
        assert [first.app_id] == staff.apps_of(manifest_url)
        # 2. the App is deleted in Saleor (Dashboard), then installed again: a new App id
        staff.delete_app(first.app_id)
        job = staff.install(manifest_url)
        failed = _wait_for(lambda: (j := staff.job(job)) and j["status"] == "FAILED" and j,
                           what="Saleor's report of the refused second install")
        assert "staff must remove" in failed["message"]
        staff.drop_failed(job)
        assert SaleorInstallation.objects.get().app_id == first.app_id
        # 3. staff remove our installation in the admin; the next install registers
        assert admin_client.post(f"/admin/saleor_app/saleorinstallation/{first.pk}/delete/",
                                 {"post": "yes"}).status_code == 302
        staff.install(manifest_url)
        second = _wait_for(lambda: SaleorInstallation.objects.filter(saleor_api_url=API_URL).first(),
                           what="the registration after removal")
        assert second.app_id != first.app_id
        app = SaleorGraphQLClient(API_URL, decrypt(second.token_encrypted)).execute("app_current")["app"]
        assert app["identifier"] == APP_ID
        _wait_for(lambda: staff.apps_of(manifest_url), what="the App in Saleor's list")
        assert app["id"] == second.app_id
    finally:
        for app_id in staff.apps_of(manifest_url):
            staff.delete_app(app_id)
