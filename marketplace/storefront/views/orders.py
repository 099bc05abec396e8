"""After the order: confirmation and status (prepared per vendor, on the van, delivered)."""

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from delivery.models import DeliveryTask
from marketplace.vendors.models import Vendor, VendorOrder

from ..checkout import ORDER_LINK_SALT, delivery_details
from ..models import ShopOrder


def _visible_orders(user):
    """Orders the user placed or that are for them; staff see all."""
    qs = ShopOrder.objects.select_related("shopper__user", "relay_point", "slot__pattern")
    return qs if user.is_staff else qs.filter(Q(placed_by=user) | Q(shopper__user=user))


def progress(record: ShopOrder) -> list[dict]:
    """The order's steps, each ``{"label", "done"}``, per vendor then for the van."""
    steps = []
    names = dict(Vendor.objects.values_list("slug", "name"))
    for share in VendorOrder.objects.filter(saleor_order_id=record.saleor_order_id).select_related("vendor"):
        steps.append({"label": f"Préparée par {share.vendor.name}", "done": share.status == VendorOrder.Status.PREPARED})
    if record.mode == ShopOrder.Mode.COLLECT:
        steps.append({"label": f"Prête à retirer chez {names.get(record.collect_vendor_slug, '')}", "done": bool(steps) and all(s["done"] for s in steps)})
        return steps
    tasks = list(DeliveryTask.objects.filter(source__startswith=f"order:{record.saleor_order_id}:"))
    collects = [t for t in tasks if t.kind == DeliveryTask.Kind.COLLECT]
    delivers = [t for t in tasks if t.kind != DeliveryTask.Kind.COLLECT]
    steps.append({"label": "Prévue dans une tournée de la camionnette", "done": bool(tasks)})
    steps.append({"label": "Dans la camionnette", "done": bool(collects) and all(t.status == "delivered" for t in collects)})
    failed = [t for t in delivers if t.status == DeliveryTask.Status.FAILED]
    label = "Déposée au point relais" if record.mode == ShopOrder.Mode.RELAY else "Livrée"
    steps.append({"label": label if not failed else f"Échec de livraison : {failed[0].get_fail_reason_display()}",
                  "done": bool(delivers) and all(t.status == "delivered" for t in delivers)})
    return steps


def _page(request, record: ShopOrder):
    return render(request, "storefront/order.html", {"order": record, "details": delivery_details(record), "steps": progress(record)})


@login_required(login_url="account_login")
def detail(request, number):
    """Confirmation and status page of one order, by the number it shows; others' orders are 404."""
    record = _visible_orders(request.user).filter(number=number).first()
    if record is None:
        raise Http404("Commande introuvable")
    return _page(request, record)


def by_link(request, signed):
    """A guest's order page, by the signed link of the confirmation e-mail (nobody can guess it)."""
    try:
        pk = signing.loads(signed, salt=ORDER_LINK_SALT)
    except signing.BadSignature as exc:
        raise Http404("Commande introuvable") from exc
    record = ShopOrder.objects.select_related("shopper__user", "relay_point", "slot__pattern").filter(pk=pk).first()
    if record is None:
        raise Http404("Commande introuvable")
    return _page(request, record)


@login_required(login_url="account_login")
def mine(request):
    """The orders the user placed or received."""
    return render(request, "storefront/orders.html", {"orders": _visible_orders(request.user).filter(
        Q(placed_by=request.user) | Q(shopper__user=request.user))[:50]})
