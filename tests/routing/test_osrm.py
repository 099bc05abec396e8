"""ROUTING_ENGINE=osrm: the OSRM adapter against a real osrm-routed serving Monaco.

The OSRM binaries come from the ``osrm-bindings`` wheel (they run without Python): from
``OSRM_BIN_DIR`` when set, else from ``.cache/osm/`` (the wheel is downloaded there with pip
the first time, gitignored). Monaco is the extract the other road tests use.
"""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest

from delivery.routing import DeliveryModel, Load, TimeWindow
from delivery.routing.osrm import OsrmError, OsrmTravel
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


@contextlib.contextmanager
def serve_osrm(pbf: Path, work: Path, probe: tuple[float, float], *, algorithm: str = "ch"):
    """Prepare ``pbf`` (car profile, CH or MLD) in ``work`` and serve it with a real osrm-routed.

    Yields the server's URL once it answers a /nearest at ``probe`` (lon, lat); stops it after.
    """
    bins = osrm_bin_dir()
    profile = next(iter(sorted(bins.glob("**/profiles/car.lua"))), None) or next(
        iter(sorted(bins.parent.glob("share/profiles/car.lua"))))
    stem = pbf.name.split(".")[0]
    (work / pbf.name).write_bytes(pbf.read_bytes())
    steps = [["osrm-contract"]] if algorithm == "ch" else [["osrm-partition"], ["osrm-customize"]]
    for step in ([str(bins / "osrm-extract"), "-p", str(profile), str(work / pbf.name)],
                 *([str(bins / name), str(work / f"{stem}.osrm")] for [name] in steps)):
        done = subprocess.run(step, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-800:]
    port = free_port()
    server = subprocess.Popen([str(bins / "osrm-routed"), "--algorithm", algorithm, "--port", str(port),
                               "--max-table-size", "1000", str(work / f"{stem}.osrm")],
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
def osrm_url(tmp_path_factory):
    """A real osrm-routed (contraction hierarchies, car profile) serving Monaco."""
    with serve_osrm(monaco_pbf(), tmp_path_factory.mktemp("osrm"), CASINO) as url:
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


def test_table_blocks_give_the_same_matrix_as_one_request(osrm_url):
    points = [CASINO, PALACE, STADIUM, (7.4246, 43.7384), (7.4180, 43.7330)]
    whole = OsrmTravel(osrm_url).matrices(points)
    blocked = OsrmTravel(osrm_url, block=2).matrices(points)
    assert (whole[0] == blocked[0]).all() and (whole[1] == blocked[1]).all()


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
