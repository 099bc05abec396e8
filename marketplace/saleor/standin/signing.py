"""The stand-in's signing key: what a real Saleor has at ``/.well-known/jwks.json``.

A real Saleor signs the staff tokens its Dashboard hands to an App's extensions (RS256, key id
= the key's RFC 7638 thumbprint). The stand-in does the same so the demo and the tests go
through the very verification code a real Saleor's tokens go through
(:mod:`marketplace.saleor.staff_tokens`). Its key is kept as one stand-in document, so every
process of the demo signs and verifies with the same key; its public half is served at
``/.well-known/jwks.json`` of our own site (:func:`jwks_view`), the place a Saleor serves it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from jwcrypto import jwk, jws

from marketplace.saleor.manifest import public_url
from marketplace.saleor.models import StandInDocument
from marketplace.saleor.standin.store import gid

#: The stand-in's App (global ID ``App:1``), named in the tokens' ``app`` claim.
STANDIN_APP_ID = gid("App", "1")
#: Saleor's default lifetime of an App extension's token (``JWT_TTL_APP_ACCESS``: 5 minutes).
TOKEN_TTL = dt.timedelta(minutes=5)


def issuer() -> str:
    """The stand-in's API URL: the ``iss`` of its tokens; its JWKS is at the origin's well-known path."""
    return public_url("/saleor/substitut/graphql/")


def _private_key() -> jwk.JWK:
    with transaction.atomic():
        doc, _created = StandInDocument.objects.select_for_update().get_or_create(
            kind="SigningKey", key="staff", defaults={"data": {}}
        )
        if not doc.data.get("pem"):
            pem = jwk.JWK.from_pyca(rsa.generate_private_key(public_exponent=65537, key_size=2048))
            doc.data = {"pem": pem.export_to_pem(private_key=True, password=None).decode()}
            doc.save(update_fields=["data", "updated_at"])
    return jwk.JWK.from_pem(doc.data["pem"].encode())


def jwks() -> dict[str, Any]:
    """The public key set, shaped like Saleor's (``use: sig``, ``alg: RS256``, ``kid``)."""
    key = _private_key()
    public = json.loads(key.export_public())
    public.update({"use": "sig", "alg": "RS256", "kid": key.thumbprint()})
    return {"keys": [public]}


def issue_staff_token(
    email: str,
    user_permissions: list[str] | tuple[str, ...],
    *,
    now: dt.datetime,
    app_permissions: list[str] | tuple[str, ...] | None = None,
    is_staff: bool = True,
    extension_id: str | None = None,
    ttl: dt.timedelta = TOKEN_TTL,
) -> str:
    """A token like the one Saleor puts in ``AppExtension.accessToken`` for a staff member.

    Same claims as Saleor 3.23's ``create_access_token_for_app_extension``: ``type``
    ``thirdparty``, ``app``, ``permissions`` (the App's and the staff member's in common) and
    ``user_permissions`` (all of the staff member's), ``iat``/``exp`` in seconds.
    """
    key = _private_key()
    own = list(user_permissions)
    shared = [p for p in own if app_permissions is None or p in app_permissions]
    claims = {
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "owner": "saleor",
        "iss": issuer(),
        "token": "standin",
        "email": email,
        "type": "thirdparty",
        "user_id": gid("User", email),
        "is_staff": is_staff,
        "app": STANDIN_APP_ID,
        "permissions": shared,
        "user_permissions": own,
    }
    if extension_id:
        claims["app_extension"] = extension_id
    token = jws.JWS(json.dumps(claims).encode())
    token.add_signature(key, alg="RS256", protected={"alg": "RS256", "kid": key.thumbprint(), "typ": "JWT"})
    return token.serialize(compact=True)


def jwks_view(request: HttpRequest) -> JsonResponse:
    """``GET /.well-known/jwks.json``: the stand-in's public key (only when no real Saleor is set)."""
    from django.conf import settings
    from django.http import Http404

    if settings.SALEOR_API_URL:
        raise Http404("a real Saleor serves its own keys")
    return JsonResponse(jwks())
