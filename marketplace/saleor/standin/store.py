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

from common.money import round_cents, to_cents
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
    value = round_cents(amount)
    return {
        "currency": currency,
        "amount": float(value),
        "fractionalAmount": to_cents(value),
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


#: Kinds small enough to load whole, once per operation (set-up objects: a handful per vendor).
PRELOADED = frozenset(
    {"Channel", "ShippingZone", "Warehouse", "Attribute", "ProductType", "Category"}
)

#: Kinds that grow with the catalogue: looked up one by one through indexed columns, and kept
#: in the operation's identity map so that a document read twice is the same dict.
KEYED = frozenset({"Product", "ProductVariant"})

#: Document field copied to the indexed ``parent`` column, per kind.
PARENT_FIELD = {"ProductVariant": "product"}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _columns(kind: str, doc: Json) -> Json:
    """Indexed columns derived from a document (kept in step on every write)."""
    return {
        "slug": _text(doc.get("slug")),
        "sku": _text(doc.get("sku")),
        "parent": _text(doc.get(PARENT_FIELD[kind])) if kind in PARENT_FIELD else None,
    }


class Store:
    """CRUD over :class:`StandInDocument` rows (one instance per operation).

    Set-up kinds (:data:`PRELOADED`) are loaded whole on first use. Catalogue kinds
    (:data:`KEYED`) are read only as needed, by key, slug, SKU or parent product through
    indexed columns, so one operation costs the same with 50 or 50,000 products. Both keep an
    identity map for the operation.
    """

    def __init__(self) -> None:
        self._channels: dict[str, Json] = {}
        self._loaded: dict[str, dict[str, Json]] = {}
        self._docs: dict[tuple[str, str], Json | None] = {}
        self._children: dict[tuple[str, str], list[Json]] = {}

    def forget(self) -> None:
        """Drop the identity map (after a rolled-back mutation changed documents in memory)."""
        self._channels.clear()
        self._loaded.clear()
        self._docs.clear()
        self._children.clear()

    def _kind(self, kind: str) -> dict[str, Json]:
        if kind not in self._loaded:
            # every set-up kind not read yet, in one query: most operations need several
            missing = [k for k in PRELOADED if k not in self._loaded]
            for name in missing:
                self._loaded[name] = {}
            rows = (
                StandInDocument.objects.filter(kind__in=missing)
                .order_by("created_at", "id")
                .values_list("kind", "data")
            )
            for name, doc in rows:
                self._loaded[name][doc["key"]] = doc
        return self._loaded[kind]

    def _mapped(self, kind: str, rows) -> list[Json]:
        """Rows' documents, through the identity map (a document already read wins)."""
        docs = []
        for doc in rows:
            known = self._docs.get((kind, doc["key"]))
            if known is None:
                self._docs[(kind, doc["key"])] = known = doc
            docs.append(known)
        return docs

    def _rows(self, kind: str, **where: Any):
        return (
            StandInDocument.objects.filter(kind=kind, **where)
            .order_by("created_at", "id")
            .values_list("data", flat=True)
        )

    def get(self, kind: str, key: str) -> Json | None:
        """The document or None."""
        if kind in PRELOADED:
            return self._kind(kind).get(key)
        if kind in KEYED:
            if (kind, key) not in self._docs:
                self._docs[(kind, key)] = next(iter(self._rows(kind, key=key)[:1]), None)
            return self._docs[(kind, key)]
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

    def get_many(self, kind: str, keys: list[str]) -> dict[str, Json]:
        """The documents of ``kind`` among ``keys`` (one query for those not yet read)."""
        if kind in PRELOADED:
            return {k: d for k in keys if (d := self._kind(kind).get(k)) is not None}
        missing = [k for k in dict.fromkeys(keys) if (kind, k) not in self._docs]
        if missing:
            self._mapped(kind, self._rows(kind, key__in=missing))
            for k in missing:
                self._docs.setdefault((kind, k), None)
        return {k: d for k in keys if (d := self._docs.get((kind, k))) is not None}

    def find_one(self, kind: str, **column: str) -> Json | None:
        """The oldest document of ``kind`` whose indexed column (slug, sku) has this value."""
        ((name, value),) = column.items()
        if kind in PRELOADED:
            return next((d for d in self._kind(kind).values() if d.get(name) == value), None)
        found = self._mapped(kind, self._rows(kind, **{name: value})[:1])
        return found[0] if found else None

    def taken(self, kind: str, name: str, value: str, except_key: str | None = None) -> bool:
        """Whether another document of ``kind`` than ``except_key`` has ``name`` = ``value``.

        ``name`` is an indexed column (``slug`` or ``sku``).
        """
        if kind in PRELOADED:
            return any(
                d.get(name) == value and d["key"] != except_key for d in self._kind(kind).values()
            )
        rows = StandInDocument.objects.filter(kind=kind, **{name: value})
        if except_key is not None:
            rows = rows.exclude(key=except_key)
        return rows.exists()

    def children(self, kind: str, parent: str) -> list[Json]:
        """Documents of ``kind`` whose parent (see :data:`PARENT_FIELD`) is ``parent``, oldest first."""
        if (kind, parent) not in self._children:
            self._children[(kind, parent)] = self._mapped(kind, self._rows(kind, parent=parent))
        return self._children[(kind, parent)]

    def prefetch_children(self, kind: str, parents: list[str]) -> None:
        """Read the children of several parents with one query (before a page of products)."""
        wanted = [p for p in dict.fromkeys(parents) if (kind, p) not in self._children]
        if not wanted:
            return
        for p in wanted:
            self._children[(kind, p)] = []
        for doc in self._mapped(kind, self._rows(kind, parent__in=wanted)):
            self._children[(kind, doc[PARENT_FIELD[kind]])].append(doc)

    def query(self, kind: str, where=None) -> list[Json]:
        """Documents of ``kind`` matching a Django ``Q`` over :class:`StandInDocument`, oldest first."""
        rows = StandInDocument.objects.filter(kind=kind)
        if where is not None:
            rows = rows.filter(where)
        docs = rows.order_by("created_at", "id").values_list("data", flat=True)
        return self._mapped(kind, docs) if kind in KEYED else list(docs)

    def put(self, kind: str, doc: Json) -> Json:
        """Insert or replace ``doc`` (its ``key`` field names it), in one statement."""
        doc["updatedAt"] = now_iso()
        columns = _columns(kind, doc)
        StandInDocument.objects.bulk_create(
            [StandInDocument(kind=kind, key=doc["key"], data=doc, **columns)],
            update_conflicts=True,
            unique_fields=["kind", "key"],
            update_fields=["data", "updated_at", *columns],
        )
        if kind in self._loaded:
            self._loaded[kind][doc["key"]] = doc
        if kind in KEYED:
            old = self._docs.get((kind, doc["key"]))
            self._docs[(kind, doc["key"])] = doc
            self._refresh_children(kind, old, doc)
        return doc

    def _refresh_children(self, kind: str, old: Json | None, new: Json | None) -> None:
        field_name = PARENT_FIELD.get(kind)
        if field_name is None:
            return
        for doc in (old, new):
            if doc is not None:
                self._children.pop((kind, doc.get(field_name)), None)

    def delete(self, kind: str, key: str) -> None:
        """Remove a document."""
        StandInDocument.objects.filter(kind=kind, key=key).delete()
        if kind in self._loaded:
            self._loaded[kind].pop(key, None)
        if kind in KEYED:
            self._refresh_children(kind, self._docs.get((kind, key)), None)
            self._docs[(kind, key)] = None

    def all(self, kind: str) -> list[Json]:
        """Every document of ``kind``, oldest first."""
        if kind in PRELOADED:
            return list(self._kind(kind).values())
        if kind in KEYED:
            return self.query(kind)
        return list(self._rows(kind))

    def variants_of(self, product_key: str) -> list[Json]:
        """The product's variants, oldest first."""
        return self.children("ProductVariant", product_key)

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
