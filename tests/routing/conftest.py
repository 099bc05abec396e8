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
