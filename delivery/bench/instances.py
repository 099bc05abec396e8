"""Readers for the public routing benchmark formats: Solomon, Li & Lim and CVRPLIB (TSPLIB).

Every reader is a pure function from a file path to an :class:`Instance`. Node 0 of an
instance is always its depot; ``labels`` maps each node to the number it has in the file's own
solution convention, so routes can be printed exactly as the benchmark's ``.sol`` files write them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

__all__ = [
    "PUBLIC_INSTANCES",
    "Format",
    "Instance",
    "read_cvrplib",
    "read_instance",
    "read_lilim",
    "read_solomon",
]

#: The public instances kept in this repository (``solomon/``, ``lilim/``, ``x/``; see SOURCES.md).
PUBLIC_INSTANCES = Path(__file__).resolve().parent / "public_instances"


class Format(StrEnum):
    """The file formats understood by :func:`read_instance`."""

    SOLOMON = "solomon"
    LILIM = "lilim"
    CVRPLIB = "cvrplib"


@dataclass(frozen=True, eq=False)
class Instance:
    """One routing benchmark instance, depot at node 0.

    Attributes
    ----------
    name : str
        Instance name (from the file, else the file stem).
    format : Format
        The format it was read from; it fixes the distance convention.
    xy : numpy.ndarray
        ``(n, 2)`` float coordinates.
    demand : numpy.ndarray
        ``(n,)`` integer demand; for Li & Lim, positive at pickups and negative at deliveries.
    ready, due, service : numpy.ndarray
        ``(n,)`` float start-of-service windows and service durations (same unit as distance).
    capacity : int
        Capacity of every vehicle.
    vehicles : int | None
        Fleet size bound stated by the file (``None`` when the file states none).
    pairs : tuple[tuple[int, int], ...]
        ``(pickup, delivery)`` node pairs (Li & Lim only).
    labels : tuple[int, ...]
        Number of each node in the solution convention of the family.
    min_vehicles : int | None
        Lower bound on the fleet stated by the name (CVRPLIB ``-kNN``), if any.
    """

    name: str
    format: Format
    xy: np.ndarray
    demand: np.ndarray
    ready: np.ndarray
    due: np.ndarray
    service: np.ndarray
    capacity: int
    vehicles: int | None
    pairs: tuple[tuple[int, int], ...] = ()
    labels: tuple[int, ...] = ()
    min_vehicles: int | None = None

    @property
    def size(self) -> int:
        """Number of nodes, depot included."""
        return len(self.xy)

    @property
    def has_windows(self) -> bool:
        """Whether time windows matter (not for CVRPLIB)."""
        return self.format is not Format.CVRPLIB

    @property
    def rounded(self) -> bool:
        """Whether arc lengths follow the TSPLIB ``round(euclid)`` convention."""
        return self.format is Format.CVRPLIB

    def euclid(self) -> np.ndarray:
        """Return the ``(n, n)`` exact Euclidean distance matrix (double precision)."""
        d = self.xy[:, None, :] - self.xy[None, :, :]
        return np.sqrt((d**2).sum(-1))

    def arc_lengths(self) -> np.ndarray:
        """Return the arc lengths of the family's convention (TSPLIB nint for CVRPLIB)."""
        e = self.euclid()
        return np.floor(e + 0.5) if self.rounded else e

    def fleet_size(self) -> int:
        """Return the number of vehicles a solver may use.

        The stated fleet when there is one; for CVRPLIB (no fleet), 30 % above the minimum
        implied by the name or by total demand, and at least three spare vehicles.
        """
        if self.vehicles is not None:
            return self.vehicles
        customers = self.size - 1
        by_demand = math.ceil(float(self.demand[1:].sum()) / self.capacity) if self.capacity else 1
        k = max(self.min_vehicles or 0, by_demand, 1)
        return max(1, min(customers, max(math.ceil(1.3 * k), k + 3)))

    def node_of(self) -> dict[int, int]:
        """Return the mapping from file label to node index."""
        return {label: i for i, label in enumerate(self.labels)}


def read_instance(path: str | Path, fmt: Format | str) -> Instance:
    """Read ``path`` in the given format.

    Raises
    ------
    ValueError
        If the format is unknown or the file is malformed (the message names file and line).
    """
    try:
        fmt = Format(fmt)
    except ValueError:
        raise ValueError(f"unknown format {fmt!r}: use solomon, lilim or cvrplib") from None
    reader = {Format.SOLOMON: read_solomon, Format.LILIM: read_lilim, Format.CVRPLIB: read_cvrplib}
    return reader[fmt](path)


def _lines(path: str | Path) -> list[tuple[int, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the file ({exc.strerror})") from None
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]


def _numbers(path, lineno: int, line: str, count: int) -> list[float]:
    parts = line.split()
    if len(parts) != count:
        raise ValueError(f"{path}, line {lineno}: expected {count} numbers, found {len(parts)}: {line!r}")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"{path}, line {lineno}: not a number in {line!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{path}, line {lineno}: non-finite number in {line!r}")
    return values


def _int(path, lineno: int, value: float, what: str) -> int:
    if value != int(value):
        raise ValueError(f"{path}, line {lineno}: {what} must be an integer, got {value}")
    return int(value)


def _check_nodes(path, rows: list[tuple[int, list[float]]], capacity: int) -> None:
    if len(rows) < 2:
        raise ValueError(f"{path}: needs a depot and at least one customer, found {len(rows)} node rows")
    for expected, (lineno, r) in enumerate(rows):
        if r[0] != expected:
            raise ValueError(f"{path}, line {lineno}: node number {r[0]:g}, expected {expected}")
        if r[5] < r[4]:
            raise ValueError(f"{path}, line {lineno}: due date {r[5]:g} before ready time {r[4]:g}")
        if r[6] < 0:
            raise ValueError(f"{path}, line {lineno}: negative service time {r[6]:g}")
        if abs(r[3]) > capacity:
            raise ValueError(f"{path}, line {lineno}: demand {r[3]:g} exceeds capacity {capacity}")


def read_solomon(path: str | Path) -> Instance:
    """Read a Solomon (or Gehring & Homberger) VRPTW ``.txt`` file.

    Raises
    ------
    ValueError
        If the file is malformed; the message names the file and the line.
    """
    lines = [(n, s) for n, s in _lines(path) if s]
    if not lines:
        raise ValueError(f"{path}: empty file")
    name = lines[0][1]
    vehicle_at = next((i for i, (_, s) in enumerate(lines) if s.upper().startswith("NUMBER")), None)
    if vehicle_at is None or vehicle_at + 1 >= len(lines):
        raise ValueError(f"{path}: no 'NUMBER CAPACITY' vehicle header")
    lineno, line = lines[vehicle_at + 1]
    number, capacity = _numbers(path, lineno, line, 2)
    number = _int(path, lineno, number, "vehicle number")
    capacity = _int(path, lineno, capacity, "capacity")
    if number < 1 or capacity < 0:
        raise ValueError(f"{path}, line {lineno}: vehicle number must be >= 1 and capacity >= 0")
    header_at = next((i for i, (_, s) in enumerate(lines) if s.upper().startswith("CUST NO")), None)
    if header_at is None:
        raise ValueError(f"{path}: no 'CUST NO.' customer header")
    rows = [(n, _numbers(path, n, s, 7)) for n, s in lines[header_at + 1 :]]
    _check_nodes(path, rows, capacity)
    for lineno, r in rows:
        _int(path, lineno, r[3], "demand")
        if r[3] < 0:
            raise ValueError(f"{path}, line {lineno}: negative demand {r[3]:g}")
    a = np.array([r for _, r in rows], dtype=float)
    return Instance(
        name=name, format=Format.SOLOMON, xy=a[:, 1:3].copy(), demand=a[:, 3].astype(np.int64),
        ready=a[:, 4].copy(), due=a[:, 5].copy(), service=a[:, 6].copy(), capacity=capacity,
        vehicles=number, labels=tuple(range(len(a))),
    )


def read_lilim(path: str | Path) -> Instance:
    """Read a Li & Lim PDPTW ``.txt`` file (first line ``K Q speed``).

    Raises
    ------
    ValueError
        If the file is malformed or a pickup/delivery pairing is inconsistent; the message
        names the file and the line.
    """
    lines = [(n, s) for n, s in _lines(path) if s]
    if not lines:
        raise ValueError(f"{path}: empty file")
    lineno, line = lines[0]
    number, capacity, speed = _numbers(path, lineno, line, 3)
    number = _int(path, lineno, number, "vehicle number")
    capacity = _int(path, lineno, capacity, "capacity")
    if number < 1 or capacity < 0 or speed != 1:
        raise ValueError(f"{path}, line {lineno}: need vehicles >= 1, capacity >= 0 and speed 1")
    rows = [(n, _numbers(path, n, s, 9)) for n, s in lines[1:]]
    _check_nodes(path, rows, capacity)
    n = len(rows)
    pairs = []
    for i, (lineno, r) in enumerate(rows):
        demand = _int(path, lineno, r[3], "demand")
        p, d = _int(path, lineno, r[7], "pickup index"), _int(path, lineno, r[8], "delivery index")
        if i == 0:
            if demand or p or d:
                raise ValueError(f"{path}, line {lineno}: the depot must have no demand and no pair")
            continue
        if not (0 <= p < n and 0 <= d < n) or (p == 0) == (d == 0):
            raise ValueError(f"{path}, line {lineno}: node {i} needs exactly one of pickup/delivery index")
        if d:  # a pickup: its delivery points back to it with the opposite demand
            partner_line, partner = rows[d]
            if partner[7] != i or partner[3] != -demand or demand <= 0:
                raise ValueError(
                    f"{path}, line {lineno}: pickup {i} and delivery {d} (line {partner_line}) do not match"
                )
            pairs.append((i, d))
        elif rows[p][1][8] != i:
            raise ValueError(f"{path}, line {lineno}: delivery {i} names pickup {p}, which does not name it")
    a = np.array([r for _, r in rows], dtype=float)
    return Instance(
        name=Path(path).stem, format=Format.LILIM, xy=a[:, 1:3].copy(), demand=a[:, 3].astype(np.int64),
        ready=a[:, 4].copy(), due=a[:, 5].copy(), service=a[:, 6].copy(), capacity=capacity,
        vehicles=number, pairs=tuple(pairs), labels=tuple(range(n)),
    )


_SECTION = re.compile(r"^([A-Z_]+_SECTION)\b")


def read_cvrplib(path: str | Path) -> Instance:
    """Read a CVRPLIB/TSPLIB ``.vrp`` CVRP file with ``EUC_2D`` weights and one depot.

    Node labels follow CVRPLIB's ``.sol`` convention: a node's label is its position in
    NODE_COORD_SECTION counted from 0 (so the depot, usually node 1, is 0).

    Raises
    ------
    ValueError
        If the file is malformed or uses a feature not handled here (explicit weights,
        several depots, distance limits); the message names the file and the line.
    """
    spec: dict[str, tuple[int, str]] = {}
    sections: dict[str, list[tuple[int, str]]] = {}
    current = None
    for lineno, line in _lines(path):
        if not line or line == "EOF":
            continue
        m = _SECTION.match(line)
        if m:
            current = m.group(1)
            sections[current] = []
        elif current is None or (":" in line and line.split(":")[0].strip().isupper()):
            if ":" not in line:
                raise ValueError(f"{path}, line {lineno}: expected 'KEY : value', got {line!r}")
            key, value = line.split(":", 1)
            spec[key.strip().upper()] = (lineno, value.strip())
            current = None
        else:
            sections[current].append((lineno, line))
    weight = spec.get("EDGE_WEIGHT_TYPE", (0, ""))[1].upper()
    if weight != "EUC_2D":
        raise ValueError(f"{path}: EDGE_WEIGHT_TYPE {weight or 'missing'} not supported (only EUC_2D)")
    for key in ("DISTANCE", "SERVICE_TIME"):
        if key in spec:
            raise ValueError(f"{path}, line {spec[key][0]}: {key} limits are not supported")
    for key in ("DIMENSION", "CAPACITY"):
        if key not in spec:
            raise ValueError(f"{path}: missing {key}")
    dim_line, dim = spec["DIMENSION"]
    cap_line, cap = spec["CAPACITY"]
    try:
        n, capacity = int(dim), int(cap)
    except ValueError:
        raise ValueError(f"{path}, line {dim_line}/{cap_line}: DIMENSION and CAPACITY must be integers") from None
    for key in ("NODE_COORD_SECTION", "DEMAND_SECTION", "DEPOT_SECTION"):
        if key not in sections:
            raise ValueError(f"{path}: missing {key}")
    coords = [(ln, _numbers(path, ln, s, 3)) for ln, s in sections["NODE_COORD_SECTION"]]
    demands = [(ln, _numbers(path, ln, s, 2)) for ln, s in sections["DEMAND_SECTION"]]
    for what, rows in (("NODE_COORD_SECTION", coords), ("DEMAND_SECTION", demands)):
        if len(rows) != n:
            raise ValueError(f"{path}: {what} has {len(rows)} rows, DIMENSION says {n}")
        for k, (ln, r) in enumerate(rows, start=1):
            if r[0] != k:
                raise ValueError(f"{path}, line {ln}: node id {r[0]:g}, expected {k}")
    depots = []
    for ln, s in sections["DEPOT_SECTION"]:
        (v,) = _numbers(path, ln, s, 1)
        if v == -1:
            break
        if not 1 <= v <= n:
            raise ValueError(f"{path}, line {ln}: depot {v:g} is not a node")
        depots.append(int(v))
    if len(depots) != 1:
        raise ValueError(f"{path}: exactly one depot supported, found {len(depots)}")
    demand = np.array([_int(path, ln, r[1], "demand") for ln, r in demands], dtype=np.int64)
    for ln, r in demands:
        if not 0 <= r[1] <= capacity:
            raise ValueError(f"{path}, line {ln}: demand {r[1]:g} outside [0, {capacity}]")
    order = [depots[0] - 1] + [i for i in range(n) if i != depots[0] - 1]
    xy = np.array([coords[i][1][1:3] for i in order], dtype=float)
    name = spec.get("NAME", (0, Path(path).stem))[1]
    k = re.search(r"-k(\d+)", name)
    vehicles = spec.get("VEHICLES")
    return Instance(
        name=name, format=Format.CVRPLIB, xy=xy, demand=demand[order], ready=np.zeros(n),
        due=np.full(n, np.inf), service=np.zeros(n), capacity=capacity,
        vehicles=int(vehicles[1]) if vehicles else None, labels=tuple(order),
        min_vehicles=int(k.group(1)) if k else None,
    )
