"""``manage.py check --deploy``: what Django's own deployment checks do not know about us."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from marketplace.core.production import flag


@register(Tags.security, deploy=True)
def production_environment(app_configs, **kwargs):
    """Development flags, the Saleor stand-in and console e-mail have no place in production."""
    problems = []
    if flag(os.environ, "MORMAL_DEV"):
        problems.append(Error(
            "MORMAL_DEV is set: development defaults are on (no secret checks, plain http, stand-in allowed).",
            hint="Remove MORMAL_DEV from the production environment; it is for `run.py demo` and `run.py test`.",
            id="core.E001",
        ))
    if not settings.SALEOR_API_URL:
        problems.append(Warning(
            "SALEOR_API_URL is empty: orders go to the in-memory Saleor stand-in (a demonstration).",
            hint="Set SALEOR_API_URL to your Saleor's GraphQL URL.",
            id="core.W001",
        ))
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(Warning(
            "E-mails (order confirmations, invitations, password resets) are only written to the log.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to your SMTP relay.",
            id="core.W002",
        ))
    return problems
