"""Celery tasks for delivery: thin, idempotent, scheduled after commit, bounded retries."""

import datetime as dt
import logging

from celery import shared_task
from celery.utils import uuid
from django.db import OperationalError, transaction
from django.utils import timezone

from . import calendar
from .models import DeliveryDay

log = logging.getLogger(__name__)


def _progress(task, step: str, **extra) -> None:
    """Report progress to the result backend (skipped when run eagerly)."""
    if not task.request.is_eager:
        task.update_state(state="PROGRESS", meta={"step": step, **extra})


@shared_task(bind=True, name="delivery.plan_day", autoretry_for=(OperationalError,), max_retries=3,
             retry_backoff=True, retry_jitter=False)
def plan_day(self, day_id: int) -> dict:
    """Plan every open task of day ``day_id`` and store the result; running it twice is harmless.

    A day that cannot be modelled is marked ``plan_failed`` with the reason (no retry); a
    database hiccup is retried at most three times.
    """
    from .day_planning import plan_day as plan  # noqa: PLC0415 - keep OR-Tools out of worker start-up

    day = DeliveryDay.objects.filter(pk=day_id).first()
    if day is None:
        return {"day": day_id, "status": "missing"}
    _progress(self, "solving", day=day_id, tasks=day.tasks.count())
    try:
        stored = plan(day, progress=lambda step: _progress(self, step, day=day_id))
    except ValueError as exc:
        DeliveryDay.objects.filter(pk=day_id).update(status=DeliveryDay.Status.PLAN_FAILED, planning_error=str(exc))
        log.error("planning day %s failed: %s", day, exc)
        return {"day": day_id, "status": "plan_failed", "error": str(exc)}
    return {"day": day_id, "status": "planned", "plan": stored.pk, "rounds": stored.rounds.count(),
            "unassigned": stored.unassigned.count()}


@shared_task(bind=True, name="delivery.replan_day", autoretry_for=(OperationalError,), max_retries=3,
             retry_backoff=True, retry_jitter=False)
def replan_day(self, day_id: int, now_s: int, reason: str = "replan", only_shifts: list[int] | None = None) -> dict:
    """Re-optimise the rest of day ``day_id`` from the vans' positions at ``now_s``.

    ``only_shifts``: re-plan only these vans' rounds; the others are kept stop for stop.
    """
    from .midday_replanning import replan_remaining  # noqa: PLC0415

    day = DeliveryDay.objects.filter(pk=day_id).first()
    if day is None:
        return {"day": day_id, "status": "missing"}
    _progress(self, "replanning", day=day_id)
    try:
        stored = replan_remaining(day, now_s, reason=reason, only_shifts=only_shifts)
    except ValueError as exc:
        log.error("re-planning day %s failed: %s", day, exc)
        return {"day": day_id, "status": "replan_failed", "error": str(exc)}
    return {"day": day_id, "status": "planned", "plan": stored.pk}


def schedule_plan(day: DeliveryDay) -> str:
    """Mark ``day`` as being planned and queue :func:`plan_day` once the transaction commits.

    Returns the Celery task id chosen now, so a page can follow the task's progress.
    """
    DeliveryDay.objects.filter(pk=day.pk).update(status=DeliveryDay.Status.PLANNING, planning_error="")
    day_id, task_id = day.pk, uuid()
    transaction.on_commit(lambda: plan_day.apply_async((day_id,), task_id=task_id))
    return task_id


def schedule_plan_once(day: DeliveryDay, *, force: bool = False) -> str | None:
    """Queue a plan of ``day`` unless one is already running; return its task id, or None when refused.

    The check and the claim are one UPDATE (``status`` goes to ``planning`` only from another
    status), so two staff pressing "plan" at once queue one run. ``force`` takes over a run
    known to be stale (its worker died).
    """
    claimed = DeliveryDay.objects.filter(pk=day.pk)
    if not force:
        claimed = claimed.exclude(status=DeliveryDay.Status.PLANNING)
    if not claimed.update(status=DeliveryDay.Status.PLANNING, planning_error=""):
        return None
    return schedule_plan(day)


def schedule_replan(day_id: int, reason: str = "replan", now_s: int | None = None,
                    only_shifts: list[int] | None = None) -> str:
    """Queue :func:`replan_day` for now (or ``now_s``) once the transaction commits; return its task id.

    ``only_shifts`` limits the re-plan to these vans (a failure re-plans the failed van only).
    """
    from .actions import day_now_seconds  # noqa: PLC0415

    at = now_s if now_s is not None else day_now_seconds(DeliveryDay.objects.get(pk=day_id))
    task_id = uuid()
    shifts = sorted(only_shifts) if only_shifts else None
    transaction.on_commit(lambda: replan_day.apply_async((day_id, at, reason, shifts), task_id=task_id))
    return task_id


def freeze_next_day(now: dt.datetime) -> DeliveryDay | None:
    """Freeze tomorrow at ``now`` if its orders have closed (see :mod:`delivery.calendar`); return it.

    Returns None, changing nothing, before the cut-off, when tomorrow has no task, or when it
    is already frozen; so calling it every hour freezes each day exactly once.
    """
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    if calendar.is_open_for_orders(tomorrow, now):
        return None
    day = DeliveryDay.objects.filter(date=tomorrow).first()
    if day is None or day.frozen_at is not None or not day.tasks.exists():
        return None
    if not DeliveryDay.objects.filter(pk=day.pk, frozen_at__isnull=True).update(frozen_at=now):
        return None
    day.frozen_at = now
    return day


@shared_task(name="delivery.freeze_and_plan_next_day")
def freeze_and_plan_next_day(now_iso: str | None = None) -> dict:
    """Evening cut-off (Celery beat, hourly): once tomorrow's orders close, freeze it and plan its rounds.

    ``now_iso`` is the instant to act at (ISO 8601 with offset); beat leaves it out and the
    clock is read once here. Afterwards only urgent tasks join tomorrow (they re-plan the day).
    """
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    with transaction.atomic():
        day = freeze_next_day(now)
        if day is None:
            return {"date": tomorrow.isoformat(), "status": "nothing to do"}
        schedule_plan(day)
    return {"date": tomorrow.isoformat(), "status": "planning", "day": day.pk}
