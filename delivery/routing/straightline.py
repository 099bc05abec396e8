"""Offline travel estimate without a road network: great-circle distance times a detour factor.

Used by the demo and whenever no road graph is configured; every plan made with it carries
its French :attr:`StraightLineTravel.label`, so nobody mistakes it for road times.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_M = 6_371_008.8


def great_circle_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance between two ``(lon, lat)`` points, in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def haversine_m(points: Sequence[tuple[float, float]], *,
                names: Sequence[str] | None = None) -> np.ndarray:
    """Great-circle distances (metres) between all ``(lon, lat)`` points, as a square array.

    Raises
    ------
    ValueError
        If a point is not a finite ``(lon, lat)`` pair within [-180, 180] x [-90, 90].
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    bad = ~np.isfinite(pts).all(axis=1) | (np.abs(pts[:, 0]) > 180) | (np.abs(pts[:, 1]) > 90)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        name = names[i] if names is not None else f"point #{i}"
        raise ValueError(f"{name} {tuple(points[i])} is not a valid (longitude, latitude) pair")
    lam, phi = np.radians(pts[:, 0]), np.radians(pts[:, 1])
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class StraightLineTravel:
    """Travel estimated as straight-line distance times ``detour`` at ``speed_kmh``.

    Parameters
    ----------
    detour
        Road length over straight-line length (1.3 is typical of rural French roads).
    speed_kmh
        Average van speed (km/h) over the detoured distance.

    Raises
    ------
    ValueError
        If ``detour`` < 1 or ``speed_kmh`` <= 0.
    """

    #: Plans made with this model say it is an estimate, not road data.
    is_road_network = False

    def __init__(self, detour: float = 1.3, speed_kmh: float = 45.0) -> None:
        if not detour >= 1.0:
            raise ValueError(f"detour factor must be at least 1, got {detour}")
        if not speed_kmh > 0:
            raise ValueError(f"speed must be positive, got {speed_kmh} km/h")
        self.detour, self.speed_kmh = float(detour), float(speed_kmh)
        detour_fr = f"{self.detour:g}".replace(".", ",")
        self.label = f"ligne droite × {detour_fr} (estimation, pas de réseau routier)"

    def matrices(self, points: Sequence[tuple[float, float]], *,
                 names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Integer ``(durations_s, distances_m)`` between ``(lon, lat)`` points.

        Distance is the great-circle distance times ``detour`` (metres, rounded); duration is
        that distance at ``speed_kmh`` (seconds, rounded). Every pair is reachable.

        Raises
        ------
        ValueError
            If a point has invalid coordinates; ``names`` name the points in the message.
        """
        metres = haversine_m(points, names=names) * self.detour
        seconds = metres / (self.speed_kmh / 3.6)
        return np.rint(seconds).astype(np.int64), np.rint(metres).astype(np.int64)

    def route_geometry(self, a: tuple[float, float],
                       b: tuple[float, float]) -> list[tuple[float, float]]:
        """The segment from ``a`` to ``b``: without roads, the line is the two points.

        There is deliberately no ``path_geometry`` here: callers that find one assume the
        line follows real roads (see ``delivery.day_planning.route_path``).
        """
        return [(float(a[0]), float(a[1])), (float(b[0]), float(b[1]))]

    def __repr__(self) -> str:
        return f"StraightLineTravel(detour={self.detour}, speed_kmh={self.speed_kmh})"

