"""The dead-letter list: tasks that failed after their bounded retries, and running them again."""

from __future__ import annotations

import json
import logging
import traceback as tb

from django.db import DatabaseError
from django.utils import timezone

from .models import DeadLetter

log = logging.getLogger(__name__)


def _jsonable(value):
    """The value if JSON can hold it, else its repr (arguments are kept for a manual retry)."""
    try:
        json.dumps(value)
        return value
    except TypeError:
        return repr(value)


def record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **_):
    """Celery ``task_failure`` handler: keep the failed task (idempotent by task id).

    Never raises: losing the record must not hide the original failure in the worker log.
    """
    try:
        DeadLetter.objects.get_or_create(task_id=task_id or "", defaults={
            "task_name": getattr(sender, "name", str(sender)), "args": _jsonable(list(args or [])),
            "kwargs": _jsonable(dict(kwargs or {})), "exception": f"{type(exception).__name__}: {exception}"[:500],
            "traceback": (str(einfo) if einfo else "".join(tb.format_exception(exception)))[-4000:],
        })
    except DatabaseError:
        log.exception("could not record failed task %s in the dead-letter list", task_id)


def retry(letter: DeadLetter, by: str) -> str:
    """Send the task again with its arguments; return the new task id.

    Raises
    ------
    ValueError
        When the task is not registered in this worker's Celery app any more.
    """
    from marketplace.celery import app

    task = app.tasks.get(letter.task_name)
    if task is None:
        raise ValueError(f"task {letter.task_name!r} no longer exists")
    result = task.apply_async(args=letter.args if isinstance(letter.args, list) else [],
                              kwargs=letter.kwargs if isinstance(letter.kwargs, dict) else {})
    letter.retried_as, letter.resolved_at, letter.resolved_by = result.id, timezone.now(), by
    letter.save(update_fields=["retried_as", "resolved_at", "resolved_by"])
    return result.id


def resolve(letter: DeadLetter, by: str) -> None:
    """Mark a dead letter as handled without running it again."""
    letter.resolved_at, letter.resolved_by = timezone.now(), by
    letter.save(update_fields=["resolved_at", "resolved_by"])
