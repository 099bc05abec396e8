"""Documents of the stand-in (one JSON object per Saleor object) and the helpers resolvers share.

Global IDs follow Saleor: ``base64("<Type>:<key>")``. Money is kept as strings of decimals
and shown as Saleor ``Money`` (a float amount) only in views.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from marketplace.saleor.models import StandInDocument

Json = dict[str, Any]

COUNTRY_NAMES = {"FR": "France", "BE": "Belgique"}


class UserError(Exception):
    """An input Saleor would refuse; becomes an item of the mutation's ``errors`` list."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


def gid(kind: str, key: str) -> str:
    """Saleor global ID of ``kind`` ``key``."""
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def parse_gid(value: str, *kinds: str) -> tuple[str, str]:
    """Split a global ID into (kind, key).

    Raises
    ------
    UserError
        ``GRAPHQL_ERROR``-like ``INVALID`` when it is not a global ID of one of ``kinds``.
    """
    try:
        kind, key = base64.b64decode(value, validate=True).decode().split(":", 1)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise UserError("INVALID", f"Couldn't resolve id: {value}.", "id") from exc
    if kinds and kind not in kinds:
        raise UserError("INVALID", f"Must receive a {'/'.join(kinds)} id, got {kind}.", "id")
    return kind, key


def now_iso() -> str:
    """Current time, ISO 8601 with timezone (Saleor ``DateTime``)."""
    return timezone.now().isoformat()


def new_key() -> str:
    """A fresh key for a new document."""
    return str(uuid.uuid4())


def money(amount: Decimal | str | float, currency: str = "EUR") -> Json:
    """Saleor ``Money``."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    return {
        "currency": currency,
        "amount": float(value),
        "fractionalAmount": int(value * 100),
        "fractionDigits": 2,
    }


def taxed(amount: Decimal | str | float, currency: str = "EUR") -> Json:
    """Saleor ``TaxedMoney`` with no tax (the demo channel is tax-free)."""
    return {
        "currency": currency,
        "gross": money(amount, currency),
        "net": money(amount, currency),
        "tax": money(0, currency),
    }


def meta_list(items: dict[str, str]) -> list[Json]:
    """Dict to ``[MetadataItem]``."""
    return [{"key": k, "value": v} for k, v in sorted(items.items())]


def address_view(data: Json | None) -> Json | None:
    """Stored AddressInput-like dict to Saleor ``Address``."""
    if not data:
        return None
    code = data.get("country") or "FR"
    return {
        "id": gid("Address", data.get("key", "0")),
        "metadata": [],
        "privateMetadata": [],
        "firstName": data.get("firstName") or "",
        "lastName": data.get("lastName") or "",
        "companyName": data.get("companyName") or "",
        "streetAddress1": data.get("streetAddress1") or "",
        "streetAddress2": data.get("streetAddress2") or "",
        "city": (data.get("city") or "").upper(),
        "cityArea": data.get("cityArea") or "",
        "postalCode": data.get("postalCode") or "",
        "country": {"code": code, "country": COUNTRY_NAMES.get(code, code)},
        "countryArea": data.get("countryArea") or "",
        "phone": data.get("phone") or None,
    }


def clean_address(data: Json | None, field_name: str) -> Json | None:
    """Check an ``AddressInput`` the way Saleor does for the fields we use.

    Raises
    ------
    UserError
        ``REQUIRED`` when street, postal code, city or country is missing.
    """
    if data is None:
        return None
    for key in ("streetAddress1", "postalCode", "city", "country"):
        if not data.get(key):
            raise UserError("REQUIRED", f"This field is required: {key}.", field_name)
    return {**data, "key": new_key()}


def merge_metadata(doc: Json, items: list[Json] | None, key: str = "metadata") -> None:
    """Merge ``[MetadataInput]`` into ``doc[key]`` (a dict)."""
    store = doc.setdefault(key, {})
    for item in items or []:
        store[item["key"]] = item["value"]


#: Kinds small enough to load whole, once per operation (catalogue and set-up objects).
PRELOADED = frozenset(
    {
        "Channel",
        "ShippingZone",
        "Warehouse",
        "Attribute",
        "ProductType",
        "Category",
        "Product",
        "ProductVariant",
    }
)


class Store:
    """CRUD over :class:`StandInDocument` rows (one instance per operation).

    Catalogue kinds are loaded whole on first use and kept in an identity map for the
    operation, so a listing of 24 products costs a handful of queries, not hundreds.
    """

    def __init__(self) -> None:
        self._channels: dict[str, Json] = {}
        self._loaded: dict[str, dict[str, Json]] = {}

    def forget(self) -> None:
        """Drop the identity map (after a rolled-back mutation changed documents in memory)."""
        self._channels.clear()
        self._loaded.clear()

    def _kind(self, kind: str) -> dict[str, Json]:
        if kind not in self._loaded:
            rows = (
                StandInDocument.objects.filter(kind=kind)
                .order_by("created_at", "id")
                .values_list("data", flat=True)
            )
            self._loaded[kind] = {doc["key"]: doc for doc in rows}
        return self._loaded[kind]

    def get(self, kind: str, key: str) -> Json | None:
        """The document or None."""
        if kind in PRELOADED:
            return self._kind(kind).get(key)
        row = StandInDocument.objects.filter(kind=kind, key=key).only("data").first()
        return row.data if row else None

    def get_by_gid(self, value: str, *kinds: str) -> tuple[str, Json]:
        """The document named by a global ID.

        Raises
        ------
        UserError
            ``NOT_FOUND`` when it does not exist.
        """
        kind, key = parse_gid(value, *kinds)
        doc = self.get(kind, key)
        if doc is None:
            raise UserError("NOT_FOUND", f"Couldn't resolve to a node: {value}", "id")
        return kind, doc

    def find(self, value: str | None, *kinds: str) -> Json | None:
        """The document named by a global ID, or None (for queries)."""
        if not value:
            return None
        try:
            return self.get_by_gid(value, *kinds)[1]
        except UserError:
            return None

    def put(self, kind: str, doc: Json) -> Json:
        """Insert or replace ``doc`` (its ``key`` field names it)."""
        doc["updatedAt"] = now_iso()
        StandInDocument.objects.update_or_create(kind=kind, key=doc["key"], defaults={"data": doc})
        if kind in self._loaded:
            self._loaded[kind][doc["key"]] = doc
        return doc

    def delete(self, kind: str, key: str) -> None:
        """Remove a document."""
        StandInDocument.objects.filter(kind=kind, key=key).delete()
        if kind in self._loaded:
            self._loaded[kind].pop(key, None)

    def all(self, kind: str) -> list[Json]:
        """Every document of ``kind``, oldest first."""
        if kind in PRELOADED:
            return list(self._kind(kind).values())
        return list(
            StandInDocument.objects.filter(kind=kind)
            .order_by("created_at", "id")
            .values_list("data", flat=True)
        )

    def variants_by_product(self) -> dict[str, list[Json]]:
        """Variants grouped by product key (oldest first)."""
        grouped: dict[str, list[Json]] = {}
        for variant in self.all("ProductVariant"):
            grouped.setdefault(variant["product"], []).append(variant)
        return grouped

    def count(self, kind: str) -> int:
        """How many documents of ``kind``."""
        return StandInDocument.objects.filter(kind=kind).count()

    def channel(self, slug: str | None = None) -> Json | None:
        """The channel with ``slug`` (default: the configured one), or None.

        The configured channel is provisioned on first use with a "Pays de Mormal" shipping
        zone for France, as staff would set up a real Saleor (``manage.py saleor_setup``).
        Deterministic keys make concurrent first uses harmless.
        """
        slug = slug or settings.SALEOR_CHANNEL
        if slug in self._channels:
            return self._channels[slug]
        found = next((c for c in self.all("Channel") if c["slug"] == slug), None)
        if found is None and slug == settings.SALEOR_CHANNEL:
            found = self.put(
                "Channel",
                {
                    "key": "default",
                    "slug": slug,
                    "name": "Pays de Mormal",
                    "currencyCode": "EUR",
                    "defaultCountry": "FR",
                    "warehouses": [],
                },
            )
            self.put(
                "ShippingZone",
                {
                    "key": "default",
                    "name": "Pays de Mormal",
                    "description": "",
                    "countries": ["FR"],
                    "warehouses": [],
                    "channels": ["default"],
                },
            )
        if found is not None:
            self._channels[slug] = found
        return found


@dataclass
class Context:
    """Per-operation state: events to emit after the operation and a document cache."""

    store: Store = field(default_factory=lambda: Store())
    events: list[tuple[str, Json]] = field(default_factory=list)

    def emit(self, event_type: str, root: Json) -> None:
        """Queue a webhook event whose subscription root is ``root``."""
        self.events.append((event_type, root))


def connection(nodes: list[Json], first: int | None, after: str | None = None) -> Json:
    """A Relay connection over ``nodes`` (cursor = base64 offset)."""
    start = 0
    if after:
        try:
            start = int(base64.b64decode(after).decode().split(":")[1]) + 1
        except (ValueError, IndexError, binascii.Error):
            start = 0
    end = start + (first if first is not None else 100)
    page = nodes[start:end]
    cursors = [
        base64.b64encode(f"offset:{i}".encode()).decode() for i in range(start, start + len(page))
    ]
    return {
        "totalCount": len(nodes),
        "pageInfo": {
            "hasNextPage": end < len(nodes),
            "hasPreviousPage": start > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
        "edges": [{"node": n, "cursor": c} for n, c in zip(page, cursors, strict=True)],
    }
