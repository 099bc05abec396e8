"""Pure-Python van routing core: a builder (``DeliveryModel``) in front of OR-Tools.

Import the public names from here; only :mod:`delivery.routing.solver` and
:mod:`delivery.routing.search` import ortools.
"""

from delivery.routing.model import DeliveryModel, TravelModel
from delivery.routing.plan import Plan, Route, Unassigned, Visit
from delivery.routing.problem import (
    HORIZON_S,
    UNREACHABLE,
    Break,
    Compartment,
    Depot,
    Load,
    Problem,
    Quantity,
    RelayPoint,
    Stop,
    StopKind,
    TimeWindow,
    UnassignedReason,
    Vehicle,
)

__all__ = [
    "HORIZON_S", "UNREACHABLE", "Break", "Compartment", "DeliveryModel", "Depot", "Load", "Plan",
    "Problem", "Quantity", "RelayPoint", "Route", "Stop", "StopKind", "TimeWindow", "TravelModel",
    "Unassigned", "UnassignedReason", "Vehicle", "Visit",
]
