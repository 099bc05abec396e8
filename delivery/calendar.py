"""The van's calendar: when orders for a delivery day close, which days the van runs, whom it serves.

One setting and one calendar drive the storefront, the short circuit, staff moves and the
planner's evening freeze:

- the **order cut-off**: orders for delivery day D close on the day before D at
  ``settings.ORDER_CUTOFF`` (``"HH:MM"``, local time, ``"18:00"`` by default);
- the **van days**: Monday to Saturday (``VAN_WEEKDAYS``), except French public holidays;
- the **service areas**: on each van day the van serves the communes of the
  :class:`~delivery.models.ServiceArea` of that weekday (home slots, relay points).

Nothing here reads the clock: every question takes the instant ``now`` (an aware datetime),
so pages, tasks and tests all ask about the moment they choose.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from marketplace.territory.models import Commune

from .models import ServiceArea

#: ISO weekdays the van runs (1 = Monday ... 7 = Sunday).
VAN_WEEKDAYS = frozenset({1, 2, 3, 4, 5, 6})
#: How many days ahead the storefront offers delivery days.
HORIZON_DAYS = 14


# ------------------------------------------------------------------------------ the cut-off


def cutoff_time() -> dt.time:
    """The local time of day at which orders for the next day close (``settings.ORDER_CUTOFF``).

    Raises
    ------
    ImproperlyConfigured
        When the setting is not ``"HH:MM"`` with a real hour and minute.
    """
    raw = str(settings.ORDER_CUTOFF)  # one default, in settings.py
    try:
        hour, minute = (int(part) for part in raw.split(":"))
        return dt.time(hour, minute)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ORDER_CUTOFF is {raw!r}; expected 'HH:MM', e.g. '18:00'") from exc


def order_cutoff(day: dt.date) -> dt.datetime:
    """The aware local instant from which orders for delivery day ``day`` are refused (the day before)."""
    return timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), cutoff_time()))


def is_open_for_orders(day: dt.date, now: dt.datetime) -> bool:
    """Whether orders for delivery day ``day`` are still taken at the instant ``now``."""
    return now < order_cutoff(day)


def first_open_day(now: dt.datetime) -> dt.date:
    """The first day whose orders are still open at ``now`` (whether or not the van runs then)."""
    day = timezone.localtime(now).date() + dt.timedelta(days=1)
    while not is_open_for_orders(day, now):
        day += dt.timedelta(days=1)
    return day


# ------------------------------------------------------------------------------- van days


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of ``year`` in the Gregorian calendar (Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@functools.cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """The eleven French public holidays of ``year`` (metropolitan France, Code du travail L3133-1)."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + dt.timedelta(days=n) for n in (1, 39, 50)]  # Easter Monday, Ascension, Whit Monday
    return frozenset([dt.date(year, m, d) for m, d in fixed] + moving)


def van_runs_on(day: dt.date) -> bool:
    """Whether the van works on ``day``: a van weekday that is not a public holiday."""
    return day.isoweekday() in VAN_WEEKDAYS and day not in public_holidays(day.year)


def next_van_day(after: dt.date) -> dt.date:
    """The first day after ``after`` on which the van runs."""
    day = after + dt.timedelta(days=1)
    while not van_runs_on(day):
        day += dt.timedelta(days=1)
    return day


def closed_reason(day: dt.date) -> str:
    """Why the van does not run on ``day``, as a French phrase (empty when it runs)."""
    if day in public_holidays(day.year):
        return "jour férié"
    if day.isoweekday() not in VAN_WEEKDAYS:
        return "la camionnette ne roule pas ce jour-là de la semaine"
    return ""


def delivery_day_problem(day: dt.date, orders_close_at: dt.datetime) -> str:
    """Why orders taken until ``orders_close_at`` cannot be delivered on ``day`` (empty when they can).

    Used for ordering windows that end on their own (short-circuit cycles): the window must
    close by the day's cut-off, on a day the van runs.
    """
    reason = closed_reason(day)
    if reason:
        return f"la camionnette ne roule pas le {day:%d/%m/%Y} ({reason})"
    cutoff = order_cutoff(day)
    if orders_close_at > cutoff:
        return (f"les commandes closent le {timezone.localtime(orders_close_at):%d/%m à %H:%M}, après la limite "
                f"du {timezone.localtime(cutoff):%d/%m à %H:%M} pour une livraison le {day:%d/%m/%Y}")
    return ""


# ----------------------------------------------------------------------------- service areas


def serves(commune: Commune, day: dt.date) -> bool:
    """Whether the van serves ``commune`` on ``day`` (a van day on its service area's weekday)."""
    return van_runs_on(day) and ServiceArea.objects.filter(communes=commune, weekday=day.isoweekday()).exists()


def service_days(commune: Commune, now: dt.datetime,
                       horizon: int = HORIZON_DAYS) -> Iterator[tuple[dt.date, ServiceArea]]:
    """Yield ``(date, area)`` for each van day serving ``commune`` whose orders are open at ``now``.

    Days run from the first open day, for ``horizon`` days.
    """
    areas = list(ServiceArea.objects.filter(communes=commune))
    start = first_open_day(now)
    for offset in range(horizon):
        day = start + dt.timedelta(days=offset)
        if not van_runs_on(day):
            continue
        for area in areas:
            if area.weekday == day.isoweekday():
                yield day, area


def hhmm(seconds: int) -> str:
    """Format seconds since midnight the French way: ``9h``, ``9h30``."""
    h, m = divmod(seconds // 60, 60)
    return f"{h}h{m:02d}" if m else f"{h}h"
