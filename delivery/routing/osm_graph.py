"""The road graph from OpenStreetMap: which ways a van may drive, and its travel times.

Reads an ``.osm``, ``.osm.pbf`` or ``.osm.bz2`` file (pyosmium keeps the drivable ways,
osmnx builds the graph), a GraphML cache, or downloads a place; then gives every edge a
van's speed (km/h) and travel time (s), turns and signals included. Graph functions take
``G`` first and keyword options, in osmnx style. :mod:`delivery.routing.network` snaps
points onto the result and computes travel matrices.

The only module of the project that imports osmnx.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import osmium
import osmnx as ox

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
