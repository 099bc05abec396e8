"""Given routes (a warm start) read into an OR-Tools assignment, repaired where they break a constraint.

A warm start from the relaxation (:mod:`delivery.routing.warmstart`) may break what the
relaxation leaves out (the cold chain, breaks, relay hours). Each broken route keeps, in its
order, a feasible selection of its stops, found by bisection with a counted number of
feasibility reads, so runs stay reproducible. Speaks OR-Tools only through the objects of
:mod:`delivery.routing.solver`'s model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from delivery.routing.plan import RELOAD
from delivery.routing.problem import Problem

if TYPE_CHECKING:
    from delivery.routing.solver import _Built as Built

#: Most feasibility trials spent repairing a warm start that breaks a real constraint (each
#: reads a whole assignment: about 0.2 ms per solver node); a count, so runs stay reproducible.
REPAIR_CHECKS = 60

#: Above this share of stops taken out of a warm start, OR-Tools' own first solution is built
#: too and the cheaper start kept (the cold chain broke 74-103 of 150 Mormal-day stops; breaks
#: and relay hours alone about 5-16).
REPAIR_COMPETE_SHARE = 0.05


def read_initial_routes(problem: Problem, built: Built, initial: Mapping[str, Sequence[str]],
                stats: dict[str, Any]) -> tuple[Any, bool]:
    """The assignment of ``initial`` (depot legs added), repaired if it breaks a constraint.

    :data:`~delivery.routing.plan.RELOAD` in a route is a return to the depot (ignored past
    the van's ``max_reloads``). Routes that break a real constraint (a warm start from the
    relaxation may) keep, in their order, a feasible selection of their stops
    (:func:`_repair_route`, at most :data:`REPAIR_CHECKS` feasibility reads in all); the
    others are left unperformed. Returns the assignment (None when nothing usable is left)
    and whether it was repaired.
    """
    vehicle_of = {v.id: k for k, v in enumerate(problem.vehicles)}
    nodes = built.layout.nodes
    node_of = {problem.stops[node.stop].id: n for n, node in enumerate(nodes) if node.stop >= 0}
    reload_nodes: dict[int, list[int]] = {}
    for n, node in enumerate(nodes):
        if node.leg == "reload":
            reload_nodes.setdefault(node.vehicle, []).append(n)
    orders: list[list[int]] = [[] for _ in problem.vehicles]
    skipped = 0
    for vehicle_id, stop_ids in initial.items():
        if vehicle_id not in vehicle_of:
            skipped += sum(1 for s in stop_ids if s != RELOAD)
            continue
        v = vehicle_of[vehicle_id]
        spare = list(reload_nodes.get(v, []))
        for s in stop_ids:
            if s == RELOAD:
                if spare and orders[v] and nodes[orders[v][-1]].leg != "reload":
                    orders[v].append(spare.pop(0))
            elif s in node_of:
                orders[v].append(node_of[s])
            else:
                skipped += 1
    routes = [_with_legs(built, order) for order in orders]
    assignment = built.routing.ReadAssignmentFromRoutes(routes, True)
    dropped, trials = 0, [REPAIR_CHECKS]
    if assignment is None:
        broken = []
        for v, order in enumerate(orders):
            alone: list[list[int]] = [[] for _ in orders]
            alone[v] = routes[v]
            if order and built.routing.ReadAssignmentFromRoutes(alone, True) is None:
                broken.append(v)
        cold = any(problem.max_in_van_for(problem.stops[nodes[n].stop].load) is not None
                   for o in orders for n in o if nodes[n].stop >= 0)
        if cold and 2 * sum(len(orders[v]) for v in broken) > sum(len(o) for o in orders):
            # routes from a relaxation without the cold chain: what repair kept (26-80 of 150
            # Mormal-day stops) never beat our own first solution, which needs the time
            stats["warm_start"] = (f"rejected: {len(broken)} of {sum(1 for o in orders if o)} "
                                   "route(s) break a real constraint, solved from scratch")
            return None, False
        for v in broken:
            kept = _repair_route(built, v, orders[v], trials)
            dropped += sum(1 for n in orders[v] if nodes[n].stop >= 0) - sum(
                1 for n in kept if nodes[n].stop >= 0)
            routes[v] = _with_legs(built, kept)
        if any(routes):
            assignment = built.routing.ReadAssignmentFromRoutes(routes, True)
    if assignment is None:
        stats["warm_start"] = "rejected: routes infeasible, solved from scratch"
        return None, False
    stats["warm_start"] = f"used ({skipped} unknown or pre-rejected stop(s) skipped)"
    if dropped:
        stats["warm_start"] = (f"used after repair ({dropped} stop(s) breaking a constraint "
                               f"taken out, {skipped} unknown or pre-rejected skipped)")
    # a few stops out are re-inserted by the search; more, and our own start competes
    return built.routing.solver().Assignment(assignment), dropped > REPAIR_COMPETE_SHARE * max(1, len(node_of))


def _with_legs(built: Built, order: Sequence[int]) -> list[int]:
    """Routing indices of a van visiting solver nodes ``order``, its depot legs added."""
    return [built.index[n] for n in with_leg_nodes(built, order)]


def with_leg_nodes(built: Built, order: Sequence[int]) -> list[int]:
    """Solver nodes of a van visiting ``order`` (stops and reloads), its depot legs added.

    Each loop (cut at reload nodes) gets its load legs first and its unload legs last.
    """
    nodes, full, loop = built.layout.nodes, [], []  # type: ignore[var-annotated]

    def close(loop: list[int]) -> list[int]:
        legs = [g for n in loop for g in built.layout.legs_of.get(nodes[n].stop, [])]
        return ([g for g in legs if nodes[g].leg == "load"] + loop
                + [g for g in legs if nodes[g].leg == "unload"])

    for n in order:
        if nodes[n].leg == "reload":
            full += close(loop) + [n]
            loop = []
        else:
            loop.append(n)
    full += close(loop)
    return full


def _repair_route(built: Built, vehicle: int, order: Sequence[int], trials: list[int]
                  ) -> list[int]:
    """A feasible sub-sequence of ``order`` for ``vehicle`` alone, found by bisection.

    The longest feasible prefix is kept, the stop that ends it is taken out (with its
    shipment partner), and the search goes on after it. Each feasibility read takes one from
    ``trials[0]``; when none is left, the route keeps the prefix found so far.
    """
    nodes, partner = built.layout.nodes, {}
    for pair in built.layout.pairs:  # shipments (depot legs follow their stop by themselves)
        if nodes[pair.pickup].stop >= 0 and nodes[pair.delivery].stop >= 0:
            partner[pair.pickup], partner[pair.delivery] = pair.delivery, pair.pickup
    n_vehicles = built.routing.vehicles()

    def feasible(seq: Sequence[int]) -> bool:
        trials[0] -= 1
        routes: list[list[int]] = [[] for _ in range(n_vehicles)]
        routes[vehicle] = _with_legs(built, _complete(seq))
        return built.routing.ReadAssignmentFromRoutes(routes, True) is not None

    def _complete(seq: Sequence[int]) -> list[int]:  # no shipment side without the other
        chosen = set(seq)
        return [m for m in seq if m not in partner or partner[m] in chosen]

    rest, kept = list(order), list[int]()
    while rest and trials[0] > 0:
        if feasible(kept + rest):
            return _complete(kept + rest)
        lo, hi = 0, len(rest)  # kept + rest[:lo] feasible, kept + rest[:hi] not
        while hi - lo > 1 and trials[0] > 0:
            mid = (lo + hi) // 2
            if feasible(kept + rest[:mid]):
                lo = mid
            else:
                hi = mid
        if hi - lo > 1:
            break
        bad = rest[lo]
        kept += rest[:lo]
        rest = [m for m in rest[lo + 1:] if m != partner.get(bad)]
    return _complete(kept)
