"""After the order: confirmation and status (prepared per vendor, on the van, delivered)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from delivery.models import DeliveryTask
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError, SaleorValidationError
from marketplace.vendors.models import Vendor, VendorOrder

from ..checkout import delivery_details
from ..models import ShopOrder
from ..van_tasks import cancel_order


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
    if record.cancelled_at is not None:
        steps.append({"label": f"Commande annulée le {formats.date_format(timezone.localtime(record.cancelled_at), 'j F Y')} : "
                               "elle ne sera pas livrée", "done": True})
        return steps
    tasks = list(DeliveryTask.objects.filter(source__startswith=f"order:{record.saleor_order_id}:")
                 .exclude(status=DeliveryTask.Status.CANCELLED).exclude(kind=DeliveryTask.Kind.RETURN))
    collects = [t for t in tasks if t.kind == DeliveryTask.Kind.COLLECT]
    delivers = [t for t in tasks if t.kind != DeliveryTask.Kind.COLLECT]
    steps.append({"label": "Prévue dans une tournée de la camionnette", "done": bool(tasks)})
    steps.append({"label": "Dans la camionnette", "done": bool(collects) and all(t.status == "delivered" for t in collects)})
    failed = [t for t in delivers if t.status == DeliveryTask.Status.FAILED]
    label = "Déposée au point relais" if record.mode == ShopOrder.Mode.RELAY else "Livrée"
    steps.append({"label": label if not failed else f"Échec de livraison : {failed[0].get_fail_reason_display()}",
                  "done": bool(delivers) and all(t.status == "delivered" for t in delivers)})
    return steps


@login_required
def detail(request, pk):
    """Confirmation and status page of one order."""
    record = _visible_orders(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404("Commande introuvable")
    return render(request, "storefront/order.html", {"order": record, "details": delivery_details(record), "steps": progress(record)})


@login_required
def mine(request):
    """The orders the user placed or received."""
    return render(request, "storefront/orders.html", {"orders": _visible_orders(request.user).filter(
        Q(placed_by=request.user) | Q(shopper__user=request.user))[:50]})


@staff_member_required
@require_POST
def cancel(request, pk):
    """Staff cancel an order: Saleor cancels it (ORDER_CANCELLED), and its van work goes at once."""
    record = get_object_or_404(ShopOrder, pk=pk)
    back = redirect("storefront:order", pk=record.pk)
    if record.cancelled_at is None:
        try:
            port.get_saleor().orders.cancel(record.saleor_order_id)
        except SaleorValidationError as exc:
            if "CANNOT_CANCEL_ORDER" in exc.codes:
                messages.error(request, "Saleor refuse l'annulation : une part de la commande est déjà expédiée.")
                return back
            raise
        except SaleorError:
            messages.error(request, "Saleor ne répond pas : la commande n'est pas annulée, réessayez dans un moment.")
            return back
    cancelled = cancel_order(record.saleor_order_id)  # the webhook may come later: do it now, it is idempotent
    messages.success(request, f"Commande n° {record.number} annulée ({cancelled} arrêt(s) de camionnette retiré(s)).")
    return back
