"""Reads for the shopper's pages: products from Saleor (through the port) joined with our vendors.

Saleor holds the catalogue; the vendor's name, kind and commune come from our vendors table,
looked up in one query per page. Saleor's answers and the rendered catalogue fragments are
cached under a *catalogue version*: :func:`forget_catalogue` moves to a new version whenever
the catalogue changes (a product or stock written through the port, Saleor's
PRODUCT_VARIANT_STOCK_UPDATED webhook, a vendor edited), so a change shows at once; the
time-to-live only bounds what no signal announces (an allocation by another shopper).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache

from common import money
from delivery import coldchain
from marketplace.saleor import port
from marketplace.vendors.models import Vendor

PAGE_SIZE = 24
#: Browsing pages reuse Saleor's answers this long (seconds); stock is checked again at checkout.
CATALOGUE_TTL_S = 30
VERSION_KEY = "storefront:catalogue-version"
#: Saleor's product type kind of the e-vouchers: sold on their own page (``/boutique/cheques-cadeaux/``).
GIFT_CARD = "GIFT_CARD"

TEMPERATURE_LABELS = {c: coldchain.SHORT_LABELS[c] for c in (coldchain.CHILLED, coldchain.FROZEN)}  # ambient: no badge
ORIGIN_LABELS = {"farm": "De la ferme", "shop": "De la boutique"}
UNIT_LABELS = {"kg": "kg", "unit": "pièce", "l": "litre"}


@dataclass(frozen=True)
class Offer:
    """One variant as a shopper sees it: price, price per unit, availability."""

    variant_id: str
    name: str
    price: Decimal
    unit_price: Decimal | None
    unit_label: str
    available: int
    #: The most a shopper may put in the cart: the stock on sale, capped by Saleor's per-line limit.
    max_quantity: int = 0


@dataclass(frozen=True)
class ProductView:
    """A product with its vendor facts, ready for a template."""

    id: str
    slug: str
    name: str
    description: str
    image_url: str | None
    temperature: str
    temperature_label: str
    origin_label: str
    vendor: Vendor | None
    offers: tuple[Offer, ...]

    @property
    def available(self) -> bool:
        """Whether at least one variant is in stock."""
        return any(o.available > 0 for o in self.offers)

    @property
    def from_price(self) -> Decimal | None:
        """The lowest variant price, in euros."""
        prices = [o.price for o in self.offers]
        return min(prices) if prices else None


def catalogue_version() -> int:
    """The current catalogue version: part of every cached catalogue key.

    A version lost from the cache restarts from the clock (microseconds), never from a number
    an older cached answer may still carry.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns() // 1000, None)
        version = cache.get(VERSION_KEY, 0)
    return int(version)


def forget_catalogue(*_args, **_kwargs) -> None:
    """Make every cached catalogue answer and fragment stale (signal and webhook receiver)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the next read starts one
        pass


def line_limit(saleor: port.SaleorPort | None = None) -> int | None:
    """Saleor's shop-wide most of one variant per checkout line (cached ten minutes)."""
    found = cache.get("storefront:line-limit")
    if found is None:
        limit = (saleor or port.get_saleor()).setup.checkout_line_limit()
        found = {"limit": limit}
        cache.set("storefront:line-limit", found, 600)
    return found["limit"]


def max_quantity(available: int | None, variant_limit: int | None, shop_limit: int | None) -> int:
    """The most of a variant one cart line may hold: what is on sale, within Saleor's limit.

    Saleor's rule: the variant's ``quantityLimitPerCustomer`` when set, else the shop's
    ``limitQuantityPerCheckout``; None for either bound means no bound from it.
    """
    limit = variant_limit or shop_limit
    bounds = [b for b in (available, limit) if b is not None]
    return max(0, min(bounds)) if bounds else 0


def _offer(variant: port.Variant, unit: str, shop_limit: int | None) -> Offer:
    price = variant.price.amount if variant.price else Decimal("0")
    try:
        quantity = Decimal(variant.metadata.get("mormal.unit_quantity", "1"))
    except ArithmeticError:
        quantity = Decimal("1")
    unit_price = money.per_unit(price, quantity)
    return Offer(variant.id, variant.name, price, unit_price, UNIT_LABELS.get(unit, unit), variant.quantity_available,
                 max_quantity(variant.quantity_available, variant.quantity_limit, shop_limit))


def _views(products: tuple[port.Product, ...] | list[port.Product]) -> list[ProductView]:
    # e-vouchers (gift-card products) are sold on their own page, never with the goods
    products = [p for p in products if p.product_type.kind != GIFT_CARD]
    slugs = {p.vendor_slug for p in products if p.vendor_slug}
    vendors = {v.slug: v for v in Vendor.objects.filter(slug__in=slugs).select_related("commune")}
    views = []
    shop_limit = line_limit() if products else None
    for p in products:
        temperature = p.attributes.get("temperature", "ambient")
        unit = p.attributes.get("unit", p.metadata.get("mormal.unit", "unit"))
        views.append(ProductView(
            id=p.id, slug=p.slug, name=p.name, description=p.description, image_url=p.thumbnail_url,
            temperature=temperature, temperature_label=TEMPERATURE_LABELS.get(temperature, ""),
            origin_label=ORIGIN_LABELS.get(p.attributes.get("origin", ""), ""),
            vendor=vendors.get(p.vendor_slug or ""), offers=tuple(_offer(v, unit, shop_limit) for v in p.variants),
        ))
    return views


def search(text: str = "", category_id: str = "", vendor_slugs: tuple[str, ...] = (), after: str | None = None,
           saleor: port.SaleorPort | None = None) -> tuple[list[ProductView], port.ProductPage]:
    """One page of published products matching the filters, with vendor facts (cached with them)."""
    query = port.ProductQuery(search=text, category_ids=(category_id,) if category_id else (),
                              vendor_slugs=tuple(vendor_slugs), first=PAGE_SIZE, after=after)
    key = f"storefront:products:{catalogue_version()}:" + hashlib.sha256(repr(query).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        page = (saleor or port.get_saleor()).catalogue.list_products(query)
        found = (_views(page.products), page)
        cache.set(key, found, CATALOGUE_TTL_S)
    return found


def product(slug: str, saleor: port.SaleorPort | None = None) -> ProductView | None:
    """The product with ``slug``, or None when unknown or unpublished (cached with its vendor)."""
    key = f"storefront:product:{catalogue_version()}:{slug}"
    found = cache.get(key)
    if found is None:
        item = (saleor or port.get_saleor()).catalogue.get_product(slug=slug)
        shown = item is not None and item.is_published and item.product_type.kind != GIFT_CARD
        found = {"view": _views([item])[0] if shown else None}
        cache.set(key, found, CATALOGUE_TTL_S)
    return found["view"]


def products_by_id(ids: list[str], saleor: port.SaleorPort | None = None) -> dict[str, ProductView]:
    """Products by Saleor id (used to know what a cart holds)."""
    if not ids:
        return {}
    page = (saleor or port.get_saleor()).catalogue.list_products(port.ProductQuery(ids=tuple(ids), first=len(ids), only_published=False))
    return {v.id: v for v in _views(page.products)}


def categories(saleor: port.SaleorPort | None = None) -> list[port.Category]:
    """Saleor's categories (they change rarely: cached for ten minutes)."""
    found = cache.get("storefront:categories")
    if found is None:
        found = (saleor or port.get_saleor()).catalogue.list_categories()
        cache.set("storefront:categories", found, 600)
    return found


def active_vendors():
    """Vendors shown in the storefront, with their commune."""
    return Vendor.objects.filter(active=True).select_related("commune").order_by("name")


def communes_with_vendors():
    """Communes that have at least one active vendor (the catalogue's filter by commune)."""
    from marketplace.territory.models import Commune

    return Commune.objects.filter(vendors__active=True).distinct().order_by("name")


class Listing:
    """One catalogue page, read only when a template asks for it.

    The views hand this to templates whose product grid sits in a ``{% cache %}`` fragment keyed
    by :attr:`cache_key`: when the fragment is cached, neither Saleor nor the database is read.
    """

    def __init__(self, text: str = "", category_id: str = "", vendor_slugs: tuple[str, ...] = (),
                 after: str | None = None, saleor: port.SaleorPort | None = None):
        self.text, self.category_id, self.vendor_slugs, self.after = text, category_id, tuple(vendor_slugs), after
        self._saleor = saleor

    @property
    def cache_key(self) -> str:
        """What the rendered page depends on: the catalogue version and the filters."""
        wanted = repr((self.text, self.category_id, self.vendor_slugs, self.after))
        return f"{catalogue_version()}:{hashlib.sha256(wanted.encode()).hexdigest()}"

    @cached_property
    def _found(self) -> tuple[list[ProductView], port.ProductPage]:
        return search(self.text, self.category_id, self.vendor_slugs, self.after, saleor=self._saleor)

    @property
    def products(self) -> list[ProductView]:
        """The products of this page, with vendor facts."""
        return self._found[0]

    @property
    def page(self) -> port.ProductPage:
        """Saleor's page facts: total count, next cursor."""
        return self._found[1]

    @cached_property
    def categories(self) -> list[port.Category]:
        """Saleor's categories."""
        return categories(self._saleor)

    @cached_property
    def vendors(self) -> list[Vendor]:
        """The active vendors."""
        return list(active_vendors())

    @cached_property
    def communes(self) -> list:
        """The communes with an active vendor."""
        return list(communes_with_vendors())
