"""The customers' pages: open cycles, ordering in a cycle, their orders and weekly baskets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import actions, selectors
from ..actions.ordering import local
from ..error_codes import ShortCircuitErrorCode as Code
from ..error_codes import message
from ..errors import ShortCircuitError
from ..models import OrderCycle, StandingBasket


def home(request):
    """Open cycles (anyone may look)."""
    return render(request, "shortcircuit/home.html", {"cycles": selectors.open_cycles(timezone.now())})


def _collector(text: str, customer):
    """The member named by username or email, or None for an empty field.

    Raises
    ------
    ShortCircuitError
        ``COLLECTOR_UNKNOWN`` when nobody (else) has that username or email.
    """
    text = text.strip()
    if not text:
        return None
    user = get_user_model().objects.filter(Q(username__iexact=text) | Q(email__iexact=text), is_active=True).first()
    if user is None or user == customer:
        raise ShortCircuitError(Code.COLLECTOR_UNKNOWN, text=text)
    return user


def _request_from(post, cycle: OrderCycle, customer) -> actions.OrderRequest:
    quantities = {}
    for product in cycle.products.all():
        raw = post.get(f"q-{product.pk}", "").strip() or "0"
        try:
            quantities[product.pk] = int(raw)
        except ValueError as exc:
            raise ShortCircuitError(Code.UNREADABLE_QUANTITY, raw=raw) from exc
    delivery = post.get("delivery", "")
    if delivery == "home":
        mode, slot_id = "home", None
    elif delivery.startswith("slot-") and delivery[5:].isdigit():
        mode, slot_id = "pickup", int(delivery[5:])
    else:
        raise ShortCircuitError(Code.RECEPTION_NOT_CHOSEN)
    return actions.OrderRequest(quantities, mode, slot_id, _collector(post.get("collector", ""), customer),
                                post.get("share_name") == "1")


@login_required
def cycle_page(request, pk: int):
    """Browse the open cycle's products, pick quantities, a point and slot (or the van), confirm."""
    cycle = get_object_or_404(OrderCycle, pk=pk)
    error = ""
    is_open = cycle.is_open(timezone.now())
    if not is_open:
        error = (actions.closed_message(cycle) if timezone.now() >= cycle.opens_at
                 else message(Code.CYCLE_NOT_OPEN, cycle=cycle.name, opens=local(cycle.opens_at)))
    elif request.method == "POST":
        try:
            order = actions.place_order(cycle, request.user, _request_from(request.POST, cycle, request.user))
        except ShortCircuitError as exc:
            error = exc.message
        else:
            if request.POST.get("standing") == "1":
                actions.start_standing_basket(order)
                messages.success(request, "Ce panier sera commandé à nouveau à chaque cycle.")
            messages.success(request, "Votre commande est enregistrée.")
            return redirect("shortcircuit:order", pk=order.pk)
    rows = [(vendor, [(o, request.POST.get(f"q-{o.product.pk}", "0")) for o in offers])
            for vendor, offers in selectors.catalogue(cycle)]
    return render(request, "shortcircuit/cycle.html", {
        "cycle": cycle, "catalogue": rows, "slots": selectors.offered_slots(cycle), "error": error, "is_open": is_open,
    }, status=400 if error and request.method == "POST" else 200)


@login_required
def my_orders(request):
    """Orders the member placed or collects for someone."""
    return render(request, "shortcircuit/my_orders.html", {"orders": selectors.orders_for_user(request.user)})


@login_required
def order_detail(request, pk: int):
    """One order, for its customer or its collector only (404 for anyone else)."""
    order = selectors.order_for_user(request.user, pk)
    return render(request, "shortcircuit/order_detail.html", {"order": order, "due": order.goods_total + order.delivery_fee})


@login_required
def baskets(request):
    """The member's weekly baskets."""
    rows = StandingBasket.objects.filter(customer=request.user).prefetch_related("items__variant__product").select_related("point")
    return render(request, "shortcircuit/baskets.html", {"baskets": rows})


@login_required
@require_POST
def basket_stop(request, pk: int):
    """Stop one of the member's weekly baskets (404 for another member's)."""
    basket = get_object_or_404(StandingBasket, pk=pk, customer=request.user)
    actions.stop_standing_basket(basket, request.user)
    messages.success(request, "Panier arrêté : il ne sera plus commandé aux prochains cycles.")
    return redirect("shortcircuit:baskets")
