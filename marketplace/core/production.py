"""The rules a production process must meet before it starts (read by ``settings.py``).

Pure Python over the environment mapping, so ``settings.py`` can call it before Django is set
up. A process is in production unless ``DJANGO_DEBUG`` or ``MORMAL_DEV`` (the demo's and the
tests' local-run flag) is on; there it refuses to start, naming every problem at once.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

#: Values people leave in by mistake: the examples' placeholders and the development key.
PLACEHOLDERS = frozenset({
    "", "change-me", "changeme", "change_me", "secret", "password", "xxx", "todo",
    "dev-only-insecure-key-never-in-production",
})
#: Django's own ``check --deploy`` asks for at least 50 characters, 5 of them different.
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE = 5
TRUE = frozenset({"1", "true", "yes", "on"})


def flag(env: Mapping[str, str], name: str) -> bool:
    """Whether the environment variable ``name`` holds a true value ("1", "true", "yes", "on")."""
    return env.get(name, "").strip().lower() in TRUE


def is_local_run(env: Mapping[str, str]) -> bool:
    """``DJANGO_DEBUG`` or ``MORMAL_DEV``: development defaults apply, nothing is refused."""
    return flag(env, "DJANGO_DEBUG") or flag(env, "MORMAL_DEV")


def secret_key_problem(value: str) -> str | None:
    """Why ``value`` cannot be ``DJANGO_SECRET_KEY`` in production, or None."""
    if value.strip().lower() in PLACEHOLDERS or value.startswith("django-insecure-"):
        return "DJANGO_SECRET_KEY is empty or a placeholder"
    if len(value) < MIN_SECRET_KEY_LENGTH or len(set(value)) < MIN_SECRET_KEY_UNIQUE:
        return (f"DJANGO_SECRET_KEY is too short ({len(value)} characters; at least "
                f"{MIN_SECRET_KEY_LENGTH}, {MIN_SECRET_KEY_UNIQUE} of them different)")
    return None


def fernet_key_problem(value: str) -> str | None:
    """Why ``value`` cannot be ``FIELD_ENCRYPTION_KEY`` (a Fernet key: 32 bytes, base64url), or None."""
    if value.strip().lower() in PLACEHOLDERS:
        return "FIELD_ENCRYPTION_KEY is empty or a placeholder"
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        return "FIELD_ENCRYPTION_KEY is not a Fernet key (32 random bytes, URL-safe base64, 44 characters)"
    if len(set(raw)) < 8:
        return "FIELD_ENCRYPTION_KEY is not random (too few different bytes)"
    return None


def refusals(env: Mapping[str, str]) -> list[str]:
    """Every reason this environment must not serve real shoppers; empty in a local run.

    - no ``SALEOR_API_URL``: the in-memory stand-in would take orders nobody fulfils, unless
      ``MORMAL_DEMO`` says this is a demonstration (every page then says so in a banner);
    - ``MORMAL_DEMO`` with a real Saleor: the demo's card gateway takes no money and its
      accounts are listed on the home page, so it never faces real shoppers;
    - a placeholder or short ``DJANGO_SECRET_KEY``, an invalid ``FIELD_ENCRYPTION_KEY``.
    """
    if is_local_run(env):
        return []
    problems = []
    real_saleor = bool(env.get("SALEOR_API_URL", "").strip())
    if not real_saleor and not flag(env, "MORMAL_DEMO"):
        problems.append("SALEOR_API_URL is not set (the Saleor stand-in runs only with MORMAL_DEMO=1, a demonstration)")
    if real_saleor and flag(env, "MORMAL_DEMO"):
        problems.append("MORMAL_DEMO is set with a real Saleor (the demo card gateway takes no money; "
                        "install a card payment app in Saleor instead)")
    for problem in (secret_key_problem(env.get("DJANGO_SECRET_KEY", "")),
                    fernet_key_problem(env.get("FIELD_ENCRYPTION_KEY", ""))):
        if problem:
            problems.append(problem)
    return problems
