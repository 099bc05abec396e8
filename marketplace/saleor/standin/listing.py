"""Narrow a ``products`` query in PostgreSQL before the stand-in's own filter runs.

:func:`narrowing` turns the parts of Saleor's ``ProductFilterInput`` that map onto indexed
columns or JSONB containment (GIN index) into a ``Q`` whose rows are a superset of the
matches: the resolver still applies its exact filter to what comes back, so answers are
unchanged while a listing reads only the candidate products, not the whole catalogue.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from marketplace.saleor.models import StandInDocument
from marketplace.saleor.standin.store import Json, UserError, gid, parse_gid

#: Filter fields :func:`narrowing` applies exactly when ``isPublished`` is true or absent.
EXACT_FIELDS = frozenset(
    {"isPublished", "ids", "slugs", "categories", "metadata", "attributes", "stocks"}
)


def _keys(ids: list[str], kind: str) -> list[str]:
    """Keys of the well-formed global IDs of ``kind`` (others cannot match anything)."""
    keys = []
    for value in ids:
        try:
            _kind, key = parse_gid(value, kind)
        except UserError:
            continue
        if gid(kind, key) == value:
            keys.append(key)
    return keys


def _search(words: list[str]) -> Q:
    """Each ASCII word in the name, slug, description or a variant's SKU (case-insensitive)."""
    q = Q()
    for word in words:
        if not word.isascii():
            continue  # PostgreSQL and Python may fold non-ASCII case differently: leave it to Python
        sku = StandInDocument.objects.filter(
            kind="ProductVariant", parent=OuterRef("key"), sku__icontains=word
        )
        q &= (
            Q(data__name__icontains=word)
            | Q(slug__icontains=word)
            | Q(data__description__icontains=word)
            | Exists(sku)
        )
    return q


def _attributes(wanted: list[Json], attribute_key: Callable[[str], str | None]) -> Q:
    """Products with one of the wanted value slugs for each wanted attribute."""
    q = Q()
    for item in wanted:
        key = attribute_key(item["slug"])
        if key is None or not item.get("values"):
            return Q(pk__in=[])  # an unknown attribute or no value: nothing matches
        any_value = Q(pk__in=[])
        for slug in item["values"]:
            shape = {"attributes": [{"attribute": key, "values": [{"slug": slug}]}]}
            any_value |= Q(data__contains=shape)
        q &= any_value
    return q


def _stocked_in(warehouse_ids: list[str]) -> Q:
    """Products with a variant holding a stock row in one of the warehouses.

    Raises
    ------
    UserError
        For an id that is not a Warehouse global ID (as the resolver's own filter would).
    """
    any_row = Q(pk__in=[])
    for value in warehouse_ids:
        shape = {"stocks": [{"warehouse": parse_gid(value, "Warehouse")[1]}]}
        any_row |= Q(data__contains=shape)
    variants = StandInDocument.objects.filter(
        any_row, kind="ProductVariant", parent=OuterRef("key")
    )
    return Q(Exists(variants))


def narrowing(
    flt: Json, search: str, channel_key: str, attribute_key: Callable[[str], str | None]
) -> Q:
    """A ``Q`` over Product rows keeping at least every product the filter matches.

    ``attribute_key`` maps an attribute slug to its document key (None when unknown).
    """
    q = Q()
    if flt.get("attributes"):
        q &= _attributes(flt["attributes"], attribute_key)
    if flt.get("stocks") and flt["stocks"].get("warehouseIds"):
        q &= _stocked_in(flt["stocks"]["warehouseIds"])
    if flt.get("isPublished") is True:
        q &= Q(data__contains={"channelListings": [{"channel": channel_key, "isPublished": True}]})
    if flt.get("ids"):
        q &= Q(key__in=_keys(flt["ids"], "Product"))
    if flt.get("slugs"):
        q &= Q(slug__in=list(flt["slugs"]))
    if flt.get("categories"):
        q &= Q(data__category__in=_keys(flt["categories"], "Category"))
    for item in flt.get("metadata") or []:
        if "value" in item:
            q &= Q(data__contains={"metadata": {item["key"]: item["value"]}})
        else:
            q &= Q(data__metadata__has_key=item["key"])
    if search:
        q &= _search(search.lower().split())
    return q


def is_exact(flt: Json, search: str) -> bool:
    """Whether :func:`narrowing` alone decides the filter (no row needs the Python check)."""
    used = {name for name, value in flt.items() if value not in (None, [], {}, "")}
    return not search and used <= EXACT_FIELDS and flt.get("isPublished") is not False
