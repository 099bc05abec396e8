"""Install the App for a Saleor instance: check the caller, fetch its keys, store the token."""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils import timezone

from marketplace.saleor.crypto import decrypt, encrypt
from marketplace.saleor.jws import fetch_jwks
from marketplace.saleor.models import SaleorInstallation

logger = logging.getLogger(__name__)


class RegistrationRefused(Exception):
    """The caller is not an allowed Saleor instance (HTTP 403)."""


def allowed_domains() -> set[str]:
    """Hosts allowed to install the App (``SALEOR_ALLOWED_DOMAINS``, comma-separated).

    Without the variable, development allows loopback and the host of ``SALEOR_API_URL``;
    production allows nobody (the variable is required).
    """
    raw = os.environ.get("SALEOR_ALLOWED_DOMAINS", getattr(settings, "SALEOR_ALLOWED_DOMAINS", ""))
    domains = {d.strip().lower() for d in str(raw).split(",") if d.strip()}
    if domains:
        return domains
    dev = settings.DEBUG or os.environ.get("MORMAL_DEV", "").lower() in {"1", "true", "yes", "on"}
    if not dev:
        return set()
    defaults = {"localhost", "127.0.0.1"}
    if settings.SALEOR_API_URL:
        defaults.add((urlsplit(settings.SALEOR_API_URL).hostname or "").lower())
    return defaults


def check_domain(saleor_api_url: str, saleor_domain: str) -> None:
    """Refuse a caller whose API URL host is not allowed or does not match ``Saleor-Domain``.

    Raises
    ------
    RegistrationRefused
        With a sentence naming the refused host.
    """
    parts = urlsplit(saleor_api_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        raise RegistrationRefused(f"Saleor-Api-Url {saleor_api_url!r} is not an http(s) URL")
    allowed = allowed_domains()
    if host not in allowed and parts.netloc.lower() not in allowed:
        raise RegistrationRefused(f"Saleor instance {host!r} is not in SALEOR_ALLOWED_DOMAINS")
    if saleor_domain and saleor_domain.lower() not in {host, parts.netloc.lower()}:
        raise RegistrationRefused(
            f"Saleor-Domain {saleor_domain!r} does not match Saleor-Api-Url host {parts.netloc!r}"
        )


def register(
    saleor_api_url: str,
    saleor_domain: str,
    auth_token: str,
    transport: httpx.BaseTransport | None = None,
) -> SaleorInstallation:
    """Store (or replace) the installation of ``saleor_api_url`` with its encrypted token.

    Raises
    ------
    RegistrationRefused
        When the caller is not allowed.
    ValueError
        When the token is empty.
    marketplace.saleor.jws.SignatureError
        When the instance's JWKS cannot be fetched.
    """
    if not auth_token:
        raise ValueError("auth_token is missing")
    check_domain(saleor_api_url, saleor_domain)
    jwks = fetch_jwks(saleor_api_url, transport)
    installation, created = SaleorInstallation.objects.update_or_create(
        saleor_api_url=saleor_api_url,
        defaults={
            "domain": saleor_domain or urlsplit(saleor_api_url).netloc,
            "token_encrypted": encrypt(auth_token),
            "jwks": jwks,
            "jwks_fetched_at": timezone.now(),
        },
    )
    logger.info("Saleor App %s for %s", "installed" if created else "re-installed", saleor_api_url)
    return installation


def app_token(saleor_api_url: str) -> str | None:
    """The decrypted token stored for ``saleor_api_url``, or None.

    When we reach Saleor by an internal URL (``http://saleor-api:8000/graphql/`` in compose)
    while Saleor registered under its public one, the latest installation is used.
    """
    installation = SaleorInstallation.objects.filter(saleor_api_url=saleor_api_url).first()
    if installation is None:
        installation = SaleorInstallation.objects.order_by("-updated_at").first()
    return decrypt(installation.token_encrypted) if installation else None
