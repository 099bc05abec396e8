"""The cart: one Saleor checkout holding lines from several vendors."""

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.vendors.models import Vendor

from .. import checkout as actions
from .. import session
from ..errors import StorefrontError


def articles(checkout) -> int:
    """How many articles a checkout holds (the header's cart count)."""
    return sum(line.quantity for line in checkout.lines)


def _quantity(raw: str) -> int:
    try:
        return max(0, min(99, int(raw)))
    except (TypeError, ValueError):
        return 0


@require_POST
def add(request):
    """Add a variant to the cart, then go back to where the shopper was."""
    saleor = port.get_saleor()
    try:
        checkout = actions.add_to_cart(session.cart_id(request), request.POST.get("variant", ""),
                                       _quantity(request.POST.get("quantite", "1")), saleor)
    except StorefrontError as exc:
        messages.error(request, exc.message)
    except SaleorError as exc:
        messages.error(request, f"Impossible d'ajouter ce produit : {exc}")
    else:
        session.set_cart_id(request, checkout.id, articles(checkout))
        messages.success(request, "Produit ajouté à votre panier.")
    return redirect(request.POST.get("retour") or "storefront:cart")


def show(request):
    """The cart, grouped by vendor, with quantities to change."""
    checkout = None
    if session.cart_id(request):
        checkout = port.get_saleor().checkout.get(session.cart_id(request))
        if checkout is None:
            session.set_cart_id(request, None)
        else:
            session.set_cart_id(request, checkout.id, articles(checkout))
    groups = []
    if checkout:
        names = dict(Vendor.objects.values_list("slug", "name"))
        lines = sorted(checkout.lines, key=lambda ln: ln.vendor_slug or "")
        groups = [(names.get(slug, slug or "—"), list(items)) for slug, items in groupby(lines, key=lambda ln: ln.vendor_slug)]
    return render(request, "storefront/cart.html", {"checkout": checkout, "groups": groups})


@require_POST
def update(request):
    """Change quantities (0 removes the line)."""
    checkout_id = session.cart_id(request)
    if checkout_id:
        changes = [(key.removeprefix("ligne-"), _quantity(value)) for key, value in request.POST.items() if key.startswith("ligne-")]
        try:
            checkout = port.get_saleor().checkout.update_lines(checkout_id, changes)
        except SaleorError as exc:
            messages.error(request, f"Le panier n'a pas pu être mis à jour : {exc}")
        else:
            session.set_cart_id(request, checkout.id, articles(checkout))
            messages.success(request, "Panier mis à jour.")
    return redirect("storefront:cart")
