"""Verify the staff token the Saleor Dashboard hands to our pages (JWT, RS256, Saleor's JWKS).

When a staff member opens one of the App's extensions, the Dashboard gives the page the
extension's ``accessToken`` (a form field ``accessToken`` for a ``NEW_TAB`` POST, or the App
Bridge ``handshake`` message inside an iframe). Saleor 3.23 makes it in
``saleor/core/jwt.py::create_access_token_for_app_extension``: signed RS256 with the key
published at ``<origin>/.well-known/jwks.json`` (``kid`` = the key's thumbprint), with the claims
``iss`` (the instance's API URL), ``exp``/``iat``, ``owner`` = ``saleor``, ``type`` =
``thirdparty``, ``email``, ``user_id``, ``is_staff``, ``app`` (the App's global ID),
``permissions`` (the App's and the staff member's in common) and ``user_permissions`` (all of
the staff member's). A token from ``tokenCreate`` (``type`` ``access``) carries no permission
claim: we then ask Saleor ``me { userPermissions }`` with that very token.

Only this module and :mod:`marketplace.saleor.jws` (the key cache, refreshed once on an
unknown ``kid``) speak to Saleor's keys; what comes out is a :class:`SaleorStaff` value.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import httpx
from django.conf import settings
from jwcrypto import jwk, jws
from jwcrypto.common import JWException, base64url_decode

from marketplace.saleor.error_codes import DashboardErrorCode
from marketplace.saleor.jws import SignatureError, signing_key
from marketplace.saleor.models import SaleorInstallation

#: Seconds of clock difference tolerated between Saleor and us on ``exp`` and ``iat``.
LEEWAY_S = 30
#: ``type`` claims of staff access tokens (``refresh`` and e-mail-change tokens are refused).
ACCESS_TYPES = frozenset({"thirdparty", "access"})


class StaffTokenRefused(Exception):
    """The token does not prove a staff member of our Saleor; ``code`` says why.

    Parameters
    ----------
    code : DashboardErrorCode
        The refusal, said in French by :func:`marketplace.saleor.error_codes.message`.
    detail : str
        English detail for the logs (never shown).
    """

    def __init__(self, code: DashboardErrorCode, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}")


@dataclass(frozen=True)
class SaleorStaff:
    """A staff member of Saleor, as a verified token says.

    ``permissions`` are Saleor's ``PermissionEnum`` names the staff member holds;
    ``saleor_api_url`` is the instance that signed the token.
    """

    email: str
    user_id: str
    permissions: frozenset[str]
    saleor_api_url: str
    expires_at: dt.datetime
    extension_id: str | None = None


def _segments(token: str) -> tuple[dict, dict]:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MALFORMED, "not a compact JWS")
    try:
        header = json.loads(base64url_decode(parts[0]))
        claims = json.loads(base64url_decode(parts[1]))
    except (ValueError, TypeError) as exc:
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MALFORMED, "header or claims not base64url JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MALFORMED, "header or claims not a JSON object")
    return header, claims


def _issuer_key(issuer: str, kid: str | None,
                transport: httpx.BaseTransport | None) -> tuple[jwk.JWK, str, bool]:
    """The public key ``kid`` of the Saleor at ``issuer``, that Saleor's App id, and whether it is installed.

    Only an installed Saleor (a :class:`SaleorInstallation`) is trusted; without a real
    Saleor configured, the stand-in too.
    """
    if not settings.SALEOR_API_URL:
        from marketplace.saleor.standin import signing

        if issuer == signing.issuer():
            keys = jwk.JWKSet.from_json(json.dumps(signing.jwks()))
            key = keys.get_key(kid) if kid else None
            if key is None:
                raise StaffTokenRefused(DashboardErrorCode.BAD_SIGNATURE, f"no stand-in key {kid!r}")
            return key, signing.STANDIN_APP_ID, False
    installation = SaleorInstallation.objects.filter(saleor_api_url=issuer).first()
    if installation is None:
        raise StaffTokenRefused(DashboardErrorCode.UNKNOWN_ISSUER, f"no installation for iss={issuer!r}")
    try:
        return signing_key(installation, kid, transport), installation.app_id, True
    except SignatureError as exc:
        unreachable = "cannot fetch" in str(exc) or "is not a JWKS" in str(exc)
        code = DashboardErrorCode.KEYS_UNAVAILABLE if unreachable else DashboardErrorCode.BAD_SIGNATURE
        raise StaffTokenRefused(code, str(exc)) from exc


def _number(claims: dict, name: str) -> int:
    value = claims.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MALFORMED, f"claim {name!r} missing or not a number")
    return int(value)


def _permissions(claims: dict, token: str, issuer: str, installed: bool,
                 transport: httpx.BaseTransport | None) -> frozenset[str]:
    for name in ("user_permissions", "permissions"):  # the staff member's own first
        value = claims.get(name)
        if isinstance(value, list):
            return frozenset(p for p in value if isinstance(p, str))
    if claims.get("type") == "access" and installed:
        return _permissions_from_saleor(issuer, token, claims.get("email"), transport)
    return frozenset()


def _permissions_from_saleor(issuer: str, token: str, email: object,
                             transport: httpx.BaseTransport | None) -> frozenset[str]:
    """A ``tokenCreate`` token has no permission claim: Saleor tells them (``me``)."""
    from marketplace.saleor.client import SaleorGraphQLClient
    from marketplace.saleor.errors import SaleorError

    client = SaleorGraphQLClient(issuer, token, transport=transport, max_attempts=1)
    try:
        me = client.execute("staff_me")["me"]
    except SaleorError as exc:
        raise StaffTokenRefused(DashboardErrorCode.KEYS_UNAVAILABLE, f"me: {exc}") from exc
    finally:
        client.close()
    if not me or me.get("email") != email or not me.get("isStaff") or not me.get("isActive"):
        raise StaffTokenRefused(DashboardErrorCode.NOT_STAFF, "Saleor does not confirm an active staff member")
    return frozenset(p["code"] for p in me.get("userPermissions") or [])


def verify_staff_token(
    token: str | None,
    *,
    now: dt.datetime,
    transport: httpx.BaseTransport | None = None,
) -> SaleorStaff:
    """Check a Dashboard staff token: signature, issuer, expiry, kind, App, staff.

    Parameters
    ----------
    token : str or None
        The compact JWT the Dashboard handed over.
    now : datetime
        The instant to judge ``exp`` and ``iat`` against (aware).
    transport : httpx.BaseTransport, optional
        For the JWKS download and the ``me`` question (tests).

    Returns
    -------
    SaleorStaff
        Who the token names, with their Saleor permissions.

    Raises
    ------
    StaffTokenRefused
        When the token is missing, malformed, foreign, tampered with, expired, of another App,
        or not a staff member's.
    """
    if not token:
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MISSING, "no token")
    header, unverified = _segments(token)
    if header.get("alg") != "RS256":
        raise StaffTokenRefused(DashboardErrorCode.BAD_SIGNATURE, f"alg {header.get('alg')!r} is not RS256")
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise StaffTokenRefused(DashboardErrorCode.UNKNOWN_ISSUER, "no iss claim")
    key, app_id, installed = _issuer_key(issuer, header.get("kid"), transport)
    signed = jws.JWS()
    try:
        signed.deserialize(token)
        signed.verify(key, alg="RS256")
        claims = json.loads(signed.payload)
    except (JWException, ValueError) as exc:
        raise StaffTokenRefused(DashboardErrorCode.BAD_SIGNATURE, f"signature does not verify: {exc}") from exc
    if claims.get("iss") != issuer:
        raise StaffTokenRefused(DashboardErrorCode.UNKNOWN_ISSUER, "iss changed")
    instant = int(now.timestamp())
    expires = _number(claims, "exp")
    if instant >= expires + LEEWAY_S:
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_EXPIRED, f"exp {expires} <= now {instant}")
    if "iat" in claims and _number(claims, "iat") > instant + LEEWAY_S:
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MALFORMED, "iat in the future")
    if claims.get("owner", "saleor") != "saleor" or claims.get("type") not in ACCESS_TYPES:
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MALFORMED,
                                f"owner {claims.get('owner')!r} / type {claims.get('type')!r} is not an access token")
    if claims.get("type") == "thirdparty" and app_id and claims.get("app") != app_id:
        raise StaffTokenRefused(DashboardErrorCode.WRONG_APP, f"app {claims.get('app')!r} is not {app_id!r}")
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise StaffTokenRefused(DashboardErrorCode.TOKEN_MALFORMED, "no email claim")
    if claims.get("is_staff") is not True:
        raise StaffTokenRefused(DashboardErrorCode.NOT_STAFF, f"{email} is not staff")
    return SaleorStaff(
        email=email.strip().lower(),
        user_id=str(claims.get("user_id") or ""),
        permissions=_permissions(claims, token, issuer, installed, transport),
        saleor_api_url=issuer,
        expires_at=dt.datetime.fromtimestamp(expires, tz=dt.UTC),
        extension_id=claims.get("app_extension"),
    )
