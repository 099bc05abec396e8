"""The synthetic road grid of the region benchmark: the product reads it, OSRM agrees with us on it.

The generator (``benchmarks/road_grid.py``) stands in for a region-sized OSM extract; these
tests use a tiny one (about 2,500 nodes). Nothing here is timed.
"""

import numpy as np
import pytest

from benchmarks.road_grid import CENTRE, LABEL, write_road_grid
from delivery.routing import roadgraph
from delivery.routing.network import RoadNetwork
from delivery.routing.osrm import OsrmTravel
from delivery.routing.problem import UNREACHABLE
from tests.routing.test_network_osm import sample_points
from tests.routing.test_osrm import serve_osrm


@pytest.fixture(scope="module")
def grid_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("grid") / "grid.osm.pbf"
    return path, write_road_grid(path, nodes=2_500, seed=3)


@pytest.fixture(scope="module")
def grid(grid_file):
    return RoadNetwork.from_file(grid_file[0])


def test_the_grid_has_the_requested_size_and_the_product_loads_it_connected(grid_file, grid):
    # given a grid of about 2,500 nodes written by the generator
    _, summary = grid_file
    # then it has that size, give or take a tenth, with one-way streets and traffic signals
    assert 2_250 <= summary.nodes <= 2_750
    assert summary.oneways > 0 and summary.signals > 0
    # and the product's loader reads it, keeping nearly all of it strongly connected (a one-way
    # dead end may drop out), around the Pays de Mormal
    assert len(grid.nodes) >= 0.95 * summary.nodes
    lon, lat = np.mean([(grid.graph.nodes[n]["x"], grid.graph.nodes[n]["y"]) for n in grid.nodes], axis=0)
    assert abs(lon - CENTRE[0]) < 0.05 and abs(lat - CENTRE[1]) < 0.05
    highways = {d["highway"] for *_, d in grid.graph.edges(data=True)}
    assert {"primary", "residential"} <= highways


def test_the_same_seed_writes_the_same_file_and_says_it_is_synthetic(tmp_path):
    a, b, c = tmp_path / "a.osm", tmp_path / "b.osm", tmp_path / "c.osm"
    write_road_grid(a, nodes=1_500, seed=7)
    write_road_grid(b, nodes=1_500, seed=7)
    write_road_grid(c, nodes=1_500, seed=8)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    assert f"<!-- mormal benchmarks/road_grid.py: {LABEL}" in a.read_text().splitlines()[1]


def test_matrices_in_blocks_of_sources_and_in_two_processes_equal_one_dijkstra(grid, monkeypatch):
    # given 200 points and the matrix computed in one Dijkstra call
    points = sample_points(grid, 200, seed=1)
    whole = grid.matrices(points)
    # when the sources go in blocks of 3, then over 2 forked processes
    monkeypatch.setattr(roadgraph, "BLOCK_BYTES", 8 * 3 * grid.paths.n)
    blocked = grid.matrices(points)
    grid.paths.workers = 2
    try:
        forked = grid.matrices(points)
    finally:
        grid.paths.workers = 1
    # then every figure is the same
    for other in (blocked, forked):
        assert (other[0] == whole[0]).all() and (other[1] == whole[1]).all()


@pytest.mark.parametrize("algorithm", ["ch", "mld"])
def test_ours_and_osrm_agree_on_the_synthetic_grid(grid_file, grid, tmp_path_factory, algorithm):
    # given OSRM (the product's car profile; CH as docker-compose runs it, or MLD) serving the same grid
    points = sample_points(grid, 12, seed=2)
    with serve_osrm(grid_file[0], tmp_path_factory.mktemp("osrm-grid"), points[0], algorithm=algorithm) as url:
        theirs, their_m = OsrmTravel(url).matrices(points)
    ours, our_m = grid.matrices(points)
    # then both route every pair, over nearly the same roads (distances), and our times are
    # those of OSRM's car profile within a quarter at the median (speeds and turn costs differ)
    off = ~np.eye(len(points), dtype=bool)
    assert (ours[off] < UNREACHABLE).all() and (theirs[off] < UNREACHABLE).all()
    assert 0.8 <= float(np.median(our_m[off] / their_m[off])) <= 1.25
    assert 0.75 <= float(np.median(ours[off] / theirs[off])) <= 1.25
