"""First run against a real Saleor: the EUR channel and FR zone, then the App installed by Saleor.

A fresh Saleor has only a USD ``default-channel`` and no App: products pushed before the
channel exists have no price, and without the App's webhooks Saleor neither fetches photos
from us nor offers the van's home delivery. The demo (``marketplace.launcher``) calls, in order,
:func:`prepare_channel` (before our server is up), :func:`install_app` (while it serves the
manifest) and then seeds. Installing needs a staff account; without one,
:func:`manual_steps` says exactly what to do by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from marketplace.saleor.client import SaleorGraphQLClient, shared_client
from marketplace.saleor.errors import SaleorError
from marketplace.saleor.manifest import APP_ID, PERMISSIONS, public_url


class FirstRunError(Exception):
    """A first-run step failed; the message says what to do (printed as is by the launcher)."""


def staff_client(api_url: str, email: str, password: str) -> SaleorGraphQLClient:
    """A GraphQL client acting as the staff user ``email``.

    Raises
    ------
    FirstRunError
        When Saleor refuses the credentials or cannot be reached.
    """
    try:
        answer = SaleorGraphQLClient(api_url).execute("staff_token_create", {"email": email, "password": password})
    except SaleorError as exc:
        raise FirstRunError(f"Saleor at {api_url} did not answer the staff sign-in: {exc}") from exc
    result = answer["tokenCreate"]
    if result["errors"] or not result["token"]:
        reasons = "; ".join(e["message"] or e["code"] for e in result["errors"]) or "no token"
        raise FirstRunError(f"Saleor refused the staff sign-in of {email}: {reasons}")
    return SaleorGraphQLClient(api_url, result["token"])


def prepare_channel(client: SaleorGraphQLClient, channel_slug: str) -> dict[str, Any]:
    """Create (or check) the EUR channel ``channel_slug`` and its FR shipping zone.

    Raises
    ------
    FirstRunError
        When Saleor refuses, e.g. the slug names a channel in another currency.
    """
    from marketplace.saleor.gateway import SaleorGateway

    try:
        return SaleorGateway(client, channel_slug=channel_slug).setup.ensure_sales_setup()
    except SaleorError as exc:
        raise FirstRunError(f"channel {channel_slug!r} could not be prepared in Saleor: {exc}") from exc


def app_installed(api_url: str) -> bool:
    """Whether Saleor has our App (manifest id ``mormal.marketplace``) installed and active.

    Asked with the token it gave us at registration, else ``SALEOR_APP_TOKEN``; a token of
    another App (one made by hand in the Dashboard) does not count: it brings no webhooks.
    """
    from marketplace.saleor.installation import app_token

    for token in {app_token(api_url) or "", settings.SALEOR_APP_TOKEN} - {""}:
        try:
            app = SaleorGraphQLClient(api_url, token, max_attempts=1).execute("app_current").get("app")
        except SaleorError:
            continue
        if app and app.get("identifier") == APP_ID and app.get("isActive"):
            return True
    return False


def forget_stale_installation(api_url: str) -> bool:
    """Remove our record of an App that Saleor no longer has (deleted there); True if one was removed.

    Call it only when :func:`app_installed` is false: the stored token no longer opens our App,
    and a new install would otherwise be refused as a second App of the same Saleor. The person
    running the first run acts as staff here, exactly as removing the row in the admin.
    """
    from marketplace.saleor.installation import forget_tokens
    from marketplace.saleor.models import SaleorInstallation

    removed, _ = SaleorInstallation.objects.filter(saleor_api_url=api_url).delete()
    forget_tokens()
    return bool(removed)


def install_app(client: SaleorGraphQLClient, manifest_url: str, *, timeout_s: float = 120,
                poll_s: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> None:
    """Have Saleor install the App from ``manifest_url`` and wait for its call to our register URL.

    Saleor's worker fetches the manifest and calls ``/saleor/api/register``, so our server must
    be serving ``manifest_url`` while this runs.

    Raises
    ------
    FirstRunError
        When Saleor refuses the install, reports it failed, or has not registered within
        ``timeout_s`` seconds.
    """
    from marketplace.saleor.models import SaleorInstallation

    started = timezone.now()
    try:
        answer = client.execute("app_install", {"manifestUrl": manifest_url, "appName": "Marché du Pays de Mormal",
                                                "permissions": list(PERMISSIONS)})["appInstall"]
    except SaleorError as exc:
        raise FirstRunError(f"Saleor refused to install the App from {manifest_url}: {exc}") from exc
    if answer["errors"]:
        reasons = "; ".join(e["message"] or e["code"] for e in answer["errors"])
        raise FirstRunError(f"Saleor refused to install the App from {manifest_url}: {reasons}")
    job = answer["appInstallation"]["id"]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if SaleorInstallation.objects.filter(updated_at__gte=started).exists():
            shared_client.cache_clear()  # the gateway now takes the registered token
            return
        jobs = client.execute("app_installations")["appsInstallations"]
        failed = [j for j in jobs if j["id"] == job and j["status"] == "FAILED"]
        if failed:
            raise FirstRunError(
                f"Saleor could not install the App: {failed[0]['message']}. If an App with the id "
                "mormal.marketplace is already installed, delete it in the Dashboard (Apps) first; if "
                f"Saleor could not fetch {manifest_url}, check that it may call that address "
                "(HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS=True for a Saleor on this machine).")
        sleep(poll_s)
    raise FirstRunError(f"Saleor did not call {public_url('/saleor/api/register')} within {timeout_s:.0f} s: "
                        "is its Celery worker running?")


def manual_steps(api_url: str, port: int) -> str:
    """The exact steps for a first run by hand, when no staff account is given."""
    manifest = f"http://127.0.0.1:{port}/saleor/api/manifest"
    channel = settings.SALEOR_CHANNEL
    return f"""\
[demo] SALEOR_API_URL={api_url} is set, but the App is not installed in that Saleor and no staff
       account was given to install it. Either give one and start again:

    export SALEOR_STAFF_EMAIL=... SALEOR_STAFF_PASSWORD=...   # a Saleor staff user (superuser)
    python3 run.py demo {port}

or do the first run by hand, in this order:

    1. the EUR channel and FR zone (a token with MANAGE_CHANNELS and MANAGE_SHIPPING):
         export SALEOR_CHANNEL={channel} SALEOR_APP_TOKEN=<token>
         .venv/bin/python manage.py migrate && .venv/bin/python manage.py saleor_setup
    2. serve the App:     .venv/bin/python manage.py runserver 127.0.0.1:{port}
    3. install it:        Saleor Dashboard > Apps > Install external app > {manifest}
                          (wait until the App shows as installed)
    4. seed, still serving: .venv/bin/python manage.py seed_demo
    5. stop runserver and run `python3 run.py demo {port}`
"""
