"""Exact feasibility checker for benchmark routes, independent of any solver.

Times and distances are recomputed in double precision from the coordinates (no scaling, no
rounding), so a solution that only looks feasible because a solver used rounded integer
matrices is caught here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from delivery.bench.instances import Instance

__all__ = ["Check", "check_routes"]

#: Slack allowed on time windows, in instance time units, for the last bits of double rounding.
TIME_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Check:
    """Outcome of :func:`check_routes`.

    Attributes
    ----------
    feasible : bool
        True when every rule holds.
    errors : tuple[str, ...]
        One sentence per broken rule (empty when feasible).
    distance : float
        Total length in the family's convention: exact Euclidean (Solomon, Li & Lim) or
        ``round(euclid)`` per arc (CVRPLIB).
    vehicles : int
        Number of non-empty routes.
    max_lateness : float
        Largest start of service past a due date (0 when none), in instance time units.
    """

    feasible: bool
    errors: tuple[str, ...]
    distance: float
    vehicles: int
    max_lateness: float


def check_routes(
    instance: Instance, routes: Sequence[Sequence[int]], *, max_vehicles: int | None = None
) -> Check:
    """Check labelled routes against every rule of the instance, in exact arithmetic.

    Parameters
    ----------
    instance : Instance
        The instance the routes claim to solve.
    routes : sequence of sequence of int
        Customer labels per route (depot excluded), numbered as in the instance's solution files.
    max_vehicles : int, optional
        Fleet bound; defaults to the instance's stated vehicle number (none for CVRPLIB).

    Returns
    -------
    Check
        Feasibility, the reasons when infeasible, and the distance in the family's convention.
    """
    errors: list[str] = []
    node_of = instance.node_of()
    arcs = instance.arc_lengths()
    seen: dict[int, tuple[int, int]] = {}
    paths = []
    for r, route in enumerate(routes):
        path = []
        for pos, label in enumerate(route):
            node = node_of.get(int(label))
            if node is None or node == 0:
                errors.append(f"route {r + 1}: {label} is not a customer of {instance.name}")
                continue
            if node in seen:
                errors.append(f"customer {label} is visited twice")
            seen[node] = (r, pos)
            path.append(node)
        if path:
            paths.append(path)
    missing = [instance.labels[i] for i in range(1, instance.size) if i not in seen]
    if missing:
        errors.append(f"{len(missing)} customers unserved, e.g. {missing[:5]}")
    bound = instance.vehicles if max_vehicles is None else max_vehicles
    if bound is not None and len(paths) > bound:
        errors.append(f"{len(paths)} vehicles used, only {bound} available")
    for p, d in instance.pairs:
        if p in seen and d in seen:
            (rp, pp), (rd, pd) = seen[p], seen[d]
            if rp != rd:
                errors.append(f"pickup {instance.labels[p]} and delivery {instance.labels[d]} are on different routes")
            elif pp > pd:
                errors.append(f"delivery {instance.labels[d]} comes before its pickup {instance.labels[p]}")

    distance, lateness = 0.0, 0.0
    paired = bool(instance.pairs)
    for path in paths:
        load = 0 if paired else int(instance.demand[path].sum())
        if load > instance.capacity:
            errors.append(f"route starting at {instance.labels[path[0]]} carries {load} > {instance.capacity}")
        t = float(instance.ready[0])
        for a, b in zip([0, *path], [*path, 0], strict=True):
            distance += float(arcs[a, b])
            if not instance.has_windows:
                continue
            t = max(t + float(instance.service[a]) + float(arcs[a, b]), float(instance.ready[b]))
            late = t - float(instance.due[b])
            if late > TIME_TOLERANCE:
                where = "the depot" if b == 0 else f"customer {instance.labels[b]}"
                errors.append(f"service at {where} starts at {t:.6f} > due {instance.due[b]:g}")
                lateness = max(lateness, late)
            if paired and b:
                load += int(instance.demand[b])
                if not 0 <= load <= instance.capacity:
                    errors.append(f"load {load} outside [0, {instance.capacity}] at {instance.labels[b]}")
    return Check(
        feasible=not errors, errors=tuple(errors), distance=distance, vehicles=len(paths),
        max_lateness=lateness,
    )
