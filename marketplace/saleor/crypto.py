"""Encrypt secrets at rest (the Saleor app token) with Fernet and ``FIELD_ENCRYPTION_KEY``."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key() -> bytes:
    key = settings.FIELD_ENCRYPTION_KEY
    if key:
        return key.encode() if isinstance(key, str) else key
    if settings.DEBUG or _dev():
        # Dev and tests: a stable key derived from the (dev) secret key, so every process
        # and every restart can read what another one wrote.
        digest = hashlib.sha256(
            ("mormal-field-encryption:" + settings.SECRET_KEY).encode()
        ).digest()
        return base64.urlsafe_b64encode(digest)
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be set in production (generate one with "
        "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`)."
    )


def _dev() -> bool:
    import os

    return os.environ.get("MORMAL_DEV", "").strip().lower() in {"1", "true", "yes", "on"}


def encrypt(plaintext: str) -> str:
    """Return the Fernet token (URL-safe text) of ``plaintext``.

    Raises
    ------
    ImproperlyConfigured
        When no key is configured outside development.
    """
    return Fernet(_key()).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Return the plaintext of a value produced by :func:`encrypt`.

    Raises
    ------
    ValueError
        When the value was not encrypted with the current key (rotated or tampered).
    """
    try:
        return Fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("the stored secret cannot be decrypted with FIELD_ENCRYPTION_KEY") from exc
