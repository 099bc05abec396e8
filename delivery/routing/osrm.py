"""Travel times from an OSRM server (``ROUTING_ENGINE=osrm``): matrices from /table, lines from /route.

For a region-sized road graph (the whole Grand Hainaut, thousands of stops) an existing engine
with contraction hierarchies or multi-level Dijkstra answers matrices far faster than our
per-source Dijkstra (:mod:`delivery.routing.network`, which stays the embedded default). This
adapter speaks OSRM's HTTP API (v5) with the standard library only; it never imports Django.

    travel = OsrmTravel("http://osrm:5000")
    durations_s, distances_m = travel.matrices([(3.79, 50.30), (3.67, 50.21)])
    line = travel.path_geometry([(3.79, 50.30), (3.67, 50.21)])   # [(lon, lat), ...]
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence

import numpy as np

from delivery.routing.problem import UNREACHABLE

#: The server's ``--max-table-size`` (docker-compose starts osrm-routed with 10 000). OSRM
#: refuses a /table whose sources x destinations exceed its square, and sizes its request
#: buffer for about that many coordinates (48 bytes each), so no request carries more points.
MAX_TABLE_SIZE = 10_000
#: Matrix cells (sources x destinations) per /table answer: bounds the JSON the client holds
#: at once (two numbers per cell) while 2,000 points still go in 2 requests of 1,000 x 2,000.
TABLE_CELLS = 2_000_000


def table_blocks(n: int, max_table_size: int = MAX_TABLE_SIZE,
                 cells: int = TABLE_CELLS) -> tuple[int, int]:
    """``(sources, destinations)`` per /table request for ``n`` points.

    Every source's row goes whole in one request when the server takes all ``n`` points:
    OSRM's many-to-many searches once from each destination (its buckets) and once from each
    source per request, so one request per block of sources with *every* destination searches
    far less than square blocks do. The block is as large as ``cells`` allows. Beyond the
    server's size the destinations are split as well, sources and destinations sharing its
    ``max_table_size`` points.
    """
    n, limit, cells = max(1, n), max(2, max_table_size), max(1, cells)
    if n <= limit:
        destinations = n
        room = n
    else:
        destinations = limit // 2
        room = limit - destinations
    sources = max(1, min(room, cells // destinations, limit * limit // destinations))
    return sources, destinations


class OsrmError(ValueError):
    """The OSRM server could not be reached or refused a request (its message is kept).

    A ``ValueError`` like every planning input problem, so the day planner reports it on the
    day (and draws straight lines when only a route line is missing) instead of crashing.
    """


class OsrmTravel:
    """Integer travel matrices and route lines from an OSRM server.

    Parameters
    ----------
    base_url
        Server root, e.g. ``http://osrm:5000``.
    profile
        OSRM profile segment of the URL (``driving`` for the car profile).
    timeout_s
        Seconds allowed per HTTP request.
    max_table_size
        The server's ``--max-table-size`` (:data:`MAX_TABLE_SIZE`).
    table_cells
        Matrix cells per /table answer (:data:`TABLE_CELLS`); see :func:`table_blocks`.
    """

    def __init__(self, base_url: str, *, profile: str = "driving", timeout_s: float = 60.0,
                 max_table_size: int = MAX_TABLE_SIZE, table_cells: int = TABLE_CELLS) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"OSRM URL must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.timeout_s = float(timeout_s)
        self.max_table_size = max(2, int(max_table_size))
        self.table_cells = max(1, int(table_cells))
        self.label = f"réseau routier OpenStreetMap (serveur OSRM {self.base_url})"

    # ------------------------------------------------------------------------ http
    def _get(self, service: str, points: Sequence[tuple[float, float]], query: str) -> dict:
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lon, lat in points)
        url = f"{self.base_url}/{service}/v1/{self.profile}/{coords}?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as response:  # noqa: S310 - configured URL
                data = json.loads(response.read())
        except urllib.error.HTTPError as exc:  # OSRM explains refusals in its JSON body
            body = exc.read().decode("utf-8", "replace")
            raise OsrmError(f"OSRM {service} refused the request ({exc.code}): {body[:300]}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OsrmError(f"OSRM server {self.base_url} unreachable: {exc}") from exc
        if data.get("code") != "Ok":
            raise OsrmError(f"OSRM {service}: {data.get('code')} {data.get('message', '')}".strip())
        return data

    # -------------------------------------------------------------------- matrices
    def matrices(self, points: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
        """Integer ``(durations_s, distances_m)`` between ``(lon, lat)`` points (OSRM /table).

        Seconds are rounded up, metres to nearest; a pair OSRM finds no route for gets
        :data:`~delivery.routing.problem.UNREACHABLE` in both.

        Raises
        ------
        OsrmError
            When the server is unreachable or refuses the request.
        """
        n = len(points)
        durations = np.zeros((n, n), np.int64)
        distances = np.zeros((n, n), np.int64)
        if n < 2:  # one point alone: zero to itself (OSRM wants two)
            return durations, distances
        per_source, per_destination = table_blocks(n, self.max_table_size, self.table_cells)
        for b in range(0, n, per_destination):
            targets = range(b, min(n, b + per_destination))
            for a in range(0, n, per_source):
                sources = range(a, min(n, a + per_source))
                self._table_block(points, sources, targets, durations, distances)
        np.fill_diagonal(durations, 0)
        np.fill_diagonal(distances, 0)
        return durations, distances

    def _table_block(self, points: Sequence[tuple[float, float]], sources: range, targets: range,
                     durations: np.ndarray, distances: np.ndarray) -> None:
        """One /table request: the rows ``sources``, columns ``targets`` of both matrices."""
        if targets.start == 0 and targets.stop == len(points):  # every point is a destination
            chosen = list(targets)
            query = "annotations=duration,distance&sources=" + ";".join(map(str, sources))
        else:
            chosen = sorted(set(sources) | set(targets))
            if len(chosen) < 2:  # a point to itself alone: the diagonal, filled after
                return
            at = {p: k for k, p in enumerate(chosen)}
            query = ("annotations=duration,distance&sources=" + ";".join(str(at[p]) for p in sources)
                     + "&destinations=" + ";".join(str(at[p]) for p in targets))
        data = self._get("table", [points[p] for p in chosen], query)
        d = np.array(data["durations"], dtype=float)  # OSRM's null (no route) -> nan
        m = np.array(data["distances"], dtype=float)
        none = np.isnan(d) | np.isnan(m)
        rows, cols = slice(sources.start, sources.stop), slice(targets.start, targets.stop)
        durations[rows, cols] = np.where(none, UNREACHABLE, np.ceil(np.nan_to_num(d)))
        distances[rows, cols] = np.where(none, UNREACHABLE, np.rint(np.nan_to_num(m)))

    # -------------------------------------------------------------------- geometry
    def path_geometry(self, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        """The road line through ``points`` in order, as ``(lon, lat)`` (OSRM /route).

        Raises
        ------
        OsrmError
            When the server is unreachable or finds no route.
        """
        if len(points) < 2:
            return [tuple(p) for p in points]  # type: ignore[misc]
        data = self._get("route", points, "overview=full&geometries=geojson&steps=false")
        return [(float(x), float(y)) for x, y in data["routes"][0]["geometry"]["coordinates"]]
