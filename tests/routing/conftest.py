"""Small explicit-matrix instances for routing tests (points in km on a plane)."""

import math

import pytest

from delivery.routing import Compartment, DeliveryModel, Load, Quantity, TimeWindow

H = 3600
SPEED_M_PER_S = 10  # 36 km/h


def grid_matrices(points_km):
    """Integer (durations_s, distances_m) from planar points in km (Euclidean)."""
    dist = [[round(1000 * math.dist(a, b)) for b in points_km] for a in points_km]
    dur = [[d // SPEED_M_PER_S for d in row] for row in dist]
    return dur, dist


def finish(model: DeliveryModel):
    """Give the model Euclidean matrices over its locations (lon, lat read as km)."""
    dur, dist = grid_matrices(model.locations())
    model.set_matrices(dur, dist, label="plan euclidien (test)")
    return model


def big_load() -> Load:
    return Load(*(Quantity(1_000_000, 1_000_000) for _ in Compartment))


@pytest.fixture
def day():
    """A model with one depot at (0, 0) open 06:00-20:00."""
    m = DeliveryModel()
    m.add_depot("depot", "Dépôt Bavay", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    return m


def mixed_day(n_stops: int, seed: int = 7, vans: int = 3) -> DeliveryModel:
    """A reproducible day: deliveries (some to a relay), shipments, cold goods, windows, breaks."""
    import random

    from delivery.routing import Break, StopKind

    rnd = random.Random(seed)
    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    cap = Load(ambient=Quantity(400_000, 800_000), chilled=Quantity(150_000, 200_000),
               frozen=Quantity(60_000, 80_000))
    for k in range(vans):
        m.add_vehicle(f"van{k}", f"Camion {k}", depot, cap, TimeWindow(7 * H, 18 * H),
                      Break(TimeWindow(12 * H, 13 * H), 1800), fixed_cost_c=3_000,
                      cost_per_km_c=35)
    relay = m.add_relay_point("relay", "Mairie", 8.0, 5.0, (TimeWindow(9 * H, 17 * H),), 60_000)
    m.set_max_in_van(Compartment.CHILLED, 2 * H)
    m.set_max_in_van(Compartment.FROZEN, H)
    compartments = list(Compartment)

    def point():
        return rnd.uniform(-15, 15), rnd.uniform(-15, 15)

    def window():
        start = rnd.randrange(8, 15) * H
        return (TimeWindow(start, start + 2 * H),) if rnd.random() < 0.6 else ()

    k = 0
    while len(m.stops) < n_stops:
        comp = rnd.choice(compartments)
        load = Load.of(comp, rnd.randrange(500, 5_000), rnd.randrange(1_000, 8_000))
        penalty = None if rnd.random() < 0.5 else rnd.randrange(2_000, 20_000)
        if rnd.random() < 0.3 and len(m.stops) + 2 <= n_stops:
            (px, py), (dx, dy) = point(), point()
            m.add_shipment(f"sh{k}", pickup=dict(name="Producteur", lon=px, lat=py, service_s=300),
                           delivery=dict(name="Client", lon=dx, lat=dy, service_s=180,
                                         windows=window()), load=load, penalty_c=penalty)
        elif rnd.random() < 0.15:
            m.add_stop(f"r{k}", "Colis relais", relay=relay, service_s=120, load=load,
                       penalty_c=penalty)
        else:
            x, y = point()
            m.add_stop(f"d{k}", "Client", x, y, kind=StopKind.DELIVERY, windows=window(),
                       service_s=180, load=load, penalty_c=penalty)
        k += 1
    return finish(m)
