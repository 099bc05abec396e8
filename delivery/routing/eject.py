"""Make room for a left-out unit: put it in a van by moving one of that van's units elsewhere.

When :mod:`delivery.routing.reinsert` finds no place for a left-out mandatory unit (a stop,
or a shipment's two sides), every position it tried delayed some later stop past a window
or a time-in-van limit. Here the van first gives up one of its own units (the *ejected*
unit: one the left-out unit would make late, or one close to it in place and time), the
left-out unit is inserted in
what is left (plainly or in a new loop, as in :mod:`~delivery.routing.reinsert`), and the
ejected unit is put back in another van, or in the same van elsewhere (plainly or in a new
loop). The move is kept only if the OR-Tools model reads the whole plan feasible (every
van at once: shared relay fridges included), so the served count rises by the left-out
unit's size and every constraint holds. Reads are counted (:data:`EJECT_CHECKS`), tries go
in a fixed order, so the same seed gives the same plan; ``deadline`` is only a safety cap.
Mormal day, 3 vans with reloads, same work budget with the clock free: seed 2 109 → 137
stops served, seed 3 121 → 138, seed 1 unchanged at 148 (docs/mormal-day.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from delivery.routing.initial_routes import _with_legs
from delivery.routing.reinsert import _candidates, _late, _try_unit, _useful

if TYPE_CHECKING:
    from delivery.routing.quickcheck import RouteCheck
    from delivery.routing.solver import _Built as Built

#: Most feasibility reads spent making room (each reads one or all vans: 2-8 ms on 150 stops).
EJECT_CHECKS = 1200

#: Units of a van tried as the ejected one: those the left-out unit would make late first.
EJECT_PER_VAN = 8

#: Places of the left-out unit looked at, and stops after it there whose units may be ejected.
POSITIONS = 3
AFTER = 2

#: Candidate positions read for the left-out unit once a van has made room (most succeed
#: at the first or second), and for the ejected unit in each van.
UNIT_TRIES = 8
VICTIM_TRIES = 24


def make_room(built: Built, orders: list[list[int]], times: dict[int, int],
              spare: list[list[int]], units: Sequence[tuple[int, ...]],
              paired: dict[int, tuple[int, ...]], checks: int = EJECT_CHECKS,
              deadline: float | None = None,
              check: RouteCheck | None = None) -> tuple[int, list[tuple[int, ...]]]:
    """Insert ``units`` by ejection moves, updating ``orders`` and ``spare`` in place.

    ``orders``: solver nodes of each van (stops and reloads); ``times``: service starts (s)
    as the search's solution had them (a ranking hint only); ``spare``: each van's unused
    reload nodes; ``paired``: unit of every shipment node. Returns the solver stops inserted
    and the units still left out. ``check`` spares the model's reads of routes that surely
    break (:mod:`delivery.routing.quickcheck`).
    """
    budget, inserted, missed = [checks], 0, []
    for unit in units:
        if not _make_room_for(built, orders, times, spare, unit, paired, budget, deadline,
                              check):
            missed.append(unit)
            continue
        inserted += len(unit)
    return inserted, missed


def _make_room_for(built: Built, orders: list[list[int]], times: dict[int, int],
                   spare: list[list[int]], unit: tuple[int, ...],
                   paired: dict[int, tuple[int, ...]], budget: list[int],
                   deadline: float | None, check: RouteCheck | None) -> bool:
    """One ejection move putting ``unit`` in, the first found van by van; True if made."""
    for v in range(len(orders)):
        for victim in _victims(built, v, orders[v], times, unit, spare[v], paired):
            if budget[0] <= 0 or _late(deadline):
                return False
            if _move(built, orders, times, spare, v, unit, victim, budget, deadline, check):
                return True
    return False


def _victims(built: Built, v: int, order: list[int], times: dict[int, int],
             unit: tuple[int, ...], spare: list[int], paired: dict[int, tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Units of this van worth ejecting for ``unit`` (at most :data:`EJECT_PER_VAN`).

    First those it would make late: the units of the :data:`AFTER` stops that follow it at
    each of its :data:`POSITIONS` most promising places (as ranked by the reinsertion).
    Then the closest: travel seconds (s) between the nearest nodes of the two units, plus
    how far (s) the victim's current service start lies outside ``unit``'s windows.
    """
    nodes, dur = built.layout.nodes, built.layout.durations
    out: list[tuple[int, ...]] = []
    for _rank, seq in _candidates(built, v, order, times, unit, spare)[:POSITIONS]:
        k, after = seq.index(unit[0]), 0
        for n in seq[k + 1:]:
            if n in unit or nodes[n].stop < 0:
                continue
            victim = paired.get(n, (n,))
            if victim not in out:
                out.append(victim)
            after += 1
            if after == AFTER:
                break
    windows = [w for n in unit for w in nodes[n].windows]
    lo = min((a for a, _b in windows), default=0)
    hi = max((b for _a, b in windows), default=10**9)
    ranked: dict[tuple[int, ...], int] = {}
    for n in order:
        if nodes[n].stop < 0:
            continue
        victim = paired.get(n, (n,))
        t = times.get(n, lo)
        score = min(dur[a][b] for a in unit for b in victim) + max(0, lo - t, t - hi)
        ranked[victim] = min(score, ranked.get(victim, score))
    out += [u for u, _s in sorted(ranked.items(), key=lambda kv: (kv[1], kv[0])) if u not in out]
    return out[:EJECT_PER_VAN]


def _move(built: Built, orders: list[list[int]], times: dict[int, int], spare: list[list[int]],
          v: int, unit: tuple[int, ...], victim: tuple[int, ...], budget: list[int],
          deadline: float | None, check: RouteCheck | None = None) -> bool:
    """Eject ``victim`` from van ``v``, insert ``unit`` there, put ``victim`` back; True if kept."""
    nodes = built.layout.nodes
    reduced = _useful(nodes, [n for n in orders[v] if n not in victim])
    freed = [n for n in orders[v] if nodes[n].leg == "reload" and n not in reduced]
    spare_v = sorted(spare[v] + freed)
    with_unit = _try_unit(built, v, reduced, times, unit, spare_v, budget, deadline, UNIT_TRIES,
                          check)
    if with_unit is None:
        return False
    spare_v = [r for r in spare_v if r not in with_unit]
    others = [w for w in range(len(orders)) if w != v] + [v]
    for w in others:
        base, spare_w = (with_unit, spare_v) if w == v else (orders[w], spare[w])
        placed = _try_unit(built, w, base, times, victim, spare_w, budget, deadline,
                           VICTIM_TRIES, check)
        if placed is None:
            continue
        trial = list(orders)
        trial[v] = with_unit
        trial[w] = placed
        if budget[0] <= 0 or _late(deadline):
            return False
        budget[0] -= 1
        routes = [_with_legs(built, o) for o in trial]
        if built.routing.ReadAssignmentFromRoutes(routes, True) is None:
            continue
        orders[:] = trial
        spare[v] = [r for r in spare_v if r not in placed]
        if w != v:
            spare[w] = [r for r in spare[w] if r not in placed]
        return True
    return False
