"""Nightly: erase the personal data whose retention period is over (beat, ``privacy.purge``)."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from marketplace.privacy.actions import purge_expired_personal_data


@shared_task(name="privacy.purge_personal_data")
def purge_personal_data() -> dict:
    """Run the retention purge now; idempotent (what was erased stays erased, nothing twice)."""
    return asdict(purge_expired_personal_data(timezone.now()))
