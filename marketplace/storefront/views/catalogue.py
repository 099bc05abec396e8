"""Browsing: search, categories, vendors, communes and the product page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from marketplace.saleor import port
from marketplace.territory.models import Commune

from .. import catalogue


def index(request):
    """The catalogue: search box, filters by category, vendor and commune, and a product grid.

    The grid and filters are a cached fragment (see :class:`catalogue.Listing`): a shopper's
    request reads neither Saleor nor the vendors table while the catalogue is unchanged.
    """
    text = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("rayon", "")
    listing = catalogue.Listing(text, category, after=request.GET.get("apres") or None, saleor=port.get_saleor())
    return render(request, "storefront/index.html", {
        "listing": listing, "q": text, "rayon": category, "catalogue_ttl": catalogue.CATALOGUE_TTL_S})


def vendor(request, slug):
    """A vendor's page: who they are, where, opening hours, and their products."""
    shop = get_object_or_404(catalogue.active_vendors(), slug=slug)
    return render(request, "storefront/vendor.html", {
        "shop": shop, "listing": catalogue.Listing(vendor_slugs=(shop.slug,)), "catalogue_ttl": catalogue.CATALOGUE_TTL_S})


def commune(request, insee):
    """The vendors of a commune and their products."""
    place = get_object_or_404(Commune, insee=insee)
    shops = list(catalogue.active_vendors().filter(commune=place))
    products, page = catalogue.search(vendor_slugs=tuple(s.slug for s in shops)) if shops else ([], None)
    return render(request, "storefront/commune.html", {"place": place, "shops": shops, "products": products})


def product(request, slug):
    """The product page: vendor, origin, commune, price per unit, cold-chain mark, availability."""
    item = catalogue.product(slug)
    if item is None:
        raise Http404("Produit introuvable")
    return render(request, "storefront/product.html", {"item": item})
