"""Order pages of the vendor dashboard: the vendor's share of each order, preparation, pick list."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from marketplace.saleor.errors import SaleorError

from .. import actions, selectors
from ..models import VendorOrder
from ..picklist import pick_list_context, pick_list_pdf
from .access import vendor_required


@vendor_required
def order_list(request):
    """The vendor's order shares, optionally filtered by status."""
    status = request.GET.get("statut", "")
    if status not in VendorOrder.Status.values:
        status = ""
    return render(request, "vendors/order_list.html", {
        "orders": selectors.orders_of(request.vendor, status)[:200], "status": status,
        "statuses": VendorOrder.Status.choices,
    })


@vendor_required
def order_detail(request, order_pk):
    """One order share with a checkbox per line to mark it prepared."""
    from marketplace.storefront.cash_on_delivery import shop_payment

    order = selectors.order_of(request.vendor, order_pk)
    return render(request, "vendors/order_detail.html", {
        "order": order, "shop_payment": shop_payment(order.saleor_order_id, request.vendor.slug)})


@vendor_required
@require_POST
def order_paid_at_shop(request, order_pk):
    """The shopper paid this click & collect order at the shop: Saleor charges it (our payment app)."""
    from marketplace.storefront.cash_on_delivery import collected_at_shop

    order = selectors.order_of(request.vendor, order_pk)
    try:
        collected_at_shop(order.saleor_order_id, request.vendor.slug)
    except ValueError as exc:
        messages.error(request, str(exc))
    except SaleorError as exc:
        messages.warning(request, f"Paiement noté, mais Saleor n'a pas encore pu l'encaisser (nouvel essai plus tard) : {exc}")
    else:
        messages.success(request, f"Paiement de la commande {order.number} encaissé.")
    return redirect("vendors:order_detail", order_pk=order.pk)


@vendor_required
@require_POST
def order_prepare(request, order_pk):
    """Save which lines are prepared; when all are, the share is fulfilled in Saleor."""
    order = selectors.order_of(request.vendor, order_pk)
    line_ids = [int(x) for x in request.POST.getlist("prepared") if x.isdigit()]
    try:
        order = actions.set_lines_prepared(request.vendor, order, line_ids, request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    except SaleorError as exc:
        messages.warning(request, f"Préparation enregistrée, mais Saleor ne l'a pas acceptée : {exc}")
    else:
        if order.status == VendorOrder.Status.PREPARED:
            messages.success(request, f"Commande {order.number} entièrement préparée.")
        else:
            messages.success(request, "Préparation enregistrée.")
    return redirect("vendors:order_detail", order_pk=order.pk)


def _orders_for_pick_list(request):
    orders = list(selectors.orders_to_prepare(request.vendor))
    return orders


@vendor_required
def pick_list(request):
    """The printable pick list (HTML) of every order share still to prepare."""
    return render(request, "vendors/pick_list_print.html", pick_list_context(request.vendor, _orders_for_pick_list(request)))


@vendor_required
def pick_list_download(request):
    """The same pick list as a PDF file."""
    pdf = pick_list_pdf(request.vendor, _orders_for_pick_list(request), request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="preparation-{request.vendor.slug}.pdf"'
    return response
