"""ROUTING_ENGINE=osrm: the OSRM adapter against a real osrm-routed serving Monaco.

The OSRM binaries come from the ``osrm-bindings`` wheel (they run without Python): from
``OSRM_BIN_DIR`` when set, else from ``.cache/osm/`` (the wheel is downloaded there with pip
the first time, gitignored). Monaco is the extract the other road tests use.
"""

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest

from delivery.routing import DeliveryModel, Load, TimeWindow
from delivery.routing.osrm import OsrmError, OsrmTravel, table_blocks
from delivery.routing.problem import UNREACHABLE
from delivery.routing.straightline import great_circle_m
from tests.routing.test_network_osm import CACHE, CASINO, PALACE, STADIUM, monaco_pbf

OSRM_WHEEL = "osrm-bindings==26.10.0"


def osrm_bin_dir() -> Path:
    """Directory holding osrm-extract, osrm-contract, osrm-routed and car.lua."""
    import os

    if os.environ.get("OSRM_BIN_DIR"):
        return Path(os.environ["OSRM_BIN_DIR"])
    target = CACHE / "osrm-bin"
    if (target / "osrm-routed").is_file():
        return target
    wheels = CACHE / "wheels"
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
                           ":all:", "--python-version", "3.12", OSRM_WHEEL, "-d", str(wheels)],
                          capture_output=True, text=True, timeout=600)
    found = sorted(wheels.glob("osrm_bindings-*.whl"))
    if done.returncode != 0 or not found:
        pytest.fail(f"could not download the {OSRM_WHEEL} wheel holding the OSRM binaries: {done.stderr[-600:]}")
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(found[-1]) as wheel:
        for name in wheel.namelist():
            if name.startswith("osrm/bin/"):
                out = target / Path(name).name
            elif "/profiles/" in name and not name.endswith("/"):  # car.lua and its lib/ helpers
                out = target / "profiles" / name.split("/profiles/", 1)[1]
            else:
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(wheel.read(name))
            out.chmod(0o755)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The product's OSRM car profile (the stock one without exclude sets), as docker-compose runs it.
MORMAL_CAR = Path(__file__).resolve().parents[2] / "deploy" / "osrm" / "car.lua"


def stock_car_profile(bins: Path) -> Path:
    """The car.lua shipped with the OSRM binaries (its lib/ helpers beside it)."""
    return next(iter(sorted(bins.glob("**/profiles/car.lua"))), None) or next(
        iter(sorted(bins.parent.glob("share/profiles/car.lua"))))


@contextlib.contextmanager
def serve_osrm(pbf: Path, work: Path, probe: tuple[float, float], *, algorithm: str = "ch",
               profile: str = "mormal", max_table_size: int = 1000):
    """Prepare ``pbf`` (car profile, CH or MLD) in ``work`` and serve it with a real osrm-routed.

    ``profile``: ``mormal`` (the product's deploy/osrm/car.lua) or ``stock`` (OSRM's car.lua).
    Yields the server's URL once it answers a /nearest at ``probe`` (lon, lat); stops it after.
    """
    import os

    bins = osrm_bin_dir()
    stock = stock_car_profile(bins)
    car = MORMAL_CAR if profile == "mormal" else stock
    env = {**os.environ, "OSRM_CAR_PROFILE": str(stock)}
    stem = pbf.name.split(".")[0]
    (work / pbf.name).write_bytes(pbf.read_bytes())
    steps = [["osrm-contract"]] if algorithm == "ch" else [["osrm-partition"], ["osrm-customize"]]
    for step in ([str(bins / "osrm-extract"), "-p", str(car), str(work / pbf.name)],
                 *([str(bins / name), str(work / f"{stem}.osrm")] for [name] in steps)):
        done = subprocess.run(step, capture_output=True, text=True, timeout=600, env=env)
        assert done.returncode == 0, done.stderr[-800:]
        (work / f"{Path(step[0]).name}.log").write_text(done.stdout + done.stderr)
    port = free_port()
    server = subprocess.Popen([str(bins / "osrm-routed"), "--algorithm", algorithm, "--port", str(port),
                               "--max-table-size", str(max_table_size), str(work / f"{stem}.osrm")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # loading the graph takes a moment on a busy machine
            try:
                urllib.request.urlopen(f"{url}/nearest/v1/driving/{probe[0]},{probe[1]}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("osrm-routed exited at start-up")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def osrm_work(tmp_path_factory):
    return tmp_path_factory.mktemp("osrm")


@pytest.fixture(scope="module")
def osrm_url(osrm_work):
    """A real osrm-routed (contraction hierarchies, the product's car profile) serving Monaco."""
    with serve_osrm(monaco_pbf(), osrm_work, CASINO) as url:
        yield url


def test_osrm_table_gives_integer_matrices_close_to_our_own_road_times(osrm_url):
    from tests.routing.test_network_osm import RoadNetwork, sample_points

    # given 30 points on Monaco's roads and both engines
    ours = RoadNetwork.from_file(monaco_pbf())
    points = sample_points(ours, 30, seed=5)
    osrm = OsrmTravel(osrm_url)
    # when both measure them
    durations, distances = osrm.matrices(points)
    our_durations, _ = ours.matrices(points)
    # then OSRM's are integer seconds and metres, by road (not shorter than the crow flies),
    # and our calibrated times are a median 0.8-1.2 of OSRM's (pairs differ more: each engine
    # snaps a point to its own nearest road, one-way streets then send it round)
    off = ~np.eye(30, dtype=bool)
    assert durations.dtype.kind == "i" and (np.diag(durations) == 0).all()
    assert (durations[off] > 0).all() and (durations[off] < UNREACHABLE).all()
    crow = np.array([[great_circle_m(*a, *b) for b in points] for a in points])
    assert (distances[off] >= crow[off] - 50).all()
    assert 0.8 <= float(np.median(our_durations[off] / durations[off])) <= 1.2


FIVE = [CASINO, PALACE, STADIUM, (7.4246, 43.7384), (7.4180, 43.7330)]


@pytest.mark.parametrize(("max_table_size", "table_cells"), [(1000, 5), (1000, 12), (3, 4), (2, 1)])
def test_table_blocks_give_the_same_matrix_as_one_request(osrm_url, max_table_size, table_cells):
    # given the five points' matrix from one /table request
    whole = OsrmTravel(osrm_url).matrices(FIVE)
    # when it comes in blocks of sources with every destination (1 or 2 rows of 5 per request),
    # or with destinations split too (a server size below the number of points)
    blocked = OsrmTravel(osrm_url, max_table_size=max_table_size, table_cells=table_cells).matrices(FIVE)
    # then it is the same
    assert (whole[0] == blocked[0]).all() and (whole[1] == blocked[1]).all()
    assert (np.diag(blocked[0]) == 0).all() and (blocked[0] > 0).sum() == 20


@pytest.mark.parametrize(("table_cells", "parallel_requests"), [(2_000_000, 1), (2_000_000, 2), (7, 3), (1, 4)])
def test_the_binary_answers_in_parallel_give_the_json_matrix_in_order(osrm_url, table_cells, parallel_requests):
    # given 12 Monaco points, two of them twice (the same place: 0 s between them, as OSRM's
    # binary output also writes for "no route"), and the adapter's JSON answers one at a time
    points = [*FIVE, (7.4206, 43.7311), (7.4262, 43.7465), (7.4158, 43.7358), (7.4301, 43.7412),
              (7.4121, 43.7294), CASINO, STADIUM]
    json_whole = OsrmTravel(osrm_url, binary=False, parallel_requests=1).matrices(points)
    # when the blocks come in the binary output, several requests in flight
    binary = OsrmTravel(osrm_url, table_cells=table_cells, parallel_requests=parallel_requests).matrices(points)
    # then every figure is the same, in the same place, and the same place stays 0 apart
    assert (binary[0] == json_whole[0]).all() and (binary[1] == json_whole[1]).all()
    assert binary[0][0, 10] == binary[0][10, 0] == 0 and binary[0][2, 11] == 0
    assert (binary[0][~np.eye(12, dtype=bool)] > 0).sum() == 12 * 11 - 4


#: Two road squares 2 km apart with no road between them (OSM XML; both parts are small, so
#: OSRM snaps each point to its own square and finds no route from one square to the other).
ISLANDS = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="mormal test">
{nodes}
  <way id="1" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/><tag k="highway" v="residential"/></way>
  <way id="2" version="1"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="5"/><tag k="highway" v="residential"/></way>
</osm>
"""


def test_a_pair_with_no_route_is_unreachable_in_the_binary_answer_as_in_json(tmp_path):
    # given a road graph of two unconnected squares, and two points on each
    corners = [(3.700, 50.200), (3.704, 50.200), (3.704, 50.203), (3.700, 50.203),
               (3.730, 50.200), (3.734, 50.200), (3.734, 50.203), (3.730, 50.203)]
    nodes = "\n".join(f'  <node id="{k}" version="1" lat="{lat}" lon="{lon}"/>'
                      for k, (lon, lat) in enumerate(corners, start=1))
    osm = tmp_path / "islands.osm"
    osm.write_text(ISLANDS.format(nodes=nodes))
    points = [(3.702, 50.2001), (3.7039, 50.2015), (3.732, 50.2001), (3.7339, 50.2015)]
    with serve_osrm(osm, tmp_path, points[0]) as url:
        # when the adapter asks in JSON and in the binary output (where "no route" is 0)
        json_answer = OsrmTravel(url, binary=False).matrices(points)
        binary = OsrmTravel(url).matrices(points)
    # then the pairs across the squares are unreachable in both, the others routed
    across = np.array([[(a < 2) != (b < 2) for b in range(4)] for a in range(4)])
    for durations, distances in (json_answer, binary):
        assert (durations[across] == UNREACHABLE).all() and (distances[across] == UNREACHABLE).all()
        assert (durations[~across & ~np.eye(4, dtype=bool)] > 0).all()
    assert (binary[0] == json_answer[0]).all() and (binary[1] == json_answer[1]).all()


@pytest.mark.parametrize("n", [1, 2, 5, 999, 1000, 1001, 2000, 10_000, 10_001, 25_000])
@pytest.mark.parametrize(("limit", "cells"), [(1000, 2_000_000), (10_000, 2_000_000), (10_000, 500_000), (2, 1)])
def test_table_blocks_keep_every_request_within_the_server_and_rows_whole_when_they_fit(n, limit, cells):
    sources, destinations = table_blocks(n, limit, cells)
    assert 1 <= sources <= n and 1 <= destinations <= n
    assert sources * destinations <= limit * limit  # OSRM's TooBig check
    if n <= limit:  # the points all go in each request: whole rows, as many as the cells allow
        assert destinations == n and sources == max(1, min(n, cells // n))
    else:  # a request's points (sources and destinations together) within the server's size
        assert sources + destinations <= limit


def test_more_points_than_the_server_takes_go_in_requests_it_accepts(tmp_path):
    # given a server started with --max-table-size 3
    with serve_osrm(monaco_pbf(), tmp_path, CASINO, max_table_size=3) as url:
        # then asking it for five points at once is refused with OSRM's reason
        with pytest.raises(OsrmError, match="TooBig"):
            OsrmTravel(url).matrices(FIVE)
        # and told its size, the adapter gets the whole matrix
        durations, distances = OsrmTravel(url, max_table_size=3).matrices(FIVE)
    assert (np.diag(durations) == 0).all() and (durations[~np.eye(5, dtype=bool)] > 0).all()
    assert (distances < UNREACHABLE).all()


def test_the_product_car_profile_has_no_exclude_sets_and_routes_as_the_stock_one(osrm_url, osrm_work, tmp_path):
    # given Monaco contracted with the product's profile (the fixture) and with OSRM's stock one
    points = FIVE
    ours = OsrmTravel(osrm_url).matrices(points)
    with serve_osrm(monaco_pbf(), tmp_path, CASINO, profile="stock") as stock_url:
        stock = OsrmTravel(stock_url).matrices(points)
        coords = ";".join(f"{lon},{lat}" for lon, lat in points[:2])
        excluded = json.loads(urllib.request.urlopen(f"{stock_url}/table/v1/driving/{coords}?exclude=toll").read())
    # then the times and distances are the same: only the exclude sets went
    assert (ours[0] == stock[0]).all() and (ours[1] == stock[1]).all()
    # the stock server knows exclude=toll, ours refuses it (no such set was contracted)
    assert excluded["code"] == "Ok"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{osrm_url}/table/v1/driving/{coords}?exclude=toll")
    assert json.loads(refused.value.read())["code"] == "InvalidValue"
    # and osrm-contract contracted the product's graph once (the stock one: a first pass, then
    # its core once per exclude set: none, toll, motorway, ferry)
    assert (osrm_work / "osrm-contract.log").read_text().count("will contract") == 1
    assert (tmp_path / "osrm-contract.log").read_text().count("will contract") == 5


def test_osrm_route_line_runs_from_the_first_point_to_the_last(osrm_url):
    line = OsrmTravel(osrm_url).path_geometry([CASINO, PALACE])
    assert len(line) > 5
    assert great_circle_m(*line[0], *CASINO) < 150 and great_circle_m(*line[-1], *PALACE) < 150


def test_a_day_is_planned_on_osrm_times_and_says_so(osrm_url):
    model = DeliveryModel()
    depot = model.add_depot("depot", "Casino", *CASINO, TimeWindow(8 * 3600, 18 * 3600))
    model.add_vehicle("van", "Van", depot, capacity=Load(), shift=TimeWindow(8 * 3600, 18 * 3600),
                      cost_per_km_c=30)
    model.add_stop("palace", "Palais", *PALACE, service_s=120)
    model.add_stop("stadium", "Stade", *STADIUM, service_s=120)
    model.set_travel(OsrmTravel(osrm_url))
    plan = model.solve(time_limit_s=2, seed=1)
    assert not plan.unassigned
    assert "serveur OSRM" in plan.travel_label


def test_the_product_picks_osrm_when_configured(settings, osrm_url):
    from delivery.day_planning import travel_model

    settings.ROUTING_ENGINE, settings.OSRM_URL = "osrm", osrm_url
    travel = travel_model()
    assert isinstance(travel, OsrmTravel) and travel.base_url == osrm_url


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(OsrmError, match="unreachable"):
        OsrmTravel(f"http://127.0.0.1:{free_port()}", timeout_s=2).matrices([CASINO, PALACE])
    with pytest.raises(ValueError, match="http"):
        OsrmTravel("osrm:5000")
