"""Opening hours as stored on relay points and vendors: ISO weekday -> ``[["HH:MM", "HH:MM"], ...]``."""

import datetime as dt


def opening_intervals(opening_hours: dict, day: dt.date) -> list[tuple[int, int]]:
    """Opening intervals of a place on ``day`` in seconds since midnight (empty when closed)."""
    result = []
    for start, end in opening_hours.get(str(day.isoweekday()), []):
        h1, m1 = (int(p) for p in start.split(":"))
        h2, m2 = (int(p) for p in end.split(":"))
        result.append((h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60))
    return result
