"""The 52 communes' boundaries, the one place that reads the bundled commune geometry.

Pure Python (no Django): the printed sheet's map, the phone's map and the staff planning map
all draw the communes from here. The geometry is shipped in the repository
(``marketplace/territory/data/ccpm_communes.geojson``, origin and licence in ``SOURCES.md``
beside it) and rebuilt by ``manage.py build_commune_map SOURCE`` with :func:`build_layer`.

Coordinates are WGS 84 degrees, ``(lon, lat)`` as in GeoJSON.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "marketplace" / "territory" / "data"
GEOJSON_FILE = DATA_DIR / "ccpm_communes.geojson"
COMMUNES_CSV = DATA_DIR / "ccpm_communes.csv"

#: Communes nouvelles whose source file still has the former communes: code -> former codes.
#: Orée de Mormal (59006) is Amfroipret (59006) and Bermeries (59070) merged on 1 January 2019.
MERGED_SINCE_SOURCE: dict[str, tuple[str, ...]] = {"59006": ("59006", "59070")}

#: Default simplification tolerance for :func:`build_layer`, in metres.
SIMPLIFY_M = 25.0

Ring = tuple[tuple[float, float], ...]
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class CommuneShape:
    """One commune's outline as drawn on the maps.

    Attributes
    ----------
    insee
        The INSEE code, e.g. ``"59481"``.
    name
        The commune's name as in ``ccpm_communes.csv`` (with its article: "Le Quesnoy").
    polygons
        Outer rings, ``(lon, lat)`` degrees, closed (first point == last point); holes are
        left out (none of the 52 communes has one that matters at map scale).
    label_at
        ``(lon, lat)`` of the label: the centre of the largest circle inside the outline.
    bbox
        ``(min_lon, min_lat, max_lon, max_lat)``.
    """

    insee: str
    name: str
    polygons: tuple[Ring, ...]
    label_at: tuple[float, float]
    bbox: BBox


def _feature_shape(feature: Mapping[str, Any]) -> CommuneShape:
    geometry = feature["geometry"]
    parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    rings = tuple(tuple((float(x), float(y)) for x, y in part[0]) for part in parts)
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    props = feature["properties"]
    return CommuneShape(insee=str(props["insee"]), name=str(props["nom"]), polygons=rings,
                        label_at=(float(props["label"][0]), float(props["label"][1])),
                        bbox=(min(xs), min(ys), max(xs), max(ys)))


def load_geojson(path: Path = GEOJSON_FILE) -> dict[str, Any]:
    """The bundled FeatureCollection as plain JSON (what the planning map is served)."""
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def communes(path: Path = GEOJSON_FILE) -> tuple[CommuneShape, ...]:
    """Every commune of the bundled file, in file order (by INSEE code); read once per process."""
    return tuple(_feature_shape(f) for f in load_geojson(path)["features"])


def communes_in_box(bbox: BBox, *, path: Path = GEOJSON_FILE) -> list[CommuneShape]:
    """The communes whose outline's bounding box meets ``bbox``.

    Parameters
    ----------
    bbox
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees.

    Raises
    ------
    ValueError
        If the box is inverted (a minimum above its maximum).
    """
    x0, y0, x1, y1 = bbox
    if x0 > x1 or y0 > y1:
        raise ValueError(f"The box {bbox} is inverted: expected (min_lon, min_lat, max_lon, max_lat).")
    return [c for c in communes(path)
            if c.bbox[0] <= x1 and c.bbox[2] >= x0 and c.bbox[1] <= y1 and c.bbox[3] >= y0
            and any(_ring_meets_box(ring, bbox) for ring in c.polygons)]


def _ring_meets_box(ring: Ring, bbox: BBox) -> bool:
    """Whether a ring has a vertex in the box, contains the box's centre or crosses its edges."""
    x0, y0, x1, y1 = bbox
    if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in ring):
        return True
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if any(point_in_ring(corner, ring) for corner in corners):
        return True
    box_edges = list(zip(corners, corners[1:] + corners[:1], strict=True))
    return any(_segments_cross(a, b, c, d) for a, b in zip(ring, ring[1:], strict=False) for c, d in box_edges)


def _segments_cross(a, b, c, d) -> bool:
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def point_in_ring(point: tuple[float, float], ring: Sequence[tuple[float, float]]) -> bool:
    """Ray casting: whether ``(lon, lat)`` lies inside the closed ``ring``."""
    x, y = point
    inside = False
    for (xa, ya), (xb, yb) in zip(ring, ring[1:], strict=False):
        if (ya > y) != (yb > y) and x < xa + (y - ya) * (xb - xa) / (yb - ya):
            inside = not inside
    return inside


# -- rebuilding the bundled file -------------------------------------------------------------------

def csv_communes(path: Path = COMMUNES_CSV) -> list[dict[str, str]]:
    """The rows of ``ccpm_communes.csv`` (INSEE code, name, town hall...)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def build_layer(source: Mapping[str, Any], rows: Iterable[Mapping[str, str]], *,
                tolerance_m: float = SIMPLIFY_M) -> dict[str, Any]:
    """Cut the communes of ``rows`` out of a GeoJSON of French communes and simplify them.

    Parameters
    ----------
    source
        A FeatureCollection whose features carry ``properties.code`` (INSEE code) and
        ``properties.nom``, e.g. france-geojson's ``communes-59-nord.geojson``.
    rows
        The communes to keep (``insee`` and ``nom`` columns of ``ccpm_communes.csv``); their
        names replace the source's (which drops the article: "Quesnoy" for "Le Quesnoy").
    tolerance_m
        Simplification tolerance in metres (shared borders are simplified once, so
        neighbours still meet: :func:`shapely.coverage_simplify`).

    Returns
    -------
    dict
        A FeatureCollection sorted by INSEE code, coordinates rounded to 1e-5 degree (about
        1 m), each feature with ``insee``, ``nom`` and ``label`` (the centre of the largest
        circle inside the outline, where the name fits best).

    Raises
    ------
    ValueError
        If a commune of ``rows`` is not in ``source``, or an outline comes out invalid.
    """
    import shapely
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    by_code = {str(f["properties"]["code"]): f for f in source["features"]}
    rows = sorted(rows, key=lambda r: r["insee"])
    geoms = []
    for row in rows:
        parts = MERGED_SINCE_SOURCE.get(row["insee"], (row["insee"],))
        missing = [code for code in parts if code not in by_code]
        if missing:
            raise ValueError(f"Commune {row['insee']} ({row['nom']}) is not in the source file (missing {missing}).")
        geoms.append(unary_union([shape(by_code[code]["geometry"]).buffer(0) for code in parts]))
    lat0 = sum(g.centroid.y for g in geoms) / len(geoms)
    to_m = (111_320.0 * math.cos(math.radians(lat0)), 110_574.0)  # metres per degree, lon and lat

    metric = [shapely.transform(g, lambda xy: xy * to_m) for g in geoms]
    simple = shapely.coverage_simplify(metric, tolerance_m, simplify_boundary=True)
    features = []
    for row, geom_m in zip(rows, simple, strict=True):
        polygons = list(getattr(geom_m, "geoms", [geom_m]))
        biggest = max(polygons, key=lambda p: p.area)
        centre = shapely.maximum_inscribed_circle(biggest, tolerance=10.0).coords[0]
        label = (centre[0] / to_m[0], centre[1] / to_m[1])
        geom = shapely.set_precision(shapely.transform(geom_m, lambda xy: xy / to_m), 1e-5)
        if not geom.is_valid or geom.is_empty:
            raise ValueError(f"Commune {row['insee']} ({row['nom']}) is invalid after simplification.")
        features.append({"type": "Feature",
                         "properties": {"insee": row["insee"], "nom": row["nom"],
                                        "label": [round(label[0], 5), round(label[1], 5)]},
                         "geometry": _rounded(mapping(geom))})
    return {"type": "FeatureCollection", "features": features}


def _rounded(value: Any) -> Any:
    """Coordinates rounded to 5 decimals, tuples turned into lists (GeoJSON as text)."""
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def write_layer(layer: Mapping[str, Any], path: Path = GEOJSON_FILE) -> None:
    """Write the layer compactly (one feature per line, so diffs stay readable)."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in layer["features"]]
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
