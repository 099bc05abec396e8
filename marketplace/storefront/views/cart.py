"""The cart: one Saleor checkout holding lines from several vendors."""

from itertools import groupby

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.saleor.refusals import in_french
from marketplace.vendors.models import Vendor

from .. import catalogue, session
from .. import checkout as actions
from ..errors import StorefrontError

#: Above any per-line limit Saleor allows, below GraphQL's 32-bit Int: Saleor itself refuses
#: (in French, through :func:`in_french`) anything between its limit and this.
QUANTITY_CEILING = 10_000


def articles(checkout) -> int:
    """How many articles a checkout holds (the header's cart count)."""
    return sum(line.quantity for line in checkout.lines)


def _quantity(raw: str) -> int:
    try:
        return max(0, min(QUANTITY_CEILING, int(raw)))
    except (TypeError, ValueError):
        return 0


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def add(request):
    """Add a variant to the cart, then go back to where the shopper was.

    Asked for JSON (the product page's script), it answers ``{"ok", "message", "count"}`` and the
    shopper stays on the page: one page load less per product on the way to a first order.
    """
    saleor = port.get_saleor()
    try:
        checkout = actions.add_to_cart(session.cart_id(request), request.POST.get("variant", ""),
                                       _quantity(request.POST.get("quantite", "1")), saleor)
    except StorefrontError as exc:
        ok, message = False, exc.message
    except SaleorError as exc:
        ok, message = False, f"Ce produit n'a pas été ajouté. {in_french(exc)}"
    else:
        session.set_cart_id(request, checkout.id, articles(checkout))
        ok, message = True, "Produit ajouté à votre panier."
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message, "count": session.cart_count(request)}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    back = request.POST.get("retour", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""  # another site's address: never sent there from our form
    return redirect(back or "storefront:cart")


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
        shop_limit = catalogue.line_limit()
        lines = sorted(checkout.lines, key=lambda ln: ln.vendor_slug or "")
        groups = [(names.get(slug, slug or "—"),
                   [(ln, catalogue.max_quantity(ln.quantity_available, ln.quantity_limit, shop_limit)) for ln in items])
                  for slug, items in groupby(lines, key=lambda ln: ln.vendor_slug)]
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
            messages.error(request, f"Le panier n'a pas été modifié. {in_french(exc)}")
        else:
            session.set_cart_id(request, checkout.id, articles(checkout))
            messages.success(request, "Panier mis à jour.")
    return redirect("storefront:cart")
