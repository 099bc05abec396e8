"""Structured logs and opt-in error reporting (marketplace/core/observability.py)."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

from marketplace.core.observability import JsonLineFormatter, logging_config

ROOT = Path(__file__).resolve().parents[2]


def test_a_log_record_is_one_json_line_with_its_extra_fields():
    record = logging.LogRecord("delivery.tasks", logging.WARNING, __file__, 1, "day %s: %d unassigned", ("2026-12-07", 4),
                               None)
    record.day_id = 12
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "WARNING" and data["logger"] == "delivery.tasks"
    assert data["message"] == "day 2026-12-07: 4 unassigned" and data["day_id"] == 12
    assert data["time"].endswith("+00:00")


def test_a_traceback_stays_inside_the_json_line():
    try:
        raise ValueError("poids négatif")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "échec", (), sys.exc_info())
    data = json.loads(JsonLineFormatter().format(record))
    assert "ValueError: poids négatif" in data["exc_info"]


def test_production_logs_are_json_and_development_logs_are_text():
    assert logging_config("INFO", json_lines=True)["formatters"]["main"]["()"] is JsonLineFormatter
    assert "format" in logging_config("INFO", json_lines=False)["formatters"]["main"]


def test_error_reporting_is_off_without_a_dsn(settings):
    import sentry_sdk

    assert settings.SENTRY_ENABLED is False
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_an_error_reaches_the_service_without_personal_data(tmp_path):
    received: list[bytes] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":
                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    program = """
import logging, os, django, sentry_sdk
os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
django.setup()
from django.conf import settings
assert settings.SENTRY_ENABLED
try:
    raise RuntimeError("tournée impossible")
except RuntimeError:
    logging.getLogger("delivery.tasks").exception("plan failed for jeanne.dupont@exemple.fr")
sentry_sdk.flush(timeout=10)
"""
    env = dict(os.environ, SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/42",
               SENTRY_ENVIRONMENT="recette")
    try:
        done = subprocess.run([sys.executable, "-c", program], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr[-2000:]
    events = [line for body in received for line in body.split(b"\n") if b'"exception"' in line]
    assert events, received
    event = json.loads(events[0])
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["environment"] == "recette"
    assert "user" not in event or "ip_address" not in event.get("user", {})
