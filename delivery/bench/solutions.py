"""Reader for benchmark solution files: CVRPLIB ``.sol`` and SINTEF ``.sintef.sol``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Solution", "read_solution"]

_ROUTE = re.compile(r"^route\s*#?\s*(\d+)\s*:(.*)$", re.IGNORECASE)
_COST = re.compile(r"^cost\s*:?\s*(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Solution:
    """Routes of a stated solution.

    Attributes
    ----------
    routes : tuple[tuple[int, ...], ...]
        Customer labels per route, depot excluded, as numbered in the solution file.
    cost : float | None
        The ``Cost`` line if the file has one (CVRPLIB), else ``None`` (SINTEF).
    """

    routes: tuple[tuple[int, ...], ...]
    cost: float | None = None


def read_solution(path: str | Path) -> Solution:
    """Read a ``.sol`` file (``Route #k: i j ...`` or ``Route k : i j ...``, optional ``Cost``).

    Raises
    ------
    ValueError
        If the file cannot be read, has no route, or a route or cost line is malformed; the
        message names the file and the line.
    """
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the file ({exc.strerror})") from None
    routes: list[tuple[int, ...]] = []
    cost = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        route = _ROUTE.match(line)
        if route:
            try:
                stops = tuple(int(t) for t in route.group(2).split())
            except ValueError:
                raise ValueError(f"{path}, line {lineno}: route has a non-integer stop: {line!r}") from None
            if any(s <= 0 for s in stops):
                raise ValueError(f"{path}, line {lineno}: customer numbers must be positive: {line!r}")
            if stops:
                routes.append(stops)
            continue
        found = _COST.match(line)
        if found:
            try:
                cost = float(found.group(1))
            except ValueError:
                raise ValueError(f"{path}, line {lineno}: cost is not a number: {line!r}") from None
    if not routes:
        raise ValueError(f"{path}: no 'Route' line found")
    return Solution(routes=tuple(routes), cost=cost)
