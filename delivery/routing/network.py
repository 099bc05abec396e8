"""Road network for the planner: load OpenStreetMap roads, snap points, compute travel matrices.

Reading OpenStreetMap into a graph with travel times is :mod:`delivery.routing.osm_graph`'s
job (the names below are re-exported from it). Typical use::

    net = RoadNetwork.from_file("mormal.osm.pbf", cache="mormal.graphml")
    durations_s, distances_m = net.matrices([(3.79, 50.30), (3.67, 50.21)])
    line = net.path_geometry([(3.79, 50.30), (3.67, 50.21)])   # [(lon, lat), ...]

Travel times are the fastest paths over edge ``travel_time`` (seconds); the distance returned for a pair is the
length (metres) of that fastest path, not the shortest one. A pair with no road path gets
:data:`~delivery.routing.problem.UNREACHABLE` in both matrices.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from delivery.routing.osm_graph import FALLBACK_SPEED_KMH as FALLBACK_SPEED_KMH
from delivery.routing.osm_graph import FRENCH_SPEEDS_KMH as FRENCH_SPEEDS_KMH
from delivery.routing.osm_graph import JUNCTION_S as JUNCTION_S
from delivery.routing.osm_graph import MAXSPEED_FACTOR as MAXSPEED_FACTOR
from delivery.routing.osm_graph import NETWORK_TYPES as NETWORK_TYPES
from delivery.routing.osm_graph import SIGNAL_S as SIGNAL_S
from delivery.routing.osm_graph import TIME_MODEL as TIME_MODEL
from delivery.routing.osm_graph import add_travel_times as add_travel_times
from delivery.routing.osm_graph import download_graph, largest_strong_component, load_graph
from delivery.routing.osm_graph import graph_from_osm_file as graph_from_osm_file
from delivery.routing.osm_graph import keep_way as keep_way
from delivery.routing.problem import UNREACHABLE
from delivery.routing.roadgraph import PackedGraph
from delivery.routing.straightline import EARTH_RADIUS_M  # one Earth radius for every distance

#: Farthest a point may lie from its nearest road node, in metres.
DEFAULT_MAX_SNAP_M = 1000.0


class SnapError(ValueError):
    """A point lies too far from the road network (or has invalid coordinates).

    ``index`` is its position in the list given, ``name`` its name (or ``"point #i"``),
    ``distance_m`` how far the nearest road node is (``nan`` for invalid coordinates).
    """

    def __init__(self, message: str, *, index: int, name: str, lon: float, lat: float,
                 distance_m: float) -> None:
        super().__init__(message)
        self.index, self.name, self.lon, self.lat, self.distance_m = index, name, lon, lat, distance_m


# ------------------------------------------------------------------------------- routing
def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points on the unit sphere; chord length is monotonic in great-circle distance."""
    lam, phi = np.radians(lon), np.radians(lat)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


class RoadNetwork:
    """Travel over a road graph: snapping, integer matrices and drawable geometry.

    Built once per graph: keeps the largest strongly connected component, a KD-tree of its
    nodes and a :class:`~delivery.routing.roadgraph.PackedGraph` (packed time+length
    weights, degree-2 chains contracted) that answers matrices with scipy's Dijkstra.

    Parameters
    ----------
    G
        Road graph with node ``x``/``y`` (lon/lat) and edge ``length`` (m) and ``travel_time``
        (s); :func:`load_graph` or :func:`add_travel_times` make one.
    max_snap_m
        Farthest a point may be from its nearest road node (metres).
    label
        How plans describe this travel model.
    workers
        Processes for Dijkstra on large matrices (forked; 1 = in-process, the safe default
        inside web servers and Celery workers).
    time_factor
        Per-deployment calibration: every travel time is multiplied by it (measured rounds
        against planned ones); 1 by default. The label says so when it is not 1.

    Raises
    ------
    ValueError
        If ``G`` is empty or an edge lacks ``length`` or ``travel_time``.
    """

    def __init__(self, G: nx.MultiDiGraph, *, max_snap_m: float = DEFAULT_MAX_SNAP_M,
                 label: str | None = None, workers: int = 1, time_factor: float = 1.0) -> None:
        if len(G) == 0:
            raise ValueError("the road graph has no node")
        if not 0.2 <= time_factor <= 5.0:
            raise ValueError(f"time factor {time_factor} is outside 0.2-5 (a calibration, not a unit change)")
        G = largest_strong_component(G)
        self.graph, self.max_snap_m = G, float(max_snap_m)
        self.time_factor = float(time_factor)
        self.label = label or f"réseau routier OpenStreetMap ({G.graph.get('source', 'graphe')})"
        if self.time_factor != 1.0:
            self.label += f", temps × {self.time_factor:g} (calibrage local)".replace(".", ",")
        self.nodes: list[Any] = list(G.nodes)
        row = {node: i for i, node in enumerate(self.nodes)}
        self._lonlat = np.array([(G.nodes[n]["x"], G.nodes[n]["y"]) for n in self.nodes], float)
        self._tree = cKDTree(_unit_vectors(self._lonlat[:, 0], self._lonlat[:, 1]))
        edges = list(G.edges(keys=True, data=True))
        for a, b, _, data in edges:
            if "length" not in data or "travel_time" not in data:
                raise ValueError(f"edge {a}->{b} lacks length or travel_time: run add_travel_times(G)")
        self.paths = PackedGraph(
            len(self.nodes),
            np.array([row[a] for a, *_ in edges], np.int64),
            np.array([row[b] for _, b, *_ in edges], np.int64),
            np.array([float(e[3]["travel_time"]) for e in edges]),
            np.array([float(e[3]["length"]) for e in edges]),
            workers=workers,
        )
        self._edge_key = {(int(self.paths.u[i]), int(self.paths.v[i])): edges[k][2]
                          for i, k in enumerate(self.paths.kept)}

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_file(cls, path: str | Path, *, cache: str | Path | None = None,
                  network_type: str = "drive", simplify: bool = False,
                  **options: Any) -> RoadNetwork:
        """Network from a ``.graphml``, ``.osm`` or ``.osm.pbf`` file; see :func:`load_graph`."""
        G = load_graph(path, cache=cache, network_type=network_type, simplify=simplify)
        return cls(G, **options)

    @classmethod
    def download(cls, *, place: str | None = None,
                 bbox: tuple[float, float, float, float] | None = None,
                 cache: str | Path | None = None, **options: Any) -> RoadNetwork:
        """Network downloaded by place or bbox (online), cached; see :func:`download_graph`."""
        return cls(download_graph(place=place, bbox=bbox, cache=cache), **options)

    # ---------------------------------------------------------------------- snapping
    def snap(self, points: Sequence[tuple[float, float]], *,
             names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest road node (row in :attr:`nodes`) of each ``(lon, lat)`` and its distance (m).

        Raises
        ------
        SnapError
            For the first point with invalid coordinates or farther than ``max_snap_m``
            from the network; the message names the point and gives its coordinates.
        """
        pts = np.asarray(points, dtype=float).reshape(-1, 2)

        def fail(i: int, why: str, dist: float) -> SnapError:
            name = names[i] if names is not None else f"point #{i}"
            return SnapError(f"{name} ({pts[i, 0]:.6f}, {pts[i, 1]:.6f}) {why}", index=i,
                             name=name, lon=pts[i, 0], lat=pts[i, 1], distance_m=dist)

        for i, (lon, lat) in enumerate(pts):
            if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
                raise fail(i, "is not a valid (longitude, latitude) pair", float("nan"))
        chord, rows = self._tree.query(_unit_vectors(pts[:, 0], pts[:, 1]))
        dist_m = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(np.asarray(chord) / 2, 1.0))
        too_far = np.flatnonzero(dist_m > self.max_snap_m)
        if len(too_far):
            k = int(too_far[0])
            raise fail(k, f"is {dist_m[k]:.0f} m from the nearest drivable road node "
                          f"(limit {self.max_snap_m:.0f} m)", float(dist_m[k]))
        return np.asarray(rows, np.int64), dist_m

    # ---------------------------------------------------------------------- matrices
    def matrices(self, points: Sequence[tuple[float, float]], *,
                 names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Integer ``(durations_s, distances_m)`` between ``(lon, lat)`` points, by road.

        ``[i][j]`` is the fastest drive from point i's snapped node to point j's (seconds)
        and the length of that drive (metres); points on one node are 0 apart. No path
        gives :data:`~delivery.routing.problem.UNREACHABLE`.

        Raises
        ------
        SnapError
            If a point is off the network (see :meth:`snap`); ``names`` name the points.
        """
        rows, _ = self.snap(points, names=names)
        durations, distances = self.paths.matrices(rows)
        if self.time_factor != 1.0:  # the deployment's calibration against measured rounds
            durations = np.where(durations >= UNREACHABLE, durations,
                                 np.rint(durations * self.time_factor)).astype(durations.dtype)
        return durations, distances

    # ---------------------------------------------------------------------- geometry
    def _edge_coords(self, a: int, b: int) -> list[tuple[float, float]]:
        data = self.graph.edges[self.nodes[a], self.nodes[b], self._edge_key[(a, b)]]
        if "geometry" in data:
            return [(float(x), float(y)) for x, y in data["geometry"].coords]
        return [(float(x), float(y)) for x, y in self._lonlat[[a, b]]]

    def path_geometry(self, points: Sequence[tuple[float, float]], *,
                      names: Sequence[str] | None = None) -> list[tuple[float, float]]:
        """The road line through ``points`` in order, as ``(lon, lat)`` for a map or GPX.

        Starts and ends on the given points and follows the fastest road path between each
        consecutive pair (edge geometry included).

        Raises
        ------
        SnapError
            If a point is off the network.
        ValueError
            If there is no road path between two consecutive points.
        """
        rows, _ = self.snap(points, names=names)
        coords = [(float(lon), float(lat)) for lon, lat in np.asarray(points, float).reshape(-1, 2)]
        line: list[tuple[float, float]] = coords[:1]
        trees: dict[int, np.ndarray] = {}
        for i in range(len(rows) - 1):
            a, b = int(rows[i]), int(rows[i + 1])
            if a not in trees:
                trees[a] = self.paths.predecessors(a)
            chain = [b]
            while chain[-1] != a:
                if (prev := int(trees[a][chain[-1]])) < 0:
                    raise ValueError(f"no road path from point #{i} to point #{i + 1}")
                chain.append(prev)
            chain.reverse()
            leg = [p for x, y in zip(chain[:-1], chain[1:], strict=True) for p in self._edge_coords(x, y)]
            for point in [*leg, coords[i + 1]]:
                if point != line[-1]:
                    line.append(point)
        return line

    def route_geometry(self, a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
        """The road line from point ``a`` to point ``b`` as ``(lon, lat)``; see :meth:`path_geometry`."""
        return self.path_geometry([a, b])
