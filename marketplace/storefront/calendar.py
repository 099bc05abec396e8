"""The delivery calendar: which days the van serves a commune, and the order cut-off.

The van serves groups of communes (:class:`ServiceArea`) on fixed weekdays. Orders for a day
close at the cut-off, ``settings.ORDER_CUTOFF`` (``"18:00"`` the day before by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

from marketplace.territory.models import Commune

from .models import ServiceArea

HORIZON_DAYS = 14


def cutoff_for(day: dt.date) -> dt.datetime:
    """The aware local datetime after which orders for ``day`` are refused (the day before)."""
    hour, minute = (int(p) for p in getattr(settings, "ORDER_CUTOFF", "18:00").split(":"))
    before = day - dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(before, dt.time(hour, minute)))


def first_open_day(now: dt.datetime | None = None) -> dt.date:
    """The first day whose cut-off has not passed at ``now``."""
    now = timezone.localtime(now or timezone.now())
    day = now.date() + dt.timedelta(days=1)
    while cutoff_for(day) <= now:
        day += dt.timedelta(days=1)
    return day


def service_days(commune: Commune, now: dt.datetime | None = None, horizon: int = HORIZON_DAYS) -> Iterator[tuple[dt.date, ServiceArea]]:
    """Yield ``(date, area)`` for each day the van serves ``commune``, from the first open day."""
    areas = list(ServiceArea.objects.filter(communes=commune))
    start = first_open_day(now)
    for offset in range(horizon):
        day = start + dt.timedelta(days=offset)
        for area in areas:
            if area.weekday == day.isoweekday():
                yield day, area


def hhmm(seconds: int) -> str:
    """Format seconds since midnight as French ``9h30``."""
    h, m = divmod(seconds // 60, 60)
    return f"{h}h{m:02d}" if m else f"{h}h"
