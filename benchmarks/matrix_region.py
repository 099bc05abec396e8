"""2,000 x 2,000 road matrices at territory and region size: ours against OSRM, time and peak memory.

    python benchmarks/matrix_region.py [--points 2000] [--synthetic-grid 500000] [--seed 1]
                                       [--no-monaco] [--algorithms mld,ch] [--no-http]
                                       [--layouts rows,rows-json-seq] [--profile mormal]
                                       [--prep-timeout 0]

Graphs: Monaco drivable and Monaco with every way (real OpenStreetMap, in the osrm-bindings
sdist, see ``benchmarks/matrix.py``), and a SYNTHETIC road grid of about 500,000 nodes
(``benchmarks/road_grid.py``: no real extract of the Grand Hainaut ships on PyPI). The
synthetic rows say so.

Every engine runs in its own child process and its peak memory is that child's alone
(``os.wait4`` resource usage, and ``VmHWM`` reset through ``/proc/self/clear_refs`` between
phases):

* ours: ``RoadNetwork.from_file`` (the product's loader: pyosmium, osmnx ``graph_from_xml``,
  travel times, ``PackedGraph``) is the preparation; then ``RoadNetwork.matrices`` with 1 and
  with 2 forked processes. The matrix peak includes the network resident in memory;
* OSRM: ``osrm-extract`` (the product's car profile ``deploy/osrm/car.lua``, OSRM's without
  exclude sets; ``--profile stock`` for OSRM's own) then ``osrm-contract`` (CH, as the tests and
  docker-compose) or ``osrm-partition`` + ``osrm-customize`` (MLD), binaries from the
  osrm-bindings wheel; the matrix by the bindings' Table in a Python 3.12 child (the engine
  alone, graph loaded in that process), and by the product's adapter
  (``OsrmTravel.matrices``: HTTP /table to an ``osrm-routed``, in its default requests and in
  the 500 x 500 blocks it sent before), where the peak is the server's plus the client's.

Runs on small graphs are best of 3; on the synthetic grid, one run each (the machine is
shared: the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.matrix import CACHE, OSRM_VENV, monaco_pbf, osrm_ready  # noqa: E402
from benchmarks.road_grid import write_road_grid  # noqa: E402

#: The product's OSRM car profile (stock car profile without exclude sets).
MORMAL_CAR = ROOT / "deploy" / "osrm" / "car.lua"

OSRM_CHILD = r"""
import json, resource, sys, time
import osrm

def hwm():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024

job = json.load(open(sys.argv[1]))
started = time.perf_counter()
engine = osrm.OSRM(algorithm=job["algorithm"], storage_config=job["osrm"], use_shared_memory=False)
load_s, load_mb = time.perf_counter() - started, hwm()
params = osrm.TableParameters(coordinates=[tuple(p) for p in job["points"]], annotations=["duration"])
open("/proc/self/clear_refs", "w").write("5")
best = float("inf")
for _ in range(job["repeat"]):
    started = time.perf_counter()
    result = engine.Table(params)
    best = min(best, time.perf_counter() - started)
table_mb = hwm()
rows = result["durations"]
durations = [[-1.0 if d is None else float(d) for d in row] for row in rows]
json.dump({"load_s": load_s, "load_mb": load_mb, "table_s": best, "table_mb": table_mb,
           "durations": durations}, open(sys.argv[2], "w"))
"""


# ------------------------------------------------------------------------------ memory
def vm_mb(key: str = "VmHWM", pid: int | str = "self") -> float:
    """``VmHWM`` (peak) or ``VmRSS`` of a process from /proc, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    """Reset this process's VmHWM to its current RSS (Linux >= 4.0)."""
    Path("/proc/self/clear_refs").write_text("5")


def run_child(cmd: list[str], log: Path, timeout_s: float | None = None) -> tuple[float, float]:
    """Run ``cmd`` to completion; its wall seconds and peak RSS (MB, with its own children).

    Raises ``TimeoutError`` (after killing it) when it runs longer than ``timeout_s``.
    """
    print(f"{time.strftime('%H:%M:%S')} {' '.join(Path(c).name for c in cmd[:4])[:100]}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout_s is not None and time.perf_counter() - started > timeout_s:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise TimeoutError(f"{Path(cmd[0]).name} still running after {timeout_s:.0f} s")
            time.sleep(0.2)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed ({proc.returncode}): {log.read_text()[-600:]}")
    return seconds, usage.ru_maxrss / 1024


# ----------------------------------------------------------------------------- our side
def child_ours(pbf: str, network_type: str, points: int, seed: int, out: Path) -> None:
    """In a child: load with the product's loader, then time the matrix with 1 and 2 processes."""
    from delivery.routing.network import RoadNetwork

    started = time.perf_counter()
    net = RoadNetwork.from_file(pbf, network_type=network_type)
    prep_s, prep_mb = time.perf_counter() - started, vm_mb()
    n = len(net.nodes)
    k = min(points, n)
    rows = np.random.default_rng(seed).choice(n, k, replace=False)
    lonlat = [(float(net.graph.nodes[net.nodes[r]]["x"]), float(net.graph.nodes[net.nodes[r]]["y"])) for r in rows]
    repeat = 3 if n < 100_000 else 1
    runs = {}
    first = None
    for workers in (1, 2):
        net.paths.workers = workers
        reset_peak()
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            durations, _ = net.matrices(lonlat)
            best = min(best, time.perf_counter() - started)
        if first is None:
            first = durations
        assert np.array_equal(first, durations), "1 and 2 processes disagree"
        runs[workers] = {"s": best, "mb": vm_mb(),
                         "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    np.save(out.with_suffix(".npy"), durations)
    out.write_text(json.dumps({"nodes": n, "edges": net.graph.number_of_edges(), "core": net.paths.core_size,
                               "prep_s": prep_s, "prep_mb": prep_mb, "runs": runs, "points": lonlat,
                               "repeat": repeat}))


#: How the adapter asks /table: its default ``rows`` (each block of sources with every
#: destination, 2 requests of 1,000 x 2,000 at 2,000 points, both in flight at once, in OSRM's
#: binary FlatBuffers output); ``rows-seq`` the same one request at a time; ``rows-json`` and
#: ``rows-json-seq`` in JSON (the latter is the adapter before the binary output and the
#: parallel requests); the square 500 x 500 blocks it sent earlier (JSON, one at a time); one request.
LAYOUTS = {"rows": {}, "rows-seq": {"parallel_requests": 1}, "rows-json": {"binary": False},
           "rows-json-seq": {"binary": False, "parallel_requests": 1},
           "squares": {"max_table_size": 1000, "table_cells": 250_000, "binary": False, "parallel_requests": 1},
           "one": {"table_cells": 100_000_000}}


def layout_note(name: str, n: int) -> str:
    from delivery.routing.osrm import MAX_TABLE_SIZE, PARALLEL_REQUESTS, TABLE_CELLS, table_blocks

    sizes = {"max_table_size": MAX_TABLE_SIZE, "table_cells": TABLE_CELLS, "parallel_requests": PARALLEL_REQUESTS,
             "binary": True, **LAYOUTS[name]}
    sources, destinations = table_blocks(n, sizes["max_table_size"], sizes["table_cells"])
    requests = -(-n // sources) * -(-n // destinations)
    at_once = min(requests, int(sizes["parallel_requests"]))
    return (f"HTTP /table, {requests} request{'s' if requests > 1 else ''} of {sources} x {destinations}, "
            f"{at_once} at a time, {'binary' if sizes['binary'] else 'JSON'} ({name})")


def runs_note(runs: list[float]) -> str:
    """'1 run' or 'best of 3 (median 4.1 s)'."""
    if len(runs) == 1:
        return "1 run"
    return f"best of {len(runs)} (median {float(np.median(runs)):.2f} s, all {', '.join(f'{r:.2f}' for r in runs)})"


def child_http(url: str, job: Path, out: Path) -> None:
    """In a child: the product's OSRM adapter asks osrm-routed for the matrix."""
    from delivery.routing.osrm import OsrmTravel

    spec = json.loads(job.read_text())
    points = [tuple(p) for p in spec["points"]]
    reset_peak()
    started = time.perf_counter()
    durations, _ = OsrmTravel(url, timeout_s=3600, **LAYOUTS[spec["layout"]]).matrices(points)
    seconds = time.perf_counter() - started
    np.save(out.with_suffix(".npy"), durations)
    out.write_text(json.dumps({"s": seconds, "mb": vm_mb()}))


# ---------------------------------------------------------------------------- OSRM side
def osrm_bins(profile: str = "mormal") -> tuple[Path, Path]:
    """(directory of the OSRM binaries, car profile) from the osrm-bindings venv.

    ``mormal``: the product's ``deploy/osrm/car.lua`` (the stock car profile without exclude
    sets, so ``osrm-contract`` contracts once), pointed at the wheel's stock profile through
    ``OSRM_CAR_PROFILE``; ``stock``: the wheel's car.lua itself (four exclude sets).
    """
    py, _, why = osrm_ready(monaco_pbf())  # creates the venv and installs the wheel once
    if py is None:
        raise RuntimeError(f"OSRM unavailable: {why}")
    package = next(OSRM_VENV.glob("lib/python3.*/site-packages/osrm"))
    stock = package / "share" / "profiles" / "car.lua"
    if profile == "stock":
        return package / "bin", stock
    os.environ["OSRM_CAR_PROFILE"] = str(stock)
    return package / "bin", MORMAL_CAR


def osrm_prepare(pbf: Path, stem: str, algorithm: str, timeout_s: float | None, profile: str = "mormal") -> dict:
    """Extract (once per file and profile), then CH or MLD in its own directory; seconds and peak MB.

    A finished preparation is kept under .cache/ and reused (the table says so); one that
    runs longer than ``timeout_s`` (None: no limit) is stopped and reported as such.
    """
    bins, car = osrm_bins(profile)
    work = CACHE / "osrm-region" / f"{stem}-{profile}-car"
    done_file = work / f"prep-{algorithm}.json"
    if done_file.is_file() and done_file.stat().st_mtime > pbf.stat().st_mtime:
        return {**json.loads(done_file.read_text()), "reused": True}
    extract_file = work / "extract.json"
    if not extract_file.is_file() or extract_file.stat().st_mtime < pbf.stat().st_mtime:
        shutil.rmtree(work, ignore_errors=True)
        (work / "extract").mkdir(parents=True)
        shutil.copy(pbf, work / "extract" / f"{stem}.osm.pbf")
        ext_s, ext_mb = run_child([str(bins / "osrm-extract"), "-p", str(car),
                                   str(work / "extract" / f"{stem}.osm.pbf")], work / "extract.log")
        (work / "extract" / f"{stem}.osm.pbf").unlink()
        extract_file.write_text(json.dumps({"s": ext_s, "mb": ext_mb}))
    extract = json.loads(extract_file.read_text())
    shutil.rmtree(work / algorithm, ignore_errors=True)
    shutil.copytree(work / "extract", work / algorithm)
    seconds, peak, step_s = extract["s"], extract["mb"], {}
    steps = {"ch": ["osrm-contract"], "mld": ["osrm-partition", "osrm-customize"]}[algorithm]
    load_before = os.getloadavg()[0]
    for step in steps:
        try:
            s, mb = run_child([str(bins / step), str(work / algorithm / f"{stem}.osrm")],
                              work / f"{algorithm}-{step}.log", timeout_s)
        except TimeoutError as exc:
            return {"failed": f"{exc} (stopped)", "s": seconds + (timeout_s or 0), "extract_s": extract["s"]}
        seconds, peak, step_s[step] = seconds + s, max(peak, mb), s
    prep = {"s": seconds, "mb": peak, "extract_s": extract["s"], "steps": step_s, "profile": profile,
            "base": str(work / algorithm / f"{stem}.osrm"), "load": f"{load_before:.1f}->{os.getloadavg()[0]:.1f}"}
    done_file.write_text(json.dumps(prep))
    return prep


def osrm_bindings_table(base: str, algorithm: str, points: list, repeat: int, tmp: Path) -> dict:
    job, out = tmp / f"job-{algorithm}.json", tmp / f"osrm-{algorithm}.json"
    job.write_text(json.dumps({"osrm": base, "algorithm": algorithm.upper(), "points": points, "repeat": repeat}))
    _, peak = run_child([str(OSRM_VENV / "bin" / "python"), "-c", OSRM_CHILD, str(job), str(out)],
                        tmp / f"osrm-{algorithm}.log")
    result = json.loads(out.read_text())
    result["peak_mb"] = peak
    result["durations"] = np.array(result["durations"], float)
    return result


def osrm_http_table(base: str, algorithm: str, points: list, tmp: Path, layout: str, repeat: int = 1) -> dict:
    """osrm-routed on ``base`` (started here) and the product's adapter in a child process.

    The child runs ``repeat`` times against the same server: ``s`` is the best, ``runs`` all.
    """
    bins, _ = osrm_bins()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(bins / "osrm-routed"), "--algorithm", algorithm, "--port", str(port),
                               "--max-table-size", "10000", base],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        lon, lat = points[0]
        for _ in range(3000):
            try:
                urllib.request.urlopen(f"{url}/nearest/v1/driving/{lon},{lat}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("osrm-routed exited at start-up") from None
                time.sleep(0.2)
        job, out = tmp / "http-job.json", tmp / f"http-{algorithm}.json"
        job.write_text(json.dumps({"points": points, "layout": layout}))
        runs, client_mb = [], 0.0
        for _ in range(max(1, repeat)):
            _, mb = run_child([sys.executable, __file__, "--child", "http", url, str(job), str(out)],
                              tmp / f"http-{algorithm}.log")
            runs.append(json.loads(out.read_text())["s"])
            client_mb = max(client_mb, mb)
        server_mb = vm_mb("VmHWM", server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    result = json.loads(out.read_text())
    result.update(s=min(runs), runs=runs, peak_mb=server_mb + client_mb, server_mb=server_mb, client_mb=client_mb,
                  durations=np.load(out.with_suffix(".npy")))
    return result


# ---------------------------------------------------------------------------------- main
def agreement(ours: np.ndarray, osrm: np.ndarray) -> float:
    """Median of ours / OSRM durations over pairs both engines route (off the diagonal)."""
    from delivery.routing.problem import UNREACHABLE

    ok = ~np.eye(len(ours), dtype=bool) & (osrm > 0) & (ours < UNREACHABLE) & (osrm < UNREACHABLE)
    return float(np.median(ours[ok] / osrm[ok]))


def bench_graph(title: str, pbf: Path, network_type: str, args, tmp: Path) -> list[tuple]:
    out = tmp / f"ours-{pbf.stem}-{network_type}.json"
    load_before = os.getloadavg()[0]
    _, ours_peak = run_child([sys.executable, __file__, "--child", "ours", str(pbf), network_type,
                              str(args.points), str(args.seed), str(out)], tmp / "ours.log")
    ours = json.loads(out.read_text())
    ours_dur = np.load(out.with_suffix(".npy"))
    k = len(ours["points"])
    label = f"{title}: {ours['nodes']:,} nodes, {ours['edges']:,} edges, core {ours['core']:,}"
    size = f"{k}x{k}"
    runs = ours["runs"]
    times = "best of 3" if ours["repeat"] > 1 else "1 run"
    rows: list[tuple] = [(label, "ours, 1 process", size, ours["prep_s"], ours["prep_mb"], runs["1"]["s"], runs["1"]["mb"],
             1.0, None, f"{times}; process peak {ours_peak:,.0f} MB; load {load_before:.1f}->{os.getloadavg()[0]:.1f}"),
            (label, "ours, 2 processes", size, None, None, runs["2"]["s"], runs["2"]["mb"] + runs["2"]["workers_mb"],
             runs["1"]["s"] / runs["2"]["s"], None,
             f"{times}; parent {runs['2']['mb']:,.0f} + largest worker {runs['2']['workers_mb']:,.0f} MB (shared pages counted twice)")]
    if network_type != "drive" or args.no_osrm:
        return rows
    ours_s = runs["1"]["s"]
    for algo in args.algorithms:
        p = osrm_prepare(pbf, pbf.name.split(".")[0].lower(), algo, args.prep_timeout or None, args.profile)
        engine = f"OSRM {algo.upper()}"
        if "failed" in p:
            rows.append((label, engine, size, None, None, None, None, None, None,
                         f"preparation not finished: {p['failed']}; extract {p['extract_s']:.1f} s"))
            continue
        reused = " (prep reused from an earlier run)" if p.get("reused") else ""
        load = os.getloadavg()[0]
        b = osrm_bindings_table(p["base"], algo, ours["points"], ours["repeat"], tmp)
        rows.append((label, f"{engine}, bindings Table", size, p["s"], p["mb"], b["table_s"],
                     b["table_mb"], ours_s / b["table_s"], agreement(ours_dur, b["durations"]),
                     f"{times}; {p.get('profile', 'stock')} car profile; extract {p['extract_s']:.1f} s + "
                     + " + ".join(f"{k[5:]} {v:.1f} s" for k, v in p.get("steps", {}).items())
                     + f" (load {p.get('load', '?')}){reused}; graph load {b['load_s']:.1f} s; "
                     f"process peak {b['peak_mb']:,.0f} MB; load {load:.1f}"))
        for layout in [] if args.no_http else args.layouts:
            h = osrm_http_table(p["base"], algo, ours["points"], tmp, layout, args.http_repeat)
            rows.append((label, f"{engine}, osrm-routed + OsrmTravel", size, None, None, h["s"],
                         h["peak_mb"], ours_s / h["s"], agreement(ours_dur, h["durations"]),
                         f"{runs_note(h['runs'])}; {layout_note(layout, len(ours['points']))}; server {h['server_mb']:,.0f} + client "
                         f"{h['client_mb']:,.0f} MB; load {os.getloadavg()[0]:.1f}"))
    return rows


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "ours":
            pbf, network_type, points, seed, out = sys.argv[3:8]
            child_ours(pbf, network_type, int(points), int(seed), Path(out))
        else:
            child_http(sys.argv[3], Path(sys.argv[4]), Path(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--synthetic-grid", type=int, default=500_000, metavar="NODES",
                        help="nodes of the synthetic road grid (0: no synthetic row)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-monaco", action="store_true")
    parser.add_argument("--no-osrm", action="store_true")
    parser.add_argument("--no-http", action="store_true", help="skip osrm-routed + the product's adapter")
    parser.add_argument("--algorithms", default="mld,ch", help="OSRM algorithms: ch, mld or mld,ch")
    parser.add_argument("--prep-timeout", type=float, default=0, metavar="S",
                        help="stop an OSRM preparation step after S seconds (default 0: no limit)")
    parser.add_argument("--layouts", default="rows,rows-json-seq",
                        help="the adapter's /table requests: rows (its default: whole rows, 2 in flight, binary), "
                             "rows-seq, rows-json, rows-json-seq (before the binary output), squares (500 x 500 "
                             "JSON, as earlier), one (a single request); comma-separated")
    parser.add_argument("--http-repeat", type=int, default=1, metavar="N",
                        help="run the adapter N times per layout against the same server (best and median)")
    parser.add_argument("--profile", choices=("mormal", "stock"), default="mormal",
                        help="OSRM car profile: the product's deploy/osrm/car.lua (no exclude sets, "
                             "contracted once) or the wheel's stock car.lua (four exclude sets)")
    args = parser.parse_args()
    args.algorithms = [a.strip().lower() for a in args.algorithms.split(",") if a.strip()]
    args.layouts = [a.strip().lower() for a in args.layouts.split(",") if a.strip()]

    graphs: list[tuple[str, Path, str]] = []
    if not args.no_monaco:
        graphs += [("Monaco, drivable", monaco_pbf(), "drive"), ("Monaco, all ways", monaco_pbf(), "all")]
    if args.synthetic_grid:
        grid = CACHE / f"synthetic-grid-{args.synthetic_grid}-seed{args.seed}.osm.pbf"
        if not grid.is_file():
            write_road_grid(grid, nodes=args.synthetic_grid, seed=args.seed)
        graphs.append((f"SYNTHETIC grid ~{args.synthetic_grid:,} (road_grid.py seed {args.seed})", grid, "drive"))
    table = []
    with tempfile.TemporaryDirectory(prefix="matrix-region-") as tmp:
        for title, pbf, network_type in graphs:
            table += bench_graph(title, pbf, network_type, args, Path(tmp))
            print_table(table)  # as it goes: the synthetic rows take minutes


def print_table(table: list[tuple]) -> None:
    print(f"\nRoad matrices, ours vs OSRM ({os.cpu_count()} cores shared with other jobs, load average "
          f"{os.getloadavg()[0]:.1f} now; 'x faster' = our 1-process matrix s / this one)\n")
    print("| graph | engine | points | prep s | prep peak MB | matrix s | matrix peak MB | x faster than ours "
          "| median ours/OSRM | note |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for label, engine, size, prep_s, prep_mb, s, mb, speed, ratio, note in table:
        cells = [label, engine, size, "" if prep_s is None else f"{prep_s:.1f}",
                 "" if prep_mb is None else f"{prep_mb:,.0f}", "-" if s is None else f"{s:.2f}",
                 "-" if mb is None else f"{mb:,.0f}", "-" if speed is None else f"{speed:.1f}",
                 "" if ratio is None else f"{ratio:.2f}", note]
        print("| " + " | ".join(cells) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
