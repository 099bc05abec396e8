"""A SYNTHETIC region-sized road grid (not OpenStreetMap data) for the road-matrix benchmarks.

    python benchmarks/road_grid.py OUT.osm.pbf [--nodes 500000] [--seed 1]

No real OSM extract of the Grand Hainaut ships on PyPI, so the region-sized benchmark
(``benchmarks/matrix_region.py``) runs on this generated one, centred on the Pays de Mormal
(50.2 N, 3.7 E), written as OSM (``.osm.pbf`` or ``.osm`` XML, by pyosmium) so that both the
product's loader and ``osrm-extract`` read it. It is deterministic for a given seed.

It is a lattice (60 m step, every point moved by up to 30% of it), but not a uniform one:

* a rural mesh every 20th row and column (1.2 km): ``tertiary``/``unclassified`` without
  maxspeed, ``secondary`` every 60th (70 or 80), ``primary`` every 180th (80); 10% of its
  1.2 km stretches missing;
* villages and towns (discs of 240 m-2.7 km covering a fifth of the area) where every other
  row and column is a street (``residential`` 50, 30 or untagged, some ``living_street`` and
  ``unclassified``), 8% of street links missing and 6% of streets one-way either way; the
  mesh keeps maxspeed 50 through them;
* ``highway=traffic_signals`` on half the crossings of a main road in a village and 3% of
  the other village junctions on the mesh;
* points between junctions are the ways' shape nodes, as in OSM.

Lattices are a hard case for OSRM's contraction hierarchies: ``osrm-contract`` took 498 s
on a 20,000-node uniform lattice (through streets on every line; 15 edges per node in the
contracted graph) and still 187 s on this one at 20,000 nodes (56 s of CPU on a loaded
machine), against 0.5 s for Monaco. Its multi-level Dijkstra (MLD, what docker-compose runs)
prepares it in seconds. Real road networks are less regular; this is a stand-in.

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
#: Lattice step, metres (each point moved by up to 30% of it).
SPACING_M = 60.0
#: Rural roads every RURAL steps (1.2 km), secondary every 3 x that, primary every 9 x.
RURAL = 20
#: Share of the area covered by villages and towns (residential streets).
BUILT_UP = 0.2
MISSING_STREET_LINK = 0.08
MISSING_RURAL_STRETCH = 0.10
ONEWAY_STREET = 0.06
LABEL = "SYNTHETIC road grid, not OpenStreetMap data"


@dataclass(frozen=True)
class GridSummary:
    """What :func:`write_road_grid` wrote (counts of OSM objects)."""

    path: Path
    side: int  # lattice points per row and per column
    nodes: int  # lattice points used by a way
    ways: int
    oneways: int
    villages: int
    signals: int
    generator: str


def _line_class(k: int) -> str:
    """Road class of row or column ``k``: the rural mesh, or ``local`` (streets in villages)."""
    if k % (9 * RURAL) == 9 * RURAL // 2:
        return "primary"
    if k % (3 * RURAL) == 3 * RURAL // 2:
        return "secondary"
    if k % RURAL == RURAL // 2:
        return "rural"
    return "local"


def _built_up(side: int, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """Village/town mask over the lattice (discs of random radius) and how many there are."""
    mask = np.zeros((side, side), bool)
    towns = max(1, round(side * side / 150 ** 2))
    town_r = rng.uniform(25, 45, towns)
    left = BUILT_UP * side * side - float((np.pi * town_r ** 2).sum())
    villages = max(1, round(left / (np.pi * 89.3)))  # radius uniform in 4-14: mean r^2 = 89.3
    radii = np.concatenate((town_r, rng.uniform(4, 14, villages)))
    centres = rng.integers(0, side, (len(radii), 2))
    for (ci, cj), r in zip(centres, radii, strict=True):
        rr = int(math.ceil(r))
        i0, i1, j0, j1 = max(0, ci - rr), min(side, ci + rr + 1), max(0, cj - rr), min(side, cj + rr + 1)
        di, dj = np.ogrid[i0 - ci:i1 - ci, j0 - cj:j1 - cj]
        mask[i0:i1, j0:j1] |= di * di + dj * dj <= r * r
    return mask, len(radii)


def _density(side: int, built: np.ndarray) -> float:
    """Share of lattice points a way will use (before missing links)."""
    lines = np.array([_line_class(k) != "local" for k in range(side)])
    even = np.arange(side) % 2 == 0
    used = lines[:, None] | lines[None, :] | (built & (even[:, None] | even[None, :]))
    return float(used.mean())


def _street_tags(rng: np.random.Generator) -> dict[str, str]:
    if rng.random() < 0.8:
        speed = rng.choice(["50", "30", ""], p=[0.5, 0.2, 0.3])
        return {"highway": "residential", **({"maxspeed": str(speed)} if speed else {})}
    return {"highway": "living_street"} if rng.random() < 0.2 else {"highway": "unclassified"}


def _road_tags(cls: str, in_village: bool, rng: np.random.Generator) -> dict[str, str]:
    """Tags of a stretch of the rural mesh; 50 km/h through a village."""
    highway = {"rural": str(rng.choice(["tertiary", "unclassified"])), "secondary": "secondary",
               "primary": "primary"}[cls]
    if in_village:
        return {"highway": highway, "maxspeed": "50"}
    speed = {"primary": "80", "secondary": str(rng.choice(["80", "70"])), "rural": ""}[cls]
    return {"highway": highway, **({"maxspeed": speed} if speed else {})}


def write_road_grid(path: str | Path, *, nodes: int = 500_000, seed: int = 1,
                    centre: tuple[float, float] = CENTRE, spacing_m: float = SPACING_M) -> GridSummary:
    """Write a synthetic road grid of about ``nodes`` nodes to ``path`` (``.osm.pbf`` or ``.osm``).

    A perturbed square lattice, ``spacing_m`` apart: a rural mesh of roads every
    :data:`RURAL` rows and columns (primary, secondary, tertiary/unclassified; 10% of rural
    stretches missing), and villages and towns (discs covering :data:`BUILT_UP` of the area)
    where every other row and column is a residential street (8% of links missing, 6% of
    streets one-way, random direction). Roads keep ``maxspeed`` 50 through villages, and
    crossings of main roads in villages get traffic signals. Points between junctions are the
    ways' shape nodes, as in OSM.

    Parameters
    ----------
    path
        Output file; its suffix chooses the format (pyosmium). Overwritten if present.
    nodes
        Target node count; the result is within a few percent.
    seed
        Seed of every random choice: the same seed writes the same file.
    centre
        ``(lon, lat)`` of the grid's centre, degrees.
    spacing_m
        Lattice step, metres.

    Raises
    ------
    ValueError
        If ``nodes`` is below 1,000.
    """
    if nodes < 1000:
        raise ValueError(f"a road grid needs at least 1,000 nodes, got {nodes}")
    path = Path(path)
    side = max(3 * RURAL, int(math.sqrt(nodes / 0.25)))
    for _ in range(2):  # the density depends a little on the size: settle it
        built, _ = _built_up(side, np.random.default_rng(seed))
        side = max(3 * RURAL, round(math.sqrt(nodes / _density(side, built))))
    rng = np.random.default_rng(seed)
    built, villages = _built_up(side, rng)
    lon0, lat0 = centre
    m_per_deg_lon = M_PER_DEG * math.cos(math.radians(lat0))
    offset = (np.arange(side) - (side - 1) / 2) * spacing_m
    jitter = rng.uniform(-0.3, 0.3, (2, side, side)) * spacing_m
    lon = lon0 + (offset[None, :] + jitter[0]).ravel() / m_per_deg_lon
    lat = lat0 + (offset[:, None] + jitter[1]).ravel() / M_PER_DEG
    classes = [_line_class(k) for k in range(side)]
    ways: list[tuple[np.ndarray, dict[str, str]]] = []
    used = np.zeros(side * side, bool)
    oneways = 0
    for horizontal in (True, False):
        for k in range(side):
            cls = classes[k]
            # point p of this line is lattice id base + p * stride (ids start at 1 in the file)
            base, stride = (k * side, 1) if horizontal else (k, side)
            village = built[k, :] if horizontal else built[:, k]
            link_village = village[:-1] & village[1:]
            if cls == "local":
                if k % 2:
                    continue
                exists = link_village & (rng.random(side - 1) >= MISSING_STREET_LINK)
            else:
                stretch_missing = rng.random((side - 2) // RURAL + 1) < MISSING_RURAL_STRETCH
                exists = link_village | ~stretch_missing[np.arange(side - 1) // RURAL]
            # cut the line into ways: where a link is missing, where a village starts or
            # ends, and every few links (streets 3-10 links, roads 40)
            cut = np.ones(side - 1, bool)
            cut[1:] = (link_village[1:] != link_village[:-1]) | ~exists[:-1]
            lengths = rng.integers(3, 11, side) if cls == "local" else np.full(side, 40)
            start = 0
            for p in range(side - 1):
                if not exists[p]:
                    start = p + 1
                    continue
                end = p + 1  # the way runs over links start..p
                if p + 1 < side - 1 and exists[p + 1] and not cut[p + 1] and end - start < lengths[start]:
                    continue
                refs = base + np.arange(start, end + 1) * stride
                used[refs] = True
                if cls == "local":
                    tags = _street_tags(rng)
                    if rng.random() < ONEWAY_STREET:
                        tags["oneway"] = "yes"
                        oneways += 1
                        if rng.random() < 0.5:
                            refs = refs[::-1]
                else:
                    tags = _road_tags(cls, bool(link_village[start]), rng)
                ways.append((refs + 1, tags))
                start = p + 1
    main_line = np.array([c in ("primary", "secondary") for c in classes])
    road_line = np.array([c != "local" for c in classes])
    draw = rng.random((side, side))
    signal = built & used.reshape(side, side) & (
        (main_line[:, None] & road_line[None, :] & (draw < 0.5))
        | (road_line[:, None] & main_line[None, :] & (draw < 0.5))
        | ((road_line[:, None] | road_line[None, :]) & (draw < 0.03)))

    generator = (f"mormal benchmarks/road_grid.py: {LABEL} (seed {seed}, {side}x{side} lattice, "
                 f"{spacing_m:g} m step, {villages} villages and towns, centre {lat0:g}N {lon0:g}E)")
    header = osmium.io.Header()
    header.set("generator", generator)
    header.add_box(osmium.osm.Box(osmium.osm.Location(float(lon.min()), float(lat.min())),
                                  osmium.osm.Location(float(lon.max()), float(lat.max()))))
    path.parent.mkdir(parents=True, exist_ok=True)
    signal_flat = signal.ravel()
    with osmium.SimpleWriter(str(path), header=header, overwrite=True) as writer:
        for p in np.flatnonzero(used).tolist():
            tags = {"highway": "traffic_signals"} if signal_flat[p] else {}
            writer.add_node(osmium.osm.mutable.Node(id=p + 1, location=(float(lon[p]), float(lat[p])), tags=tags))
        for way_id, (refs, tags) in enumerate(ways, start=1):
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs.tolist(), tags=tags))
    if path.suffix == ".osm":  # XML: say it in a comment too
        text = path.read_text(encoding="utf-8")
        head, rest = text.split("\n", 1)
        path.write_text(f"{head}\n<!-- {generator} -->\n{rest}", encoding="utf-8")
    return GridSummary(path, side, int(used.sum()), len(ways), oneways, villages,
                       int(signal_flat.sum()), generator)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output .osm.pbf or .osm file")
    parser.add_argument("--nodes", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    summary = write_road_grid(args.out, nodes=args.nodes, seed=args.seed)
    print(f"{summary.path}: {summary.nodes:,} nodes, {summary.ways:,} ways ({summary.oneways:,} one-way), "
          f"{summary.villages:,} villages and towns, {summary.signals:,} signals\n{summary.generator}")


if __name__ == "__main__":
    main()
