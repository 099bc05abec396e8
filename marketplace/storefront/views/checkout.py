"""Checkout: choose how to receive the order, then pay or choose to pay on delivery."""

import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from marketplace.payments import actions as payments
from marketplace.payments import card_gateways
from marketplace.payments.methods import DEMO_CARD_GATEWAY
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError, SaleorValidationError
from marketplace.saleor.refusals import in_french

from .. import card_checkout, offers, session
from .. import checkout as actions
from ..error_codes import StorefrontErrorCode as Code
from ..errors import StorefrontError
from ..models import ShopOrder
from . import orders


def shopper_or_wall(view):
    """Let in a signed-in shopper or a started guest; show anyone else why they must say who they are."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated or session.guest(request) is not None:
            return view(request, *args, **kwargs)
        return render(request, "storefront/who.html", {"next": request.get_full_path()})

    return wrapped


@require_POST
def guest(request):
    """Start ordering without an account: e-mail and phone, for click & collect and relay points."""
    try:
        person = actions.start_guest(request.POST.get("email", ""), request.POST.get("telephone", ""))
    except StorefrontError as exc:
        return render(request, "storefront/who.html", {"next": request.POST.get("next", ""), "guest_error": exc.message,
                                                       "email": request.POST.get("email", ""),
                                                       "telephone": request.POST.get("telephone", "")}, status=400)
    request.session[session.GUEST_KEY] = person.pk
    return redirect("storefront:delivery")


def _placed_by(request, person):
    """Who places the order: the signed-in person, else the guest herself (her own invited account)."""
    return request.user if request.user.is_authenticated else person.user


def _cart_or_redirect(request, saleor):
    checkout = saleor.checkout.get(session.cart_id(request)) if session.cart_id(request) else None
    if checkout is None or not checkout.lines:
        messages.info(request, "Votre panier est vide.")
        return None
    return checkout


def refusal_message(exc: SaleorValidationError) -> str:
    """A French sentence for Saleor's refusal, by its error code (:mod:`marketplace.saleor.refusals`)."""
    return in_french(exc)


@shopper_or_wall
def delivery(request):
    """List the ways to receive this cart; POST holds the chosen one."""
    saleor = port.get_saleor()
    checkout = _cart_or_redirect(request, saleor)
    if checkout is None:
        return redirect("storefront:cart")
    person, consent, _channel = session.beneficiary(request)
    if request.method == "POST":
        try:
            actions.choose_delivery(checkout, person, request.POST.get("mode", ""), saleor)
        except StorefrontError as exc:
            messages.error(request, exc.message)
        except SaleorValidationError as exc:
            messages.error(request, refusal_message(exc))
        except SaleorError as exc:
            messages.error(request, in_french(exc))
        else:
            return redirect("storefront:payment")
    facts = actions.cart_facts(checkout)
    home_refusal = ""
    try:
        actions.check_home_address(person)
    except StorefrontError as exc:
        home_refusal = exc.message
    return render(request, "storefront/delivery.html", {
        "checkout": checkout, "person": person, "consent": consent, "is_guest": session.is_guest(person),
        "collect": offers.click_and_collect_options(facts),
        "relays": offers.relay_options(facts) if facts.van_may_carry else [],
        "homes": offers.home_options(person.commune) if facts.van_may_carry and not home_refusal else [],
        "home_refusal": home_refusal, "facts": facts, "chosen": checkout.metadata.get("mormal.delivery", ""),
    })


#: Session key of a card payment waiting for the shopper's step at the card gateway.
CARD_STEP_KEY = "mormal.card_step"

#: How paying by hand reads for a click & collect order: the shop takes the money.
AT_THE_SHOP = {
    ShopOrder.Payment.CASH: "Espèces au retrait en boutique",
    ShopOrder.Payment.CHEQUE: "Chèque au retrait en boutique",
    ShopOrder.Payment.VOUCHER: "Bon d'achat au retrait en boutique",
}


@shopper_or_wall
def payment(request):
    """Choose among the ways Saleor's gateways offer (card, or pay on delivery), then place the order."""
    saleor = port.get_saleor()
    checkout = _cart_or_redirect(request, saleor)
    if checkout is None:
        return redirect("storefront:cart")
    if checkout.delivery is None or "mormal.mode" not in checkout.metadata:
        return redirect("storefront:delivery")
    person, consent, channel = session.beneficiary(request)
    mode = checkout.metadata["mormal.mode"]
    try:
        offered = payments.options(saleor, checkout.id)
    except SaleorError as exc:
        messages.error(request, f"Le service de paiement ne répond pas, réessayez : {exc}")
        offered = payments.PaymentOptions(methods=())
    by_hand = [p for p in (ShopOrder.Payment.CASH, ShopOrder.Payment.CHEQUE, ShopOrder.Payment.VOUCHER)
               if p in offered.methods and mode != "relay"]  # a relay point cannot take money
    choices = [(ShopOrder.Payment.CARD.value, offered.card_label)] if offered.card_gateway else []
    choices += [(p.value, AT_THE_SHOP[p] if mode == "collect" else p.label) for p in by_hand]
    if request.method == "POST":
        try:
            record = actions.place_order(checkout.id, person, _placed_by(request, person),
                                         request.POST.get("paiement", ""), saleor,
                                         channel=channel, consent=consent, card=request.POST.get("carte", ""))
        except card_checkout.CardPageNeeded:
            return redirect("storefront:card_pay")  # the card gateway's own page (Stripe's Payment Element)
        except card_checkout.CardStepNeeded as step:
            request.session[CARD_STEP_KEY] = {"checkout": checkout.id, "transaction": step.transaction_id,
                                              "gateway": step.gateway, "data": step.data}
            return redirect("storefront:card_step")
        except StorefrontError as exc:
            messages.error(request, exc.message)
        except SaleorValidationError as exc:
            messages.error(request, refusal_message(exc) + " Rien n'a été débité.")
        except SaleorError as exc:
            messages.error(request, f"La commande n'a pas été enregistrée, rien n'a été débité. {in_french(exc)}")
        else:
            session.set_cart_id(request, None)
            session.stop_acting(request)
            if session.is_guest(person):
                request.session.pop(session.GUEST_KEY, None)
            request.session[orders.JUST_PLACED_KEY] = record.number  # the order page says thank you
            return redirect(actions.order_path(record))
    return render(request, "storefront/payment.html", {
        "checkout": checkout, "person": person, "choices": choices, "mode": mode,
        "demo_card": offered.card_gateway == DEMO_CARD_GATEWAY, "card_data": offered.card_data,
        "delivery_label": checkout.delivery.name if checkout.delivery else ""})


@shopper_or_wall
def card_step(request):
    """The card gateway's own step (the demo gateway's 3-D Secure confirmation), then the order."""
    step = request.session.get(CARD_STEP_KEY)
    if not step or step.get("checkout") != session.cart_id(request):
        return redirect("storefront:payment")
    saleor = port.get_saleor()
    if request.method == "POST":
        person, consent, channel = session.beneficiary(request)
        confirmed = request.POST.get("confirmer") == "oui"
        try:
            record = card_checkout.finish_card_order(step["checkout"], step["transaction"], {"confirmed": confirmed},
                                               person, _placed_by(request, person), saleor, channel=channel, consent=consent)
        except StorefrontError as exc:
            request.session.pop(CARD_STEP_KEY, None)
            messages.error(request, exc.message)
            return redirect("storefront:payment")
        except SaleorError as exc:
            messages.error(request, f"La commande n'a pas pu être enregistrée, réessayez : {exc}")
        else:
            request.session.pop(CARD_STEP_KEY, None)
            session.set_cart_id(request, None)
            session.stop_acting(request)
            request.session[orders.JUST_PLACED_KEY] = record.number  # the order page says thank you
            return redirect(actions.order_path(record))
    return render(request, "storefront/card_step.html", {
        "demo": step["gateway"] == DEMO_CARD_GATEWAY, "data": step.get("data") or {}})


#: Session key of a card payment whose client step runs in the browser (Stripe): checkout,
#: Saleor transaction, PaymentIntent, attempt, and the order once placed (a reload finds it).
CARD_PAY_KEY = "mormal.card_pay"

#: What the card page's Content-Security-Policy allows: Stripe.js, its frames and its API only.
#: https://docs.stripe.com/security/guide#content-security-policy
STRIPE_CSP = ("default-src 'self'; script-src 'self' https://js.stripe.com; "
              "frame-src https://js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com; "
              "img-src 'self' data: https://*.stripe.com; style-src 'self' 'unsafe-inline'; "
              "base-uri 'self'; form-action 'self'")


@shopper_or_wall
def card_pay(request):
    """The card gateway's client step: Stripe's Payment Element confirms the PaymentIntent Saleor's app opened."""
    cart_id = session.cart_id(request)
    if not cart_id:
        return redirect("storefront:cart")
    before = request.session.get(CARD_PAY_KEY) or {}
    attempt = int(before.get("attempt", 0)) if before.get("checkout") == cart_id else 0
    saleor = port.get_saleor()
    person, consent, channel = session.beneficiary(request)
    try:
        page = card_checkout.start_card_payment(cart_id, person, _placed_by(request, person), saleor, channel=channel,
                                          consent=consent, attempt=attempt)
    except StorefrontError as exc:
        messages.error(request, exc.message)
        return redirect("storefront:payment")
    except SaleorValidationError as exc:
        messages.error(request, refusal_message(exc) + " Rien n'a été débité.")
        return redirect("storefront:payment")
    except SaleorError as exc:
        messages.error(request, f"Le paiement par carte ne répond pas, rien n'a été débité. {in_french(exc)}")
        return redirect("storefront:payment")
    request.session[CARD_PAY_KEY] = {"checkout": cart_id, "transaction": page.step.transaction_id,
                                     "payment_intent": page.step.payment_intent, "attempt": attempt}
    if page.already_paid:  # confirmed at Stripe already (the shopper came back): place the order
        return redirect(reverse("storefront:card_return") + f"?payment_intent={page.step.payment_intent}")
    response = render(request, "storefront/card_pay.html", {
        "amount": page.amount, "stripe_js": card_gateways.STRIPE_JS,
        "stripe": {"publishableKey": page.step.publishable_key, "clientSecret": page.step.client_secret,
                   "returnUrl": request.build_absolute_uri(reverse("storefront:card_return")), "locale": "fr"},
    })
    response["Content-Security-Policy"] = STRIPE_CSP
    return response


def card_return(request):
    """Back from Stripe (``?payment_intent=...&redirect_status=...``): Saleor says paid, then the order, once."""
    step = request.session.get(CARD_PAY_KEY)
    if step and step.get("order"):  # a reload of the return page: the order is placed already
        record = ShopOrder.objects.filter(pk=step["order"]).first()
        if record is not None:
            return redirect(actions.order_path(record))
    return _card_return(request, step)


@shopper_or_wall
def _card_return(request, step):
    if not step:
        messages.error(request, StorefrontError(Code.CARD_RETURN_UNKNOWN).message)
        return redirect("storefront:payment")
    saleor = port.get_saleor()
    person, consent, channel = session.beneficiary(request)
    try:
        record = card_checkout.finish_card_return(
            step["checkout"], step["transaction"], request.GET.get("payment_intent", ""),
            request.GET.get("redirect_status", ""), person, _placed_by(request, person), saleor,
            channel=channel, consent=consent)
    except StorefrontError as exc:
        if exc.code == Code.CARD_PROCESSING:
            return render(request, "storefront/card_wait.html", {"message": exc.message})
        if exc.code in (Code.CARD_CANCELLED, Code.CARD_REFUNDED):  # that PaymentIntent is done with: a new key
            request.session[CARD_PAY_KEY] = {**step, "attempt": int(step.get("attempt", 0)) + 1}
        messages.error(request, exc.message)
        if exc.code == Code.CARD_REFUNDED:  # the day or the place is gone: choose again
            return redirect("storefront:delivery")
        return redirect("storefront:card_pay" if exc.code == Code.CARD_DECLINED else "storefront:payment")
    except SaleorError as exc:
        return render(request, "storefront/card_wait.html", {
            "message": f"La commande n'a pas pu être enregistrée, rechargez cette page dans un instant : {in_french(exc)}"},
            status=503)
    request.session[CARD_PAY_KEY] = {**step, "order": record.pk}
    if session.cart_id(request) == step["checkout"]:
        session.set_cart_id(request, None)
        session.stop_acting(request)
        if session.is_guest(person):
            request.session.pop(session.GUEST_KEY, None)
        request.session[orders.JUST_PLACED_KEY] = record.number  # the order page says thank you
    return redirect(actions.order_path(record))
