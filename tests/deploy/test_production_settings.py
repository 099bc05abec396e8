"""Production refuses to run unsafe: ``manage.py check --deploy`` in the environment we document.

Each case runs ``manage.py`` in a fresh process with only the variables production has: the
web service's ``environment`` in docker-compose.yml plus ``.env.example`` (its env_file), with
the placeholders replaced by generated secrets where the case says so.
"""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.deploy.test_compose import ROOT, VARIABLE, env_file, environment

CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def production_env(**changes: str | None) -> dict[str, str]:
    """The web container's environment as compose builds it from .env.example, then ``changes``."""
    import yaml

    example = env_file(".env.example")
    text = VARIABLE.sub(lambda m: example.get(m.group(1)) or (m.group(2) or ""),
                        (ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    web = environment(yaml.safe_load(text)["services"]["web"])
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **example, **web}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def real_secrets() -> dict[str, str]:
    return {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode()}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_documented_production_environment_passes_check_deploy_at_warning_level():
    result = run(CHECK, production_env(**real_secrets()))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_example_file_as_shipped_refuses_to_start_naming_both_placeholders():
    result = run(CHECK, production_env())
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "DJANGO_SECRET_KEY is empty or a placeholder" in result.stderr
    assert "FIELD_ENCRYPTION_KEY is empty or a placeholder" in result.stderr


@pytest.mark.parametrize(("name", "value", "says"), [
    ("DJANGO_SECRET_KEY", "a-short-but-not-placeholder-key", "DJANGO_SECRET_KEY is too short (31 characters"),
    ("FIELD_ENCRYPTION_KEY", "bm90IGEgZmVybmV0IGtleQ==", "FIELD_ENCRYPTION_KEY is not a Fernet key"),
    ("SALEOR_API_URL", None, "SALEOR_API_URL is not set"),
    ("MORMAL_DEMO", "1", "MORMAL_DEMO is set with a real Saleor (the demo card gateway takes no money"),
])
def test_a_weak_secret_or_no_saleor_refuses_to_start(name, value, says):
    result = run(CHECK, production_env(**{**real_secrets(), name: value}))
    assert result.returncode != 0
    assert says in result.stderr


def test_the_stand_in_runs_only_as_a_labelled_demonstration():
    # MORMAL_DEMO lets it start without Saleor, and check --deploy still says it is a demonstration
    result = run(CHECK, production_env(**real_secrets(), SALEOR_API_URL=None, MORMAL_DEMO="1"))
    assert result.returncode != 0
    assert "core.W001" in result.stderr and "stand-in" in result.stderr
    page = run(["-c", "import django; django.setup(); from django.test import Client; "
                      "print(Client().get('/', secure=True).content.decode())"],
               production_env(**real_secrets(), SALEOR_API_URL=None, MORMAL_DEMO="1",
                              DJANGO_SETTINGS_MODULE="marketplace.settings", DJANGO_ALLOWED_HOSTS="testserver"))
    assert "Démonstration : le moteur de commerce Saleor est simulé" in page.stdout, page.stderr


@pytest.mark.parametrize(("name", "value", "check_id"), [
    ("DJANGO_SECURE_COOKIES", "0", "security.W012"),
    ("DJANGO_SECURE_SSL_REDIRECT", "0", "security.W008"),
    ("DJANGO_HSTS_SECONDS", "0", "security.W004"),
    ("MORMAL_DEV", "1", "core.E001"),
    ("EMAIL_HOST", "", "core.W002"),
])
def test_turning_a_safe_default_off_fails_check_deploy(name, value, check_id):
    result = run(CHECK, production_env(**real_secrets(), **{name: value}))
    assert result.returncode != 0
    assert check_id in result.stderr


def test_the_secure_defaults_are_what_production_gets():
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.EMAIL_BACKEND, s.DEBUG)")
    result = run(["-c", "import django; django.setup(); " + code],
                 production_env(**real_secrets(), DJANGO_SETTINGS_MODULE="marketplace.settings"))
    assert result.stdout.split() == ["True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',",
                                     "'https')", "django.core.mail.backends.smtp.EmailBackend", "False"], result.stderr


def test_production_mail_goes_to_the_smtp_relay_named_in_the_environment():
    from aiosmtpd.controller import Controller

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode()))
            return "250 Message accepted for delivery"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    relay = Controller(Inbox(), hostname="127.0.0.1", port=port)
    relay.start()
    try:
        send = ("import django; django.setup(); from django.core.mail import send_mail; "
                "send_mail('Votre commande', 'Bonjour', None, ['anne@example.fr'])")
        result = run(["-c", send], production_env(
            **real_secrets(), DJANGO_SETTINGS_MODULE="marketplace.settings", EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port), EMAIL_USE_TLS="0", EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD=""))
    finally:
        relay.stop()
    assert result.returncode == 0, result.stderr
    assert [(frm, to) for frm, to, _ in received] == [("ne-pas-repondre@pays-mormal.fr", ["anne@example.fr"])]
    assert "Subject: Votre commande" in received[0][2]


def test_the_readme_production_table_lists_every_variable_the_app_reads():
    import re

    from tests.deploy.test_compose import NOT_FOR_PRODUCTION

    pattern = re.compile(r"(?:os\.environ(?:\.get)?[\[(]|getenv\(|env_bool\()\s*\"([A-Z][A-Z0-9_]+)\"")
    read = set()
    for package in ("marketplace", "delivery", "shortcircuit", "integrations"):
        for path in (ROOT / package).rglob("*.py"):
            read |= set(pattern.findall(path.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration (environment)"):readme.index("## The Saleor App")]
    missing = sorted(name for name in read - NOT_FOR_PRODUCTION if f"`{name}`" not in table)
    assert not missing, f"read by the app but not in the README's configuration table: {missing}"
