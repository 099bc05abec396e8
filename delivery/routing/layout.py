"""The solver's view of a Problem: nodes, matrices, pairs and penalties, as plain Python.

Solver nodes are the depots, then the kept stops, then "depot legs". A depot leg stands for
the moment cold goods go on board at the depot (a *load* leg, paired with a delivery of goods
loaded at the depot) or come off it (an *unload* leg, paired with a pickup bringing goods
back). Legs sit at the depot, take no time, and may only be visited at the very start
(load) or very end (unload) of a route, so "time in the van from departure" becomes an
ordinary pickup-to-delivery limit that the search understands. Legs are used with a single
depot; with several depots such stops keep a per-van constraint instead (``reified``).

A van with ``max_reloads`` gets that many optional *reload* nodes at its depot, after the
legs; each takes ``reload_s`` and empties/refills the compartments. Load legs may also come
right after a reload, unload legs right before one, so time in the van counts per loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from delivery.routing.diagnose import effective_windows
from delivery.routing.problem import HORIZON_S, UNREACHABLE, Load, Problem, StopKind

#: Internal cost unit: 1/1000 euro cent, so that metres x cents/km stays an integer.
MILLI = 1000


@dataclass(frozen=True)
class Node:
    """One solver node: matrix row ``loc``; ``stop`` is the problem stop index or -1."""

    loc: int
    stop: int = -1
    kind: StopKind | None = None  # what the node does with ``load`` (None for depots)
    load: Load = field(default_factory=Load)
    service_s: int = 0
    windows: tuple[tuple[int, int], ...] = ((0, HORIZON_S),)
    penalty: int = 0  # internal cost of leaving the node out
    leg: str = ""  # "", "load", "unload" or "reload"
    vehicle: int = -1  # the only van that may visit it (reload nodes)


@dataclass(frozen=True)
class Pair:
    """Pickup node before delivery node, same van; ``max_gap_s`` bounds their cumul gap."""

    pickup: int
    delivery: int
    max_gap_s: int | None


@dataclass
class Layout:
    """Everything the OR-Tools model is built from."""

    nodes: list[Node]
    starts: list[int]  # depot node of each vehicle
    durations: list[list[int]]  # service at origin + travel (s), per node pair
    distances: list[list[int]]  # metres per node pair
    pairs: list[Pair]
    reified: list[int]  # nodes needing a per-van time-in-van constraint (several depots)
    legs_of: dict[int, list[int]]  # stop index -> its depot legs (to complete warm starts)


def build_layout(problem: Problem, kept: Sequence[int]) -> Layout:
    """Lay out solver nodes for the ``kept`` stop indices of ``problem``."""
    nd = len(problem.depots)
    nodes = [Node(loc=k) for k in range(nd)]
    big = mandatory_penalty(problem, kept)
    node_of: dict[int, int] = {}
    for i in kept:
        s = problem.stops[i]
        node_of[i] = len(nodes)
        nodes.append(Node(nd + i, i, s.kind, s.load, s.service_s,
                          tuple((w.start_s, w.end_s) for w in effective_windows(problem, s)),
                          big if s.penalty_c is None else s.penalty_c * MILLI))
    pairs, reified, legs_of = [], [], {}
    by_shipment: dict[str, dict[StopKind, int]] = {}
    for i in kept:
        s, n = problem.stops[i], node_of[i]
        limit = problem.max_in_van_for(s.load)
        if s.shipment_id is not None:
            by_shipment.setdefault(s.shipment_id, {})[s.kind] = n
        elif limit is not None and nd > 1:
            reified.append(n)
        elif limit is not None:
            leg_kind = StopKind.PICKUP if s.kind == StopKind.DELIVERY else StopKind.DELIVERY
            leg = len(nodes)
            legs_of[i] = [leg]
            nodes.append(Node(0, -1, leg_kind, s.load, 0, ((0, HORIZON_S),), nodes[n].penalty,
                              "load" if leg_kind == StopKind.PICKUP else "unload"))
            nodes[n] = _with_penalty(nodes[n], 0)  # the pair's penalty sits on its first node
            if leg_kind == StopKind.PICKUP:
                pairs.append(Pair(leg, n, limit - s.service_s))
            else:
                pairs.append(Pair(n, leg, limit))
    for sides in by_shipment.values():
        p, d = sides[StopKind.PICKUP], sides[StopKind.DELIVERY]
        nodes[d] = _with_penalty(nodes[d], 0)  # the shipment's penalty is carried by its pickup
        limit = problem.max_in_van_for(nodes[d].load)
        pairs.append(Pair(p, d, None if limit is None else limit - nodes[d].service_s))
    pairs.sort(key=lambda pr: (pr.pickup, pr.delivery))
    depot_node = {d.id: k for k, d in enumerate(problem.depots)}
    starts = [depot_node[v.depot_id] for v in problem.vehicles]
    for v_idx, v in enumerate(problem.vehicles):
        depot = problem.depots[starts[v_idx]]
        window = ((max(v.shift.start_s, depot.window.start_s),
                   max(v.shift.start_s, depot.window.start_s, min(v.shift.end_s, depot.window.end_s))),)
        nodes += [Node(starts[v_idx], -1, None, Load(), v.reload_s, window, 0, "reload", v_idx)
                  for _ in range(v.max_reloads)]
    durations, distances = _matrices(problem, nodes)
    return Layout(nodes, starts, durations, distances, pairs, reified, legs_of)


def _with_penalty(node: Node, penalty: int) -> Node:
    from dataclasses import replace

    return replace(node, penalty=penalty)


def _matrices(problem: Problem, nodes: list[Node]) -> tuple[list[list[int]], list[list[int]]]:
    """Transit time (service at origin + travel) and distance between solver nodes."""
    def clamp(x: int, big: int) -> int:
        return x if 0 <= x < UNREACHABLE else big

    locs = [n.loc for n in nodes]
    dur_rows = [problem.durations_s[a] for a in locs]
    dist_rows = [problem.distances_m[a] for a in locs]
    # Nodes at one place (the depot, its legs, reloads) are 0 s apart, but a node's own
    # service still counts: a reload followed by the load leg of its next loop takes reload_s.
    durations = [[0 if i == j else n.service_s + (0 if a == b else clamp(row[b], HORIZON_S + 1))
                  for j, b in enumerate(locs)]
                 for i, (a, n, row) in enumerate(zip(locs, nodes, dur_rows, strict=True))]
    distances = [[clamp(row[b], UNREACHABLE) for b in locs] for row in dist_rows]
    return durations, distances


def mandatory_penalty(problem: Problem, kept: Sequence[int]) -> int:
    """A price (internal units) for leaving out a mandatory stop that dwarfs any detour or van."""
    finite = max((x for row in problem.distances_m for x in row if 0 <= x < UNREACHABLE),
                 default=0)
    vans = problem.vehicles
    rate = max(max(v.cost_per_km_c, 1) for v in vans)
    fixed = max(v.fixed_cost_c for v in vans) * MILLI
    hourly = max(v.cost_per_hour_c for v in vans) * MILLI // 3600 + 1
    optional = max((problem.stops[i].penalty_c or 0 for i in kept), default=0) * MILLI
    per_stop = 2 * finite * rate + fixed + hourly * HORIZON_S + optional
    return min(100 * per_stop + 10**6, 10**15 // max(1, len(kept)))


def signed_demand(node: Node, compartment: str, measure: str) -> int:
    """What ``node`` adds to the van (> 0 on board, < 0 off) for one compartment and unit."""
    amount = int(getattr(getattr(node.load, compartment), measure))
    if node.kind is None:
        return 0
    return amount if node.kind == StopKind.PICKUP else -amount
