"""A reproducible "Mormal day": ~150 van stops over the 52 real communes of the Pays de Mormal.

Vendors (farms, artisans, shops) are collected in the morning and their goods delivered the
same day to homes or to relay points at town halls; chilled and frozen goods have a hard
time-in-van limit. Some parcels are loaded at the depot (Le Quesnoy). Everything is drawn
from one seeded :class:`random.Random`, so a seed always gives the same day, byte for byte.

    model = mormal_day(stops=150, vans=3, seed=1)   # a DeliveryModel, travel not yet solved
    plan = model.solve(time_limit_s=30)

Pure Python: reads the communes CSV directly, never imports Django.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path

from common.names import de
from delivery import coldchain
from delivery.routing.model import DeliveryModel, TravelModel
from delivery.routing.problem import Break, Compartment, Load, RelayPoint, TimeWindow
from delivery.routing.straightline import great_circle_m

H = 3600
COMMUNES_CSV = (Path(__file__).resolve().parents[2] / "marketplace" / "territory" / "data"
                / "ccpm_communes.csv")
#: The cold chain's time-in-van limits (:mod:`delivery.coldchain`), keyed for the routing model.
MAX_IN_VAN_S = {Compartment(c): seconds for c, seconds in coldchain.MAX_IN_VAN_S.items()}
#: Farthest (straight line, metres) a chilled / frozen parcel travels from vendor to customer.
COLD_REACH_M = {Compartment.CHILLED: 15_000, Compartment.FROZEN: 8_000}
DEPOT_COMMUNE = "Le Quesnoy"  # seat of the Communauté de communes
RELAY_COMMUNES = ("Le Quesnoy", "Landrecies", "Bavay", "Gommegnies", "Poix-du-Nord",
                  "Maroilles", "Englefontaine", "Jenlain")
RELAY_OPENING = (TimeWindow(9 * H, 12 * H), TimeWindow(14 * H, 17 * H))
HOME_SLOTS = ((8 * H, 12 * H), (9 * H, 13 * H), (10 * H, 14 * H), (13 * H, 17 * H),
              (14 * H, 18 * H), (8 * H, 18 * H))
PICKUP_SLOTS = ((7 * H, 10 * H), (7 * H + 1800, 11 * H), (11 * H, 14 * H))
VENDOR_KINDS = ("Ferme", "Fromagerie", "Boucherie", "Boulangerie", "Maraîcher", "Brasserie",
                "Épicerie", "Volailles")
# Per-parcel (mass g, volume ml) ranges by compartment.
PARCEL = {Compartment.AMBIENT: ((1_000, 8_000), (2_000, 20_000)),
          Compartment.CHILLED: ((500, 5_000), (1_000, 10_000)),
          Compartment.FROZEN: ((500, 3_000), (1_000, 6_000))}


@dataclass(frozen=True)
class Commune:
    """One commune of the CSV: INSEE code, name, population, centroid and town hall (WGS84)."""

    insee: str
    name: str
    population: int
    lon: float
    lat: float
    town_hall_lon: float
    town_hall_lat: float


def read_communes(path: Path = COMMUNES_CSV) -> list[Commune]:
    """The communes of the shipped CSV, in INSEE order.

    Raises
    ------
    ValueError
        If a row lacks a field or has a non-numeric value; the message names the line.
    """
    communes = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                communes.append(Commune(row["insee"], row["nom"], int(row["population_municipale"]),
                                        float(row["centroid_lon"]), float(row["centroid_lat"]),
                                        float(row["mairie_lon"]), float(row["mairie_lat"])))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path.name} line {line_no}: bad commune row ({exc})") from exc
    return sorted(communes, key=lambda c: c.insee)


def crow_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two ``(lon, lat)`` points."""
    return great_circle_m(*a, *b)


def _near(rng: random.Random, commune: Commune, spread_m: float) -> tuple[float, float]:
    """A point within ``spread_m`` of the commune centroid (uniform in a disc)."""
    r, theta = spread_m * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(theta) / 111_195
    dlon = r * math.sin(theta) / (111_195 * math.cos(math.radians(commune.lat)))
    return round(commune.lon + dlon, 6), round(commune.lat + dlat, 6)


def _parcel(rng: random.Random, compartment: Compartment) -> Load:
    (m_lo, m_hi), (v_lo, v_hi) = PARCEL[compartment]
    return Load.of(compartment, mass_g=rng.randrange(m_lo, m_hi, 100),
                   volume_ml=rng.randrange(v_lo, v_hi, 500))


def _compartment(rng: random.Random) -> Compartment:
    return rng.choices(list(Compartment), weights=(50, 35, 15))[0]


def mormal_day(*, stops: int = 150, vans: int = 3, seed: int = 1,
               travel: TravelModel | None = None) -> DeliveryModel:
    """Build the delivery model of one generated day (nothing is solved yet).

    About 40 % of ``stops`` are vendor pickups, each paired with a home or relay delivery
    (another 40 %); the rest are parcels loaded at the depot. Chilled and frozen pairs stay
    within :data:`COLD_REACH_M`. ``travel`` defaults to the labelled straight-line model.

    Raises
    ------
    ValueError
        If ``stops`` < 10 or ``vans`` is not 1 to 12.
    """
    if stops < 10:
        raise ValueError(f"a Mormal day needs at least 10 stops, got {stops}")
    if not 1 <= vans <= 12:
        raise ValueError(f"a Mormal day runs 1 to 12 vans, got {vans}")
    rng = random.Random(seed)
    communes = read_communes()
    by_name = {c.name: c for c in communes}
    weights = [c.population for c in communes]
    model = DeliveryModel()

    hq = by_name[DEPOT_COMMUNE]
    depot = model.add_depot("depot", "Dépôt du Pays de Mormal (Le Quesnoy)", hq.town_hall_lon,
                            hq.town_hall_lat, TimeWindow(6 * H, 20 * H))
    shifts = [(7 * H, 17 * H), (7 * H + 1800, 17 * H + 1800), (8 * H, 18 * H)]
    for k in range(vans):
        start, end = shifts[k % len(shifts)]
        model.add_vehicle(
            f"van-{k + 1}", f"Camion frigorifique {k + 1}", depot,
            capacity=Load.of(Compartment.AMBIENT, 350_000, 1_600_000)
            + Load.of(Compartment.CHILLED, 250_000, 1_000_000)
            + Load.of(Compartment.FROZEN, 100_000, 400_000),
            shift=TimeWindow(start, end),
            break_=Break(TimeWindow(start + 4 * H, start + 5 * H + 1800), 1800),
            fixed_cost_c=3_000, cost_per_km_c=35, cost_per_hour_c=2_200,
        )
    relays: dict[str, RelayPoint] = {}
    for name in RELAY_COMMUNES:
        c = by_name[name]
        relays[name] = model.add_relay_point(
            f"relais-{c.insee}", f"Mairie {de(name)}",
            c.town_hall_lon, c.town_hall_lat, RELAY_OPENING,
            fridge_volume_ml=rng.choice((60_000, 80_000, 120_000)))
    vendors = []
    for k in range(max(4, stops // 15)):
        c = rng.choices(communes, weights=[1] * len(communes))[0]
        vendors.append((f"{rng.choice(VENDOR_KINDS)} {c.name} n°{k + 1}", c, _near(rng, c, 1_500)))

    n_pairs = (2 * stops) // 5
    for k in range(n_pairs):
        compartment = _compartment(rng)
        name, v_commune, v_point = rng.choice(vendors)
        reach = COLD_REACH_M.get(compartment, math.inf)
        nearby = [c for c in communes if crow_m(v_point, (c.lon, c.lat)) <= reach - 1_000]
        customer = rng.choices(nearby or [v_commune], weights=[c.population for c in nearby or [v_commune]])[0]
        p_start, p_end = rng.choice(PICKUP_SLOTS)
        pickup = {"name": name, "lon": v_point[0], "lat": v_point[1], "service_s": 180,
                  "windows": (TimeWindow(p_start, p_end),)}
        if customer.name in relays and rng.random() < 0.4:
            delivery = {"name": f"Relais {relays[customer.name].name}", "relay": relays[customer.name],
                        "service_s": 120}
        else:
            if compartment in MAX_IN_VAN_S:  # cold: the customer is home soon after collection
                d_start, d_end = p_start + 900, p_end + MAX_IN_VAN_S[compartment] * 3 // 4
            else:  # a slot that opens once the goods can have been collected
                d_start, d_end = rng.choice([s for s in HOME_SLOTS if s[1] >= p_start + H])
            lon, lat = _near(rng, customer, 900)
            delivery = {"name": f"Client {customer.name} n°{k + 1}", "lon": lon, "lat": lat,
                        "service_s": rng.choice((180, 180, 300)),
                        "windows": (TimeWindow(d_start, d_end),)}
        model.add_shipment(f"cmd-{k + 1:03d}", pickup=pickup, delivery=delivery,
                           load=_parcel(rng, compartment))

    for k in range(stops - 2 * n_pairs):
        customer = rng.choices(communes, weights=weights)[0]
        compartment = rng.choice((Compartment.AMBIENT, Compartment.AMBIENT, Compartment.CHILLED))
        d_start, d_end = rng.choice(HOME_SLOTS)
        lon, lat = _near(rng, customer, 900)
        model.add_stop(f"colis-{k + 1:03d}", f"Colis dépôt {customer.name} n°{k + 1}", lon, lat,
                       windows=(TimeWindow(d_start, d_end),), service_s=180,
                       load=_parcel(rng, compartment))

    for compartment, seconds in MAX_IN_VAN_S.items():
        model.set_max_in_van(compartment, seconds)
    if travel is None:
        from delivery.routing.straightline import StraightLineTravel

        travel = StraightLineTravel()
    model.set_travel(travel)
    return model
