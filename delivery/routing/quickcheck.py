"""A cheap necessary condition for one van's route, read before asking the OR-Tools model.

Putting left-out stops back (:mod:`delivery.routing.reinsert`, :mod:`delivery.routing.eject`)
tries thousands of candidate routes; the OR-Tools model reads each in 2-8 ms, and on the
Mormal day 99 % of them were refused (3,427 of 3,454 reads, seed 1, 8.9 s of a 30 s solve).
:meth:`RouteCheck.may_fit` refuses in about 0.1 ms the candidates that surely break:

* a time window or the van's shift, on the earliest schedule (no waiting beyond what
  windows force, no break: the break only makes the van later);
* a pickup-to-delivery limit (time in the van from its loop's departure, or from a vendor
  pickup): at least the travel and service between the two, and at least the earliest
  delivery minus the latest pickup start (latest starts from a backward pass);
* a compartment's capacity within one loop (a reload empties and refills the van).

It relaxes the break and the relay fridges, so what it lets through may still be refused:
the model stays the judge of every route kept. Every bound it reads comes from the model
being searched (its layout and its variables' domains), so no rule is stated twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from delivery.routing.initial_routes import with_leg_nodes
from delivery.routing.layout import signed_demand

if TYPE_CHECKING:
    from delivery.routing.solver import _Built as Built


class RouteCheck:
    """Necessary-condition checks of single-van routes for one built model."""

    def __init__(self, built: Built) -> None:
        lay, routing = built.layout, built.routing
        self.built = built
        self.nodes, self.dur, self.starts = lay.nodes, lay.durations, lay.starts
        self.gaps: dict[int, list[tuple[int, int]]] = {}  # pickup -> [(delivery, limit s)]
        for pr in lay.pairs:
            if pr.max_gap_s is not None:
                self.gaps.setdefault(pr.pickup, []).append((pr.delivery, pr.max_gap_s))
        start_var = [built.time_dim.CumulVar(routing.Start(v)) for v in range(routing.vehicles())]
        end_var = [built.time_dim.CumulVar(routing.End(v)) for v in range(routing.vehicles())]
        self.shift = [(s.Min(), e.Max()) for s, e in zip(start_var, end_var, strict=True)]
        # per load dimension: each node's signed demand, each van's capacity (its cumul's max)
        self.loads: list[tuple[list[int], list[int]]] = []
        for name in routing.GetAllDimensionNames():
            if name == "time":
                continue
            compartment, _, measure = name.partition("_")
            dim = routing.GetDimensionOrDie(name)
            demand = [signed_demand(n, compartment, measure) for n in self.nodes]
            caps = [dim.CumulVar(routing.Start(v)).Max() for v in range(routing.vehicles())]
            self.loads.append((demand, caps))
        self.reads = 0

    def may_fit(self, v: int, order: Sequence[int]) -> bool:
        """Whether van ``v`` visiting ``order`` may be feasible (False: it surely is not).

        False when a window, the shift, a time-in-van limit or a capacity surely breaks;
        True leaves the decision to the model.
        """
        self.reads += 1
        seq = with_leg_nodes(self.built, order)
        return self._loads_fit(v, seq) and self._times_fit(v, seq)

    def _loads_fit(self, v: int, seq: list[int]) -> bool:
        nodes = self.nodes
        for demand, caps in self.loads:
            cap, level, low, high = caps[v], 0, 0, 0
            for n in seq:
                if nodes[n].leg == "reload":
                    level = low = high = 0
                    continue
                level += demand[n]
                low, high = min(low, level), max(high, level)
                if high - low > cap:  # the van would carry more than it holds at some point
                    return False
        return True

    def _times_fit(self, v: int, seq: list[int]) -> bool:
        nodes, dur = self.nodes, self.dur
        depot = self.starts[v]
        lo, hi = self.shift[v]
        earliest, prev, t = [], depot, lo
        for n in seq:
            start = first_start(nodes[n].windows, t + dur[prev][n])
            if start is None:
                return False
            earliest.append(start)
            prev, t = n, start
        if t + dur[prev][depot] > hi:
            return False
        latest = [0] * len(seq)
        nxt, bound = depot, hi
        for k in range(len(seq) - 1, -1, -1):
            n = seq[k]
            last = _last_start(nodes[n].windows, bound - dur[n][nxt])
            if last is None:
                return False
            latest[k] = last
            nxt, bound = n, last
        if not self.gaps:
            return True
        position = {n: k for k, n in enumerate(seq)}
        elapsed = [0]  # service and travel from the route's start, no waiting
        for a, b in zip(seq, seq[1:], strict=False):
            elapsed.append(elapsed[-1] + dur[a][b])
        for k, n in enumerate(seq):
            for d, limit in self.gaps.get(n, ()):
                j = position.get(d)
                if j is None or j < k:
                    continue
                if max(elapsed[j] - elapsed[k], earliest[j] - latest[k]) > limit:
                    return False
        return True


def first_start(windows: Sequence[tuple[int, int]], arrival: int) -> int | None:
    """Earliest service start at or after ``arrival`` inside one of ``windows``, or None."""
    for a, b in windows:
        if arrival <= b:
            return max(a, arrival)
    return None


def _last_start(windows: Sequence[tuple[int, int]], bound: int) -> int | None:
    """Latest service start at or before ``bound`` inside one of ``windows``, or None."""
    for a, b in reversed(windows):
        if bound >= a:
            return min(b, bound)
    return None
