"""Django system checks of the Saleor adapter (``manage.py check --deploy`` and server start)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Error, Warning, register


def _dev() -> bool:
    return settings.DEBUG or os.environ.get("MORMAL_DEV", "").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


@register()
def saleor_settings(app_configs, **kwargs):
    """Production needs an encryption key for the App token and an allow-list of Saleor hosts."""
    problems = []
    if _dev():
        return problems
    if not settings.FIELD_ENCRYPTION_KEY:
        problems.append(
            Error(
                "FIELD_ENCRYPTION_KEY is not set: the Saleor App token cannot be stored.",
                hint="Generate one with cryptography.fernet.Fernet.generate_key() and set it in the environment.",
                id="saleor_app.E001",
            )
        )
    if not settings.SALEOR_ALLOWED_API_URLS:
        problems.append(
            Warning(
                "SALEOR_ALLOWED_API_URLS is empty: no Saleor instance can install the App.",
                hint="Set SALEOR_API_URL (or SALEOR_ALLOWED_API_URLS) to your Saleor's exact API URL, "
                     "e.g. https://saleor.example.org/graphql/.",
                id="saleor_app.W001",
            )
        )
    return problems
