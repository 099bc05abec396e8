"""Celery tasks: thin and idempotent; each loads a cycle by id and calls one action."""

import logging

from celery import shared_task
from django.db import OperationalError

from . import actions
from .models import OrderCycle

log = logging.getLogger(__name__)


@shared_task(name="shortcircuit.close_cycle", autoretry_for=(OperationalError,), max_retries=3,
             retry_backoff=True, retry_jitter=False)
def close_cycle(cycle_id: int) -> dict:
    """Close one cycle (minimums, van tasks, emails); a second run does nothing."""
    try:
        return actions.close_cycle(cycle_id)
    except OrderCycle.DoesNotExist:
        return {"cycle": cycle_id, "status": "missing"}
    except ValueError as exc:
        return {"cycle": cycle_id, "status": "not_due", "error": str(exc)}


@shared_task(name="shortcircuit.close_due_cycles")
def close_due_cycles() -> list[int]:
    """Free places held by orders stuck half-way, then close every cycle past its closing minute.

    Run by beat every few minutes.
    """
    actions.expire_pending()
    due = actions.close_due_cycles()
    for cycle_id in due:
        close_cycle.delay(cycle_id)
    return due


@shared_task(name="shortcircuit.apply_standing_baskets", autoretry_for=(OperationalError,), max_retries=3)
def apply_standing_baskets(cycle_id: int) -> dict:
    """Place the standing baskets in one cycle (each basket at most once per cycle)."""
    cycle = OrderCycle.objects.filter(pk=cycle_id).first()
    return actions.apply_standing_baskets(cycle) if cycle else {"cycle": cycle_id, "status": "missing"}


@shared_task(name="shortcircuit.open_due_cycles")
def open_due_cycles() -> list[int]:
    """Place the standing baskets of cycles that have just opened (run by beat)."""
    due = actions.cycles_to_fill()
    for cycle_id in due:
        apply_standing_baskets.delay(cycle_id)
    return due
