"""Plain values a route sheet is drawn from (filled by ``delivery.selectors``).

Times are seconds since local midnight, distances metres, masses grams, volumes millilitres,
money euro cents, coordinates WGS84 ``(lon, lat)``.
"""

import re
from dataclasses import dataclass, field

from common import money
from delivery import coldchain

COMPARTMENT_LABELS = {c: coldchain.SHORT_LABELS[c] for c in coldchain.COMPARTMENTS}
COMPARTMENT_MARKS = {"ambient": "", "chilled": "❄ FRAIS", "frozen": "❄❄ SURGELÉ"}
PAYMENT_LABELS = {"cash": "Espèces", "cheque": "Chèque", "voucher": "Bon d'achat"}


@dataclass(frozen=True)
class GoodsLine:
    """Goods of one compartment collected or delivered at a stop.

    ``from_depot`` is true for deliveries whose goods are loaded at the depot in the morning
    (they appear in the loading plan); false when they are collected on the way.
    """

    action: str  # "collect" or "deliver"
    compartment: str
    crates: tuple[str, ...]
    mass_g: int
    volume_ml: int
    from_depot: bool = True


@dataclass(frozen=True)
class ParcelLine:
    """One order's parcel at a door shared by several (one stop per door): who, crates, money."""

    task_id: int
    name: str
    crates: tuple[str, ...]
    payment_method: str = ""
    payment_cents: int = 0


@dataclass(frozen=True)
class StopSheet:
    """One stop of the round, as the driver needs it (and nothing more)."""

    sequence: int
    task_id: int
    kind_label: str
    name: str
    address: str
    phone: str
    lon: float
    lat: float
    arrival_s: int
    window: tuple[int, int]
    goods: tuple[GoodsLine, ...]
    payment_method: str = ""
    payment_cents: int = 0
    doorstep_notes: str = ""
    phone_view_url: str = ""
    status: str = "planned"
    #: Several orders at one door: every parcel with its amount (empty for a stop of one task).
    parcels: tuple[ParcelLine, ...] = ()

    @property
    def is_collect(self) -> bool:
        """Whether goods come on board here."""
        return any(g.action == "collect" for g in self.goods)


@dataclass(frozen=True)
class RouteSheet:
    """A van's round for one day."""

    date_label: str
    van_name: str
    driver_name: str
    depot_name: str
    depot_lon: float
    depot_lat: float
    departure_s: int
    return_s: int
    distance_m: int
    duration_s: int
    travel_label: str
    stops: tuple[StopSheet, ...]
    path: tuple[tuple[float, float], ...] = ()
    path_is_road: bool = False
    phone_round_url: str = ""
    unassigned_count: int = 0
    extra: dict = field(default_factory=dict)

    def loading_plan(self) -> dict[str, list[tuple[str, StopSheet]]]:
        """Crates loaded at the depot, per compartment, in REVERSE stop order.

        The last stop's crates go in first, so what comes off first is loaded last.
        """
        plan: dict[str, list[tuple[str, StopSheet]]] = {c: [] for c in COMPARTMENT_LABELS}
        for stop in reversed(self.stops):
            for line in stop.goods:
                if line.action == "deliver" and line.from_depot:
                    for crate in line.crates:
                        plan[line.compartment].append((crate, stop))
        return plan


#: A word holding three digits or more: a key-box, door or gate code typed into the notes.
_CODE_LIKE = re.compile(r"[^\s,;:()]*\d[^\s,;:()]*")


def notes_for_paper(notes: str) -> str:
    """``notes`` with anything that looks like a code (3+ digits in a word) masked.

    Codes have their own field, shown on the phone only; this catches the ones people still
    type into the notes, so a lost paper sheet never opens a door.
    """
    masked = _CODE_LIKE.sub(lambda m: "••••" if sum(c.isdigit() for c in m.group()) >= 3 else m.group(), notes)
    return masked + " (code sur le téléphone)" if masked != notes else notes


def hm(seconds: int) -> str:
    """Format seconds since midnight as ``08h05``."""
    seconds = int(seconds)
    return f"{seconds // 3600:02d}h{seconds % 3600 // 60:02d}"


def duration(seconds: int) -> str:
    """Format a duration as ``3 h 05``."""
    seconds = int(seconds)
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"


def km(metres: int) -> str:
    """Format metres as kilometres with a French decimal comma (``42,3 km``)."""
    return f"{money.format_number(metres / 1000, 1)} km"


def euros(cents: int) -> str:
    """Format cents as ``23,50 €`` (:func:`common.money.format_cents`)."""
    return money.format_cents(cents)


def kg(grams: int) -> str:
    """Format grams as ``1,2 kg``."""
    return f"{money.format_number(grams / 1000, 1)} kg"


def geo_link(lon: float, lat: float) -> str:
    """A ``geo:`` URI that phone navigation apps open."""
    return f"geo:{lat:.6f},{lon:.6f}?q={lat:.6f},{lon:.6f}"


def osm_link(lon: float, lat: float) -> str:
    """An OpenStreetMap link centred on the point."""
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}"
