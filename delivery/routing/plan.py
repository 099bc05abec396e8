"""The result of a solve: van routes with timed visits, and every stop left out with a reason."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from common import money
from delivery.routing.problem import Compartment, Load, Quantity, UnassignedReason


@dataclass(frozen=True)
class Visit:
    """One stop on a route: arrival, start and end of service (s since midnight).

    ``load_after`` is what the van holds, per compartment, when it leaves the stop.
    """

    stop_id: str
    arrival_s: int
    start_s: int
    departure_s: int
    load_after: Load


@dataclass(frozen=True)
class Route:
    """One van's round: leaves the depot at ``start_s``, returns at ``end_s``.

    ``distance_m`` is driven distance (m), ``duration_s`` is ``end_s - start_s``, ``cost_c``
    is fixed + per-km + per-hour cost (integer cents, rounded half up). ``break_start_s`` is
    when the driver's break starts, when the van has one.
    """

    vehicle_id: str
    visits: list[Visit]
    start_s: int
    end_s: int
    distance_m: int
    duration_s: int
    cost_c: int
    start_load: Load = field(default_factory=Load)
    break_start_s: int | None = None

    def stop_ids(self) -> list[str]:
        """Stop ids in visiting order."""
        return [v.stop_id for v in self.visits]


@dataclass(frozen=True)
class Unassigned:
    """A stop not served, why (``reason``), and one plain sentence of ``detail``."""

    stop_id: str
    reason: UnassignedReason
    detail: str


@dataclass(frozen=True)
class Plan:
    """Routes of the used vans, unassigned stops, and totals.

    ``cost_c`` is the sum of route costs; ``penalty_c`` the sum of penalties of optional
    stops left out (mandatory ones have none). ``solver_stats`` holds non-essential facts
    about the search (strategy, status, wall time) and is excluded from equality.
    """

    routes: list[Route]
    unassigned: list[Unassigned]
    cost_c: int
    travel_label: str = ""
    penalty_c: int = 0
    solver_stats: dict[str, Any] = field(default_factory=dict, compare=False)

    def route_for(self, vehicle_id: str) -> Route | None:
        """The route of ``vehicle_id``, or None when that van stays at the depot."""
        return next((r for r in self.routes if r.vehicle_id == vehicle_id), None)

    def visit_of(self, stop_id: str) -> tuple[Route, Visit] | None:
        """The route and visit serving ``stop_id``, or None when it is unassigned."""
        for route in self.routes:
            for visit in route.visits:
                if visit.stop_id == stop_id:
                    return route, visit
        return None

    @property
    def distance_m(self) -> int:
        """Total distance driven by all vans (m)."""
        return sum(r.distance_m for r in self.routes)

    def summary(self) -> str:
        """A short French text: one line per van, then the stops left out and why."""
        lines = [f"Plan : {len(self.routes)} tournée(s), {_km(self.distance_m)}, "
                 f"coût {_euros(self.cost_c)}"]
        if self.travel_label:
            lines.append(f"Trajets : {self.travel_label}")
        for r in self.routes:
            lines.append(f"- {r.vehicle_id} : {len(r.visits)} arrêt(s), {_clock(r.start_s)}–"
                         f"{_clock(r.end_s)}, {_km(r.distance_m)}, {_euros(r.cost_c)}")
        if self.unassigned:
            lines.append(f"Non desservis : {len(self.unassigned)}")
            lines += [f"- {u.stop_id} : {u.reason.value} ({u.detail})" for u in self.unassigned]
        return "\n".join(lines)

    def to_json(self, stats: bool = True) -> str:
        """Serialise to a JSON string (stable key order).

        With ``stats=False`` the solver statistics (wall times...) are left out, so two
        identical plans give identical text.
        """
        data = plan_to_dict(self)
        if not stats:
            data["solver_stats"] = {}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Rebuild a plan from :meth:`to_json` output.

        Raises
        ------
        ValueError
            If the text is not a plan in this format.
        """
        try:
            return plan_from_dict(json.loads(text))
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a plan JSON: {exc}") from exc


def load_to_dict(load: Load) -> dict[str, list[int]]:
    """``{"chilled": [mass_g, volume_ml], ...}`` for the non-empty compartments."""
    out = {}
    for c in Compartment:
        q = load.get(c)
        if not q.is_zero():
            out[c.value] = [q.mass_g, q.volume_ml]
    return out


def load_from_dict(data: dict[str, list[int]]) -> Load:
    """Inverse of :func:`load_to_dict`."""
    return Load(**{Compartment(k).value: Quantity(int(v[0]), int(v[1])) for k, v in data.items()})


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """Plain dict form of a plan (JSON-ready)."""
    return {
        "routes": [{
            "vehicle_id": r.vehicle_id, "start_s": r.start_s, "end_s": r.end_s,
            "distance_m": r.distance_m, "duration_s": r.duration_s, "cost_c": r.cost_c,
            "start_load": load_to_dict(r.start_load), "break_start_s": r.break_start_s,
            "visits": [{"stop_id": v.stop_id, "arrival_s": v.arrival_s, "start_s": v.start_s,
                        "departure_s": v.departure_s, "load_after": load_to_dict(v.load_after)}
                       for v in r.visits],
        } for r in plan.routes],
        "unassigned": [{"stop_id": u.stop_id, "reason": u.reason.value, "detail": u.detail}
                       for u in plan.unassigned],
        "cost_c": plan.cost_c, "penalty_c": plan.penalty_c,
        "travel_label": plan.travel_label, "solver_stats": plan.solver_stats,
    }


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """Inverse of :func:`plan_to_dict`."""
    routes = [Route(
        vehicle_id=r["vehicle_id"], start_s=int(r["start_s"]), end_s=int(r["end_s"]),
        distance_m=int(r["distance_m"]), duration_s=int(r["duration_s"]), cost_c=int(r["cost_c"]),
        start_load=load_from_dict(r.get("start_load", {})), break_start_s=r.get("break_start_s"),
        visits=[Visit(v["stop_id"], int(v["arrival_s"]), int(v["start_s"]), int(v["departure_s"]),
                      load_from_dict(v["load_after"])) for v in r["visits"]],
    ) for r in data["routes"]]
    unassigned = [Unassigned(u["stop_id"], UnassignedReason(u["reason"]), u["detail"])
                  for u in data["unassigned"]]
    return Plan(routes, unassigned, int(data["cost_c"]), data.get("travel_label", ""),
                int(data.get("penalty_c", 0)), dict(data.get("solver_stats", {})))


def _km(metres: int) -> str:
    return f"{money.format_number(metres / 1000, 1)} km"


def _euros(cents: int) -> str:
    return money.format_cents(cents)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
