"""RoadNetwork on tiny hand-built road graphs whose answers are known exactly."""

import math

import networkx as nx
import numpy as np
import pytest

from delivery.routing.network import (
    FRENCH_SPEEDS_KMH,
    MAXSPEED_FACTOR,
    TIME_MODEL,
    RoadNetwork,
    SnapError,
    add_travel_times,
    keep_way,
)
from delivery.routing.problem import UNREACHABLE
from delivery.routing.roadgraph import PackedGraph

# Nodes laid out near Bavay, about 700 m apart (0.01 degree of longitude at 50.3 N).
LON0, LAT0, STEP = 3.80, 50.30, 0.01


def place(col, row=0):
    return (LON0 + STEP * col, LAT0 + STEP * row)


def road_graph(*roads, nodes=()):
    """MultiDiGraph from (a, b, metres, seconds, oneway) tuples; node n sits at place(n)."""
    G = nx.MultiDiGraph(crs="epsg:4326")
    for n in nodes:
        G.add_node(n, x=place(n)[0], y=place(n)[1])
    for a, b, metres, seconds, oneway in roads:
        for n in (a, b):
            G.add_node(n, x=place(n)[0], y=place(n)[1])
        G.add_edge(a, b, length=metres, travel_time=seconds, highway="residential")
        if not oneway:
            G.add_edge(b, a, length=metres, travel_time=seconds, highway="residential")
    return G


def test_the_fastest_path_wins_and_its_length_is_the_distance():
    # given a short slow road 0-1 and a longer fast detour 0-2-1
    G = road_graph((0, 1, 1000, 100, False), (0, 2, 800, 40, False), (2, 1, 700, 40, False))
    net = RoadNetwork(G)
    # when the matrices are computed between nodes 0 and 1
    durations, distances = net.matrices([place(0), place(1)])
    # then the detour is taken: 80 s and 1500 m, not 100 s and 1000 m
    assert durations.tolist() == [[0, 80], [80, 0]]
    assert distances.tolist() == [[0, 1500], [1500, 0]]
    assert durations.dtype.kind == "i" and distances.dtype.kind == "i"


def test_a_one_way_street_forces_a_detour_back():
    # given a one-way 0->1 (60 s) and a two-way way round 1-2-0 (100 s each)
    G = road_graph((0, 1, 500, 60, True), (1, 2, 900, 100, False), (2, 0, 900, 100, False))
    net = RoadNetwork(G)
    # when travelling both ways
    durations, distances = net.matrices([place(0), place(1)])
    # then going with the one-way is direct, coming back goes round
    assert durations[0, 1] == 60 and distances[0, 1] == 500
    assert durations[1, 0] == 200 and distances[1, 0] == 1800


def test_parallel_edges_keep_the_fastest():
    # given two roads from 0 to 1: a slow one and a fast one
    G = road_graph((0, 1, 1000, 120, False))
    G.add_edge(0, 1, length=1200, travel_time=70, highway="primary")
    net = RoadNetwork(G)
    # when the matrix is computed
    durations, distances = net.matrices([place(0), place(1)])
    # then 0->1 uses the fast road, 1->0 the only one there is
    assert (durations[0, 1], distances[0, 1]) == (70, 1200)
    assert (durations[1, 0], distances[1, 0]) == (120, 1000)


def test_points_inside_long_chains_are_routed_exactly_in_both_directions():
    # given a long two-way street 0-1-2-3-4-5 whose ends meet a one-way loop 5->6->0
    roads = [(i, i + 1, 700, 50, False) for i in range(5)]
    roads += [(5, 6, 700, 30, True), (6, 0, 700, 30, True)]
    net = RoadNetwork(road_graph(*roads))
    points = [place(n) for n in (2, 4, 6, 1)]
    # when the matrix (contracted graph) is computed for points in the middle of the chains
    durations, distances = net.matrices(points)
    # then it equals Dijkstra on the whole graph and the hand-computed values
    full = net.paths.matrices(net.snap(points)[0], contracted=False)
    assert np.array_equal(durations, full[0]) and np.array_equal(distances, full[1])
    assert durations[0, 1] == 100  # 2 -> 3 -> 4
    assert durations[1, 2] == 80  # 4 -> 5 -> 6 (one-way)
    assert durations[2, 3] == 80  # 6 -> 0 -> 1
    assert durations[2, 1] == 30 + 4 * 50  # 6 -> 0 -> 1 -> ... -> 4, not back against 5->6
    assert distances[2, 1] == 700 * 5


def test_nodes_outside_the_strongly_connected_part_are_dropped():
    # given a dead-end one-way 1->9 hanging off a two-way street 0-1-2
    G = road_graph((0, 1, 700, 50, False), (1, 2, 700, 50, False), (1, 9, 700, 50, True))
    # when the network is built
    net = RoadNetwork(G)
    # then node 9 cannot be routed to or from, so it is not there
    assert sorted(net.nodes) == [0, 1, 2]


def test_unreachable_pairs_are_marked_with_the_shared_sentinel():
    # given two separate components {0, 1} and {2, 3}
    u, v = np.array([0, 1, 2, 3]), np.array([1, 0, 3, 2])
    graph = PackedGraph(4, u, v, np.array([10.0, 10.0, 20.0, 20.0]), np.full(4, 100.0))
    # when the matrix spans both
    durations, distances = graph.matrices(np.array([0, 1, 2]))
    # then pairs across components are UNREACHABLE and the others are exact
    assert durations.tolist() == [[0, 10, UNREACHABLE], [10, 0, UNREACHABLE],
                                  [UNREACHABLE, UNREACHABLE, 0]]
    assert distances[0, 2] == UNREACHABLE and distances[0, 1] == 100


def test_a_point_too_far_from_the_roads_is_an_error_naming_it():
    # given a small network and a farm 3 km north of it
    net = RoadNetwork(road_graph((0, 1, 700, 50, False)), max_snap_m=1000)
    farm = (LON0, LAT0 + 0.027)
    # when it is snapped
    with pytest.raises(SnapError) as err:
        net.matrices([place(0), farm], names=["Dépôt", "Ferme du Moulin"])
    # then the error names the point, its coordinates and the distance
    message = str(err.value)
    assert "Ferme du Moulin" in message and "3.800000" in message and "50.327000" in message
    assert "limit 1000 m" in message
    assert err.value.index == 1 and 2900 < err.value.distance_m < 3100
    assert isinstance(err.value, ValueError)


def test_a_point_without_a_name_is_named_by_its_position():
    net = RoadNetwork(road_graph((0, 1, 700, 50, False)), max_snap_m=200)
    with pytest.raises(SnapError, match=r"point #2 \(3\.805000, 50\.300000\) is \d+ m"):
        net.matrices([place(0), place(1), (LON0 + 0.005, LAT0)])


def test_invalid_coordinates_are_an_error():
    net = RoadNetwork(road_graph((0, 1, 700, 50, False)))
    with pytest.raises(SnapError, match="not a valid"):
        net.matrices([place(0), (float("nan"), 50.3)])
    with pytest.raises(SnapError, match="not a valid"):
        net.matrices([(50.3, 3.8 + 200)])


def test_path_geometry_follows_the_road_from_point_to_point():
    # given the slow direct road and the fast detour through node 2 (north)
    G = road_graph((0, 1, 1000, 100, False), (0, 2, 800, 40, False), (2, 1, 700, 40, False))
    net = RoadNetwork(G)
    start, end = (place(0)[0], place(0)[1] - 0.0005), place(1)
    # when the line is drawn
    line = net.path_geometry([start, end])
    # then it starts and ends on the points and passes through node 2
    assert line[0] == start and line[-1] == end
    assert place(2) in line
    assert net.route_geometry(start, end) == line


def test_edge_geometry_is_used_when_present():
    from shapely.geometry import LineString

    G = road_graph((0, 1, 1000, 100, True), (1, 0, 1000, 100, True))
    bend = (LON0 + 0.005, LAT0 + 0.003)
    G.edges[0, 1, 0]["geometry"] = LineString([place(0), bend, place(1)])
    net = RoadNetwork(G)
    assert bend in net.path_geometry([place(0), place(1)])


def test_speeds_come_from_maxspeed_else_french_defaults():
    # given a residential street without maxspeed and one tagged 50 km/h
    G = nx.MultiDiGraph(crs="epsg:4326")
    G.add_node(0, x=LON0, y=LAT0)
    G.add_node(1, x=LON0 + STEP, y=LAT0)
    G.add_edge(0, 1, length=1000.0, highway="residential")
    G.add_edge(1, 0, length=1000.0, highway="residential", maxspeed="50")
    # when speeds and travel times are added
    add_travel_times(G)
    # then the untagged one uses the French van average, the tagged one 80 % of its limit
    assert math.isclose(G.edges[0, 1, 0]["travel_time"], 1000 / (FRENCH_SPEEDS_KMH["residential"] / 3.6), rel_tol=1e-3)
    assert math.isclose(G.edges[1, 0, 0]["travel_time"], 1000 / (50 * MAXSPEED_FACTOR / 3.6), rel_tol=1e-3)


def test_traffic_signals_and_junctions_cost_time_on_the_way_in():
    # given a street 0-1-2 with a traffic signal at 1, and a side street 3 joining at 2
    G = nx.MultiDiGraph(crs="epsg:4326")
    for n in range(4):
        G.add_node(n, x=place(n)[0], y=place(n)[1])
    G.nodes[1]["highway"] = "traffic_signals"
    for a, b in ((0, 1), (1, 2), (2, 3)):
        G.add_edge(a, b, length=1000.0, highway="residential")
        G.add_edge(b, a, length=1000.0, highway="residential")
    # when travel times are added
    add_travel_times(G, junction_s=5.0, signal_s=9.0)
    plain = 1000 / (FRENCH_SPEEDS_KMH["residential"] / 3.6)
    # then entering the signal costs 9 s more, entering the junction 5 s (node 2 has three
    # neighbours: 1, 3 and... only two here, so no junction), and plain nodes nothing
    assert math.isclose(G.edges[0, 1, 0]["travel_time"], plain + 9.0, rel_tol=1e-6)
    assert math.isclose(G.edges[2, 1, 0]["travel_time"], plain + 9.0, rel_tol=1e-6)
    assert math.isclose(G.edges[1, 2, 0]["travel_time"], plain, rel_tol=1e-6)
    G.add_node(4, x=place(4)[0], y=place(4)[1])
    G.add_edge(2, 4, length=500.0, highway="residential")
    G.add_edge(4, 2, length=500.0, highway="residential")
    add_travel_times(G, junction_s=5.0, signal_s=9.0)
    assert math.isclose(G.edges[1, 2, 0]["travel_time"], plain + 5.0, rel_tol=1e-6)
    assert G.graph["time_model"] == TIME_MODEL


def test_the_deployment_calibration_scales_every_travel_time_and_says_so():
    G = road_graph((0, 1, 1000, 100, False), (1, 2, 1000, 50, False))
    plain = RoadNetwork(G).matrices([place(0), place(2)])
    tuned = RoadNetwork(G, time_factor=1.2)
    durations, distances = tuned.matrices([place(0), place(2)])
    assert durations.tolist() == [[0, 180], [180, 0]] and plain[0][0, 1] == 150
    assert (distances == plain[1]).all()
    assert "temps × 1,2 (calibrage local)" in tuned.label
    with pytest.raises(ValueError, match="time factor"):
        RoadNetwork(G, time_factor=60)


def test_graphs_without_travel_times_are_refused():
    G = nx.MultiDiGraph(crs="epsg:4326")
    G.add_node(0, x=LON0, y=LAT0)
    G.add_node(1, x=LON0 + STEP, y=LAT0)
    G.add_edge(0, 1, length=1000.0)
    G.add_edge(1, 0, length=1000.0)
    with pytest.raises(ValueError, match="travel_time"):
        RoadNetwork(G)


@pytest.mark.parametrize(("tags", "network_type", "kept"), [
    ({"highway": "residential"}, "drive", True),
    ({"highway": "footway"}, "drive", False),
    ({"highway": "track"}, "drive", False),
    ({"highway": "tertiary", "access": "private"}, "drive", False),
    ({"highway": "tertiary", "access": "no", "motor_vehicle": "destination"}, "drive", True),
    ({"highway": "unclassified", "motorcar": "no"}, "drive", False),
    ({"highway": "service"}, "drive", False),
    ({"highway": "service"}, "drive_service", True),
    ({"highway": "service", "service": "parking_aisle"}, "drive_service", False),
    ({"highway": "pedestrian", "area": "yes"}, "all", False),
    ({"highway": "footway"}, "all", True),
    ({"building": "yes"}, "drive", False),
])
def test_which_ways_a_van_may_use(tags, network_type, kept):
    assert keep_way(tags, network_type=network_type) is kept
