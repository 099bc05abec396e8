"""Celery tasks for delivery: thin, idempotent, scheduled after commit, bounded retries."""

import logging

from celery import shared_task
from django.db import OperationalError, transaction

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
    from .planning import plan_day as plan  # noqa: PLC0415 - keep OR-Tools out of worker start-up

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
def replan_day(self, day_id: int, now_s: int, reason: str = "replan") -> dict:
    """Re-optimise the rest of day ``day_id`` from the vans' positions at ``now_s``."""
    from .planning import replan_remaining  # noqa: PLC0415

    day = DeliveryDay.objects.filter(pk=day_id).first()
    if day is None:
        return {"day": day_id, "status": "missing"}
    _progress(self, "replanning", day=day_id)
    try:
        stored = replan_remaining(day, now_s, reason=reason)
    except ValueError as exc:
        log.error("re-planning day %s failed: %s", day, exc)
        return {"day": day_id, "status": "replan_failed", "error": str(exc)}
    return {"day": day_id, "status": "planned", "plan": stored.pk}


def schedule_plan(day: DeliveryDay) -> None:
    """Mark ``day`` as being planned and queue :func:`plan_day` once the transaction commits."""
    DeliveryDay.objects.filter(pk=day.pk).update(status=DeliveryDay.Status.PLANNING, planning_error="")
    day_id = day.pk
    transaction.on_commit(lambda: plan_day.delay(day_id))


def schedule_replan(day_id: int, reason: str = "replan", now_s: int | None = None) -> None:
    """Queue :func:`replan_day` for now (or ``now_s``) once the transaction commits."""
    from .actions import day_now_seconds  # noqa: PLC0415

    at = now_s if now_s is not None else day_now_seconds(DeliveryDay.objects.get(pk=day_id))
    transaction.on_commit(lambda: replan_day.delay(day_id, at, reason))
