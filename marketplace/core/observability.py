"""Logs as one JSON object per line, and optional error reporting through sentry-sdk.

Both are configured from ``settings.py``. Nothing here imports Django models, so settings can
import it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

#: Attributes every ``LogRecord`` has; anything else on a record came from ``extra=``.
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonLineFormatter(logging.Formatter):
    """Format a record as one JSON line: time (UTC, ISO 8601), level, logger, message, extras.

    Values passed with ``logger.info(..., extra={...})`` become keys of their own; values JSON
    cannot encode are written with ``str()``. A traceback goes in ``exc_info`` as text.
    """

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a single line of JSON."""
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in line:
                line[key] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO", json_lines: bool = False) -> dict[str, Any]:
    """The ``LOGGING`` dict: everything to stderr, as JSON lines when ``json_lines``.

    Parameters
    ----------
    level
        Root level name (``LOG_LEVEL``), e.g. ``"INFO"``.
    json_lines
        True in production (``LOG_FORMAT=json``), so a log shipper reads fields, not prose.
    """
    formatter = {"()": JsonLineFormatter} if json_lines else {"format": "%(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Libraries that narrate their work at INFO/DEBUG: a person reading the log wants our
            # lines, not WeasyPrint's CSS steps or fontTools' glyph subsetting (1,283 lines a demo).
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "matplotlib": {"level": "WARNING"},
            "PIL": {"level": "WARNING"},
        },
    }


def init_error_reporting(dsn: str, *, environment: str = "production", release: str = "",
                         traces_sample_rate: float = 0.0) -> bool:
    """Send unhandled errors of Django views and Celery tasks to ``dsn``; do nothing without one.

    Personal data stays out of the reports (``send_default_pii=False``: no cookies, no user,
    no client address), since shoppers' orders and addresses pass through these views.

    Parameters
    ----------
    dsn
        The project's DSN (``SENTRY_DSN``); empty turns reporting off.
    environment, release
        Labels shown with each event.
    traces_sample_rate
        Share of requests traced for performance, 0 to 1 (0: errors only).

    Returns
    -------
    bool
        Whether reporting was switched on.
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
    return True
