"""One stop per door: home deliveries to the same address, on the same day and in the same window, are one stop.

Each order keeps its own task (its collect, crates and amount to collect), but the driver sees
one stop: one arrival, one tap and one signature, the parcels and amounts listed.

- **Planning** (:mod:`delivery.day_planning`): door-mates share the door's service time in
  the routing model (:func:`shared_service_s`), and after the solve :func:`gather` puts them
  next to each other in the round when the solver left them apart and that keeps every
  window, collect-before-delivery and cold-chain limit.
- **Showing** (plan page, route sheet, phone): :func:`consecutive` groups a round's stops by
  door; a driver's tap on the door applies to every parcel of it (:mod:`delivery.actions`).

Pure Python: no Django (tasks are read by attribute).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from . import coldchain

#: Kinds of stop merged by door (relay drops and pickup points are places, not doors).
DOOR_KINDS = frozenset({"home"})
#: Least service time a parcel counts at a shared door (seconds): handing it over, one more signature line.
MIN_PARCEL_S = 60


def door_key(task: Any) -> tuple | None:
    """What makes two tasks the same door: day, kind, address, position and windows (None: never merged)."""
    if task.kind not in DOOR_KINDS:
        return None
    address = " ".join(str(task.address).lower().split())
    windows = tuple(tuple(int(x) for x in w) for w in task.windows)
    return (task.day_id, address, round(task.lon, 5), round(task.lat, 5), windows)


def door_sizes(tasks: Sequence[Any]) -> dict[int, int]:
    """Task id -> how many tasks of ``tasks`` share its door (1 for a door of its own)."""
    counts: dict[tuple, list[int]] = {}
    for task in tasks:
        key = door_key(task)
        if key is not None:
            counts.setdefault(key, []).append(task.pk)
    return {pk: len(group) for group in counts.values() for pk in group}


def shared_service_s(service_s: int, mates: int) -> int:
    """A parcel's share of its door's service time in the routing model."""
    if mates <= 1:
        return service_s
    return max(MIN_PARCEL_S, math.ceil(service_s / mates))


def consecutive(items: Sequence[Any], task_of: Callable[[Any], Any] = lambda s: s.task) -> list[list[Any]]:
    """Group consecutive items (round stops) whose tasks share a door; every other item is a group of one."""
    groups: list[list[Any]] = []
    last = None
    for item in items:
        key = door_key(task_of(item))
        if groups and key is not None and key == last:
            groups[-1].append(item)
        else:
            groups.append([item])
        last = key
    return groups


def _window_end(windows: Sequence[Sequence[int]], start_s: int) -> int | None:
    """The end of the window ``start_s`` falls in, or None."""
    for a, b in windows:
        if a <= start_s <= b:
            return int(b)
    return None


def _limit_s(task: Any) -> int | None:
    """The tightest time-in-van limit of the task's goods (None: ambient only)."""
    return coldchain.max_in_van_s([c for c, (g, ml) in task.loads().items() if g or ml])


def gather(visits: Sequence[Any], tasks: dict[str, Any], load_of: Callable[[Any], Any],
           break_start_s: int | None = None) -> list[Any]:
    """Bring door-mates the solver left apart next to the first of them, when that stays valid.

    ``visits`` are the routing core's ``Visit`` objects of one route, ``tasks`` maps stop ids
    to task rows, ``load_of(task)`` gives a task's ``Load``. A later mate moves up right after
    the first one only if its collect (when in this round) comes before, and the stops in
    between, pushed later by its service time, still start inside their windows and within
    their cold-chain limit; the driver's break must not lie in between. Delivering earlier
    only shortens the moved parcel's time in the van and lightens the van in between.
    Otherwise the mates stay where the solver put them (two stops at one door, still valid).
    """
    out = list(visits)
    i = 0
    while i < len(out):
        starts = {v.stop_id: v.start_s for v in out}  # as the round stands now (mates may have moved)
        collect_start = {tasks[v.stop_id].shipment_key: v.start_s for v in out
                         if tasks[v.stop_id].kind == "collect" and tasks[v.stop_id].shipment_key}
        key = door_key(tasks[out[i].stop_id])
        if key is None:
            i += 1
            continue
        j = i + 1
        while j < len(out) and door_key(tasks[out[j].stop_id]) == key:
            j += 1  # mates already next to it
        k = next((n for n in range(j, len(out)) if door_key(tasks[out[n].stop_id]) == key), None)
        if k is None:
            i = j
            continue
        moved, head = out[k], out[j - 1]
        task = tasks[moved.stop_id]
        delta = moved.departure_s - moved.start_s
        collect = collect_start.get(task.shipment_key) if task.shipment_key else None
        between = out[j:k]
        ok = (collect is None or collect < starts[head.stop_id])
        ok = ok and (break_start_s is None or not (head.departure_s <= break_start_s <= moved.start_s))
        new_start = head.departure_s
        ok = ok and _window_end(task.windows, new_start) is not None
        for v in between if ok else ():
            t = tasks[v.stop_id]
            end = _window_end(t.windows, v.start_s)
            limit = _limit_s(t) if t.kind != "collect" else None
            first = collect_start.get(t.shipment_key) if t.shipment_key else None
            if end is None or v.start_s + delta > end or (
                    limit is not None and first is not None and v.departure_s + delta - first > limit):
                ok = False
                break
        if not ok:
            i = j
            continue
        load = load_of(task)
        gathered = replace(moved, arrival_s=new_start, start_s=new_start, departure_s=new_start + delta,
                           load_after=head.load_after - load)
        shifted = [replace(v, arrival_s=v.arrival_s + delta, start_s=v.start_s + delta,
                           departure_s=v.departure_s + delta, load_after=v.load_after - load) for v in between]
        out = out[:j] + [gathered] + shifted + out[k + 1:]
        # the same door may have more mates further on: look again from the same head
    return out


def split_doors(rounds: Sequence[tuple[str, Sequence[Any]]],
                task_of: Callable[[Any], Any] = lambda s: s.task) -> list[dict[str, Any]]:
    """Doors the plan serves in more than one stop, so staff know why the driver stops twice.

    ``rounds`` lists ``(van name, door stops)`` where each door stop has a ``number`` (as the
    driver reads it) and its task; the door stops are already merged by :func:`consecutive`,
    so a door that still shows up twice is one :func:`gather` could not bring together (a
    window, the cold chain or the break would break) or one whose orders went to two vans.
    Returns one item per such door: ``address`` and ``stops`` as ``(van name, stop number)``,
    in the order the rounds were given.
    """
    seen: dict[tuple, dict[str, Any]] = {}
    for van, stops in rounds:
        for stop in stops:
            key = door_key(task_of(stop))
            if key is None:
                continue
            item = seen.setdefault(key, {"address": task_of(stop).address, "stops": []})
            item["stops"].append((van, stop.number))
    return [item for item in seen.values() if len(item["stops"]) > 1]
