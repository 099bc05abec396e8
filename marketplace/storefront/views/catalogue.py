"""Browsing: search, categories, vendors, communes and the product page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from marketplace.saleor import port
from marketplace.territory.models import Commune

from .. import catalogue


def _filters_context(saleor):
    communes = Commune.objects.filter(vendors__active=True).distinct().order_by("name")
    return {"categories": catalogue.categories(saleor), "vendors": catalogue.active_vendors(), "communes": communes}


def index(request):
    """The catalogue: search box, filters by category, vendor and commune, and a product grid."""
    saleor = port.get_saleor()
    text = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("rayon", "")
    products, page = catalogue.search(text, category, after=request.GET.get("apres") or None, saleor=saleor)
    return render(request, "storefront/index.html", {
        "products": products, "page": page, "q": text, "rayon": category, **_filters_context(saleor)})


def vendor(request, slug):
    """A vendor's page: who they are, where, opening hours, and their products."""
    shop = get_object_or_404(catalogue.active_vendors(), slug=slug)
    products, page = catalogue.search(vendor_slugs=(shop.slug,))
    return render(request, "storefront/vendor.html", {"shop": shop, "products": products, "page": page})


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
