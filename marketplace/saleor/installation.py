"""Install the App for a Saleor instance: check the caller, ask Saleor about the token, store it.

A register call is trusted only when three things hold: its ``Saleor-Api-Url`` is one of the
exact URLs in ``settings.SALEOR_ALLOWED_API_URLS``; that Saleor, asked with the token, answers
that the token belongs to an active App with our manifest id; and no other App of that Saleor
is installed here already (staff remove the first one in the admin). Running processes read the
token through :func:`current_token`, which re-reads the installation's ``version`` every
``settings.SALEOR_TOKEN_CACHE_S`` seconds, so a new token is used without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.saleor.crypto import decrypt, encrypt
from marketplace.saleor.jws import fetch_jwks
from marketplace.saleor.models import SaleorInstallation

logger = logging.getLogger(__name__)

#: Seconds to wait for Saleor's answer about a token (connect, then the whole request).
VERIFY_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
_APP_QUERY = "query AppCurrent { app { id identifier isActive } }"


class RegistrationRefused(Exception):
    """The register call is not trusted (HTTP 403); the message names what was refused."""


class AlreadyInstalled(RegistrationRefused):
    """Another App of the same Saleor is installed here; staff must remove it first (HTTP 409)."""


def allowed_api_urls() -> frozenset[str]:
    """The exact Saleor API URLs allowed to install the App (``SALEOR_ALLOWED_API_URLS``).

    Defaults to ``SALEOR_API_URL`` alone; empty (nobody) when the stand-in is in use.
    """
    return frozenset(u.strip() for u in settings.SALEOR_ALLOWED_API_URLS if u.strip())


def check_caller(saleor_api_url: str, saleor_domain: str) -> None:
    """Refuse a caller whose API URL is not listed exactly, or whose domain header disagrees.

    Raises
    ------
    RegistrationRefused
        With a sentence naming the refused URL or header.
    """
    parts = urlsplit(saleor_api_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise RegistrationRefused(f"Saleor-Api-Url {saleor_api_url!r} is not an http(s) URL")
    if saleor_api_url not in allowed_api_urls():
        raise RegistrationRefused(f"Saleor API URL {saleor_api_url!r} is not in SALEOR_ALLOWED_API_URLS")
    if saleor_domain and saleor_domain.lower() not in {parts.hostname.lower(), parts.netloc.lower()}:
        raise RegistrationRefused(
            f"Saleor-Domain {saleor_domain!r} does not match Saleor-Api-Url host {parts.netloc!r}"
        )


def verify_token(saleor_api_url: str, auth_token: str,
                 transport: httpx.BaseTransport | None = None) -> str:
    """Ask Saleor which App ``auth_token`` belongs to; return that App's ID if it is ours.

    Saleor commits the App and its token before it calls our register URL, so the token
    already works during that call.

    Raises
    ------
    RegistrationRefused
        When Saleor cannot be reached, refuses the token, or names another App or an
        inactive one.
    """
    from marketplace.saleor.manifest import APP_ID

    try:
        with httpx.Client(timeout=VERIFY_TIMEOUT, transport=transport) as http:
            response = http.post(saleor_api_url, json={"query": _APP_QUERY},
                                 headers={"Authorization": f"Bearer {auth_token}"})
        answer = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise RegistrationRefused(f"Saleor at {saleor_api_url} could not be asked about the token: {exc}") from exc
    app = (answer.get("data") or {}).get("app") if isinstance(answer, dict) else None
    if not app:
        errors = "; ".join(str(e.get("message", "")) for e in answer.get("errors") or []) if isinstance(answer, dict) else ""
        raise RegistrationRefused(
            f"Saleor at {saleor_api_url} did not confirm the token (HTTP {response.status_code}"
            f"{': ' + errors if errors else ''})"
        )
    if app.get("identifier") != APP_ID or not app.get("isActive"):
        raise RegistrationRefused(
            f"the token belongs to App {app.get('identifier')!r} (active: {app.get('isActive')}), "
            f"not to an active {APP_ID!r}"
        )
    return str(app["id"])


def register(
    saleor_api_url: str,
    saleor_domain: str,
    auth_token: str,
    transport: httpx.BaseTransport | None = None,
) -> SaleorInstallation:
    """Store the installation of ``saleor_api_url`` once Saleor has confirmed ``auth_token``.

    The same App registering again (a new token) replaces the token and bumps ``version``.

    Raises
    ------
    ValueError
        When the token is empty.
    RegistrationRefused
        When the caller is not allowed or Saleor does not confirm the token.
    AlreadyInstalled
        When another App of that Saleor is installed here.
    marketplace.saleor.jws.SignatureError
        When the instance's JWKS cannot be fetched.
    """
    if not auth_token:
        raise ValueError("auth_token is missing")
    check_caller(saleor_api_url, saleor_domain)
    app_id = verify_token(saleor_api_url, auth_token, transport)
    jwks = fetch_jwks(saleor_api_url, transport)
    values = {
        "domain": saleor_domain or urlsplit(saleor_api_url).netloc,
        "app_id": app_id,
        "token_encrypted": encrypt(auth_token),
        "jwks": jwks,
        "jwks_fetched_at": timezone.now(),
    }
    with transaction.atomic():
        existing = SaleorInstallation.objects.select_for_update().filter(saleor_api_url=saleor_api_url).first()
        if existing is None:
            installation = SaleorInstallation.objects.create(saleor_api_url=saleor_api_url, **values)
            logger.info("Saleor App %s installed for %s", app_id, saleor_api_url)
            return installation
        if existing.app_id and existing.app_id != app_id:
            raise AlreadyInstalled(
                f"App {existing.app_id} of {saleor_api_url} is installed here already; staff must "
                f"remove that installation (admin: Saleor > installations Saleor) before App {app_id} can register"
            )
        SaleorInstallation.objects.filter(pk=existing.pk).update(
            version=F("version") + 1, updated_at=timezone.now(), **values)
    forget_tokens()
    logger.info("Saleor App %s registered a new token for %s", app_id, saleor_api_url)
    return SaleorInstallation.objects.get(pk=existing.pk)


# ----------------------------------------------------------------- reading the token

@dataclass(frozen=True)
class StoredToken:
    """A decrypted token and the installation version it was read at."""

    api_url: str
    version: int
    token: str


class _TokenCache:
    """Per-process memory of the token, re-validated against the row's version.

    Within ``ttl_s`` seconds of the last look the held token is returned without a query;
    after that one query reads ``version`` (and the ciphertext only when it changed).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._held: dict[str, tuple[float, StoredToken | None]] = {}

    def get(self, saleor_api_url: str) -> StoredToken | None:
        ttl = float(getattr(settings, "SALEOR_TOKEN_CACHE_S", 10))
        now = self.clock()
        with self._lock:
            held = self._held.get(saleor_api_url)
        if held is not None and now - held[0] < ttl:
            return held[1]
        row = _installation_row(saleor_api_url)
        previous = held[1] if held else None
        if row is None:
            current = None
        elif previous is not None and (previous.api_url, previous.version) == (row["saleor_api_url"], row["version"]):
            current = previous
        else:
            encrypted = SaleorInstallation.objects.filter(saleor_api_url=row["saleor_api_url"]).values_list(
                "token_encrypted", "version").first()
            current = StoredToken(row["saleor_api_url"], encrypted[1], decrypt(encrypted[0])) if encrypted else None
        with self._lock:
            self._held[saleor_api_url] = (now, current)
        return current

    def clear(self) -> None:
        with self._lock:
            self._held.clear()


def _installation_row(saleor_api_url: str) -> dict | None:
    """URL and version of the installation of ``saleor_api_url``; else of the latest one.

    We may reach Saleor by another URL than the one it registered under (an internal name);
    there is at most one installation per Saleor, so the latest is the one to use.
    """
    fields = ("saleor_api_url", "version")
    return (SaleorInstallation.objects.filter(saleor_api_url=saleor_api_url).values(*fields).first()
            or SaleorInstallation.objects.order_by("-updated_at").values(*fields).first())


_tokens = _TokenCache()


def current_token(saleor_api_url: str) -> StoredToken | None:
    """The token Saleor gave for ``saleor_api_url`` (see :class:`_TokenCache`), or None."""
    return _tokens.get(saleor_api_url)


def forget_tokens() -> None:
    """Drop this process's held tokens (after a registration or a removal)."""
    _tokens.clear()


def app_token(saleor_api_url: str) -> str | None:
    """The decrypted token stored for ``saleor_api_url`` (else the latest installation's), or None."""
    stored = current_token(saleor_api_url)
    return stored.token if stored else None
