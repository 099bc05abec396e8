"""After the search: put back stops it left out, opening a new loop (a reload) where that helps.

OR-Tools' local search inserts one node or one pickup-delivery pair at a time. A chilled
parcel loaded at the depot whose window is hours after the van's departure needs three
nodes at once: a reload, its load leg right after it, and the parcel within the time-in-van
limit. A reload alone only costs (20 min, a detour), so the search never opens one on its own
and such parcels stay out (5 of the 14 stops left out on the Mormal day with reloads; 8
were shipments in a tight morning that it did not put back either: this step put back 12
of the 14). Here each left-out unit (a stop or a
shipment) is tried in each van, at the most promising positions, plainly or in a new loop
opened just before it or earlier; the first feasible candidate is kept. Units with no such
place go to :mod:`delivery.routing.eject`, which makes room by moving another unit of the
van elsewhere (on the Mormal day, seed 1, it put back colis-023 and colis-029 in the first
round that the plain insertion could not). Feasibility is read
from the OR-Tools model itself (one van's routes at a time), with a counted number of reads so
that runs stay reproducible. Speaks OR-Tools only through :mod:`delivery.routing.solver`'s model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from delivery.routing.initial_routes import _with_legs
from delivery.routing.problem import Problem
from delivery.routing.quickcheck import RouteCheck, first_start

if TYPE_CHECKING:
    from delivery.routing.solver import _Built as Built

#: Most feasibility reads spent reinserting (each reads one van's routes: 2-8 ms on 150 stops).
REINSERT_CHECKS = 600

#: Candidate positions tried per unit and van, most promising first.
CANDIDATES_PER_VAN = 24

#: Rank of a candidate: extra metres plus this many per second of delay it causes further on.
DELAY_WEIGHT = 20

#: With the quick check (:mod:`delivery.routing.quickcheck`), this many times the candidates
#: are looked at, the model still reading at most the usual number of them.
WIDEN = 4


def reinsert(problem: Problem, built: Built, solution: Any, checks: int = REINSERT_CHECKS,
             deadline: float | None = None,
             stats: dict[str, Any] | None = None) -> tuple[Any, int]:
    """Insert left-out mandatory units into ``solution``'s routes where the model allows it.

    Optional stops are left to the search, which weighs their penalty against the detour.
    ``deadline`` (``time.monotonic()``) is a safety cap: no read starts after it.
    ``stats["made_room"]``, when given, is raised by the solver stops that went in by an
    ejection move (:mod:`delivery.routing.eject`).
    Returns the new assignment (``solution`` itself when nothing was inserted) and the number
    of solver stops inserted.
    """
    routing, nodes = built.routing, built.layout.nodes
    orders, units = _orders_and_missing(problem, built, solution)
    if not units:
        return solution, 0
    times = _times(built, solution)
    served = {n for order in orders for n in order}
    spare: list[list[int]] = [[] for _ in orders]
    for n, node in enumerate(nodes):
        if node.leg == "reload" and n not in served:
            spare[node.vehicle].append(n)
    budget, inserted, missed = [checks], 0, []
    check = RouteCheck(built)
    for unit in units:
        if budget[0] <= 0:
            missed.append(unit)
            continue
        for v in range(len(orders)):
            found = _try_unit(built, v, orders[v], times, unit, spare[v], budget, deadline,
                              check=check)
            if found is not None:
                orders[v] = found
                spare[v] = [r for r in spare[v] if r not in found]
                inserted += len(unit)
                break
        else:
            missed.append(unit)
    if missed:  # no plain place: make room by moving one unit of a van elsewhere
        from delivery.routing.eject import make_room

        made, missed = make_room(built, orders, times, spare, missed, _paired(built),
                                 deadline=deadline, check=check)
        inserted += made
        if stats is not None:
            stats["made_room"] = stats.get("made_room", 0) + made
    if stats is not None:
        stats["quick_checks"] = stats.get("quick_checks", 0) + check.reads
    if not inserted:
        return solution, 0
    assignment = routing.ReadAssignmentFromRoutes([_with_legs(built, o) for o in orders], True)
    if assignment is None:  # cannot happen: every van's route was read feasible alone
        return solution, 0
    return routing.solver().Assignment(assignment), inserted


def _orders_and_missing(problem: Problem, built: Built, solution: Any
                        ) -> tuple[list[list[int]], list[tuple[int, ...]]]:
    """Each van's solver nodes (:func:`_useful` ones) and the left-out mandatory units."""
    nodes = built.layout.nodes
    orders = [_useful(nodes, order) for order in _orders(built, solution)]
    served = {n for order in orders for n in order}
    units = [u for u in _left_out(built, served)
             if all(problem.stops[nodes[n].stop].mandatory for n in u)]
    return orders, units


def _orders(built: Built, solution: Any) -> list[list[int]]:
    """Solver nodes (stops and reloads, not legs) of each van, in visiting order."""
    routing, nodes, out = built.routing, built.layout.nodes, []
    for v in range(routing.vehicles()):
        index, order = solution.Value(routing.NextVar(routing.Start(v))), []
        while not routing.IsEnd(index):
            n = built.manager.IndexToNode(index)
            if nodes[n].stop >= 0 or nodes[n].leg == "reload":
                order.append(n)
            index = solution.Value(routing.NextVar(index))
        out.append(order)
    return out


def _useful(nodes: Sequence[Any], order: list[int]) -> list[int]:
    """``order`` without the reloads that change nothing (first, last, or after a reload)."""
    out: list[int] = []
    for n in order:
        if nodes[n].leg == "reload" and (not out or nodes[out[-1]].leg == "reload"):
            continue
        out.append(n)
    while out and nodes[out[-1]].leg == "reload":
        out.pop()
    return out


def _times(built: Built, solution: Any) -> dict[int, int]:
    """Start of service at every performed stop or reload node (s).

    Van ``v``'s return to the depot is under the key ``-1 - v``.
    """
    routing = built.routing
    out = {-1 - v: solution.Value(built.time_dim.CumulVar(routing.End(v)))
           for v in range(routing.vehicles())}
    for n, node in enumerate(built.layout.nodes):
        index = built.index[n]
        if index >= 0 and (node.stop >= 0 or node.leg == "reload"):
            if solution.Value(built.routing.NextVar(index)) != index:
                out[n] = solution.Value(built.time_dim.CumulVar(index))
    return out


def _paired(built: Built) -> dict[int, tuple[int, ...]]:
    """The (pickup, delivery) unit of every solver node that is one side of a shipment."""
    nodes = built.layout.nodes
    paired: dict[int, tuple[int, ...]] = {}
    for pair in built.layout.pairs:
        if nodes[pair.pickup].stop >= 0 and nodes[pair.delivery].stop >= 0:
            paired[pair.pickup] = paired[pair.delivery] = (pair.pickup, pair.delivery)
    return paired


def _left_out(built: Built, served: set[int]) -> list[tuple[int, ...]]:
    """Units not served: (pickup, delivery) node pairs of shipments, single stop nodes."""
    nodes, paired = built.layout.nodes, _paired(built)
    units: list[tuple[int, ...]] = []
    for n, node in enumerate(nodes):
        if node.stop < 0 or n in served:
            continue
        unit = paired.get(n, (n,))
        if unit not in units:
            units.append(unit)
    return units


def _try_unit(built: Built, v: int, order: list[int], times: dict[int, int],
              unit: tuple[int, ...], spare: list[int], budget: list[int],
              deadline: float | None = None, tries: int = CANDIDATES_PER_VAN,
              check: RouteCheck | None = None) -> list[int] | None:
    """The first feasible route of van ``v`` with ``unit`` inserted, cheapest detour first.

    At most ``tries`` candidates are read by the model, each taking one unit of ``budget``;
    with a ``check``, candidates it refuses cost no read, and up to :data:`WIDEN` times as
    many candidates are looked at.
    """
    per_van = tries if check is None else WIDEN * tries
    candidates = _candidates(built, v, order, times, unit, spare, per_van)
    routing, read = built.routing, 0
    for _cost, seq in candidates:
        if read == tries or budget[0] <= 0 or _late(deadline):
            return None
        if check is not None and not check.may_fit(v, seq):
            continue
        budget[0] -= 1
        read += 1
        routes: list[list[int]] = [[] for _ in range(routing.vehicles())]
        routes[v] = _with_legs(built, seq)
        if routing.ReadAssignmentFromRoutes(routes, True) is not None:
            return seq
    return None


def _candidates(built: Built, v: int, order: list[int], times: dict[int, int],
                unit: tuple[int, ...], spare: list[int],
                per_van: int = CANDIDATES_PER_VAN) -> list[tuple[int, list[int]]]:
    """Candidate routes (rank, sequence), most promising first, in a fixed order.

    A rough estimate of start times (the van as the solution had it) drops positions where
    a window or a time-in-van limit is surely missed, and ranks the others by the extra
    metres plus :data:`DELAY_WEIGHT` per second the next stop would be late for its current
    time (a delay breaks windows and cold chains further on). Half the candidates at most
    insert the unit plainly, half open a new loop (a reload) just before it; the model
    decides.
    """
    nodes, dist, dur = built.layout.nodes, built.layout.distances, built.layout.durations
    depot = built.layout.starts[v]
    locs = [depot, *order, depot]
    gap = {(pr.pickup, pr.delivery): pr.max_gap_s for pr in built.layout.pairs}
    leg_gap = {pr.delivery: pr.max_gap_s for pr in built.layout.pairs
               if nodes[pr.pickup].leg == "load"}
    known = [0] * len(locs)  # start at each place as the solution had it (inserted: earlier)
    for k, n in enumerate(locs[:-1]):
        known[k] = times.get(n, known[k - 1] if k else 0)
    known[-1] = times[-1 - v]
    departs: list[int | None] = []  # latest departure of the loop of each place, if known
    depart = None
    for k, n in enumerate(locs):
        if k == 0 or nodes[n].leg == "reload":
            depart = None
        elif depart is None and nodes[n].stop >= 0 and n in times:
            depart = times[n] - dur[depot][n]
        departs.append(depart)

    def visit(k: int, seq: Sequence[int]) -> tuple[list[int | None], int]:
        """Starts of ``seq`` inserted after place k, and the rank of that insertion."""
        prev, t, starts = locs[k], known[k], []
        for n in seq:
            start = first_start(nodes[n].windows, t + dur[prev][n] if k or prev != depot else 0)
            starts.append(start)
            if start is None:
                return starts + [None] * (len(seq) - len(starts)), 0
            prev, t = n, start
        late = max(0, t + dur[prev][locs[k + 1]] - known[k + 1])
        path = [locs[k], *seq, locs[k + 1]]
        extra = sum(dist[a][b] for a, b in zip(path, path[1:], strict=False)) - dist[locs[k]][locs[k + 1]]
        return starts, extra + DELAY_WEIGHT * late

    plain: list[tuple[int, list[int]]] = []
    looped: list[tuple[int, list[int]]] = []
    reload = spare[0] if spare else None
    if len(unit) == 1:
        s = unit[0]
        for k in range(len(order) + 1):
            (t,), rank = visit(k, [s])
            if t is None:
                break
            limit, left = leg_gap.get(s), departs[k]
            if limit is None or left is None or t - left <= limit:
                plain.append((rank, order[:k] + [s] + order[k:]))
            if reload is None or nodes[locs[k]].leg == "reload":
                continue
            starts, rank = visit(k, [reload, s])
            if starts[-1] is not None:
                looped.append((rank, order[:k] + [reload, s] + order[k:]))
            # or the new loop opens here and the parcel comes later in it
            (t_r,), rank_r = visit(k, [reload])
            if t_r is None:
                continue
            left = t_r + nodes[reload].service_s
            for j in range(k + 1, len(order) + 1):
                if nodes[locs[j]].leg == "reload":
                    break
                (t,), rank_s = visit(j, [s])
                if t is None or (limit is not None and t - left > limit):
                    break
                looped.append((rank_r + rank_s,
                               order[:k] + [reload] + order[k:j] + [s] + order[j:]))
    else:
        p, d = unit
        limit = gap.get((p, d))
        for i in range(len(order) + 1):
            (tp, td), rank = visit(i, [p, d])
            if tp is None:
                break
            if td is not None and (limit is None or td - tp <= limit):
                plain.append((rank, order[:i] + [p, d] + order[i:]))
            rank_p = visit(i, [p])[1]
            for j in range(i + 1, len(order) + 1):
                (td,), rank_d = visit(j, [d])
                if td is None or (limit is not None and td - tp > limit):
                    break
                plain.append((rank_p + rank_d, order[:i] + [p] + order[i:j] + [d] + order[j:]))
    half = per_van // 2 if looped else per_van
    plain.sort(key=lambda c: c[0])
    looped.sort(key=lambda c: c[0])
    return sorted(plain[:half] + looped[:per_van - half], key=lambda c: c[0])


def _late(deadline: float | None) -> bool:
    """Whether the safety cap ``deadline`` (``time.monotonic()`` seconds) has passed."""
    return deadline is not None and time.monotonic() >= deadline
