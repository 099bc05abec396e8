"""Fast many-to-many fastest paths on a directed road graph given as integer node rows.

Pure numpy/scipy (no osmnx): :mod:`delivery.routing.network` builds one :class:`PackedGraph`
per road graph and asks it for matrices.

Two ideas make it fast and exact:

* **Packed weights.** Each edge weight is ``time_ds * 2**bits + length`` (time in 0.1 s,
  length in 0.1 m or a coarser power-of-two quantum), a float64 integer below ``2**53``.
  Sums stay exact, so one Dijkstra run gives the fastest time and, as tie-break and payload,
  the length of that very path.
* **Chain contraction.** OSM graphs are mostly degree-2 vertices along roads. They are
  contracted once into a core of junctions; for a query only the nodes asked for are put
  back on their chains, so Dijkstra runs on a graph several times smaller.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from typing import cast

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from delivery.routing.problem import UNREACHABLE

_SHARED: dict[str, object] = {}  # the query graph, inherited by forked workers
#: Bytes of Dijkstra output (one float64 per node and source) computed at once: sources are
#: taken in blocks so that a 2,000-point matrix on a region graph (130k-node core) needs a
#: few tens of MB at a time, not 2 GB.
BLOCK_BYTES = 64 * 2**20


def _rows_to(graph: csr_matrix, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Packed weights from ``sources`` to ``targets``, Dijkstra on blocks of sources."""
    block = max(1, BLOCK_BYTES // (8 * max(1, graph.shape[0])))
    out = np.empty((len(sources), len(targets)))
    for a in range(0, len(sources), block):
        out[a:a + block] = dijkstra(graph, directed=True, indices=sources[a:a + block])[:, targets]
    return out


def _rows_from_shared(sources: np.ndarray) -> np.ndarray:
    """Dijkstra rows for ``sources`` over the graph the parent shared before forking."""
    return _rows_to(cast(csr_matrix, _SHARED["graph"]), sources, cast(np.ndarray, _SHARED["targets"]))


def _dijkstra_rows(graph: csr_matrix, sources: np.ndarray, workers: int) -> np.ndarray:
    """Packed weights from ``sources`` to the same nodes, over ``workers`` forked processes.

    Falls back to one process where forking is unavailable (no ``fork``, or inside a
    daemonic worker such as a prefork Celery child).
    """
    if workers > 1 and len(sources) >= 64 * workers:
        try:
            context = multiprocessing.get_context("fork")
            _SHARED.update(graph=graph, targets=sources)
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                return np.vstack(list(pool.map(_rows_from_shared, np.array_split(sources, workers))))
        except (ValueError, AssertionError, OSError):
            pass
        finally:
            _SHARED.clear()
    return _rows_to(graph, sources, sources)


def _lightest(u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """Keep the lightest of parallel edges ``u->v``; returns ``(u, v, w, kept_positions)``."""
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return u[first], v[first], w[first], order[first]


class PackedGraph:
    """Directed graph over rows ``0..n-1`` answering integer travel matrices.

    Parameters
    ----------
    n
        Number of nodes.
    u, v
        Edge tails and heads (rows); self-loops are ignored.
    seconds, metres
        Edge travel time (s) and length (m), floats >= 0.
    workers
        Processes for large matrices (forked on Linux; 1 keeps everything in-process).
    """

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, seconds: np.ndarray,
                 metres: np.ndarray, *, workers: int = 1) -> None:
        self.workers = max(1, int(workers))
        keep = u != v
        u, v = np.asarray(u, np.int64)[keep], np.asarray(v, np.int64)[keep]
        t_ds = np.rint(np.asarray(seconds, float)[keep] * 10).astype(np.int64)
        len_dm = np.maximum(np.rint(np.asarray(metres, float)[keep] * 10).astype(np.int64), 1)
        # the sum of all edges bounds any simple path: time keeps the high bits, length the rest
        self.bits = 53 - int(t_ds.sum()).bit_length()
        self.quantum_dm = 1
        while int(len_dm.sum()) // self.quantum_dm + len(len_dm) >= 2 ** self.bits:
            self.quantum_dm *= 2
        len_q = np.maximum(np.rint(len_dm / self.quantum_dm).astype(np.int64), 1)
        w = t_ds.astype(np.float64) * 2.0 ** self.bits + len_q
        self.n = n
        self.u, self.v, self.w, self.kept = _lightest(u, v, w)
        self.kept = np.flatnonzero(keep)[self.kept]  # positions in the caller's edge arrays
        self.csr = csr_matrix((self.w, (self.u, self.v)), shape=(n, n))
        self._contract()

    # ------------------------------------------------------------------ contraction
    def _contract(self) -> None:
        """Find junctions and the chains of degree-2 nodes between them."""
        n, out_csr = self.n, self.csr
        in_csr = out_csr.T.tocsr()
        junction = np.ones(n, bool)
        for x in range(n):
            outs = set(out_csr.indices[out_csr.indptr[x]:out_csr.indptr[x + 1]].tolist())
            ins = set(in_csr.indices[in_csr.indptr[x]:in_csr.indptr[x + 1]].tolist())
            through_one_way = len(outs) == len(ins) == 1 and outs != ins
            through_two_way = len(outs) == 2 and outs == ins
            junction[x] = not (through_one_way or through_two_way)
        if not junction.any():  # a lone ring road: any node will do
            junction[0] = True
        self.junction = junction
        self.core_of = np.full(n, -1, np.int64)
        self.core_of[junction] = np.arange(int(junction.sum()))
        # chain c: start row, end row, interior rows, packed weight from start to each, total
        starts: list[int] = []
        ends: list[int] = []
        totals: list[float] = []
        self.chain_nodes: list[np.ndarray] = []
        self.chain_cum: list[np.ndarray] = []
        on_chain: dict[int, list[tuple[int, int]]] = defaultdict(list)
        ptr, idx, data = out_csr.indptr, out_csr.indices, out_csr.data
        for j in np.flatnonzero(junction):
            for k in range(ptr[j], ptr[j + 1]):
                prev, cur, acc = int(j), int(idx[k]), float(data[k])
                rows: list[int] = []
                cum: list[float] = []
                while not junction[cur]:
                    on_chain[cur].append((len(starts), len(rows)))
                    rows.append(cur)
                    cum.append(acc)
                    a, b = ptr[cur], ptr[cur + 1]
                    nxt = next(int(idx[i]) for i in range(a, b) if idx[i] != prev or b - a == 1)
                    acc += float(data[a + list(idx[a:b]).index(nxt)])
                    prev, cur = cur, nxt
                starts.append(int(j))
                ends.append(cur)
                totals.append(acc)
                self.chain_nodes.append(np.array(rows, np.int64))
                self.chain_cum.append(np.array(cum, float))
        self.chain_start = np.array(starts, np.int64)
        self.chain_end = np.array(ends, np.int64)
        self.chain_total = np.array(totals, float)
        self.on_chain = dict(on_chain)
        cu, cv, cw, _ = _lightest(self.core_of[self.chain_start], self.core_of[self.chain_end],
                                  np.array(totals, float))
        self.core_u, self.core_v, self.core_w = cu, cv, cw
        self.core_size = int(junction.sum())

    def _query_graph(self, rows: np.ndarray) -> tuple[csr_matrix, np.ndarray]:
        """The core plus ``rows`` put back on their chains; returns it and each row's index."""
        index = np.empty(len(rows), np.int64)
        extra = self.core_size
        placed: dict[int, int] = {}
        by_chain: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for i, r in enumerate(rows.tolist()):
            if self.junction[r]:
                index[i] = self.core_of[r]
                continue
            if r not in placed:
                placed[r] = extra
                extra += 1
                for chain, pos in self.on_chain[r]:
                    by_chain[chain].append((pos, placed[r]))
            index[i] = placed[r]
        eu, ev, ew = [], [], []
        for chain, stops in by_chain.items():
            stops.sort()
            cum = self.chain_cum[chain]
            prev_node, prev_w = int(self.core_of[self.chain_start[chain]]), 0.0
            hops = [(node, cum[pos]) for pos, node in stops]
            hops.append((int(self.core_of[self.chain_end[chain]]), self.chain_total[chain]))
            for node, weight in hops:
                eu.append(prev_node)
                ev.append(node)
                ew.append(weight - prev_w)
                prev_node, prev_w = node, weight
        u = np.concatenate((self.core_u, np.array(eu, np.int64)))
        v = np.concatenate((self.core_v, np.array(ev, np.int64)))
        w = np.concatenate((self.core_w, np.array(ew, float)))
        u, v, w, _ = _lightest(u, v, w)
        return csr_matrix((w, (u, v)), shape=(extra, extra)), index

    # ---------------------------------------------------------------------- queries
    def packed(self, rows: np.ndarray, *, contracted: bool = True) -> np.ndarray:
        """Packed fastest-path weights between ``rows`` (square; ``inf`` where no path)."""
        rows = np.asarray(rows, np.int64)
        if contracted:
            graph, index = self._query_graph(rows)
        else:
            graph, index = self.csr, rows
        uniq, inverse = np.unique(index, return_inverse=True)
        weights = _dijkstra_rows(graph, uniq, self.workers)
        return weights[np.ix_(inverse, inverse)]

    def unpack(self, packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Integer ``(seconds, metres)`` from packed weights; no path gives UNREACHABLE."""
        reachable = np.isfinite(packed)
        packed = np.where(reachable, packed, 0.0)
        scale = 2.0 ** self.bits
        t_ds = np.floor(packed / scale)
        seconds = np.rint(t_ds / 10).astype(np.int64)
        metres = np.rint((packed - t_ds * scale) * self.quantum_dm / 10).astype(np.int64)
        seconds[~reachable] = UNREACHABLE
        metres[~reachable] = UNREACHABLE
        return seconds, metres

    def matrices(self, rows: np.ndarray, *, contracted: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Integer ``(durations_s, distances_m)`` between node ``rows`` (fastest paths)."""
        return self.unpack(self.packed(rows, contracted=contracted))

    def predecessors(self, row: int) -> np.ndarray:
        """Dijkstra predecessor of every row on the fastest paths from ``row`` (-9999: none)."""
        return dijkstra(self.csr, directed=True, indices=int(row), return_predecessors=True)[1]
