"""A SYNTHETIC region-sized road grid (not OpenStreetMap data) for the road-matrix benchmarks.

    python benchmarks/road_grid.py OUT.osm.pbf [--nodes 500000] [--seed 1]

No real OSM extract of the Grand Hainaut ships on PyPI, so the region-sized benchmark
(``benchmarks/matrix_region.py``) runs on this generated one: a square lattice of junctions
around the Pays de Mormal (50.2 N, 3.7 E) with perturbed coordinates and shape points between
junctions, written as OSM (``.osm.pbf`` or ``.osm`` XML, by pyosmium) so that both the
product's loader and ``osrm-extract`` read it. It is deterministic for a given seed.

What makes it less uniform than a chessboard:

* road classes: a ``primary`` arterial every 24th row and column (maxspeed 80), a
  ``secondary`` one every 8th (70 or 80), ``tertiary`` every 4th (no maxspeed), the rest
  ``residential`` (50, 30 or untagged) or ``unclassified`` (untagged, 50 or 70);
* local links (not arterials) are missing 8% of the time and one-way 6% of the time, in a
  random direction;
* 0-2 shape points per local link, 1-3 per arterial link, slightly off the straight line;
* ``highway=traffic_signals`` on half the junctions where two primary or secondary roads
  cross, and on 1% of the other junctions on an arterial.

Every file says it is synthetic: the OSM header's generator, an XML comment in ``.osm``
output, and the benchmark's row label.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import osmium

#: Where the grid is centred, (lon, lat) in degrees: the Pays de Mormal.
CENTRE = (3.7, 50.2)
#: Metres per degree of latitude (spherical Earth, R = 6 371 km).
M_PER_DEG = 111_195.0
#: Distance between neighbouring junctions, metres (perturbed by up to a quarter of it).
SPACING_M = 200.0
MISSING_LOCAL = 0.08
ONEWAY_LOCAL = 0.06
LABEL = "SYNTHETIC road grid, not OpenStreetMap data"


@dataclass(frozen=True)
class GridSummary:
    """What :func:`write_road_grid` wrote (counts of OSM objects)."""

    path: Path
    side: int  # junctions per row and per column
    nodes: int  # nodes used by a way (junctions and shape points)
    ways: int  # one per junction-to-junction link
    oneways: int
    missing_links: int
    signals: int
    generator: str


def _line_class(k: int) -> str:
    """Road class of row or column ``k`` (the arterial pattern)."""
    if k % 24 == 0:
        return "primary"
    if k % 8 == 4:
        return "secondary"
    if k % 4 == 2:
        return "tertiary"
    return "local"


def _expected_nodes(side: int) -> float:
    """Nodes the grid of ``side`` x ``side`` junctions is expected to use (mean over seeds)."""
    arterial = sum(_line_class(k) != "local" for k in range(side))
    links_per_line = side - 1
    arterial_links = 2 * arterial * links_per_line
    local_links = 2 * side * links_per_line - arterial_links
    shape = arterial_links * 2.0 + local_links * (1 - MISSING_LOCAL) * 1.0
    return side * side + shape


def side_for(nodes: int) -> int:
    """Junctions per side for a grid of about ``nodes`` nodes in all."""
    side = max(3, int(math.sqrt(nodes / 3)))
    while _expected_nodes(side + 1) <= nodes:
        side += 1
    while side > 3 and _expected_nodes(side) > nodes:
        side -= 1
    return side if abs(_expected_nodes(side + 1) - nodes) > abs(_expected_nodes(side) - nodes) else side + 1


def _tags(cls: str, rng: np.random.Generator) -> dict[str, str]:
    """OSM tags of one link of class ``cls`` (local links pick residential/unclassified)."""
    if cls == "primary":
        return {"highway": "primary", "maxspeed": "80"}
    if cls == "secondary":
        return {"highway": "secondary", "maxspeed": str(rng.choice(["70", "80"]))}
    if cls == "tertiary":
        return {"highway": "tertiary"}
    if rng.random() < 0.7:
        speed = rng.choice(["50", "30", ""], p=[0.5, 0.2, 0.3])
        return {"highway": "residential", **({"maxspeed": str(speed)} if speed else {})}
    speed = rng.choice(["", "50", "70"], p=[0.6, 0.2, 0.2])
    return {"highway": "unclassified", **({"maxspeed": str(speed)} if speed else {})}


def write_road_grid(path: str | Path, *, nodes: int = 500_000, seed: int = 1,
                    centre: tuple[float, float] = CENTRE, spacing_m: float = SPACING_M) -> GridSummary:
    """Write a synthetic road grid of about ``nodes`` nodes to ``path`` (``.osm.pbf`` or ``.osm``).

    Parameters
    ----------
    path
        Output file; its suffix chooses the format (pyosmium). Overwritten if present.
    nodes
        Target node count (junctions plus shape points); the result is within a few percent.
    seed
        Seed of every random choice: the same seed writes the same file.
    centre
        ``(lon, lat)`` of the grid's centre, degrees.
    spacing_m
        Distance between neighbouring junctions, metres.

    Raises
    ------
    ValueError
        If ``nodes`` is below 100.
    """
    if nodes < 100:
        raise ValueError(f"a road grid needs at least 100 nodes, got {nodes}")
    path = Path(path)
    rng = np.random.default_rng(seed)
    side = side_for(nodes)
    lon0, lat0 = centre
    m_per_deg_lon = M_PER_DEG * math.cos(math.radians(lat0))
    # junction (i, j) is node i * side + j + 1: row i runs west-east, column j south-north
    offset = (np.arange(side) - (side - 1) / 2) * spacing_m
    jitter = rng.uniform(-0.25, 0.25, (2, side, side)) * spacing_m
    x_m = offset[None, :] + jitter[0]
    y_m = offset[:, None] + jitter[1]
    lon = [lon0 + x_m.ravel() / m_per_deg_lon]
    lat = [lat0 + y_m.ravel() / M_PER_DEG]
    next_id = side * side + 1
    classes = [_line_class(k) for k in range(side)]
    ways: list[tuple[list[int], dict[str, str]]] = []
    used = np.zeros(side * side + 1, bool)
    oneways = missing = 0
    for horizontal in (True, False):
        for line in range(side):
            cls = classes[line]
            for step in range(side - 1):
                i, j = (line, step) if horizontal else (step, line)
                a, b = (i, j), ((i, j + 1) if horizontal else (i + 1, j))
                if cls == "local" and rng.random() < MISSING_LOCAL:
                    missing += 1
                    continue
                tags = _tags(cls, rng)
                shapes = int(rng.integers(1, 4) if cls != "local" else rng.integers(0, 3))
                ax, ay, bx, by = x_m[a], y_m[a], x_m[b], y_m[b]
                t = np.arange(1, shapes + 1) / (shapes + 1)
                side_off = rng.uniform(-0.08, 0.08, shapes) * spacing_m
                length = math.hypot(bx - ax, by - ay)
                sx = ax + t * (bx - ax) - side_off * (by - ay) / length
                sy = ay + t * (by - ay) + side_off * (bx - ax) / length
                lon.append(lon0 + sx / m_per_deg_lon)
                lat.append(lat0 + sy / M_PER_DEG)
                ref_a, ref_b = a[0] * side + a[1] + 1, b[0] * side + b[1] + 1
                refs = [ref_a, *range(next_id, next_id + shapes), ref_b]
                next_id += shapes
                used[[ref_a, ref_b]] = True
                if cls == "local" and rng.random() < ONEWAY_LOCAL:
                    tags["oneway"] = "yes"
                    oneways += 1
                    if rng.random() < 0.5:
                        refs.reverse()
                ways.append((refs, tags))
    lon_all, lat_all = np.concatenate(lon), np.concatenate(lat)
    major = np.array([c in ("primary", "secondary") for c in classes])
    arterial = np.array([c != "local" for c in classes])
    cross = major[:, None] & major[None, :]
    on_arterial = arterial[:, None] | arterial[None, :]
    draw = rng.random((side, side))
    signal = (cross & (draw < 0.5)) | (on_arterial & ~cross & (draw < 0.01))
    signal_ids = set((np.flatnonzero(signal.ravel()) + 1).tolist()) & set(np.flatnonzero(used).tolist())

    generator = (f"mormal benchmarks/road_grid.py: {LABEL} (seed {seed}, {side}x{side} junctions, "
                 f"{spacing_m:g} m apart, centre {lat0:g}N {lon0:g}E)")
    header = osmium.io.Header()
    header.set("generator", generator)
    header.add_box(osmium.osm.Box(osmium.osm.Location(float(lon_all.min()), float(lat_all.min())),
                                  osmium.osm.Location(float(lon_all.max()), float(lat_all.max()))))
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with osmium.SimpleWriter(str(path), header=header, overwrite=True) as writer:
        for ref in range(1, next_id):
            if ref <= side * side and not used[ref]:
                continue  # a junction all of whose links are missing
            tags = {"highway": "traffic_signals"} if ref in signal_ids else {}
            writer.add_node(osmium.osm.mutable.Node(
                id=ref, location=(float(lon_all[ref - 1]), float(lat_all[ref - 1])), tags=tags))
            written += 1
        for way_id, (refs, tags) in enumerate(ways, start=1):
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))
    if path.suffix == ".osm":  # XML: say it in a comment too
        text = path.read_text(encoding="utf-8")
        head, rest = text.split("\n", 1)
        path.write_text(f"{head}\n<!-- {generator} -->\n{rest}", encoding="utf-8")
    return GridSummary(path, side, written, len(ways), oneways, missing, len(signal_ids), generator)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output .osm.pbf or .osm file")
    parser.add_argument("--nodes", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    summary = write_road_grid(args.out, nodes=args.nodes, seed=args.seed)
    print(f"{summary.path}: {summary.nodes:,} nodes, {summary.ways:,} ways ({summary.oneways:,} one-way), "
          f"{summary.missing_links:,} missing links, {summary.signals:,} signals\n{summary.generator}")


if __name__ == "__main__":
    main()
