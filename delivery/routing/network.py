"""Road network for the planner: load OpenStreetMap roads, snap points, compute travel matrices.

This is the only module of the project that imports osmnx. Typical use::

    net = RoadNetwork.from_file("mormal.osm.pbf", cache="mormal.graphml")
    durations_s, distances_m = net.matrices([(3.79, 50.30), (3.67, 50.21)])
    line = net.path_geometry([(3.79, 50.30), (3.67, 50.21)])   # [(lon, lat), ...]

Graph functions take ``G`` first and keyword options, in osmnx style. Travel times are the
fastest paths over edge ``travel_time`` (seconds); the distance returned for a pair is the
length (metres) of that fastest path, not the shortest one. A pair with no road path gets
:data:`~delivery.routing.problem.UNREACHABLE` in both matrices.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
from scipy.spatial import cKDTree

from delivery.routing.problem import UNREACHABLE
from delivery.routing.roadgraph import PackedGraph
from delivery.routing.straightline import EARTH_RADIUS_M  # one Earth radius for every distance

#: Average driving speeds (km/h) of a delivery van in France per OSM ``highway`` type, used
#: where a road has no usable ``maxspeed`` tag. Below the legal limits: junctions, villages,
#: farm traffic. National roads 80 km/h since 2018; towns 50 km/h, many village centres 30.
FRENCH_SPEEDS_KMH: dict[str, float] = {
    "motorway": 120, "motorway_link": 60, "trunk": 100, "trunk_link": 50,
    "primary": 75, "primary_link": 45, "secondary": 70, "secondary_link": 40,
    "tertiary": 60, "tertiary_link": 35, "unclassified": 45, "residential": 35,
    "living_street": 15, "road": 40, "service": 20, "track": 15,
}
#: Speed (km/h) for any other highway type without a maxspeed tag.
FALLBACK_SPEED_KMH = 40.0
#: A van drives below a tagged ``maxspeed``: traffic, bends, junctions.
MAXSPEED_FACTOR = 0.9
#: Seconds lost at a ``highway=traffic_signals`` node (OSRM's car profile counts 2 s too).
SIGNAL_S = 2.0
#: Seconds lost entering a junction (a node joining three roads or more): slowing down,
#: turning, giving way. Node-based: it stands in for the turn penalties of an edge-based
#: graph (OSRM's 0-7.5 s by turn angle, 20 s u-turns), which our node graph cannot tell apart.
#: These three values put our times at a median 0.94 x OSRM's on Monaco and 0.96 x on
#: Helsinki (benchmarks/matrix.py --ratios-only; 8 s / 4 s / 0.8 gave 1.02 and 1.31).
JUNCTION_S = 3.0
#: Version of the time model baked into ``travel_time``; cached graphs of another version
#: get their travel times again.
TIME_MODEL = "speeds x0.9 maxspeed + 2 s signals + 3 s junctions (v1)"
#: Farthest a point may lie from its nearest road node, in metres.
DEFAULT_MAX_SNAP_M = 1000.0

NETWORK_TYPES = ("drive", "drive_service", "all")
# The osmnx "drive" filter, as a predicate on tags (plus buses-only ways and access=no).
_NOT_FOR_CARS = frozenset(
    "abandoned bridleway bus_guideway busway construction corridor cycleway elevator escalator "
    "footway no path pedestrian planned platform proposed raceway razed rest_area services steps "
    "track".split()
)
_SERVICE_EXCLUDED = {
    "drive": frozenset({"alley", "driveway", "emergency_access", "parking", "parking_aisle", "private"}),
    "drive_service": frozenset({"emergency_access", "parking", "parking_aisle", "private"}),
}
# osmnx "all": every way in use that is not an area (benchmarks only; includes footways).
_NOT_IN_USE = frozenset(
    "abandoned construction no planned platform proposed raceway razed rest_area services".split()
)
_VAN_ALLOWED = frozenset({"yes", "destination", "delivery", "permissive", "designated"})


class SnapError(ValueError):
    """A point lies too far from the road network (or has invalid coordinates).

    ``index`` is its position in the list given, ``name`` its name (or ``"point #i"``),
    ``distance_m`` how far the nearest road node is (``nan`` for invalid coordinates).
    """

    def __init__(self, message: str, *, index: int, name: str, lon: float, lat: float,
                 distance_m: float) -> None:
        super().__init__(message)
        self.index, self.name, self.lon, self.lat, self.distance_m = index, name, lon, lat, distance_m


# ------------------------------------------------------------------------------- loading
def keep_way(tags: Mapping[str, str], *, network_type: str = "drive") -> bool:
    """True when an OSM way with ``tags`` is open to a delivery van (osmnx "drive" rules).

    ``network_type="drive_service"`` also keeps service roads (farm yards, business access);
    ``"all"`` keeps every way in use, footways included (for benchmarks, not for vans).
    """
    highway = tags.get("highway")
    if network_type == "all":
        return bool(highway) and highway not in _NOT_IN_USE and tags.get("area") != "yes"
    if not highway or highway in _NOT_FOR_CARS or tags.get("area") == "yes":
        return False
    if highway == "service" and network_type != "drive_service":
        return False
    if tags.get("service") in _SERVICE_EXCLUDED[network_type]:
        return False
    if "no" in (tags.get("motor_vehicle"), tags.get("motorcar")):
        return False
    van_ok = {tags.get("motor_vehicle"), tags.get("motorcar"), tags.get("goods")} & _VAN_ALLOWED
    return tags.get("access") not in ("private", "no") or bool(van_ok)


def _write_drivable_osm_xml(src: Path, dst: Path, network_type: str) -> int:
    """Copy the drivable ways of ``src`` (any format osmium reads) to OSM XML ``dst``.

    A way whose nodes are partly missing (extract clipped at its border) is cut into the runs
    of nodes that exist. Returns how many ways were written.
    """
    coords: dict[int, tuple[float, float]] = {}
    signals: set[int] = set()
    pieces: list[tuple[int, dict[str, str], list[int]]] = []
    processor = (osmium.FileProcessor(str(src), osmium.osm.NODE | osmium.osm.WAY)
                 .with_locations().with_filter(osmium.filter.KeyFilter("highway")))
    for way in processor:
        if isinstance(way, osmium.osm.Node):
            if way.tags.get("highway") == "traffic_signals":
                signals.add(way.id)
            continue
        if not isinstance(way, osmium.osm.Way):
            continue
        tags = {tag.k: tag.v for tag in way.tags}
        if not keep_way(tags, network_type=network_type):
            continue
        run: list[int] = []
        count = 0
        for node in [*way.nodes, None]:
            if node is not None and node.location.valid():
                coords[node.ref] = (node.location.lon, node.location.lat)
                run.append(node.ref)
                continue
            if len(run) >= 2:  # a second piece of one way gets an id no real way has
                pieces.append((way.id if count == 0 else -(way.id * 1000 + count), tags, run))
                count += 1
            run = []
    with osmium.SimpleWriter(str(dst), overwrite=True) as writer:
        for ref in sorted(coords):
            tags = {"highway": "traffic_signals"} if ref in signals else {}
            writer.add_node(osmium.osm.mutable.Node(id=ref, location=coords[ref], tags=tags))
        for way_id, tags, refs in pieces:
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))
    return len(pieces)


def graph_from_osm_file(path: str | Path, *, network_type: str = "drive",
                        simplify: bool = False) -> nx.MultiDiGraph:
    """Build the drivable road graph of an ``.osm``, ``.osm.pbf`` or ``.osm.bz2`` file.

    pyosmium keeps the drivable ways (see :func:`keep_way`) and osmnx builds the graph
    from them (``graph_from_xml``: one-way rules, edge lengths in metres, simplification).
    Speeds and travel times are not added yet: call :func:`add_travel_times` next.
    ``simplify`` is off by default: keeping every OSM vertex as a node lets addresses snap
    to a node on their own road instead of a far junction, for a modest Dijkstra cost.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``network_type`` is unknown or the file holds no drivable road.
    """
    path = Path(path)
    if network_type not in NETWORK_TYPES:
        raise ValueError(f"network_type must be one of {NETWORK_TYPES}, got {network_type!r}")
    if not path.is_file():
        raise FileNotFoundError(f"road file {path} does not exist")
    with tempfile.TemporaryDirectory(prefix="mormal-osm-") as tmp:
        xml = Path(tmp) / "drivable.osm"
        if _write_drivable_osm_xml(path, xml, network_type) == 0:
            raise ValueError(f"{path} holds no drivable road ({network_type})")
        G = ox.graph_from_xml(xml, simplify=simplify, retain_all=True)
    G.graph["source"] = path.name
    return G


def add_travel_times(G: nx.MultiDiGraph, *, hwy_speeds: Mapping[str, float] | None = None,
                     fallback: float = FALLBACK_SPEED_KMH, maxspeed_factor: float = MAXSPEED_FACTOR,
                     signal_s: float = SIGNAL_S, junction_s: float = JUNCTION_S) -> nx.MultiDiGraph:
    """Add ``speed_kph`` (km/h) and ``travel_time`` (seconds) to every edge of ``G``.

    Speeds come from ``maxspeed`` tags where usable (times ``maxspeed_factor``), else from
    ``hwy_speeds`` per highway type (default :data:`FRENCH_SPEEDS_KMH`, a van's averages),
    else ``fallback``. An edge then costs its length at that speed, plus ``signal_s`` when it
    ends at a traffic signal, else ``junction_s`` when it ends at a junction (three roads or
    more meet). Edges need ``length`` (metres) and ``highway``, as osmnx graphs have.
    Modifies and returns ``G``.
    """
    speeds = dict(FRENCH_SPEEDS_KMH if hwy_speeds is None else hwy_speeds)
    G = ox.add_edge_speeds(G, hwy_speeds=speeds, fallback=fallback)
    for _, _, data in G.edges(data=True):
        if data.get("maxspeed") not in (None, "", "nan"):
            data["speed_kph"] = float(data["speed_kph"]) * maxspeed_factor
    G = ox.add_edge_travel_times(G)
    for _, v, data in G.edges(data=True):
        if G.nodes[v].get("highway") == "traffic_signals":
            data["travel_time"] = float(data["travel_time"]) + signal_s
        elif len(set(G.predecessors(v)) | set(G.successors(v))) >= 3:
            data["travel_time"] = float(data["travel_time"]) + junction_s
    G.graph["time_model"] = TIME_MODEL
    return G


def largest_strong_component(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The largest strongly connected part of ``G``: every node reaches every other."""
    return ox.truncate.largest_component(G, strongly=True)


def _cached(cache: str | Path | None, source: Path | None = None) -> nx.MultiDiGraph | None:
    """The cached GraphML graph, if present and newer than ``source``."""
    if cache is None or not Path(cache).is_file():
        return None
    if source is not None and Path(cache).stat().st_mtime < source.stat().st_mtime:
        return None
    return ox.load_graphml(cache)


def load_graph(path: str | Path, *, cache: str | Path | None = None,
               network_type: str = "drive", simplify: bool = False) -> nx.MultiDiGraph:
    """Road graph with travel times from a ``.graphml`` or OSM file (cached as GraphML).

    ``cache`` is a GraphML path: used when newer than ``path``, written otherwise.

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`graph_from_osm_file`.
    """
    path = Path(path)
    if path.suffix.lower() == ".graphml":
        if not path.is_file():
            raise FileNotFoundError(f"road graph {path} does not exist")
        G = ox.load_graphml(path)
    else:
        G = _cached(cache, path) if path.is_file() else None
        if G is None:
            G = graph_from_osm_file(path, network_type=network_type, simplify=simplify)
            G = add_travel_times(G)
            if cache is not None:
                Path(cache).parent.mkdir(parents=True, exist_ok=True)
                ox.save_graphml(G, cache)
    if (G.graph.get("time_model") != TIME_MODEL
            or any("travel_time" not in d for _, _, d in G.edges(data=True))):
        G = add_travel_times(G)
    return G


def download_graph(*, place: str | None = None,
                   bbox: tuple[float, float, float, float] | None = None,
                   cache: str | Path | None = None) -> nx.MultiDiGraph:
    """Download the drivable graph of a ``place`` name or ``bbox`` (west, south, east, north).

    Needs internet (Overpass, Nominatim). With ``cache``, an existing GraphML is read instead
    and a fresh download is saved there, so the next run works offline.

    Raises
    ------
    ValueError
        Unless exactly one of ``place`` and ``bbox`` is given.
    """
    if (place is None) == (bbox is None):
        raise ValueError("give exactly one of place= or bbox=")
    G = _cached(cache)
    if G is None:
        if place is not None:
            G = ox.graph_from_place(place, network_type="drive")
        else:
            assert bbox is not None
            G = ox.graph_from_bbox(bbox, network_type="drive")
        G = add_travel_times(G)
        if cache is not None:
            Path(cache).parent.mkdir(parents=True, exist_ok=True)
            ox.save_graphml(G, cache)
    return G


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
