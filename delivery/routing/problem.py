"""Frozen value types describing one delivery day: depots, vans, relay points and stops.

Units everywhere: time in integer seconds since midnight of the plan day (local time),
distance in integer metres, mass in integer grams, volume in integer millilitres, money in
integer euro cents, coordinates as WGS84 ``(lon, lat)`` floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

#: Any travel-matrix entry at or above this value (or negative) means "no path".
UNREACHABLE = 1_000_000_000

#: Latest representable time of the plan day and the day after (seconds), the solver horizon.
HORIZON_S = 2 * 86_400


class Compartment(StrEnum):
    """Temperature class of goods and of van compartments."""

    AMBIENT = "ambient"
    CHILLED = "chilled"
    FROZEN = "frozen"


class StopKind(StrEnum):
    """What happens at a stop: goods come on board (PICKUP) or leave the van (DELIVERY)."""

    PICKUP = "pickup"
    DELIVERY = "delivery"


class UnassignedReason(StrEnum):
    """Why a stop is not in any route of a plan."""

    WINDOW_IMPOSSIBLE = "WINDOW_IMPOSSIBLE"
    OVER_CAPACITY = "OVER_CAPACITY"
    UNREACHABLE = "UNREACHABLE"
    COLD_CHAIN = "COLD_CHAIN"
    RELAY_FULL = "RELAY_FULL"
    NO_ROOM = "NO_ROOM"


@dataclass(frozen=True)
class TimeWindow:
    """A closed interval ``[start_s, end_s]`` of seconds since midnight.

    Raises
    ------
    ValueError
        If ``end_s < start_s``, ``start_s`` is negative or ``end_s`` is past
        :data:`HORIZON_S` (48 h).
    """

    start_s: int
    end_s: int

    def __post_init__(self) -> None:
        if self.start_s < 0:
            raise ValueError(f"time window start {self.start_s} s is negative")
        if self.end_s > HORIZON_S:
            raise ValueError(f"time window end {self.end_s} s is past the {HORIZON_S} s horizon")
        if self.end_s < self.start_s:
            raise ValueError(f"time window ends ({self.end_s} s) before it starts ({self.start_s} s)")

    def intersect(self, other: TimeWindow) -> TimeWindow | None:
        """Return the overlap with ``other``, or None when they do not overlap."""
        start, end = max(self.start_s, other.start_s), min(self.end_s, other.end_s)
        return TimeWindow(start, end) if start <= end else None


@dataclass(frozen=True)
class Quantity:
    """An amount of goods: mass in grams and volume in millilitres (both >= 0 in capacities)."""

    mass_g: int = 0
    volume_ml: int = 0

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.mass_g + other.mass_g, self.volume_ml + other.volume_ml)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(self.mass_g - other.mass_g, self.volume_ml - other.volume_ml)

    def fits(self, capacity: Quantity) -> bool:
        """True when both mass and volume are within ``capacity``."""
        return self.mass_g <= capacity.mass_g and self.volume_ml <= capacity.volume_ml

    def is_zero(self) -> bool:
        """True when both mass and volume are zero."""
        return self.mass_g == 0 and self.volume_ml == 0


@dataclass(frozen=True)
class Load:
    """One :class:`Quantity` per compartment (a stop's goods, a van's capacity or contents)."""

    ambient: Quantity = field(default_factory=Quantity)
    chilled: Quantity = field(default_factory=Quantity)
    frozen: Quantity = field(default_factory=Quantity)

    @classmethod
    def of(cls, compartment: Compartment, mass_g: int = 0, volume_ml: int = 0) -> Load:
        """Build a load with goods in one compartment only."""
        return cls(**{Compartment(compartment).value: Quantity(mass_g, volume_ml)})

    def get(self, compartment: Compartment) -> Quantity:
        """Return the quantity held in ``compartment``."""
        return getattr(self, Compartment(compartment).value)

    def __add__(self, other: Load) -> Load:
        return Load(*(self.get(c) + other.get(c) for c in Compartment))

    def __sub__(self, other: Load) -> Load:
        return Load(*(self.get(c) - other.get(c) for c in Compartment))

    def fits(self, capacity: Load) -> bool:
        """True when every compartment's mass and volume are within ``capacity``."""
        return all(self.get(c).fits(capacity.get(c)) for c in Compartment)

    def is_zero(self) -> bool:
        """True when no compartment holds anything."""
        return all(self.get(c).is_zero() for c in Compartment)

    def is_negative(self) -> bool:
        """True when some compartment has a negative mass or volume."""
        return any(q.mass_g < 0 or q.volume_ml < 0 for q in (self.ambient, self.chilled,
                                                              self.frozen))

    def cold_volume_ml(self) -> int:
        """Chilled plus frozen volume (ml), what a relay point's fridge must hold."""
        return self.chilled.volume_ml + self.frozen.volume_ml


@dataclass(frozen=True)
class Break:
    """A driver break of ``duration_s`` seconds that must start inside ``window``."""

    window: TimeWindow
    duration_s: int

    def __post_init__(self) -> None:
        if self.duration_s < 0:
            raise ValueError(f"break duration {self.duration_s} s is negative")


@dataclass(frozen=True)
class Depot:
    """Where vans start and end; ``window`` bounds departures and returns."""

    id: str
    name: str
    lon: float
    lat: float
    window: TimeWindow


@dataclass(frozen=True)
class Vehicle:
    """One van: compartment capacities, shift, optional break and integer costs (cents).

    ``cost_per_km_c`` is charged per kilometre driven, ``cost_per_hour_c`` per hour between
    leaving and returning to the depot, ``fixed_cost_c`` once if the van is used at all.
    The van may go back to its depot up to ``max_reloads`` times during its shift, each
    time for ``reload_s`` seconds, to unload what it brought back and load its next loop:
    capacities apply per loop, and goods loaded at the depot count their time in the van
    from the departure of their own loop.
    """

    id: str
    name: str
    depot_id: str
    capacity: Load
    shift: TimeWindow
    break_: Break | None = None
    fixed_cost_c: int = 0
    cost_per_km_c: int = 0
    cost_per_hour_c: int = 0
    max_reloads: int = 0
    reload_s: int = 0


@dataclass(frozen=True)
class RelayPoint:
    """A town hall, shop or third place where parcels are left for shoppers.

    Deliveries there happen only within ``opening``. ``fridge_volume_ml`` is shared by all
    chilled and frozen parcels delivered there that day, across all vans.
    """

    id: str
    name: str
    lon: float
    lat: float
    opening: tuple[TimeWindow, ...]
    fridge_volume_ml: int


@dataclass(frozen=True)
class Stop:
    """A place the van serves once.

    Service starts inside one of ``windows`` (empty means "any time in the shift") and lasts
    ``service_s``. ``penalty_c`` None means mandatory; otherwise the cost (cents) of leaving
    the stop out. A stop with ``shipment_id`` is one side of a pickup-and-delivery pair; a
    DELIVERY without one carries goods loaded at the depot, a PICKUP without one brings goods
    back to the depot.
    """

    id: str
    name: str
    lon: float
    lat: float
    kind: StopKind
    windows: tuple[TimeWindow, ...] = ()
    service_s: int = 0
    load: Load = field(default_factory=Load)
    penalty_c: int | None = None
    relay_id: str | None = None
    shipment_id: str | None = None

    @property
    def mandatory(self) -> bool:
        """True when the stop has no penalty, i.e. it must be served if at all possible."""
        return self.penalty_c is None


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs, frozen: entities, cold-chain limits and matrices.

    ``durations_s`` and ``distances_m`` are square and indexed like :meth:`locations`
    (depots first, then stops, both in insertion order).
    """

    depots: tuple[Depot, ...]
    vehicles: tuple[Vehicle, ...]
    relays: tuple[RelayPoint, ...]
    stops: tuple[Stop, ...]
    max_in_van_s: tuple[tuple[Compartment, int], ...]
    durations_s: tuple[tuple[int, ...], ...]
    distances_m: tuple[tuple[int, ...], ...]
    travel_label: str = ""

    def locations(self) -> list[tuple[float, float]]:
        """Points in matrix order: depots then stops, as ``(lon, lat)``."""
        return [(d.lon, d.lat) for d in self.depots] + [(s.lon, s.lat) for s in self.stops]

    def max_in_van_for(self, load: Load) -> int | None:
        """Strictest time-in-van limit (s) among the compartments ``load`` uses, or None."""
        limits = dict(self.max_in_van_s)
        used = [limits[c] for c in Compartment if c in limits and not load.get(c).is_zero()]
        return min(used) if used else None

    def restricted(self, stops: Sequence[int], vehicles: Sequence[int] | None = None) -> Problem:
        """The same day cut down to some stops, and to some vehicles when given.

        ``stops`` and ``vehicles`` are indices; the matrices keep the depots' and those
        stops' rows and columns. Depots, relays and time-in-van limits stay.
        """
        nd = len(self.depots)
        keep = list(range(nd)) + [nd + i for i in stops]
        return replace(
            self, stops=tuple(self.stops[i] for i in stops),
            vehicles=self.vehicles if vehicles is None else tuple(self.vehicles[v] for v in vehicles),
            durations_s=tuple(tuple(self.durations_s[a][b] for b in keep) for a in keep),
            distances_m=tuple(tuple(self.distances_m[a][b] for b in keep) for a in keep))
