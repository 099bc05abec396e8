"""The PrestaShop port: what the bridge needs from a shop, and an in-memory fake of it.

:class:`~.client.PrestaShopClient` is the HTTP implementation. :class:`InMemoryPrestaShop`
keeps decoded records (the same shape the codec produces) in dicts, for service tests that do
not care about HTTP; a contract test pins it to the HTTP double (same catalogue read).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

from .errors import ApiErrorItem, PrestaShopError, PrestaShopVersionError


@runtime_checkable
class PrestaShopPort(Protocol):
    """Reads and writes on one shop; every method may raise :class:`~.errors.PrestaShopError`."""

    root: str
    version: str | None
    request_count: int

    def probe(self) -> str | None:
        """Check the key; return the Webservice version."""

    def detect_version(self) -> str | None:
        """The Webservice version (``PSWS-Version``)."""

    def get_list(self, resource: str, **kwargs: Any) -> list[dict[str, Any]]:
        """One list request (display, filters, sort, offset/count, date, language)."""

    def iter_pages(self, resource: str, *, page_size: int = 100, start: int = 0, **kwargs: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """Pages of a list until a short page."""

    def get_record(self, resource: str, record_id: int | str, *, display: str | None = None) -> dict[str, Any]:
        """One record by id."""

    def create(self, resource: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Create a record (no id); return it with its new id."""

    def update(self, resource: str, record_id: int | str, fields: dict[str, Any]) -> dict[str, Any]:
        """Replace a whole record."""

    def patch(self, resource: str, record_id: int | str, fields: dict[str, Any]) -> dict[str, Any]:
        """Change some fields (PrestaShop 8+)."""

    def close(self) -> None:
        """Release resources."""


def _matches(record: dict[str, Any], name: str, spec: str) -> bool:
    raw = record.get(name, "")
    value = str(raw[0]["value"] if isinstance(raw, list) and raw else raw)
    number = re.fullmatch(r"-?\d+(\.\d+)?", value) is not None
    if m := re.fullmatch(r"([<>])\[(.*)\]", spec):
        left, right = (float(value), float(m.group(2))) if number else (value, m.group(2))
        return left > right if m.group(1) == ">" else left < right
    inner = spec.strip("[]")
    if "|" in inner:
        return value in inner.split("|")
    if "," in inner:
        low, high = inner.split(",", 1)
        return (float(low) <= float(value) <= float(high)) if number else (low <= value <= high)
    return value.lower() == inner.lower()


class InMemoryPrestaShop:
    """A fake shop in memory: records per resource, PrestaShop's filters, paging and write rules."""

    def __init__(self, records: dict[str, dict[int, dict[str, Any]]], *, version: str = "8.1.2",
                 root: str = "http://fake.shop/api/") -> None:
        self.records = records
        self.version = version
        self.root = root
        self.request_count = 0

    def close(self) -> None:
        """Nothing to release."""

    def probe(self) -> str | None:
        """Count a request and return the version."""
        self.request_count += 1
        return self.version

    def detect_version(self) -> str | None:
        """The configured version."""
        return self.version

    def get_list(self, resource: str, *, display: str | None = "full", filters: dict[str, str] | None = None,
                 sort: str | None = None, offset: int | None = None, count: int | None = None,
                 date: bool = False, language: int | None = None) -> list[dict[str, Any]]:
        """Filter, sort by id and page like PrestaShop; ``display=None`` gives ids only."""
        self.request_count += 1
        rows = sorted(self.records.get(resource, {}).values(), key=lambda r: int(r["id"]))
        for name, spec in (filters or {}).items():
            if name.startswith("date_") and not date:
                raise PrestaShopError(400, [ApiErrorItem(32, f"filter on {name} needs date=1")], resource)
            rows = [r for r in rows if _matches(r, name, spec)]
        if count is not None:
            rows = rows[(offset or 0):(offset or 0) + count]
        if display is None:
            return [{"id": r["id"]} for r in rows]
        if display != "full":
            wanted = display.strip("[]").split(",")
            return [{k: v for k, v in r.items() if k in wanted} for r in rows]
        return [dict(r) for r in rows]

    def iter_pages(self, resource: str, *, page_size: int = 100, start: int = 0, **kwargs: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """Pages until a short page."""
        offset = start
        while True:
            rows = self.get_list(resource, offset=offset, count=page_size, **kwargs)
            yield offset, rows
            if len(rows) < page_size:
                return
            offset += page_size

    def get_record(self, resource: str, record_id: int | str, *, display: str | None = None) -> dict[str, Any]:
        """One record, or 404."""
        self.request_count += 1
        record = self.records.get(resource, {}).get(int(record_id))
        if record is None:
            raise PrestaShopError(404, [], f"{resource}/{record_id}")
        return dict(record)

    def create(self, resource: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Add a record; an id in ``fields`` is refused with code 91."""
        self.request_count += 1
        if fields.get("id"):
            raise PrestaShopError(400, [ApiErrorItem(91, "id is forbidden when adding a new resource")], resource)
        table = self.records.setdefault(resource, {})
        new_id = max(table, default=0) + 1
        table[new_id] = {"id": str(new_id), **fields}
        return dict(table[new_id])

    def update(self, resource: str, record_id: int | str, fields: dict[str, Any]) -> dict[str, Any]:
        """Replace a record (404 code 92 if unknown)."""
        self.request_count += 1
        table = self.records.get(resource, {})
        if int(record_id) not in table:
            raise PrestaShopError(404, [ApiErrorItem(92, "Invalid ID")], resource)
        table[int(record_id)] = {"id": str(record_id), **{k: v for k, v in fields.items() if k != "id"}}
        return dict(table[int(record_id)])

    def patch(self, resource: str, record_id: int | str, fields: dict[str, Any]) -> dict[str, Any]:
        """Merge fields into a record; refused before version 8."""
        if int((self.version or "0").split(".")[0]) < 8:
            raise PrestaShopVersionError(None, [ApiErrorItem(None, "PATCH needs PrestaShop 8")], resource)
        self.request_count += 1
        table = self.records.get(resource, {})
        if int(record_id) not in table:
            raise PrestaShopError(404, [ApiErrorItem(92, "Invalid ID")], resource)
        table[int(record_id)].update({k: v for k, v in fields.items() if k != "id"})
        return dict(table[int(record_id)])

