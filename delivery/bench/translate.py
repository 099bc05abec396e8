"""Turn a benchmark :class:`Instance` into the planner's :class:`DeliveryModel`, and back.

Instance units (distance = travel time) are scaled to the planner's integers so that rounding
can only make the planner *more* careful: travel and service times are rounded up, ready times
up and due dates down. Any route the planner finds feasible on these integers is therefore
feasible in exact arithmetic (the exact checker confirms it on every output anyway).
Distances are rounded to nearest, at a finer scale, since they only drive the objective.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from delivery.bench.instances import Instance
from delivery.routing.model import DeliveryModel
from delivery.routing.plan import Plan
from delivery.routing.problem import HORIZON_S, Load, Quantity, StopKind, TimeWindow

__all__ = ["Objective", "Scaled", "build_model", "plan_routes"]

#: Integer "metres" per instance distance unit (exact-distance families).
DISTANCE_SCALE = 1000
#: Largest integer "seconds" per instance time unit; smaller when the horizon demands it.
MAX_TIME_SCALE = 1000
#: Cost of one vehicle, in instance distance units, under the vehicles-first objective.
VEHICLE_COST = 1000


class Objective(StrEnum):
    """What the planner minimises."""

    DISTANCE = "distance"
    VEHICLES_FIRST = "vehicles-first"


@dataclass(frozen=True, eq=False)
class Scaled:
    """An instance in the planner's integers (node order of the instance).

    Attributes
    ----------
    time_scale, distance_scale : int
        Integer seconds and metres per instance unit.
    durations, distances : numpy.ndarray
        ``(n, n)`` int64: travel times rounded up, distances rounded to nearest (exactly
        ``round(euclid)`` for CVRPLIB). Durations are all zero without time windows.
    windows : list[TimeWindow]
        Per node: ready rounded up, due rounded down (whole horizon without time windows).
    service : list[int]
        Per node service time, rounded up.
    """

    time_scale: int
    distance_scale: int
    durations: np.ndarray
    distances: np.ndarray
    windows: list[TimeWindow]
    service: list[int]


def default_objective(instance: Instance) -> Objective:
    """The ranking the family's best-known solutions use.

    Li & Lim (SINTEF) rank vehicles first; CVRPLIB's Solomon and X rank distance only.
    """
    return Objective.VEHICLES_FIRST if instance.pairs else Objective.DISTANCE


def _time_scale(instance: Instance) -> int:
    if not instance.has_windows:
        return 1
    horizon = float(max(instance.due.max(), instance.ready.max() + instance.service.max()))
    return max(1, min(MAX_TIME_SCALE, int(HORIZON_S // max(1.0, math.ceil(horizon)))))


def build_model(
    instance: Instance, objective: Objective | None = None, fleet: int | None = None
) -> tuple[DeliveryModel, Scaled]:
    """Build the planner's model of ``instance``: one depot, a fixed fleet, all stops mandatory.

    Parameters
    ----------
    instance : Instance
        The benchmark instance.
    objective : Objective, optional
        Defaults to :func:`default_objective`.
    fleet : int, optional
        Number of vehicles; defaults to :meth:`Instance.fleet_size` (an upper bound: unused
        vehicles cost nothing).

    Returns
    -------
    tuple of DeliveryModel and Scaled
        The model (matrices set) and the scales used. Stop ids are the file labels as strings.
    """
    objective = Objective(objective or default_objective(instance))
    scaled = scale(instance)

    def load(i: int) -> Load:
        return Load(ambient=Quantity(mass_g=abs(int(instance.demand[i]))))

    model = DeliveryModel()
    x, y = instance.xy[0]
    depot = model.add_depot("depot", "depot", x, y, scaled.windows[0])
    model.add_vehicles(
        fleet or instance.fleet_size(), id_prefix="v", depot=depot,
        capacity=Load(ambient=Quantity(mass_g=instance.capacity)), shift=scaled.windows[0],
        fixed_cost_c=vehicle_cost(scaled) if objective is Objective.VEHICLES_FIRST else 0,
        cost_per_km_c=1000,
    )

    def side(i: int) -> dict:
        x, y = instance.xy[i]
        label = str(instance.labels[i])
        return dict(id=label, name=label, lon=x, lat=y, windows=(scaled.windows[i],),
                    service_s=scaled.service[i])

    paired = set()
    for p, d in instance.pairs:
        model.add_shipment(f"{instance.labels[p]}>{instance.labels[d]}", pickup=side(p),
                           delivery=side(d), load=load(p))
        paired.update((p, d))
    # The matrix follows add order, so remember which node each stop is.
    order = [0] + [i for p, d in instance.pairs for i in (p, d)]
    for i in range(1, instance.size):
        if i not in paired:
            model.add_stop(kind=StopKind.DELIVERY, load=load(i), **side(i))
            order.append(i)
    idx = np.array(order)
    model.set_matrices(
        scaled.durations[np.ix_(idx, idx)].tolist(), scaled.distances[np.ix_(idx, idx)].tolist(),
        label=f"{instance.name}: euclid x{scaled.distance_scale} (distance), "
        f"ceil(euclid x{scaled.time_scale}) (time)",
    )
    return model, scaled


def vehicle_cost(scaled: Scaled) -> int:
    """Fixed cost of a vehicle under the vehicles-first objective, in scaled distance units."""
    return VEHICLE_COST * scaled.distance_scale


def scale(instance: Instance) -> Scaled:
    """Scale ``instance`` to the planner's integers, rounding only towards caution."""
    st = _time_scale(instance)
    sd = 1 if instance.rounded else DISTANCE_SCALE
    euclid = instance.euclid()
    if instance.rounded:
        distances = np.floor(euclid + 0.5).astype(np.int64)
    else:
        distances = np.rint(euclid * sd).astype(np.int64)
    if instance.has_windows:
        durations = np.ceil(euclid * st).astype(np.int64)
        windows = [TimeWindow(math.ceil(a * st), math.floor(b * st))
                   for a, b in zip(instance.ready, instance.due, strict=True)]
        service = [math.ceil(s * st) for s in instance.service]
    else:
        durations = np.zeros_like(distances)
        windows = [TimeWindow(0, HORIZON_S)] * instance.size
        service = [0] * instance.size
    return Scaled(st, sd, durations, distances, windows, service)


def plan_routes(plan: Plan) -> list[list[int]]:
    """Return the plan's routes as lists of file labels (empty routes dropped)."""
    return [[int(s) for s in route.stop_ids()] for route in plan.routes if route.visits]

