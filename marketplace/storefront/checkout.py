"""Writes on the shopper's side: the cart (a Saleor checkout), the delivery choice, the order.

Each function validates, then calls the Saleor port and our reservations. Refusals raise
:class:`StorefrontError` with a code and a sentence for the shopper; nothing is lost on a
refusal (the cart and any earlier hold stay as they were).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from common import money
from delivery import calendar
from marketplace.payments import actions as payments
from marketplace.payments import card_gateways
from marketplace.payments.methods import DEMO_CARD_GATEWAY
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.shoppers import customers
from marketplace.territory.models import RelayPoint, Shopper
from marketplace.vendors.models import Vendor

from . import offers, reservations
from .error_codes import StorefrontErrorCode as Code
from .errors import StorefrontError
from .loads import line_facts
from .models import Consent, ShopOrder, Slot

PAY_ON_DELIVERY = {ShopOrder.Payment.CASH, ShopOrder.Payment.CHEQUE, ShopOrder.Payment.VOUCHER}


def shopper_address(shopper: Shopper) -> port.Address:
    """The shopper's home address in Saleor's shape (the chosen saved address, in the territory)."""
    postcode = next((w for w in shopper.address.split(",", 1)[-1].split() if w.isdigit() and len(w) == 5),
                    shopper.commune.main_postal_code)  # Orée de Mormal has two: the one typed
    return port.Address(
        street_address_1=shopper.address.split(",")[0][:255], postal_code=postcode,
        city=shopper.commune.name.upper(), country="FR", first_name=shopper.user.first_name,
        last_name=shopper.user.last_name, phone="",
    )


def billing_address(shopper: Shopper, choice: Choice) -> port.Address:
    """The address Saleor bills: the shopper's home, else (guest, no address yet) the place of receipt."""
    if shopper.commune_id and shopper.address:
        return shopper_address(shopper)
    if choice.mode == "relay":
        place = RelayPoint.objects.select_related("commune").get(pk=choice.relay_id)
        street, commune = place.address.split(",")[0], place.commune
    else:
        shop = Vendor.objects.select_related("commune").get(slug=choice.vendor_slug)
        street, commune = shop.address.split(",")[0], shop.commune
    return port.Address(street_address_1=street[:255], postal_code=commune.main_postal_code,
                        city=commune.name.upper(), country="FR", first_name=shopper.user.first_name,
                        last_name=shopper.user.last_name, phone="")


def check_home_address(shopper: Shopper) -> None:
    """Refuse home delivery without an address, or to an address outside the 52 communes.

    Raises
    ------
    StorefrontError
        ``home_no_address`` or ``home_outside_territory``.
    """
    if not shopper.address:
        raise StorefrontError(Code.HOME_NO_ADDRESS)
    if shopper.commune_id is None:
        raise StorefrontError(Code.HOME_OUTSIDE_TERRITORY, address=shopper.address)


def start_guest(email: str, phone: str) -> Shopper:
    """A shopper without an account (e-mail and phone only), for click & collect and relay points.

    The profile hangs on an account nobody can sign in to (``invite-…``, no password); the
    e-mail stays on the profile, so the person can later sign up with it.

    Raises
    ------
    StorefrontError
        ``guest_invalid`` for an e-mail or phone number that cannot be used.
    """
    from django.contrib.auth import get_user_model
    from django.core.validators import validate_email

    from .session import GUEST_USERNAME_PREFIX

    email, digits = email.strip(), "".join(ch for ch in phone if ch.isdigit())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise StorefrontError(Code.GUEST_BAD_EMAIL) from exc
    if not 9 <= len(digits) <= 15:
        raise StorefrontError(Code.GUEST_BAD_PHONE)
    user = get_user_model()(username=f"{GUEST_USERNAME_PREFIX}{uuid.uuid4().hex[:16]}")
    user.set_unusable_password()
    user.save()
    return Shopper.objects.create(user=user, email=email, phone=phone.strip()[:30])


def cart_facts(checkout: port.Checkout) -> offers.CartFacts:
    """Vendors and cold volumes of a checkout."""
    return offers.CartFacts.from_lines(line_facts((ln.vendor_slug, ln.variant_id, ln.quantity) for ln in checkout.lines))


def add_to_cart(checkout_id: str | None, variant_id: str, quantity: int, saleor: port.SaleorPort) -> port.Checkout:
    """Add ``quantity`` of a variant, creating the checkout on first use.

    Raises
    ------
    StorefrontError
        ``empty_cart`` for a quantity below 1.
    """
    if quantity < 1:
        raise StorefrontError(Code.BAD_QUANTITY)
    line = port.CheckoutLineInput(variant_id=variant_id, quantity=quantity)
    checkout = saleor.checkout.get(checkout_id) if checkout_id else None
    if checkout is None:
        return saleor.checkout.create([line])
    return saleor.checkout.add_lines(checkout.id, [line])


def _offer_key_matches(method: port.ShippingMethod, key: str) -> bool:
    """Whether a Saleor shipping method is our offer ``key`` (metadata, or the app method id)."""
    if method.metadata.get("mormal.offer") == key:
        return True
    try:
        decoded = base64.b64decode(method.id + "==").decode("utf-8", "replace")
    except ValueError:
        decoded = method.id
    return decoded.endswith(":" + key) or method.id == key


@dataclass(frozen=True)
class Choice:
    """A delivery choice as stored on the checkout's metadata."""

    mode: str
    key: str
    date: dt.date
    vendor_slug: str = ""
    relay_id: int | None = None
    slot_id: int | None = None

    def metadata(self) -> dict[str, str]:
        """The ``mormal.*`` checkout metadata that the order webhook reads back."""
        data = {"mormal.mode": self.mode, "mormal.delivery": self.key, "mormal.date": self.date.isoformat()}
        if self.vendor_slug:
            data["mormal.collect_vendor"] = self.vendor_slug
        if self.relay_id:
            data["mormal.relay"] = str(self.relay_id)
        if self.slot_id:
            data["mormal.slot"] = str(self.slot_id)
        return data


def parse_choice(key: str) -> Choice:
    """Read an offer key (``collect:<vendor>:<date>``, ``relay:<id>:<date>``, ``slot:<id>``).

    Raises
    ------
    StorefrontError
        ``no_delivery`` for a key of no known shape.
    """
    parts = key.split(":")
    try:
        if parts[0] == "collect" and len(parts) == 3:
            return Choice("collect", key, dt.date.fromisoformat(parts[2]), vendor_slug=parts[1])
        if parts[0] == "relay" and len(parts) == 3:
            return Choice("relay", key, dt.date.fromisoformat(parts[2]), relay_id=int(parts[1]))
        if parts[0] == "slot" and len(parts) == 2:
            slot = Slot.objects.get(pk=int(parts[1]))
            return Choice("home", key, slot.date, slot_id=slot.pk)
    except (ValueError, Slot.DoesNotExist):
        pass
    raise StorefrontError(Code.NO_DELIVERY)


def _or_release(checkout_id: str, call, *args):
    """Run a Saleor call made after taking a hold; if Saleor refuses or fails, give the hold back."""
    try:
        return call(*args)
    except SaleorError:
        reservations.release(checkout_id)
        raise


def check_still_open(choice: Choice, now: dt.datetime) -> None:
    """Refuse a delivery day whose orders have closed at ``now``, or a van day the van no longer serves.

    Raises
    ------
    StorefrontError
        ``day_closed`` after the day's cut-off; ``no_delivery`` for a relay point on a day the
        van does not serve its commune.
    """
    if not calendar.is_open_for_orders(choice.date, now):
        cutoff = timezone.localtime(calendar.order_cutoff(choice.date))
        raise StorefrontError(Code.DAY_CLOSED, date=choice.date, cutoff=cutoff)
    if choice.mode == "relay":
        relay = RelayPoint.objects.select_related("commune").filter(pk=choice.relay_id, active=True).first()
        if relay is None or not calendar.serves(relay.commune, choice.date):
            raise StorefrontError(Code.NO_DELIVERY)


def choose_delivery(checkout: port.Checkout, shopper: Shopper, key: str, saleor: port.SaleorPort,
                    now: dt.datetime | None = None) -> Choice:
    """Check ``key`` is still offered at ``now``, hold its capacity and set it on the Saleor checkout.

    Raises
    ------
    StorefrontError
        When the cart is empty, the option is no longer offered, its day's orders have closed,
        or its capacity is gone.
    """
    now = now or timezone.now()
    if not checkout.lines:
        raise StorefrontError(Code.EMPTY_CART)
    facts = cart_facts(checkout)
    choice = parse_choice(key)
    check_still_open(choice, now)
    if choice.mode == "home":
        check_home_address(shopper)
    checkout = customers.attach_checkout(checkout, shopper, saleor)  # the order will be the person's in Saleor
    email = shopper.contact_address or f"client{shopper.pk}@mormal.invalid"
    if checkout.customer_id is None and checkout.email != email:
        saleor.checkout.set_email(checkout.id, email)
    saleor.checkout.set_billing_address(checkout.id, billing_address(shopper, choice))
    if choice.mode == "collect":
        if key not in {o.key for o in offers.click_and_collect_options(facts, now)}:
            raise StorefrontError(Code.COLLECT_NOT_OFFERED)
        reservations.release(checkout.id)
        vendor = Vendor.objects.get(slug=choice.vendor_slug)
        saleor.checkout.set_delivery_method(checkout.id, vendor.saleor_warehouse_id)
    elif not facts.van_may_carry:
        raise StorefrontError(Code.VAN_FACTS_MISSING, goods=facts.not_for_the_van_text())
    elif choice.mode == "relay":
        if not facts.may_wait_at_a_relay:
            raise StorefrontError(Code.RELAY_FROZEN)
        relay = RelayPoint.objects.get(pk=choice.relay_id)
        reservations.reserve_relay(checkout.id, relay.pk, choice.date, facts.chilled_ml)
        _or_release(checkout.id, saleor.checkout.set_delivery_method, checkout.id, relay.saleor_warehouse_id)
    else:
        slot = Slot.objects.select_related("pattern__area").get(pk=choice.slot_id)
        if not slot.pattern.area.communes.filter(pk=shopper.commune_id).exists():
            raise StorefrontError(Code.SLOT_NOT_SERVED)
        reservations.reserve_slot(checkout.id, slot.pk)
        if checkout.delivery is not None:  # a shop or relay chosen before: Saleor keeps its address until removed
            _or_release(checkout.id, saleor.checkout.set_delivery_method, checkout.id, None)
        _or_release(checkout.id, saleor.checkout.set_shipping_address, checkout.id, shopper_address(shopper))
        methods = _or_release(checkout.id, saleor.checkout.shipping_methods, checkout.id)
        method = next((m for m in methods if _offer_key_matches(m, key)), None)
        if method is None:
            reservations.release(checkout.id)
            raise StorefrontError(Code.SLOT_NOT_OFFERED)
        _or_release(checkout.id, saleor.checkout.set_delivery_method, checkout.id, method.id)
    saleor.checkout.update_metadata(checkout.id, {**choice.metadata(), "mormal.shopper": str(shopper.pk)})
    return choice


def _checked(checkout_id: str, shopper: Shopper, placed_by, payment: str, saleor: port.SaleorPort,
             consent: Consent | None, now: dt.datetime) -> tuple[port.Checkout, str, Choice]:
    """The checkout, its delivery mode and choice, once every rule before paying holds."""
    checkout = saleor.checkout.get(checkout_id)
    if checkout is None or not checkout.lines:
        raise StorefrontError(Code.EMPTY_CART)
    mode = checkout.metadata.get("mormal.mode")
    if checkout.delivery is None or mode is None:
        raise StorefrontError(Code.DELIVERY_NOT_CHOSEN)
    if payment not in ShopOrder.Payment.values:
        raise StorefrontError(Code.PAYMENT_UNKNOWN)
    if payment in PAY_ON_DELIVERY and mode not in ("home", "collect"):  # a relay point cannot take money
        raise StorefrontError(Code.PAYMENT_NOT_ALLOWED)
    if placed_by.pk != shopper.user_id and consent is None:
        raise StorefrontError(Code.NO_CONSENT)
    choice = parse_choice(checkout.metadata["mormal.delivery"])
    check_still_open(choice, now)
    return checkout, mode, choice


def place_order(checkout_id: str, shopper: Shopper, placed_by, payment: str, saleor: port.SaleorPort,
                channel: str = ShopOrder.Channel.WEB, consent: Consent | None = None,
                now: dt.datetime | None = None, card: str = "") -> ShopOrder:
    """Pay through Saleor's gateways, complete the checkout and record the order.

    Paying by hand (at the door, the relay point or the shop of a click & collect order) is
    authorised by this App's gateway and charged once the driver or the shop has the money;
    a card is charged by the card gateway Saleor lists for the checkout (``card`` is the number
    typed for the demo card gateway).

    Raises
    ------
    card_checkout.CardStepNeeded
        When the card gateway needs the shopper's own step first (nothing is held for good yet).
    StorefrontError
        ``delivery_not_chosen`` without a delivery choice, ``payment_unknown`` for a way we do
        not know, ``payment_not_allowed`` for a way the
        gateways do not offer, ``card_unavailable`` when no
        card gateway is installed, ``payment_refused`` when the gateway refused (nothing is
        charged, the cart stays), ``no_consent`` for an order for someone else without consent,
        ``slot_full``/``relay_full`` when a lapsed hold was taken by another shopper,
        ``day_closed`` when the delivery day's orders closed since the choice (nothing is paid).
    """
    from .card_checkout import CardPageNeeded, CardStepNeeded  # the card flow builds on this module

    now = now or timezone.now()
    checkout, mode, choice = _checked(checkout_id, shopper, placed_by, payment, saleor, consent, now)
    offered = payments.options(saleor, checkout.id)
    check_payment_offered(payment, offered)
    if payment == ShopOrder.Payment.CARD and card_gateways.has_client_step(offered.card_gateway or ""):
        raise CardPageNeeded(offered.card_gateway or "")
    reference = f"mormal-{uuid.uuid4().hex[:12]}"
    with transaction.atomic():
        reservations.confirm(checkout.id, order_id=f"pending:{checkout.id}")
        saleor.checkout.update_metadata(checkout.id, {"mormal.payment": payment, "mormal.channel": channel})
        if payment == ShopOrder.Payment.CARD:
            assert offered.card_gateway is not None  # checked above
            paid = payments.pay_by_card(saleor, checkout.id, offered.card_gateway, {"card": card}, reference)
        else:
            paid = payments.pay_by_hand(saleor, checkout.id, payment, reference)
        if not (paid.result.endswith("_ACTION_REQUIRED") and paid.transaction is not None):
            return _complete(paid, checkout, mode, choice, shopper, placed_by, payment, saleor, channel, consent)
        # the place stays held (not for good) while the shopper does the gateway's step
        reservations.keep_holding(checkout.id, now)
    raise CardStepNeeded(paid.transaction.id, offered.card_gateway or "", paid.data)


def _complete(paid: port.TransactionResult, checkout: port.Checkout, mode: str, choice: Choice, shopper: Shopper,
              placed_by, payment: str, saleor: port.SaleorPort, channel: str, consent: Consent | None) -> ShopOrder:
    """Complete a paid (or authorised) checkout and record the order; inside the caller's transaction."""
    if not paid.succeeded or paid.transaction is None:
        raise StorefrontError(Code.PAYMENT_REFUSED, reason=paid.message or paid.result)
    order = saleor.checkout.complete(checkout.id)
    reservations.confirm_order(checkout.id, order.id)
    record = ShopOrder.objects.create(
        saleor_order_id=order.id, number=order.number, checkout_id=checkout.id, shopper=shopper, placed_by=placed_by,
        consent=consent, channel=channel, mode=mode, collect_vendor_slug=choice.vendor_slug,
        relay_point_id=choice.relay_id, slot_id=choice.slot_id, date=choice.date, payment=payment,
        total_cents=money.to_cents(order.total.amount), transaction_id=paid.transaction.id,
    )
    if checkout.gift_cards:  # chèques cadeaux: Saleor took their balance; note each one's part
        from marketplace.vouchers.actions import record_online

        record_online(checkout, order.id, order.number, timezone.now())
    transaction.on_commit(lambda: send_confirmation(record.pk))
    return record


def check_payment_offered(payment: str, offered: payments.PaymentOptions) -> None:
    """Refuse a way to pay that Saleor's gateways do not offer for this checkout.

    Raises
    ------
    StorefrontError
        ``card_unavailable`` for a card when no card gateway is installed, ``card_not_linked``
        for one whose client step this storefront does not run (Adyen; Stripe's runs on the card page); ``payment_not_allowed`` for a pay-on-delivery
        way our gateway does not list.
    """
    if payment == ShopOrder.Payment.CARD:
        if offered.card_gateway is None:
            raise StorefrontError(Code.CARD_UNAVAILABLE)
        if offered.card_gateway != DEMO_CARD_GATEWAY and not card_gateways.has_client_step(offered.card_gateway):
            raise StorefrontError(Code.CARD_NOT_LINKED)
    elif payment not in offered.methods:
        raise StorefrontError(Code.PAYMENT_NOT_ALLOWED)


def send_confirmation(order_pk: int) -> None:
    """Email the order confirmation with its pickup or delivery details."""
    record = ShopOrder.objects.select_related("shopper__user", "relay_point", "slot__pattern").get(pk=order_pk)
    to = [record.shopper.contact_address] if record.shopper.contact_address else []
    if record.placed_by.email and record.placed_by.email not in to:
        to.append(record.placed_by.email)
    if not to:
        return
    context = {"order": record, "details": delivery_details(record),
               "link": settings.APP_PUBLIC_URL.rstrip("/") + order_path(record)}
    send_mail(f"Votre commande {record.number} — Marché du Pays de Mormal",
              render_to_string("storefront/email_confirmation.txt", context), settings.DEFAULT_FROM_EMAIL, to)


def order_path(record: ShopOrder) -> str:
    """The order page's path: by its number for an account, by an unguessable signed link for a guest."""
    from django.core import signing
    from django.urls import reverse

    from .session import is_guest

    if is_guest(record.shopper):
        return reverse("storefront:order_link", args=[signing.dumps(record.pk, salt=ORDER_LINK_SALT)])
    return reverse("storefront:order", args=[record.number])


ORDER_LINK_SALT = "storefront.order-link"


def delivery_details(record: ShopOrder) -> str:
    """One French sentence saying where and when the order is received."""
    if record.mode == ShopOrder.Mode.HOME:
        p = record.slot.pattern
        return (f"Livraison à domicile le {record.date:%d/%m/%Y} entre {calendar.hhmm(p.start_s)} "
                f"et {calendar.hhmm(p.end_s)}, au {record.shopper.address}.")
    if record.mode == ShopOrder.Mode.RELAY:
        return (f"À retirer à {record.relay_point.name} ({record.relay_point.address}) "
                f"à partir du {record.date:%d/%m/%Y}, aux heures d'ouverture.")
    vendor = Vendor.objects.filter(slug=record.collect_vendor_slug).first()
    where = f"{vendor.name}, {vendor.address}" if vendor else record.collect_vendor_slug
    return f"À retirer en boutique chez {where} le {record.date:%d/%m/%Y}."
