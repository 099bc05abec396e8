"""The shopper's pages for buying e-vouchers: choose, pay by card, then see and download them.

Thin entry points over :mod:`.online`. Who may open a purchase: its buyer or whoever placed it
(signed in), the guest whose session made it, or staff; anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.saleor.refusals import in_french
from marketplace.storefront import session
from marketplace.storefront.views.checkout import _placed_by, shopper_or_wall

from . import online
from .error_codes import VoucherError, VoucherErrorCode
from .models import VoucherPurchase
from .pdf import render_vouchers

#: Session key: the purchases this browser made (a guest finds hers again by it).
MINE_KEY = "vouchers_purchases"
#: Session key: a card payment waiting for the bank's confirmation, per purchase.
STEP_KEY = "vouchers_card_step"


def _billing(person, post) -> port.Address | None:
    """The address Saleor bills: the shopper's home, else the one typed on the form (None if incomplete)."""
    from marketplace.storefront.checkout import shopper_address

    if person.commune_id and person.address:
        return shopper_address(person)
    street, postcode, city = (post.get(k, "").strip() for k in ("rue", "code_postal", "commune"))
    if not (street and len(postcode) == 5 and postcode.isdigit() and city):
        return None
    return port.Address(street_address_1=street[:255], postal_code=postcode, city=city.upper()[:120], country="FR",
                        first_name=person.user.first_name, last_name=person.user.last_name, phone="")


@shopper_or_wall
@require_http_methods(["GET", "POST"])
def buy(request):
    """Choose the amount, how many, for whom and a message; then to the payment."""
    person, _consent, _channel = session.beneficiary(request)
    form = {"montant": "20", "nombre": "1", "nom": "", "email": "", "message": "", "rue": "", "code_postal": "",
            "commune": ""}
    error = ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            purchase = online.start(port.get_saleor(), person, _placed_by(request, person), amount=form["montant"],
                                    quantity=form["nombre"], recipient_name=form["nom"], recipient_email=form["email"],
                                    message=form["message"], billing=_billing(person, request.POST),
                                    now=timezone.now())
        except VoucherError as exc:
            error = str(exc)
        except SaleorError as exc:
            error = f"Le service de paiement ne répond pas, rien n'a été débité. {in_french(exc)}"
        else:
            request.session[MINE_KEY] = [*request.session.get(MINE_KEY, []), purchase.pk]
            return redirect("voucher_shop:pay", pk=purchase.pk)
    return render(request, "vouchers/shop_buy.html", {
        "form": form, "error": error, "amounts": online.AMOUNTS, "max_quantity": online.MAX_QUANTITY,
        "max_message": online.MAX_MESSAGE, "needs_address": not (person.commune_id and person.address)}, status=400 if error else 200)


def _mine(request, pk: int) -> VoucherPurchase:
    purchase = get_object_or_404(VoucherPurchase.objects.select_related("buyer__user"), pk=pk)
    user = request.user
    if user.is_authenticated and (user.is_staff or user.pk in {purchase.placed_by_id,
                                                               purchase.buyer.user_id if purchase.buyer else None}):
        return purchase
    if pk in request.session.get(MINE_KEY, []):
        return purchase
    raise Http404("Achat introuvable")


@require_http_methods(["GET", "POST"])
def pay(request, pk: int):
    """Pay the vouchers by card (never with a voucher); the bank's confirmation step when it asks one."""
    purchase = _mine(request, pk)
    if purchase.saleor_order_id:
        return redirect("voucher_shop:purchase", pk=purchase.pk)
    saleor = port.get_saleor()
    error, status = "", 200
    step = (request.session.get(STEP_KEY) or {}).get(str(purchase.pk))
    if request.method == "POST":
        try:
            if request.POST.get("code"):
                online.refuse_voucher_payment(purchase)
            elif step and request.POST.get("confirmer"):
                request.session[STEP_KEY] = {}
                online.confirm(saleor, purchase, step["transaction"], request.POST["confirmer"] == "oui",
                               timezone.now())
            else:
                asked = online.pay(saleor, purchase, request.POST.get("carte", ""), timezone.now())
                if asked is not None:
                    request.session[STEP_KEY] = {str(purchase.pk): {"transaction": asked.transaction_id,
                                                                    "data": asked.data}}
                    return redirect("voucher_shop:pay", pk=purchase.pk)
        except online.CardPageNeeded:
            return redirect("voucher_shop:card_pay", pk=purchase.pk)  # Stripe's Payment Element
        except VoucherError as exc:
            error, status = str(exc), 400
        except SaleorError as exc:
            error, status = f"Le paiement n'a pas abouti, rien n'a été débité. {in_french(exc)}", 503
        else:
            messages.success(request, "Merci ! Vos chèques cadeaux sont payés : ils arrivent par e-mail dans un instant.")
            return redirect("voucher_shop:purchase", pk=purchase.pk)
        step = (request.session.get(STEP_KEY) or {}).get(str(purchase.pk))
    from marketplace.payments import actions as payments
    from marketplace.payments.methods import DEMO_CARD_GATEWAY

    try:
        offered = payments.options(saleor, purchase.checkout_id)
    except SaleorError:
        offered = payments.PaymentOptions(methods=())
    return render(request, "vouchers/shop_pay.html", {
        "purchase": purchase, "error": error, "step": step, "card_label": offered.card_label,
        "has_card": offered.card_gateway is not None, "demo_card": offered.card_gateway == DEMO_CARD_GATEWAY,
        "card_data": offered.card_data}, status=status)


def purchase_page(request, pk: int):
    """The purchase: paid or not, its vouchers with their codes, and the PDF to download."""
    purchase = _mine(request, pk)
    return render(request, "vouchers/shop_purchase.html", {
        "purchase": purchase, "vouchers": list(purchase.vouchers.order_by("pk"))})


def purchase_pdf(request, pk: int):
    """The purchase's vouchers, one page each (the same PDF as the e-mail's)."""
    purchase = _mine(request, pk)
    vouchers = list(purchase.vouchers.filter(deactivated_at__isnull=True).order_by("pk"))
    if not vouchers:
        raise Http404("Aucun chèque cadeau utilisable à imprimer (pas encore émis, ou commande annulée ou remboursée).")
    response = HttpResponse(render_vouchers(vouchers), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cheques-cadeaux-{purchase.order_number}.pdf"'
    return response


#: Session key: per purchase, the card payment whose step runs in the browser (attempt, transaction).
CARD_PAY_KEY = "vouchers_card_pay"


def card_pay(request, pk: int):
    """The card gateway's client step (Stripe's Payment Element) for the purchase; back to :func:`card_return`."""
    from django.urls import reverse

    from marketplace.payments import card_gateways
    from marketplace.storefront.views.checkout import STRIPE_CSP

    purchase = _mine(request, pk)
    if purchase.saleor_order_id:
        return redirect("voucher_shop:purchase", pk=purchase.pk)
    pays = request.session.get(CARD_PAY_KEY) or {}
    attempt = int((pays.get(str(pk)) or {}).get("attempt", 0))
    try:
        page = online.card_page(port.get_saleor(), purchase, attempt)
    except VoucherError as exc:
        messages.error(request, str(exc))
        return redirect("voucher_shop:pay", pk=purchase.pk)
    except SaleorError as exc:
        messages.error(request, f"Le paiement par carte ne répond pas, rien n'a été débité. {in_french(exc)}")
        return redirect("voucher_shop:pay", pk=purchase.pk)
    request.session[CARD_PAY_KEY] = {**pays, str(pk): {"transaction": page.step.transaction_id,
                                                       "payment_intent": page.step.payment_intent, "attempt": attempt}}
    back = reverse("voucher_shop:card_return", args=[purchase.pk])
    if page.already_paid:
        return redirect(back + f"?payment_intent={page.step.payment_intent}")
    response = render(request, "storefront/card_pay.html", {
        "amount": page.amount, "stripe_js": card_gateways.STRIPE_JS,
        "back_url": reverse("voucher_shop:pay", args=[purchase.pk]),
        "stripe": {"publishableKey": page.step.publishable_key, "clientSecret": page.step.client_secret,
                   "returnUrl": request.build_absolute_uri(back), "locale": "fr"}})
    response["Content-Security-Policy"] = STRIPE_CSP
    return response


def card_return(request, pk: int):
    """Back from Stripe (``?payment_intent=...&redirect_status=...``): Saleor says paid, then the order, once."""
    purchase = _mine(request, pk)
    pays = request.session.get(CARD_PAY_KEY) or {}
    mine = pays.get(str(pk))
    if not mine:
        return redirect("voucher_shop:purchase" if purchase.saleor_order_id else "voucher_shop:pay", pk=purchase.pk)
    try:
        online.finish_card_page(port.get_saleor(), purchase, mine["transaction"], request.GET.get("payment_intent", ""),
                                timezone.now())
    except VoucherError as exc:
        if exc.code == VoucherErrorCode.CARD_PENDING:
            return render(request, "storefront/card_wait.html", {"message": str(exc)})
        request.session[CARD_PAY_KEY] = {**pays, str(pk): {**mine, "attempt": int(mine.get("attempt", 0)) + 1}}
        messages.error(request, str(exc))
        return redirect("voucher_shop:pay", pk=purchase.pk)
    except SaleorError as exc:
        return render(request, "storefront/card_wait.html", {
            "message": f"Le paiement n'a pas pu être vérifié, rechargez cette page dans un instant : {in_french(exc)}"},
            status=503)
    messages.success(request, "Merci ! Vos chèques cadeaux sont payés : ils arrivent par e-mail dans un instant.")
    return redirect("voucher_shop:purchase", pk=purchase.pk)
