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
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from delivery.routing.osrm_binary import FlatBufferError, read_error, read_table
from delivery.routing.problem import UNREACHABLE

#: The server's ``--max-table-size`` (docker-compose starts osrm-routed with 10 000). OSRM
#: refuses a /table whose sources x destinations exceed its square, and sizes its request
#: buffer for about that many coordinates (48 bytes each), so no request carries more points.
MAX_TABLE_SIZE = 10_000
#: Matrix cells (sources x destinations) per /table answer: bounds the JSON the client holds
#: at once (two numbers per cell) while 2,000 points still go in 2 requests of 1,000 x 2,000.
TABLE_CELLS = 2_000_000
#: /table requests in flight at once: osrm-routed answers ``--threads`` (2 by default) at a time.
PARALLEL_REQUESTS = 2


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


def _table_request(n: int, sources: Sequence[int], targets: Sequence[int]) -> tuple[list[int], str] | None:
    """Points to send (indices into the ``n`` points) and the /table query for that block.

    ``None`` when the block is one point to itself (OSRM wants two points).
    """
    if len(targets) == n and list(targets) == list(range(n)):  # every point is a destination
        return list(range(n)), "annotations=duration,distance&sources=" + ";".join(map(str, sources))
    chosen = sorted(set(sources) | set(targets))
    if len(chosen) < 2:
        return None
    at = {p: k for k, p in enumerate(chosen)}
    return chosen, ("annotations=duration,distance&sources=" + ";".join(str(at[p]) for p in sources)
                    + "&destinations=" + ";".join(str(at[p]) for p in targets))


def _explain(body: bytes) -> str:
    """OSRM's reason for a refusal, from its JSON or binary body."""
    if not body.lstrip().startswith(b"{"):
        try:
            refused = read_error(body)
        except FlatBufferError:
            refused = None
        if refused is not None:
            return f"{refused[0]} {refused[1]}".strip()
    return body.decode("utf-8", "replace")[:300]


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
    parallel_requests
        /table requests in flight at once (:data:`PARALLEL_REQUESTS`); ``osrm-routed`` answers
        as many at a time as its ``--threads`` (2 by default).
    binary
        Ask /table in OSRM's binary FlatBuffers output (:mod:`delivery.routing.osrm_binary`)
        rather than JSON: the same figures, less for the server to write and nothing to parse.
    """

    def __init__(self, base_url: str, *, profile: str = "driving", timeout_s: float = 60.0,
                 max_table_size: int = MAX_TABLE_SIZE, table_cells: int = TABLE_CELLS,
                 parallel_requests: int = PARALLEL_REQUESTS, binary: bool = True) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"OSRM URL must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.timeout_s = float(timeout_s)
        self.max_table_size = max(2, int(max_table_size))
        self.table_cells = max(1, int(table_cells))
        self.parallel_requests = max(1, int(parallel_requests))
        self.binary = bool(binary)
        self.label = f"réseau routier OpenStreetMap (serveur OSRM {self.base_url})"

    # ------------------------------------------------------------------------ http
    def _fetch(self, service: str, points: Sequence[tuple[float, float]], query: str, suffix: str = "") -> bytes:
        """The raw answer of one request (``suffix``: ``.flatbuffers`` for the binary output)."""
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lon, lat in points)
        url = f"{self.base_url}/{service}/v1/{self.profile}/{coords}{suffix}?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as response:  # noqa: S310 - configured URL
                return response.read()
        except urllib.error.HTTPError as exc:  # OSRM explains refusals in its body
            raise OsrmError(f"OSRM {service} refused the request ({exc.code}): {_explain(exc.read())}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OsrmError(f"OSRM server {self.base_url} unreachable: {exc}") from exc

    def _get(self, service: str, points: Sequence[tuple[float, float]], query: str) -> dict:
        data = json.loads(self._fetch(service, points, query))
        if data.get("code") != "Ok":
            raise OsrmError(f"OSRM {service}: {data.get('code')} {data.get('message', '')}".strip())
        return data

    # -------------------------------------------------------------------- matrices
    def matrices(self, points: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
        """Integer ``(durations_s, distances_m)`` between ``(lon, lat)`` points (OSRM /table).

        Seconds are rounded up, metres to nearest; a pair OSRM finds no route for gets
        :data:`~delivery.routing.problem.UNREACHABLE` in both. The blocks of the matrix go
        ``parallel_requests`` at a time; each lands in its own rows and columns.

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
        blocks = [(range(a, min(n, a + per_source)), range(b, min(n, b + per_destination)))
                  for b in range(0, n, per_destination) for a in range(0, n, per_source)]

        def fill(block: tuple[range, range], answer: tuple[np.ndarray, np.ndarray] | None) -> None:
            if answer is None:  # a point to itself alone: the diagonal, filled after
                return
            sources, targets = block
            d, m = answer  # float seconds and metres, nan where OSRM finds no route
            none = np.isnan(d) | np.isnan(m)
            rows, cols = slice(sources.start, sources.stop), slice(targets.start, targets.stop)
            durations[rows, cols] = np.where(none, UNREACHABLE, np.ceil(np.nan_to_num(d)))
            distances[rows, cols] = np.where(none, UNREACHABLE, np.rint(np.nan_to_num(m)))

        workers = min(self.parallel_requests, len(blocks))
        if workers == 1:
            for block in blocks:
                fill(block, self._table_block(points, *block))
        else:
            pool = ThreadPoolExecutor(workers, thread_name_prefix="osrm-table")
            try:  # map() hands the answers back in the order of the blocks
                for block, answer in zip(blocks, pool.map(lambda blk: self._table_block(points, *blk), blocks), strict=True):
                    fill(block, answer)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        np.fill_diagonal(durations, 0)
        np.fill_diagonal(distances, 0)
        return durations, distances

    def _table_block(self, points: Sequence[tuple[float, float]], sources: Sequence[int],
                     targets: Sequence[int]) -> tuple[np.ndarray, np.ndarray] | None:
        """Float ``(durations_s, distances_m)`` from ``sources`` to ``targets`` (nan: no route).

        ``None`` when the block is a point to itself alone.
        """
        request = _table_request(len(points), sources, targets)
        if request is None:
            return None
        chosen, query = request
        located = [points[p] for p in chosen]
        if not self.binary:
            data = self._get("table", located, query)
            return (np.array(data["durations"], dtype=float),  # OSRM's null (no route) -> nan
                    np.array(data["distances"], dtype=float))
        body = self._fetch("table", located, query, ".flatbuffers")
        try:
            refused = read_error(body)
            if refused is not None:
                raise OsrmError(f"OSRM table: {refused[0]} {refused[1]}".strip())
            d, m = read_table(body, len(sources), len(targets))
        except FlatBufferError as exc:
            raise OsrmError(f"OSRM table: {exc}") from exc
        # The binary output writes 0 for "no route" as for "same place": ask JSON (null or 0)
        # for those cells off the diagonal, a request of their rows and columns only.
        src, dst = np.asarray(sources), np.asarray(targets)
        rows, cols = np.nonzero((d == 0) & (src[:, None] != dst[None, :]))
        if len(rows):
            again_src, again_dst = np.unique(src[rows]), np.unique(dst[cols])
            answer = self._table_json(points, again_src.tolist(), again_dst.tolist())
            at_row, at_col = np.searchsorted(again_src, src[rows]), np.searchsorted(again_dst, dst[cols])
            d[rows, cols] = answer[0][at_row, at_col]
            m[rows, cols] = answer[1][at_row, at_col]
        return d, m

    def _table_json(self, points: Sequence[tuple[float, float]], sources: list[int],
                    targets: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The JSON answer for ``sources`` x ``targets`` (at least two points between them)."""
        chosen, query = _table_request(len(points), sources, targets) or ([], "")
        data = self._get("table", [points[p] for p in chosen], query)
        return np.array(data["durations"], dtype=float), np.array(data["distances"], dtype=float)

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
