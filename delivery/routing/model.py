"""DeliveryModel: a small builder for one delivery day, in the shape of PyVRP's ``Model``.

Add depots, vans, relay points, stops and shipments, choose how travel is measured, then
:meth:`DeliveryModel.solve` hands a frozen :class:`~delivery.routing.problem.Problem` to the
one module that speaks OR-Tools and returns a :class:`~delivery.routing.plan.Plan`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from delivery.routing.problem import (
    Break,
    Compartment,
    Depot,
    Load,
    Problem,
    RelayPoint,
    Stop,
    StopKind,
    TimeWindow,
    Vehicle,
)


class TravelModel(Protocol):
    """Anything that turns points into integer travel matrices (road network, straight line)."""

    label: str

    def matrices(self, points: Sequence[tuple[float, float]]) -> tuple[Any, Any]:
        """Return ``(durations_s, distances_m)`` square integer arrays over ``points``."""
        ...


class DeliveryModel:
    """Builder for one day's van rounds; ``add_*`` return the objects they create."""

    def __init__(self) -> None:
        self.depots: list[Depot] = []
        self.vehicles: list[Vehicle] = []
        self.relays: list[RelayPoint] = []
        self.stops: list[Stop] = []
        self.max_in_van_s: dict[Compartment, int] = {}
        self._travel: TravelModel | None = None
        self._matrices: tuple[list[list[int]], list[list[int]]] | None = None
        self._label = ""

    # ----------------------------------------------------------------- entities
    def add_depot(
        self, id: str, name: str, lon: float, lat: float, window: TimeWindow
    ) -> Depot:
        """Add a depot; vans start and end there within ``window`` (s since midnight).

        Raises
        ------
        ValueError
            If the id is already used by another depot.
        """
        _unique(id, self.depots, "depot")
        depot = Depot(id, name, float(lon), float(lat), window)
        self.depots.append(depot)
        return depot

    def add_vehicle(
        self,
        id: str,
        name: str,
        depot: Depot,
        capacity: Load,
        shift: TimeWindow,
        break_: Break | None = None,
        fixed_cost_c: int = 0,
        cost_per_km_c: int = 0,
        cost_per_hour_c: int = 0,
        max_reloads: int = 0,
        reload_s: int = 0,
    ) -> Vehicle:
        """Add one van based at ``depot``; costs are integer cents (per km, per hour, fixed).

        ``max_reloads`` lets the van come back to the depot that many times (``reload_s``
        seconds each) to start another loop with its compartments reloaded.

        Raises
        ------
        ValueError
            If the id is already used, the depot was not added to this model, a cost, the
            number of reloads or the reload time is negative, or the break cannot fit in
            the shift.
        """
        _unique(id, self.vehicles, "vehicle")
        if depot not in self.depots:
            raise ValueError(f"vehicle {id!r}: depot {depot.id!r} was not added to this model")
        for label, value in (("fixed", fixed_cost_c), ("per km", cost_per_km_c),
                             ("per hour", cost_per_hour_c)):
            if value < 0:
                raise ValueError(f"vehicle {id!r}: {label} cost {value} c is negative")
        if max_reloads < 0 or reload_s < 0:
            raise ValueError(f"vehicle {id!r}: {max_reloads} reloads of {reload_s} s each: "
                             "neither may be negative")
        if capacity.is_negative():
            raise ValueError(f"vehicle {id!r}: capacity {capacity} has a negative amount")
        if break_ is not None and (break_.window.start_s + break_.duration_s > shift.end_s
                                   or break_.window.end_s < shift.start_s):
            raise ValueError(f"vehicle {id!r}: the break ({break_.window.start_s}-"
                             f"{break_.window.end_s} s, {break_.duration_s} s long) does not "
                             f"fit in the shift {shift.start_s}-{shift.end_s} s")
        vehicle = Vehicle(id, name, depot.id, capacity, shift, break_, int(fixed_cost_c),
                          int(cost_per_km_c), int(cost_per_hour_c), int(max_reloads),
                          int(reload_s))
        self.vehicles.append(vehicle)
        return vehicle

    def add_vehicles(self, count: int, id_prefix: str = "van", **kwargs: Any) -> list[Vehicle]:
        """Add ``count`` identical vans ``{id_prefix}-1 .. {id_prefix}-{count}`` (a fixed fleet).

        ``kwargs`` are those of :meth:`add_vehicle` except ``id`` and ``name``.
        """
        return [self.add_vehicle(f"{id_prefix}-{k}", f"{id_prefix} {k}", **kwargs)
                for k in range(1, count + 1)]

    def add_relay_point(
        self,
        id: str,
        name: str,
        lon: float,
        lat: float,
        opening: Iterable[TimeWindow],
        fridge_volume_ml: int,
    ) -> RelayPoint:
        """Add a relay point open during ``opening`` with a shared fridge (ml).

        Raises
        ------
        ValueError
            If the id is reused, there is no opening window or the fridge volume is negative.
        """
        _unique(id, self.relays, "relay point")
        opening = tuple(sorted(opening, key=lambda w: w.start_s))
        if not opening:
            raise ValueError(f"relay point {id!r} has no opening hours")
        if fridge_volume_ml < 0:
            raise ValueError(f"relay point {id!r}: fridge volume {fridge_volume_ml} ml is negative")
        relay = RelayPoint(id, name, float(lon), float(lat), opening, int(fridge_volume_ml))
        self.relays.append(relay)
        return relay

    def add_stop(
        self,
        id: str,
        name: str,
        lon: float | None = None,
        lat: float | None = None,
        kind: StopKind = StopKind.DELIVERY,
        windows: Iterable[TimeWindow] = (),
        service_s: int = 0,
        load: Load | None = None,
        penalty_c: int | None = None,
        relay: RelayPoint | None = None,
        shipment_id: str | None = None,
    ) -> Stop:
        """Add a single stop; a DELIVERY without shipment carries goods loaded at the depot.

        At a relay point ``lon``/``lat`` default to the relay's, and service is further
        restricted to the relay's opening hours.

        Raises
        ------
        ValueError
            If the id is reused, coordinates are missing, the service time, penalty or
            load is negative, or the relay point was not added to this model.
        """
        _unique(id, self.stops, "stop")
        if relay is not None:
            if relay not in self.relays:
                raise ValueError(f"stop {id!r}: relay point {relay.id!r} was not added to this model")
            lon = relay.lon if lon is None else lon
            lat = relay.lat if lat is None else lat
        if lon is None or lat is None:
            raise ValueError(f"stop {id!r} has no coordinates")
        if service_s < 0:
            raise ValueError(f"stop {id!r}: service time {service_s} s is negative")
        if penalty_c is not None and penalty_c < 0:
            raise ValueError(f"stop {id!r}: penalty {penalty_c} c is negative")
        if load is not None and load.is_negative():
            raise ValueError(f"stop {id!r}: load {load} has a negative amount")
        stop = Stop(id, name, float(lon), float(lat), StopKind(kind),
                    tuple(sorted(windows, key=lambda w: w.start_s)), int(service_s),
                    load or Load(), penalty_c, relay.id if relay else None, shipment_id)
        self.stops.append(stop)
        return stop

    def add_shipment(
        self,
        id: str,
        pickup: Mapping[str, Any],
        delivery: Mapping[str, Any],
        load: Load,
        penalty_c: int | None = None,
    ) -> tuple[Stop, Stop]:
        """Add a paired pickup and delivery: same van, pickup first, same ``load``.

        ``pickup`` and ``delivery`` hold the keyword arguments of :meth:`add_stop` (``name``,
        ``lon``, ``lat``, ``windows``, ``service_s``, ``relay``, optionally ``id``); the stop
        ids default to ``{id}/pickup`` and ``{id}/delivery``. ``penalty_c`` is the cost of
        leaving the whole shipment out (both stops or neither).

        Raises
        ------
        ValueError
            As :meth:`add_stop`, or if ``pickup``/``delivery`` set ``kind``, ``load`` or
            ``penalty_c`` themselves.
        """
        for side in (pickup, delivery):
            clash = {"kind", "load", "penalty_c", "shipment_id"} & set(side)
            if clash:
                raise ValueError(f"shipment {id!r}: {sorted(clash)} are set by add_shipment")
        if any(s.shipment_id == id for s in self.stops):
            raise ValueError(f"shipment id {id!r} is already used")
        p_args = {"id": f"{id}/pickup", "name": f"{id} (enlèvement)", **pickup}
        d_args = {"id": f"{id}/delivery", "name": f"{id} (livraison)", **delivery}
        p = self.add_stop(kind=StopKind.PICKUP, load=load, penalty_c=penalty_c,
                          shipment_id=id, **p_args)
        try:
            d = self.add_stop(kind=StopKind.DELIVERY, load=load, penalty_c=penalty_c,
                              shipment_id=id, **d_args)
        except ValueError:
            self.stops.remove(p)
            raise
        return p, d

    def require_all(self) -> None:
        """Make every stop mandatory (drop all penalties), e.g. for benchmark instances."""
        self.stops = [_replace_penalty(s, None) for s in self.stops]

    def set_max_in_van(self, compartment: Compartment, seconds: int) -> None:
        """Cap the time goods of ``compartment`` may spend in the van (hard constraint).

        Measured from the start of loading at the pickup (or the van's departure from the
        depot for goods loaded there) to the end of unloading at the delivery.

        Raises
        ------
        ValueError
            If ``seconds`` is not positive.
        """
        if seconds <= 0:
            raise ValueError(f"max time in van for {compartment} must be positive, got {seconds} s")
        self.max_in_van_s[Compartment(compartment)] = int(seconds)

    # ------------------------------------------------------------------- travel
    def locations(self) -> list[tuple[float, float]]:
        """Points in matrix order: depots first, then stops, as ``(lon, lat)``."""
        return [(d.lon, d.lat) for d in self.depots] + [(s.lon, s.lat) for s in self.stops]

    def set_travel(self, travel: TravelModel) -> None:
        """Measure travel with ``travel.matrices(points)`` at solve time (road or straight line)."""
        self._travel = travel
        self._matrices = None
        self._label = getattr(travel, "label", type(travel).__name__)

    def set_matrices(self, durations_s: Any, distances_m: Any, label: str = "matrices") -> None:
        """Use explicit square integer matrices over :meth:`locations` (s and m).

        Raises
        ------
        ValueError
            If the matrices are not square, differ in size or hold non-integers.
        """
        dur, dist = _int_matrix(durations_s, "durations"), _int_matrix(distances_m, "distances")
        if len(dur) != len(dist):
            raise ValueError(f"duration matrix is {len(dur)}x{len(dur)} but distance matrix "
                             f"is {len(dist)}x{len(dist)}")
        self._matrices, self._travel, self._label = (dur, dist), None, label

    # -------------------------------------------------------------------- solve
    def problem(self) -> Problem:
        """Freeze the model into a :class:`Problem`, computing matrices if needed.

        Raises
        ------
        ValueError
            If there is no depot or vehicle, no travel model or matrices were given, the
            matrix size does not match :meth:`locations`, or a stop is in two shipments.
        """
        if not self.depots or not self.vehicles:
            raise ValueError("the model needs at least one depot and one vehicle")
        if self._matrices is None:
            if self._travel is None:
                raise ValueError("no travel model: call set_travel() or set_matrices() first")
            dur, dist = self._travel.matrices(self.locations())
            self._matrices = (_int_matrix(dur, "durations"), _int_matrix(dist, "distances"))
        dur_m, dist_m = self._matrices
        n = len(self.depots) + len(self.stops)
        if len(dur_m) != n:
            raise ValueError(f"matrices are {len(dur_m)}x{len(dur_m)} but the model has {n} "
                             f"locations ({len(self.depots)} depots + {len(self.stops)} stops)")
        _check_shipments(self.stops)
        return Problem(
            tuple(self.depots), tuple(self.vehicles), tuple(self.relays), tuple(self.stops),
            tuple(sorted(self.max_in_van_s.items(), key=lambda kv: kv[0].value)),
            tuple(tuple(r) for r in dur_m), tuple(tuple(r) for r in dist_m), self._label,
        )

    def solve(
        self,
        time_limit_s: float = 30.0,
        seed: int = 0,
        initial_routes: Mapping[str, Sequence[str]] | None = None,
        deterministic: bool = True,
        work_budget: int | None = None,
        *,
        warm_start: bool = True,
        processes: int = 1,
    ) -> Any:
        """Plan the day with the whole pipeline: PyVRP warm start, then OR-Tools.

        See :func:`delivery.routing.pipeline.solve` (what the warm start relaxes, how the
        time limit and work budgets are shared); ``warm_start=False`` runs OR-Tools alone.
        The time limit counts from this call, travel matrices included.

        Returns
        -------
        Plan
            Routes plus every stop not served, each with a reason.
        """
        started_at = time.monotonic()
        from delivery.routing.pipeline import solve

        return solve(self.problem(), time_limit_s=time_limit_s, seed=seed,
                     initial_routes=initial_routes, deterministic=deterministic,
                     started_at=started_at, work_budget=work_budget, warm_start=warm_start,
                     processes=processes)

    # --------------------------------------------------------------------- json
    def to_json(self) -> str:
        """Serialise the model (with its matrices once known) to a JSON string."""
        from delivery.routing.jsonio import model_to_json

        return model_to_json(self)

    @classmethod
    def from_json(cls, text: str) -> DeliveryModel:
        """Rebuild a model from :meth:`to_json` output.

        Raises
        ------
        ValueError
            If the JSON is malformed or describes an invalid model.
        """
        from delivery.routing.jsonio import model_from_json

        return model_from_json(text)


def _unique(id: str, items: Sequence[Any], what: str) -> None:
    if not isinstance(id, str) or not id:
        raise ValueError(f"{what} id must be a non-empty string, got {id!r}")
    if any(item.id == id for item in items):
        raise ValueError(f"{what} id {id!r} is already used")


def _replace_penalty(stop: Stop, penalty_c: int | None) -> Stop:
    from dataclasses import replace

    return replace(stop, penalty_c=penalty_c)


def _int_matrix(matrix: Any, what: str) -> list[list[int]]:
    rows = [list(r) for r in matrix]
    n = len(rows)
    out: list[list[int]] = []
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"{what} matrix is not square: row {i} has {len(row)} entries, "
                             f"expected {n}")
        ints = [int(x) for x in row]
        if any(a != b for a, b in zip(ints, row, strict=True)):
            raise ValueError(f"{what} matrix row {i} holds non-integer values")
        out.append(ints)
    return out


def _check_shipments(stops: Sequence[Stop]) -> None:
    sides: dict[str, list[Stop]] = {}
    for s in stops:
        if s.shipment_id is not None:
            sides.setdefault(s.shipment_id, []).append(s)
    for sid, pair in sides.items():
        kinds = sorted(s.kind.value for s in pair)
        if kinds != ["delivery", "pickup"]:
            raise ValueError(f"shipment {sid!r} must have exactly one pickup and one delivery, "
                             f"got {kinds}")
