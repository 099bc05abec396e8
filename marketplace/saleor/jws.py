"""Verify Saleor's ``Saleor-Signature``: a JWS (RS256) over the raw body, payload detached.

Saleor signs with ``b64: false`` (RFC 7797): the signing input is the base64url header, a dot,
then the body bytes as sent. The header's ``kid`` names the key in the instance's JWKS at
``<origin of Saleor-Api-Url>/.well-known/jwks.json``. The key set is cached on the
installation row; an unknown ``kid`` triggers exactly one refresh (key rotation).
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

import httpx
from django.utils import timezone
from jwcrypto import jwk, jws
from jwcrypto.common import JWException, base64url_decode

from marketplace.saleor.models import SaleorInstallation

logger = logging.getLogger(__name__)

JWKS_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
#: Seconds between two refreshes caused by unknown ``kid`` values (so forged headers cannot
#: make us hammer Saleor's JWKS); ``settings.SALEOR_JWKS_REFRESH_INTERVAL_S`` overrides it.
REFRESH_INTERVAL_S = 30


class SignatureError(Exception):
    """The signature is missing, malformed, from an unknown key, or does not match the body."""


def jwks_url(saleor_api_url: str) -> str:
    """``https://host/graphql/`` -> ``https://host/.well-known/jwks.json``."""
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def fetch_jwks(saleor_api_url: str, transport: httpx.BaseTransport | None = None) -> dict:
    """Download the instance's JSON Web Key Set.

    Raises
    ------
    SignatureError
        When the key set cannot be fetched or is not a JWKS.
    """
    try:
        with httpx.Client(timeout=JWKS_TIMEOUT, transport=transport) as http:
            response = http.get(jwks_url(saleor_api_url))
            response.raise_for_status()
            data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SignatureError(f"cannot fetch JWKS from {jwks_url(saleor_api_url)}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise SignatureError(f"{jwks_url(saleor_api_url)} is not a JWKS document")
    return data


def _header(signature: str) -> dict:
    parts = signature.split(".")
    if len(parts) != 3 or parts[1] != "":
        raise SignatureError("Saleor-Signature is not a detached JWS (header..signature)")
    try:
        header = json.loads(base64url_decode(parts[0]))
    except (ValueError, TypeError) as exc:
        raise SignatureError("Saleor-Signature header is not base64url JSON") from exc
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        raise SignatureError("Saleor-Signature must use RS256")
    return header


def _key(jwks: dict, kid: str | None) -> jwk.JWK | None:
    keys = jwk.JWKSet.from_json(json.dumps(jwks))
    if kid is not None:
        return keys.get_key(kid)
    all_keys = list(keys)
    return all_keys[0] if len(all_keys) == 1 else None


def _recently_fetched(installation: SaleorInstallation) -> bool:
    from django.conf import settings

    interval = getattr(settings, "SALEOR_JWKS_REFRESH_INTERVAL_S", REFRESH_INTERVAL_S)
    fetched = installation.jwks_fetched_at
    return fetched is not None and (timezone.now() - fetched).total_seconds() < interval


def signing_key(
    installation: SaleorInstallation,
    kid: str | None,
    transport: httpx.BaseTransport | None = None,
) -> jwk.JWK:
    """The instance's public key ``kid``, from the cached JWKS, refreshed once if it is unknown.

    Shared by the webhook signatures and the staff tokens of the Dashboard
    (:mod:`marketplace.saleor.staff_tokens`): one cache, one refresh rule.

    Raises
    ------
    SignatureError
        When no such key exists (even after the refresh) or the JWKS cannot be fetched.
    """
    key = _key(installation.jwks or {"keys": []}, kid)
    if key is None and _recently_fetched(installation):
        raise SignatureError(
            f"no key {kid!r} in the JWKS of {installation.saleor_api_url} (refreshed recently)"
        )
    if key is None:
        logger.info("JWKS of %s has no key %r: refreshing once", installation.saleor_api_url, kid)
        installation.jwks = fetch_jwks(installation.saleor_api_url, transport)
        installation.jwks_fetched_at = timezone.now()
        installation.save(update_fields=["jwks", "jwks_fetched_at", "updated_at"])
        key = _key(installation.jwks, kid)
        if key is None:
            raise SignatureError(f"no key {kid!r} in the JWKS of {installation.saleor_api_url}")
    return key


def verify_signature(
    installation: SaleorInstallation,
    signature: str | None,
    body: bytes,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """Check ``signature`` over ``body`` with the installation's (possibly refreshed) JWKS.

    Raises
    ------
    SignatureError
        When the signature is missing or does not verify.
    """
    if not signature:
        raise SignatureError("Saleor-Signature header is missing")
    header = _header(signature)
    key = signing_key(installation, header.get("kid"), transport)
    token = jws.JWS()
    try:
        token.deserialize(signature)
        token.verify(key, alg="RS256", detached_payload=body)
    except JWException as exc:
        raise SignatureError(f"signature does not match the body: {exc}") from exc
