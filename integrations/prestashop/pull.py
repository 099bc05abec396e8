"""Read a shop's catalogue page by page through the client; pure Python, no Django.

One page of products costs three requests whatever its size: the products
(``display=full``), their combinations and their stock rows (both filtered with
``filter[id_product]=[1|2|...]``). Reference data (languages, taxes, categories, option
values, manufacturers/suppliers/shops) is read once per pull.

A page whose body cannot be parsed is re-read id by id, so that one malformed record is logged
and skipped with its id while the rest of the page goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from .catalogue import Catalogue, Product, Skipped, Vendor
from .client import between, one_of
from .errors import (
    LanguageNotFrench,
    LanguageUnknown,
    MalformedResponse,
    PrestaShopAuthError,
    PrestaShopError,
)
from .mapping import (
    FRENCH,
    MappingError,
    ShopContext,
    as_int,
    french_text,
    map_category,
    map_product,
    map_vendor,
    tax_rates_by_group,
    text,
)
from .ports import PrestaShopPort

log = logging.getLogger(__name__)
FRANCE_DEFAULT_COUNTRY_ID = 8  # id of France in a stock PrestaShop install


def source_key(url: str) -> str:
    """Stable prefix of our external references for one shop: ``prestashop:<host>``."""
    return "prestashop:" + urlsplit(url).netloc


def shop_url(client: PrestaShopPort) -> str:
    """Public shop root (the Webservice root without ``api/``)."""
    return client.root[: -len("api/")]


def optional_list(client: PrestaShopPort, resource: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Read reference data that the bridge can do without; log and return ``[]`` if refused.

    Only a refusal of this resource is survived (PrestaShop's 401 code 26, another 4xx with
    PrestaShop's error body); what goes without it is then unknown, never guessed (no tax
    rules: every rate unknown).

    Raises
    ------
    PrestaShopAuthError
        If the key itself is refused (codes 16-21, or a 401 without a PrestaShop code).
    NotPrestaShopAnswer, MalformedResponse, PrestaShopTransportError
        If the answer is not PrestaShop's or the shop does not answer: nothing read then is true.
    """
    try:
        return [r for _, r in _all_pages(client, resource, page_size=1000, **kwargs)]
    except PrestaShopAuthError as exc:
        if exc.code != 26:
            raise
        log.warning("PrestaShop %s not readable with this key (%s); going on without it", resource, exc)
    except PrestaShopError as exc:
        if type(exc) is not PrestaShopError or exc.status is None or not 400 <= exc.status < 500:
            raise
        log.warning("PrestaShop %s could not be read (%s); going on without it", resource, exc)
    return []


def refused_to_this_key(exc: PrestaShopError) -> bool:
    """Whether ``exc`` only says this key may not read that resource (the key itself is fine).

    That is PrestaShop's 401 code 26 (resource not allowed), 405 code 25 (method not allowed),
    or a 403/404 on the resource. A refused key (codes 16-21), a server that did not answer and
    an answer that is not PrestaShop's are not: they stop the run.
    """
    if isinstance(exc, PrestaShopAuthError):
        return exc.code == 26
    return type(exc) is PrestaShopError and exc.status in (403, 404, 405)


@dataclass(frozen=True)
class Languages:
    """The shop's language ids and ISO codes, and which id is French (found how)."""

    iso_by_id: dict[str, str]
    french_id: int | None
    found_from: str  # "iso_code" (read from the shop) or "given" (--language-id, the source's field)


def read_languages(client: PrestaShopPort, *, french_id: int | None = None) -> Languages:
    """Read ``languages`` and find French by its ISO code, whatever its id.

    Parameters
    ----------
    french_id : int, optional
        The French language id, given by a person (``--language-id``, the source's field). It
        is checked against the shop when ``languages`` is readable, and used as is when not.

    Raises
    ------
    LanguageUnknown
        When ``languages`` cannot be read and no ``french_id`` was given: the bridge never picks
        a language by itself (language 1 is English on many shops).
    LanguageNotFrench
        When ``french_id`` is readable on the shop as another language.
    PrestaShopAuthError
        When the key itself is refused.
    """
    url = client.root + "languages"
    try:
        rows = [r for _, r in _all_pages(client, "languages", page_size=1000, display="[id,iso_code]")]
        cause: PrestaShopError | str = "the shop listed no language"
    except PrestaShopError as exc:
        if not refused_to_this_key(exc):
            raise
        rows, cause = [], exc
    if rows:
        iso_by_id = {text(r.get("id")): text(r.get("iso_code")).lower() for r in rows if text(r.get("id"))}
        if french_id is not None:
            if iso_by_id.get(str(french_id)) != FRENCH:
                raise LanguageNotFrench(french_id, iso_by_id.get(str(french_id), ""), url)
            return Languages(iso_by_id, french_id, "given")
        french = sorted(int(i) for i, iso in iso_by_id.items() if iso == FRENCH and i.isdigit())
        if not french:
            log.warning("PrestaShop %s lists no French language: every product will wait for review", client.root)
        return Languages(iso_by_id, french[0] if french else None, "iso_code")
    if french_id is None:
        raise LanguageUnknown(cause, url)
    log.warning("PrestaShop languages not readable (%s); French is language %d as given", cause, french_id)
    return Languages({str(french_id): FRENCH}, french_id, "given")


def _all_pages(client: PrestaShopPort, resource: str, *, page_size: int, **kwargs: Any) -> Iterator[tuple[int, dict]]:
    for _offset, records, _skipped, _n in resilient_pages(client, resource, page_size=page_size, **kwargs):
        for record in records:
            yield _offset, record


def resilient_pages(
    client: PrestaShopPort, resource: str, *, page_size: int, start: int = 0, skipped_out: list | None = None,
    **kwargs: Any,
) -> Iterator[tuple[int, list[dict[str, Any]], list[Skipped], int]]:
    """Yield ``(offset, records, skipped, rows_in_page)``; a malformed page is re-read id by id."""
    kwargs.setdefault("sort", "[id_ASC]")
    offset = start
    while True:
        skipped: list[Skipped] = []
        try:
            records = client.get_list(resource, offset=offset, count=page_size, **kwargs)
            rows = len(records)
        except MalformedResponse as exc:
            log.warning("PrestaShop %s page at offset %d is malformed (%s); reading it id by id", resource, offset, exc)
            ids = client.get_list(resource, offset=offset, count=page_size, **{**kwargs, "display": None})
            rows, records = len(ids), []
            for item in ids:
                try:
                    records.append(client.get_record(resource, item["id"]))
                except (MalformedResponse, PrestaShopError) as one_exc:
                    if isinstance(one_exc, PrestaShopAuthError):
                        raise
                    log.error("PrestaShop %s %s skipped: %s", resource, item["id"], one_exc)
                    skipped.append(Skipped(resource, str(item["id"]), str(one_exc)))
        if skipped_out is not None:
            skipped_out.extend(skipped)
        yield offset, records, skipped, rows
        if rows < page_size:
            return
        offset += page_size


@dataclass
class ProductPage:
    """One page of mapped products, and where the next page starts."""

    offset: int
    next_offset: int
    products: list[Product]
    skipped: list[Skipped]
    last: bool
    max_date_upd: str = ""


@dataclass
class ShopReading:
    """Reference data read once per pull."""

    ctx: ShopContext
    languages: Languages
    vendors: dict[str, Vendor] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)


def read_reference(client: PrestaShopPort, *, vendor_mode: str = "manufacturer", country_iso: str = "FR",
                   french_id: int | None = None) -> ShopReading:
    """Read languages (first), taxes, categories, option values and vendors.

    Raises
    ------
    PrestaShopAuthError
        If the key is refused (codes 16, 17, 18, 20, 21).
    LanguageUnknown, LanguageNotFrench
        See :func:`read_languages`.
    """
    found = read_languages(client, french_id=french_id)
    languages = found.iso_by_id
    countries = optional_list(client, "countries", display="[id,iso_code]", filters={"iso_code": f"[{country_iso}]"})
    country_id = as_int(countries[0].get("id"), "country id") if countries else FRANCE_DEFAULT_COUNTRY_ID
    rates = tax_rates_by_group(
        optional_list(client, "tax_rules", filters={"id_country": f"[{country_id}]"}),
        optional_list(client, "taxes"),
        country_id,
    )
    ctx = ShopContext(shop_url=shop_url(client), source_key=source_key(client.root), languages=languages,
                      tax_rates=rates, vendor_mode=vendor_mode)
    reading = ShopReading(ctx=ctx, languages=found)
    for raw in optional_list(client, "categories", display="[id,id_parent,name]"):
        try:
            category = map_category(raw, languages)
            ctx.categories[category.ps_id] = category
        except MappingError as exc:
            reading.skipped.append(Skipped("categories", text(raw.get("id")), str(exc)))
    groups = {text(g.get("id")): (french_text(g.get("public_name"), languages) or french_text(g.get("name"), languages)
                                  or f"Option {text(g.get('id'))}")
              for g in optional_list(client, "product_options")}
    for value in optional_list(client, "product_option_values"):
        value_id = as_int(value.get("id"), "option value id")
        if value_id:
            ctx.option_values[value_id] = (groups.get(text(value.get("id_attribute_group")), "Option"),
                                           french_text(value.get("name"), languages) or f"Valeur {value_id}")
    for feature in optional_list(client, "product_features"):
        feature_id = as_int(feature.get("id"), "feature id")
        if feature_id:
            ctx.features[feature_id] = french_text(feature.get("name"), languages)
    for value in optional_list(client, "product_feature_values"):
        value_id = as_int(value.get("id"), "feature value id")
        if value_id:
            ctx.feature_values[value_id] = french_text(value.get("value"), languages)
    kinds = [vendor_mode, "shop"] if vendor_mode != "shop" else ["shop"]
    resource = {"manufacturer": "manufacturers", "supplier": "suppliers", "shop": "shops"}
    for kind in kinds:
        for raw in optional_list(client, resource[kind]):
            try:
                vendor = map_vendor(kind, raw, languages)
                reading.vendors[vendor.ref] = vendor
            except MappingError as exc:
                reading.skipped.append(Skipped(resource[kind], text(raw.get("id")), str(exc)))
    shops = [v for v in reading.vendors.values() if v.kind == "shop"]
    if shops:
        ctx.default_shop_id = min(v.ps_id for v in shops)
    return reading


def _by_product(client: PrestaShopPort, resource: str, product_ids: list[int], skipped: list[Skipped]) -> dict[int, list]:
    grouped: dict[int, list] = {pid: [] for pid in product_ids}
    if not product_ids:
        return grouped
    for _, record in _all_pages(client, resource, page_size=1000, skipped_out=skipped,
                                display="full", filters={"id_product": one_of(product_ids)}):
        try:
            pid = as_int(record.get("id_product"), f"{resource} id_product")
        except MappingError as exc:
            skipped.append(Skipped(resource, text(record.get("id")), str(exc)))
            continue
        grouped.setdefault(pid or 0, []).append(record)
    return grouped


def iter_product_pages(
    client: PrestaShopPort, reading: ShopReading, *, page_size: int = 100, start: int = 0,
    since: str | None = None, until: str | None = None,
) -> Iterator[ProductPage]:
    """Yield mapped pages of products from ``start`` (an offset in ``sort=[id_ASC]`` order).

    ``since``/``until`` (``YYYY-MM-DD HH:MM:SS``, shop time) select products by ``date_upd``
    with ``date=1``, for incremental runs.
    """
    filters, date = {}, False
    if since:
        filters["date_upd"] = between(since, until or "9999-12-31 23:59:59")
        date = True
    for offset, raws, skipped, rows in resilient_pages(client, "products", page_size=page_size, start=start,
                                                       display="full", filters=filters, date=date):
        ids = [pid for pid in (_safe_id(r) for r in raws) if pid]
        combos = _by_product(client, "combinations", ids, skipped)
        stocks = _by_product(client, "stock_availables", ids, skipped)
        products, max_upd = [], ""
        for raw in raws:
            pid = _safe_id(raw)
            try:
                product = map_product(raw, combos.get(pid or 0, []), stocks.get(pid or 0, []), reading.ctx)
            except MappingError as exc:
                log.error("PrestaShop product %s skipped: %s", text(raw.get("id")) or "?", exc)
                skipped.append(Skipped("products", text(raw.get("id")) or "?", str(exc)))
                continue
            products.append(product)
            max_upd = max(max_upd, product.date_upd)
        yield ProductPage(offset=offset, next_offset=offset + rows, products=products, skipped=skipped,
                          last=rows < page_size, max_date_upd=max_upd)


def _safe_id(raw: dict) -> int | None:
    try:
        return as_int(raw.get("id"), "product id")
    except MappingError:
        return None


def pull_catalogue(
    client: PrestaShopPort, *, page_size: int = 100, vendor_mode: str = "manufacturer",
    since: str | None = None, until: str | None = None, french_id: int | None = None,
) -> Catalogue:
    """Read the whole catalogue (or what changed since ``since``) into a :class:`Catalogue`.

    ``french_id`` is the French language id when a person gives it (see :func:`read_languages`).

    Raises
    ------
    LanguageUnknown
        When ``languages`` is not readable and ``french_id`` was not given.
    PrestaShopAuthError
        On a refused key, naming PrestaShop's code.
    PrestaShopTransportError
        When the shop keeps failing after the client's retries.
    """
    client.probe()
    reading = read_reference(client, vendor_mode=vendor_mode, french_id=french_id)
    catalogue = Catalogue(source_url=shop_url(client), fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                          ps_version=client.version, languages=dict(reading.ctx.languages),
                          french_language_id=reading.languages.french_id,
                          french_language_from=reading.languages.found_from, skipped=list(reading.skipped))
    for page in iter_product_pages(client, reading, page_size=page_size, since=since, until=until):
        catalogue.products.extend(page.products)
        catalogue.skipped.extend(page.skipped)
    used = {p.vendor_ref for p in catalogue.products}
    catalogue.vendors = [reading.vendors.get(ref) or Vendor(ref, ref.split(":")[0], int(ref.split(":")[1]), ref)
                         for ref in sorted(used)]
    catalogue.categories = sorted(reading.ctx.categories.values(), key=lambda c: c.ps_id)
    catalogue.ps_version = client.version
    catalogue.request_count = client.request_count
    return catalogue

