"""Voucher pages: staff issue batches and read the figures; the driver scans a voucher at the door.

Thin entry points: each checks its input and calls :mod:`.actions`, :mod:`.selectors` or the
payment app's :mod:`marketplace.payments.gift_card`; every refusal shows its French sentence.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common import money
from delivery.models import DeliveryTask
from delivery.selectors import current_round
from delivery.views.access import LinkRefused, refused, shift_from_signed
from marketplace.core.staff_rights import StaffRight, staff_right_required
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError

from . import actions, selectors, withdraw
from .error_codes import VoucherError
from .models import VoucherBatch, VoucherPurchase
from .pdf import render_vouchers


@staff_right_required(StaffRight.VOUCHERS)
@require_http_methods(["GET", "POST"])
def staff_page(request):
    """The figures, the form that issues a batch, and the batches with their printable PDF."""
    now = timezone.now()
    form = {"tag": "", "amount": "20", "count": "10", "expiry": ""}
    error = ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            expiry = dt.date.fromisoformat(form["expiry"]) if form["expiry"] else None
        except ValueError:
            expiry = None
            error = "Date de fin de validité illisible : choisissez-la dans le calendrier."
        if not error:
            try:
                batch = actions.issue_batch(port.get_saleor(), tag=form["tag"], amount=form["amount"],
                                            count=form["count"], expiry_date=expiry, now=now, by=request.user)
            except VoucherError as exc:
                error = str(exc)
            else:
                messages.success(request, f"{batch.count} chèque(s) cadeau de {money.format_eur(batch.amount)} émis pour "
                                          f"« {batch.tag} » : imprimez-les ci-dessous.")
                return redirect("vouchers:staff")
    return render(request, "vouchers/staff.html", {
        "figures": selectors.figures(now), "batches": VoucherBatch.objects.all()[:100], "form": form,
        "withdrawn": selectors.withdrawn_vouchers(), "purchases": selectors.paid_purchases(),
        "error": error, "min_expiry": (actions.saleor_today(now) + dt.timedelta(days=1)).isoformat(),
        "max_batch": actions.MAX_BATCH, "max_amount": actions.MAX_AMOUNT,
    }, status=400 if error else 200)


@staff_right_required(StaffRight.VOUCHERS)
@require_POST
def refund_purchase(request, pk: int):
    """Take an e-voucher purchase back: its vouchers withdrawn, what they still held refunded to the card."""
    purchase = get_object_or_404(VoucherPurchase, pk=pk)
    try:
        taken = withdraw.refund_purchase(port.get_saleor(), purchase, timezone.now())
    except VoucherError as exc:
        messages.error(request, str(exc))
    except SaleorError:
        messages.error(request, "Saleor ne répond pas : rien n'a été fait. Réessayez dans un instant.")
    else:
        text = (f"Commande n° {purchase.order_number} : {len(taken.withdrawn)} chèque(s) désactivé(s), "
                f"{money.format_eur(taken.refunded)} remboursés sur la carte de l'acheteur.")
        if taken.spent_before:
            text += f" {money.format_eur(taken.spent_before)} déjà dépensés ne sont pas remboursés."
        messages.success(request, text)
    return redirect("vouchers:staff")


@staff_right_required(StaffRight.VOUCHERS)
@require_POST
def refresh(request):
    """Read every balance from Saleor again (spending online changes them without telling us)."""
    try:
        count = selectors.refresh_balances(port.get_saleor(), timezone.now())
    except SaleorError:
        messages.error(request, "Saleor ne répond pas : les soldes n'ont pas été relus. Réessayez dans un instant.")
    else:
        messages.success(request, f"Soldes relus dans Saleor ({count} chèque(s)).")
    return redirect("vouchers:staff")


@staff_right_required(StaffRight.VOUCHERS)
def batch_pdf(request, pk: int):
    """The batch's vouchers, one page each, to print."""
    batch = get_object_or_404(VoucherBatch, pk=pk)
    response = HttpResponse(render_vouchers(list(batch.vouchers.order_by("pk"))), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cheques-cadeaux-lot-{batch.pk}.pdf"'
    return response


def _order_for(task: DeliveryTask):
    from marketplace.storefront.models import ShopOrder

    if not task.source.startswith("order:"):
        return None
    return ShopOrder.objects.filter(saleor_order_id=task.source.split(":", 1)[1]).first()


@require_http_methods(["GET", "POST"])
def door(request, signed: str, task_id: int):
    """The driver's "chèque cadeau" step for one order of the round: scan or type the code, see the balance.

    Opened from the phone's stop list by the same signed link (no session: the link is the credential,
    and the form carries it back), only for a stop of that van's round today.
    """
    try:
        shift = shift_from_signed(signed)
    except LinkRefused as exc:
        return refused(request, exc, as_json=False)
    rnd = current_round(shift)
    if rnd is None or not rnd.stops.filter(task_id=task_id).exists():
        raise Http404("Cet arrêt n'est pas dans votre tournée.")
    task = get_object_or_404(DeliveryTask, pk=task_id)
    order = _order_for(task)
    done = error = ""
    status = 200
    if request.method == "POST":
        if order is None:
            error, status = "Cette livraison n'a pas de commande à régler.", 400
        else:
            from marketplace.payments.gift_card import spend_at_door

            by = f"{shift.van.name} — {shift.driver_name}".strip(" —")
            try:
                done = spend_at_door(port.get_saleor(), request.POST.get("code", ""), order, timezone.now(),
                                     by=by).sentence
            except VoucherError as exc:
                error, status = str(exc), 400
            task.refresh_from_db()
    return render(request, "vouchers/door.html", {
        "shift": shift, "signed": signed, "task": task, "order": order, "done": done, "error": error,
        "to_collect_cents": task.payment_cents,
    }, status=status)


@require_POST
def checkout_code(request):
    """The shopper's chèque cadeau on the payment page: its balance lowers the total (Saleor takes it at the end)."""
    from marketplace.storefront import session

    cart = session.cart_id(request)
    if not cart:
        messages.info(request, "Votre panier est vide.")
        return redirect("storefront:cart")
    try:
        checkout = actions.apply_online(port.get_saleor(), cart, request.POST.get("code", ""), timezone.now())
    except VoucherError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Chèque cadeau accepté : il reste {money.format_eur(checkout.total.amount)} "
                                  "à payer.")
    return redirect("storefront:payment")
