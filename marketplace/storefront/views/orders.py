"""After the order: confirmation and status (prepared per vendor, on the van, delivered)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from common import money
from delivery.models import DeliveryTask
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError, SaleorValidationError
from marketplace.vendors.models import Vendor, VendorOrder

from ..checkout import ORDER_LINK_SALT, delivery_details
from ..models import ShopOrder
from ..van_tasks import cancel_order


def _visible_orders(user):
    """Orders the user placed or that are for them; staff see all."""
    qs = ShopOrder.objects.select_related("shopper__user", "relay_point", "slot__pattern")
    return qs if user.is_staff else qs.filter(Q(placed_by=user) | Q(shopper__user=user))


def progress(record: ShopOrder, vendors: tuple[str, ...] = ()) -> list[dict]:
    """The order's steps, each ``{"label", "done"}``, per vendor then for the van.

    ``vendors`` names the order's vendors (from its lines), so each one shows even before its
    shop has the order; otherwise they come from the vendors' own order records.
    """
    steps = []
    names = dict(Vendor.objects.values_list("slug", "name"))
    prepared = {share.vendor.name: share.status == VendorOrder.Status.PREPARED
                for share in VendorOrder.objects.filter(saleor_order_id=record.saleor_order_id).select_related("vendor")}
    for name in vendors or tuple(prepared):
        steps.append({"label": f"Préparée par {name}", "done": prepared.get(name, False)})
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


def payment_state(record: ShopOrder, saleor_order) -> str:
    """One French sentence: paid, to pay on delivery, or paid on delivery."""
    if record.payment == ShopOrder.Payment.CARD:
        paid = saleor_order is None or saleor_order.charge_status in {"FULL", "OVERCHARGED"}
        return "Payée par carte." if paid else "Paiement par carte en cours de confirmation."
    if record.collected_at:
        return f"Payée à la livraison ({record.get_payment_display().lower()})."
    return f"À payer à la livraison : {record.get_payment_display().lower()}."


def vendor_shares(saleor_order) -> list[dict]:
    """The order's lines grouped by vendor, each group with its subtotal in cents."""
    if saleor_order is None:
        return []
    names = dict(Vendor.objects.values_list("slug", "name"))
    groups: dict[str, dict] = {}
    for line in saleor_order.lines:
        group = groups.setdefault(line.vendor_slug or "", {"vendor": names.get(line.vendor_slug or "", "—"),
                                                            "lines": [], "subtotal_cents": 0})
        cents = money.to_cents(line.total_price.amount)
        group["lines"].append({"name": line.product_name, "variant": line.variant_name, "quantity": line.quantity,
                               "unit_cents": money.to_cents(line.unit_price.amount), "total_cents": cents})
        group["subtotal_cents"] += cents
    return sorted(groups.values(), key=lambda g: g["vendor"])


def _page(request, record: ShopOrder, signed: str = ""):
    try:
        saleor_order = port.get_saleor().orders.get(record.saleor_order_id)
    except SaleorError:
        saleor_order = None  # the page still says where and when; the lines come back with Saleor
    shares = vendor_shares(saleor_order)
    delivery_cents = record.total_cents - sum(g["subtotal_cents"] for g in shares) if shares else None
    just_placed = request.session.pop(JUST_PLACED_KEY, None) == record.number
    return render(request, "storefront/order.html", {
        "order": record, "details": delivery_details(record), "shares": shares,
        "steps": progress(record, tuple(g["vendor"] for g in shares)),
        "delivery_cents": delivery_cents, "payment_state": payment_state(record, saleor_order),
        "lines_unavailable": saleor_order is None, "just_placed": just_placed,
        "survey": _survey_state(request, record, signed),
        "survey_url": (reverse("evaluation:order_survey_by_link", args=[signed]) if signed
                       else reverse("evaluation:order_survey", args=[record.number]))})


def _survey_state(request, record: ShopOrder, signed: str) -> str:
    """The questionnaire's state for its shopper: signed in as placer or recipient, or a guest by the signed link ("" for others)."""
    from marketplace.evaluation.selectors import order_survey_state  # noqa: PLC0415 - evaluation builds on the storefront

    user = request.user
    if not signed and (not user.is_authenticated or user.pk not in {record.placed_by_id, record.shopper.user_id}):
        return ""
    return order_survey_state(record)


#: Session key: the number of the order just paid, for the confirmation on its page.
JUST_PLACED_KEY = "storefront_just_placed"


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
    return _page(request, record, signed)


@login_required(login_url="account_login")
def mine(request):
    """The orders the user placed or received."""
    from marketplace.vouchers.models import VoucherPurchase  # noqa: PLC0415 - the vouchers build on the storefront

    return render(request, "storefront/orders.html", {
        "orders": _visible_orders(request.user).filter(Q(placed_by=request.user) | Q(shopper__user=request.user))[:50],
        "voucher_purchases": VoucherPurchase.objects.filter(
            Q(placed_by=request.user) | Q(buyer__user=request.user))[:50]})


@staff_member_required
@require_POST
def cancel(request, pk):
    """Staff cancel an order: Saleor cancels it (ORDER_CANCELLED), and its van work goes at once."""
    record = get_object_or_404(ShopOrder, pk=pk)
    back = redirect("storefront:order", number=record.number)
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
    from marketplace.payments.gift_card import give_back_order
    from marketplace.vouchers.error_codes import VoucherError

    try:  # the vouchers' money too (the webhook does it as well, once)
        given = give_back_order(port.get_saleor(), record.saleor_order_id, timezone.now())
    except VoucherError as exc:
        messages.warning(request, str(exc))
    else:
        if given:
            messages.success(request, f"{money.format_eur(sum(s.amount for s in given))} recrédités sur "
                                      f"{len(given)} chèque(s) cadeau.")
    return back
