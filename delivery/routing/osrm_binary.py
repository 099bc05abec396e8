"""Read OSRM's binary /table answer (``.flatbuffers`` output) straight into numpy.

OSRM writes the same table as a FlatBuffers ``FBResult`` when the URL's coordinates end in
``.flatbuffers``: float32 vectors of ``rows x cols`` cells instead of about 8 bytes of JSON text
per number, so the server writes less and the client parses nothing (``np.frombuffer``).

Only the fields the adapter needs are read, from OSRM's schema
(``include/engine/api/flatbuffers/*.fbs``): ``FBResult`` = ``error`` (0), ``code`` (1, an
``Error`` table of ``code`` and ``message`` strings), ``data_version`` (2), ``waypoints`` (3),
``routes`` (4), ``table`` (5); ``Table`` = ``durations`` (0), ``rows`` (1), ``cols`` (2),
``distances`` (3), ... — the same in v5.27.1 (docker-compose's image) and in 26.10 (the
binaries the tests run); an answer of another layout is refused (its vectors' length is
checked), never read as figures.

One difference from JSON: a pair OSRM finds no route for is written as 0 there (JSON says
null), which is also what a point to the same place gets; the adapter settles those cells.
"""

from __future__ import annotations

import struct

import numpy as np

_RESULT_ERROR, _RESULT_CODE, _RESULT_TABLE = 0, 1, 5
_TABLE_DURATIONS, _TABLE_DISTANCES = 0, 3


class FlatBufferError(ValueError):
    """The bytes are not the FBResult expected (truncated, or another layout)."""


def _field(buf: bytes, table: int, index: int) -> int:
    """Absolute position of field ``index`` of the table at ``table``, 0 when absent."""
    vtable = table - struct.unpack_from("<i", buf, table)[0]
    size = struct.unpack_from("<H", buf, vtable)[0]
    if 4 + 2 * index >= size:
        return 0
    offset = struct.unpack_from("<H", buf, vtable + 4 + 2 * index)[0]
    return table + offset if offset else 0


def _deref(buf: bytes, at: int) -> int:
    """Follow the uoffset stored at ``at``."""
    return at + struct.unpack_from("<I", buf, at)[0]


def _string(buf: bytes, table: int, index: int) -> str:
    at = _field(buf, table, index)
    if not at:
        return ""
    start = _deref(buf, at)
    length = struct.unpack_from("<I", buf, start)[0]
    return bytes(buf[start + 4:start + 4 + length]).decode("utf-8", "replace")


def _floats(buf: bytes, table: int, index: int, cells: int) -> np.ndarray | None:
    at = _field(buf, table, index)
    if not at:
        return None
    start = _deref(buf, at)
    length = struct.unpack_from("<I", buf, start)[0]
    if length != cells:
        raise FlatBufferError(f"{length} cells in the answer, {cells} expected")
    return np.frombuffer(buf, "<f4", length, start + 4)


def read_error(buf: bytes) -> tuple[str, str] | None:
    """``(code, message)`` when the FBResult says error, else ``None``."""
    try:
        root = struct.unpack_from("<I", buf, 0)[0]
        flag = _field(buf, root, _RESULT_ERROR)
        if not (flag and buf[flag]):
            return None
        at = _field(buf, root, _RESULT_CODE)
        if not at:
            return "Error", ""
        error = _deref(buf, at)
        return _string(buf, error, 0), _string(buf, error, 1)
    except (struct.error, IndexError) as exc:
        raise FlatBufferError(f"unreadable OSRM answer: {exc}") from exc


def read_table(buf: bytes, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """``(durations_s, distances_m)`` float arrays of shape ``(rows, cols)`` (0 where no route).

    Raises
    ------
    FlatBufferError
        When the answer holds no table of that size with both annotations.
    """
    try:
        root = struct.unpack_from("<I", buf, 0)[0]
        at = _field(buf, root, _RESULT_TABLE)
        if not at:
            raise FlatBufferError("no table in the answer")
        table = _deref(buf, at)
        durations = _floats(buf, table, _TABLE_DURATIONS, rows * cols)
        distances = _floats(buf, table, _TABLE_DISTANCES, rows * cols)
    except (struct.error, IndexError) as exc:
        raise FlatBufferError(f"unreadable OSRM answer: {exc}") from exc
    if durations is None or distances is None:
        raise FlatBufferError("the answer lacks durations or distances")
    return (durations.reshape(rows, cols).astype(np.float64),
            distances.reshape(rows, cols).astype(np.float64))
