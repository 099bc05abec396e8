"""Why a stop cannot be served: checks made on each stop alone before the solve.

Every stop (or shipment, whose two sides share one verdict) is checked against each van
alone, in this order: reachable at all (UNREACHABLE), fits the van (OVER_CAPACITY), a
window can be met between leaving and returning to the depot (WINDOW_IMPOSSIBLE), the
time-in-van limit can be met (COLD_CHAIN). The verdict is the furthest stage any van reaches.
Then relay fridges are filled in a fixed priority order (RELAY_FULL for the rest). Stops
the solver itself leaves out get NO_ROOM: they fit alone but not together with the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from delivery.routing.plan import Unassigned
from delivery.routing.problem import (
    HORIZON_S,
    UNREACHABLE,
    Problem,
    Stop,
    StopKind,
    TimeWindow,
    UnassignedReason,
    Vehicle,
)

_STAGES = (UnassignedReason.UNREACHABLE, UnassignedReason.OVER_CAPACITY,
           UnassignedReason.WINDOW_IMPOSSIBLE, UnassignedReason.COLD_CHAIN)

_DETAILS = {
    UnassignedReason.UNREACHABLE: "aucun trajet routier entre le dépôt et cet arrêt",
    UnassignedReason.OVER_CAPACITY: "le chargement dépasse la capacité de chaque camionnette",
    UnassignedReason.WINDOW_IMPOSSIBLE:
        "aucun créneau horaire atteignable pendant le service d'une camionnette",
    UnassignedReason.COLD_CHAIN:
        "le temps maximal à bord pour la chaîne du froid ne peut pas être respecté",
}


@dataclass(frozen=True)
class Precheck:
    """Outcome of the checks: stop indices kept for the solver, and those rejected."""

    kept: tuple[int, ...]
    unassigned: tuple[Unassigned, ...]


def effective_windows(problem: Problem, stop: Stop) -> tuple[TimeWindow, ...]:
    """Windows in which service may start: the stop's own, cut to its relay's opening hours.

    An empty tuple means no time at all; a stop without windows may start any time in
    ``[0, HORIZON_S]``.
    """
    own = stop.windows or (TimeWindow(0, HORIZON_S),)
    if stop.relay_id is None:
        return own
    relay = next(r for r in problem.relays if r.id == stop.relay_id)
    cut = (a.intersect(b) for a in own for b in relay.opening)
    return tuple(sorted({w for w in cut if w is not None}, key=lambda w: w.start_s))


def units(problem: Problem) -> list[tuple[int, ...]]:
    """Stop indices grouped as served together: ``(pickup, delivery)`` pairs and singles."""
    by_shipment: dict[str, list[int]] = {}
    out: list[tuple[int, ...]] = []
    for i, s in enumerate(problem.stops):
        if s.shipment_id is None:
            out.append((i,))
        else:
            by_shipment.setdefault(s.shipment_id, []).append(i)
            if len(by_shipment[s.shipment_id]) == 2:
                pair = sorted(by_shipment[s.shipment_id],
                              key=lambda k: problem.stops[k].kind != StopKind.PICKUP)
                out.append(tuple(pair))
    return sorted(out, key=min)


def precheck(problem: Problem) -> Precheck:
    """Check every stop alone against every van, then fill relay fridges.

    Returns
    -------
    Precheck
        Kept stop indices (sorted) and an :class:`Unassigned` for every other stop.
    """
    kept: list[tuple[int, ...]] = []
    out: list[Unassigned] = []
    for unit in units(problem):
        reason = unit_reason(problem, unit)
        if reason is None:
            kept.append(unit)
        else:
            out += [Unassigned(problem.stops[i].id, reason, _DETAILS[reason]) for i in unit]
    kept, full = _fill_relays(problem, kept)
    out += full
    order = {s.id: k for k, s in enumerate(problem.stops)}
    out.sort(key=lambda u: order[u.stop_id])
    return Precheck(tuple(sorted(i for u in kept for i in u)), tuple(out))


def unit_reason(problem: Problem, unit: tuple[int, ...]) -> UnassignedReason | None:
    """None when some van alone can serve ``unit``, else the furthest failing stage."""
    best = -1
    for v in problem.vehicles:
        stage = _stage_for(problem, v, unit)
        if stage == len(_STAGES):
            return None
        best = max(best, stage)
    return _STAGES[best]


def no_room(problem: Problem, index: int, timed_out: bool = False) -> Unassigned:
    """The verdict for a stop that passed the checks but that the solver left out.

    ``timed_out`` says the solver found no plan at all within its time limit.
    """
    stop = problem.stops[index]
    if timed_out:
        detail = "aucune tournée trouvée dans le temps imparti : relancer avec plus de temps"
    elif stop.mandatory:
        detail = ("arrêt obligatoire impossible à placer avec les autres (flotte ou horaires "
                  "insuffisants)")
    else:
        detail = "pas de place avec les autres arrêts : la pénalité coûte moins que le détour"
    return Unassigned(stop.id, UnassignedReason.NO_ROOM, detail)


def _stage_for(problem: Problem, v: Vehicle, unit: tuple[int, ...]) -> int:
    """How many of the :data:`_STAGES` checks ``unit`` passes with van ``v``."""
    dur = problem.durations_s
    k = next(i for i, d in enumerate(problem.depots) if d.id == v.depot_id)
    nd = len(problem.depots)
    nodes = [nd + i for i in unit]
    legs = [(k, nodes[0]), (nodes[-1], k)] + list(zip(nodes, nodes[1:], strict=False))
    if any(not 0 <= dur[a][b] < UNREACHABLE or not 0 <= problem.distances_m[a][b] < UNREACHABLE
           for a, b in legs):
        return 0
    stops = [problem.stops[i] for i in unit]
    if not stops[0].load.fits(v.capacity):
        return 1
    depot = problem.depots[k]
    lo = max(v.shift.start_s, depot.window.start_s)
    hi = min(v.shift.end_s, depot.window.end_s)
    if len(stops) == 1:
        s, n = stops[0], nodes[0]
        ok = any(max(w.start_s, lo + dur[k][n]) <= min(w.end_s, hi - s.service_s - dur[n][k])
                 for w in effective_windows(problem, s))
        if not ok:
            return 2
        limit = problem.max_in_van_for(s.load)
        if limit is None:
            return 4
        held = s.service_s + (dur[k][n] if s.kind == StopKind.DELIVERY else dur[n][k])
        return 4 if held <= limit else 3
    p, d = stops
    if not _pair_ok(problem, p, d, nodes, k, lo, hi, None):
        return 2
    limit = problem.max_in_van_for(p.load)
    return 4 if limit is None or _pair_ok(problem, p, d, nodes, k, lo, hi, limit) else 3


def _pair_ok(problem: Problem, p: Stop, d: Stop, nodes: list[int], k: int, lo: int, hi: int,
             limit: int | None) -> bool:
    """Tell whether service can start at p then d, in windows, shift and ``limit``.

    Time in van is ``start(d) + service(d) - start(p)``, so ``start(d) - start(p)`` must be
    at most ``limit - service(d)``.
    """
    dur = problem.durations_s
    np_, nd_ = nodes
    gap = p.service_s + dur[np_][nd_]
    span = HORIZON_S * 4 if limit is None else limit - d.service_s
    if gap > span:
        return False
    for wp in effective_windows(problem, p):
        a, b = max(wp.start_s, lo + dur[k][np_]), wp.end_s
        for wd in effective_windows(problem, d):
            c, e = wd.start_s, min(wd.end_s, hi - d.service_s - dur[nd_][k])
            if a <= b and c <= e and max(a, c - span) <= min(b, e - gap):
                return True
    return False


def _fill_relays(problem: Problem, kept: list[tuple[int, ...]]
                 ) -> tuple[list[tuple[int, ...]], list[Unassigned]]:
    """Keep relay deliveries while the fridge has room, in a fixed priority order.

    Order: mandatory first, then higher penalty, then insertion order. A parcel that does
    not fit is skipped (smaller later parcels may still fit). Only chilled and frozen
    volume counts against the fridge.
    """
    fridge = {r.id: r.fridge_volume_ml for r in problem.relays}
    candidates = []
    for unit in kept:
        for i in unit:
            s = problem.stops[i]
            if s.kind == StopKind.DELIVERY and s.relay_id and s.load.cold_volume_ml() > 0:
                rank = (0 if s.mandatory else 1, -(s.penalty_c or 0), i)
                candidates.append((rank, unit, s))
    rejected: set[tuple[int, ...]] = set()
    out: list[Unassigned] = []
    for _rank, unit, s in sorted(candidates, key=lambda c: c[0]):
        volume = s.load.cold_volume_ml()
        if volume <= fridge[s.relay_id or ""]:
            fridge[s.relay_id or ""] -= volume
            continue
        rejected.add(unit)
        out += [Unassigned(problem.stops[i].id, UnassignedReason.RELAY_FULL,
                           f"le réfrigérateur du point relais {s.relay_id} est plein "
                           f"({volume} ml de plus ne tiennent pas)") for i in unit]
    return [u for u in kept if u not in rejected], out
