"""E-vouchers bought online: Saleor's gift-card product, paid by card, the cards e-mailed as a PDF.

The way Saleor 3.23 sells gift cards (:mod:`marketplace.saleor.gateway.gift_card_products`): the
shopper's own checkout holds the "Chèque cadeau du Pays de Mormal" variant of the chosen amount
(product type kind ``GIFT_CARD``, not shipped: no van, no relay point, no vendor), is paid by
the card gateway Saleor lists (the demo one in the demonstration), and completed. Once the order
is fully paid Saleor itself fulfils those lines and issues one gift card per voucher, then sends
``ORDER_FULLY_PAID``; :func:`record_bought` (that webhook's handler) finds the cards by their
``BOUGHT`` event, keeps them as ``Voucher(origin=ONLINE)`` and e-mails the printable PDF once.

Vouchers are bought in their own checkout, never in the goods cart (a cart mixing both would
need a delivery for part of it and none for the rest). A voucher cannot pay for a voucher
(:data:`VoucherErrorCode.VOUCHER_FOR_VOUCHER`): Saleor would accept it, the territory does not
(it would stretch a voucher's validity and move money put on cards out of the local shops).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction

from common import money
from marketplace.payments import actions as payments
from marketplace.payments import card_gateways
from marketplace.saleor import port
from marketplace.saleor.registry import ReceivedEvent
from marketplace.territory import collection_points
from marketplace.territory.models import Shopper

from .error_codes import VoucherError
from .error_codes import VoucherErrorCode as Code
from .models import Voucher, VoucherPurchase

log = logging.getLogger(__name__)

PRODUCT_SLUG = "cheque-cadeau-pays-de-mormal"
PRODUCT_NAME = "Chèque cadeau du Pays de Mormal"
#: The face values sold online, in euros.
AMOUNTS = (Decimal("10.00"), Decimal("20.00"), Decimal("50.00"))
MAX_QUANTITY = 10
MAX_MESSAGE = 300
#: Checkout and order metadata naming our purchase row.
PURCHASE_KEY = "mormal.voucher_purchase"

#: The warehouse holding the e-vouchers' stock rows (Saleor fulfils gift-card lines from one).
WAREHOUSE = collection_points.VOUCHER_STOCK


def product(saleor: port.SaleorPort) -> port.GiftCardProduct:
    """The e-voucher product, set up in Saleor the first time (``saleor_setup`` does it too)."""
    found = saleor.gift_card_products.find(PRODUCT_SLUG)
    if found is not None and all(a in found.variants for a in AMOUNTS):
        return found
    return _ensure(saleor)


def _ensure(saleor: port.SaleorPort) -> port.GiftCardProduct:
    return saleor.gift_card_products.ensure(name=PRODUCT_NAME, slug=PRODUCT_SLUG, amounts=AMOUNTS, warehouse=WAREHOUSE,
                                            category_name="Chèques cadeaux", category_slug="cheques-cadeaux")


def setup_step(saleor: port.SaleorPort) -> str:
    """``manage.py saleor_setup``'s step: the e-voucher product and its variants exist in Saleor.

    The channel's automatic fulfilment of non-shippable gift cards is checked every run too
    (unlike :func:`product`'s short cut).
    """
    ready = _ensure(saleor)
    shown = ", ".join(money.format_eur(a) for a in sorted(ready.variants))
    return f"E-voucher product {ready.slug} is ready ({shown})."


def amounts_text() -> str:
    """``10,00 €, 20,00 € ou 50,00 €``."""
    shown = [money.format_eur(a) for a in AMOUNTS]
    return ", ".join(shown[:-1]) + " ou " + shown[-1]


def _choice(amount: object, quantity: object) -> tuple[Decimal, int]:
    try:
        value = money.round_cents(Decimal(str(amount).replace(",", ".").replace("€", "").strip()))
    except ArithmeticError:
        value = Decimal("0")
    if value not in AMOUNTS:
        raise VoucherError(Code.NOT_FOR_SALE, amounts=amounts_text())
    try:
        count = int(str(quantity).strip())
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_QUANTITY:
        raise VoucherError(Code.BAD_COUNT, most=MAX_QUANTITY)
    return value, count


def start(saleor: port.SaleorPort, buyer: Shopper, placed_by, *, amount: object, quantity: object,
          recipient_name: str = "", recipient_email: str = "", message: str = "",
          billing: port.Address | None, now: dt.datetime) -> VoucherPurchase:
    """Open the checkout of ``quantity`` vouchers of ``amount`` euros (nothing is paid yet).

    Raises
    ------
    VoucherError
        ``NOT_FOR_SALE``, ``BAD_COUNT``, ``BAD_RECIPIENT_EMAIL``, ``MESSAGE_TOO_LONG``,
        ``NO_BILLING_ADDRESS`` (Saleor bills an address); SaleorError when Saleor refuses.
    """
    value, count = _choice(amount, quantity)
    recipient_email, message = recipient_email.strip(), message.strip()
    if recipient_email:
        try:
            validate_email(recipient_email)
        except ValidationError:
            raise VoucherError(Code.BAD_RECIPIENT_EMAIL) from None
    if len(message) > MAX_MESSAGE:
        raise VoucherError(Code.MESSAGE_TOO_LONG, most=MAX_MESSAGE)
    if billing is None:
        raise VoucherError(Code.NO_BILLING_ADDRESS)
    variant_id = product(saleor).variants[value]
    email = buyer.contact_address or getattr(placed_by, "email", "") or f"client{buyer.pk}@mormal.invalid"
    checkout = saleor.checkout.create([port.CheckoutLineInput(variant_id=variant_id, quantity=count)], email=email,
                                      billing_address=billing)
    from marketplace.shoppers import customers

    customers.attach_checkout(checkout, buyer, saleor)  # the cards are the person's in Saleor (createdBy)
    purchase = VoucherPurchase.objects.create(
        buyer=buyer, placed_by=placed_by if getattr(placed_by, "pk", None) else None, amount=value,
        quantity=count, recipient_name=recipient_name.strip()[:120], recipient_email=recipient_email,
        message=message, checkout_id=checkout.id, created_at=now)
    saleor.checkout.update_metadata(checkout.id, {PURCHASE_KEY: str(purchase.pk), "mormal.mode": "cheques-cadeaux",
                                                  "mormal.shopper": str(buyer.pk)})
    return purchase


@dataclass(frozen=True)
class CardStep:
    """The card gateway asks the shopper's own confirmation first (3-D Secure)."""

    transaction_id: str
    data: object


def refuse_voucher_payment(purchase: VoucherPurchase) -> None:
    """A voucher code offered to pay for vouchers: always refused, in French.

    Raises
    ------
    VoucherError
        ``VOUCHER_FOR_VOUCHER``.
    """
    raise VoucherError(Code.VOUCHER_FOR_VOUCHER)


def pay(saleor: port.SaleorPort, purchase: VoucherPurchase, card: str, now: dt.datetime) -> CardStep | None:
    """Charge the checkout's total by the card gateway Saleor lists, then complete it.

    Returns a :class:`CardStep` when the bank asks the shopper's confirmation (then
    :func:`confirm`), None when paid and completed.

    Raises
    ------
    CardPageNeeded
        When the gateway's step runs in the browser (Stripe's Payment Element): :func:`card_page`.
    VoucherError
        ``ALREADY_PAID``; ``NO_CARD_PAYMENT`` without a card gateway; ``CARD_REFUSED`` (nothing charged).
    """
    if purchase.saleor_order_id:
        raise VoucherError(Code.ALREADY_PAID, order=purchase.order_number)
    offered = payments.options(saleor, purchase.checkout_id)
    gateway = offered.card_gateway
    if gateway is None:
        raise VoucherError(Code.NO_CARD_PAYMENT)
    if card_gateways.has_client_step(gateway):
        raise CardPageNeeded(gateway)
    reference = f"mormal-cheques-{purchase.pk}-{uuid.uuid4().hex[:8]}"
    paid = payments.pay_by_card(saleor, purchase.checkout_id, gateway, {"card": card}, reference)
    if paid.result.endswith("_ACTION_REQUIRED") and paid.transaction is not None:
        return CardStep(paid.transaction.id, paid.data)
    _complete(saleor, purchase, paid, now)
    return None


class CardPageNeeded(Exception):  # noqa: N818 - a step, not an error
    """The card gateway's client step runs in the browser (Stripe's Payment Element): go to the card page."""


@dataclass(frozen=True)
class CardPage:
    """What the card page shows: the gateway's client step, the amount, and whether it is paid already."""

    step: card_gateways.StripeStep
    amount: Decimal
    already_paid: bool


def card_page(saleor: port.SaleorPort, purchase: VoucherPurchase, attempt: int = 0) -> CardPage:
    """Open the card gateway's client step (``transactionInitialize``, a PaymentIntent); nothing is charged yet.

    The same purchase at the same total and ``attempt`` gives Saleor the same idempotency key, so a
    reload finds the same transaction and PaymentIntent.

    Raises
    ------
    VoucherError
        ``ALREADY_PAID``; ``NO_CARD_PAYMENT`` without such a gateway or when its answer lacks the key.
    """
    from marketplace.storefront.card_checkout import card_idempotency_key

    if purchase.saleor_order_id:
        raise VoucherError(Code.ALREADY_PAID, order=purchase.order_number)
    checkout = saleor.checkout.get(purchase.checkout_id)
    offered = payments.options(saleor, purchase.checkout_id)
    gateway = offered.card_gateway or ""
    if checkout is None or not card_gateways.has_client_step(gateway):
        raise VoucherError(Code.NO_CARD_PAYMENT)
    try:
        step, already_paid = card_gateways.open_stripe_step(saleor, checkout.id, offered.card_data,
                                                            card_idempotency_key(checkout, attempt))
    except card_gateways.CardGatewayError as exc:
        raise VoucherError(Code.NO_CARD_PAYMENT) from exc
    return CardPage(step=step, amount=checkout.total.amount, already_paid=already_paid)


def finish_card_page(saleor: port.SaleorPort, purchase: VoucherPurchase, transaction_id: str, payment_intent: str,
                     now: dt.datetime) -> None:
    """Back from the card company: Saleor asks the gateway for the result (``transactionProcess``), then the order, once.

    Raises
    ------
    VoucherError
        ``CARD_REFUSED`` (declined, cancelled, or not this payment: nothing charged stays),
        ``CARD_PENDING`` (the bank has not confirmed yet: reload later).
    """
    if purchase.saleor_order_id:
        return
    paid = saleor.payments.process(transaction_id)
    if payment_intent and paid.transaction is not None and paid.transaction.psp_reference not in ("", payment_intent):
        raise VoucherError(Code.CARD_REFUSED, reason="ce retour ne correspond pas à ce paiement")
    if paid.result.endswith("_REQUEST"):
        raise VoucherError(Code.CARD_PENDING)
    if not paid.succeeded or paid.transaction is None:
        raise VoucherError(Code.CARD_REFUSED, reason="la banque n'a pas accepté la carte")
    after = saleor.checkout.get(purchase.checkout_id)
    if after is None or after.charge_status not in ("FULL", "OVERCHARGED"):
        raise VoucherError(Code.CARD_PENDING)
    _complete(saleor, purchase, paid, now)


def confirm(saleor: port.SaleorPort, purchase: VoucherPurchase, transaction_id: str, confirmed: bool,
            now: dt.datetime) -> None:
    """After the bank's confirmation step: Saleor asks the gateway again, then the order.

    Raises
    ------
    VoucherError
        ``ALREADY_PAID``, ``CARD_REFUSED``.
    """
    if purchase.saleor_order_id:
        raise VoucherError(Code.ALREADY_PAID, order=purchase.order_number)
    _complete(saleor, purchase, saleor.payments.process(transaction_id, {"confirmed": confirmed}), now)


def _complete(saleor: port.SaleorPort, purchase: VoucherPurchase, paid: port.TransactionResult,
              now: dt.datetime) -> None:
    if not paid.succeeded or paid.transaction is None:
        raise VoucherError(Code.CARD_REFUSED, reason=(paid.message or paid.result).rstrip("."))
    order = saleor.checkout.complete(purchase.checkout_id)
    VoucherPurchase.objects.filter(pk=purchase.pk).update(saleor_order_id=order.id, order_number=order.number,
                                                          paid_at=now)
    purchase.saleor_order_id, purchase.order_number, purchase.paid_at = order.id, order.number, now


def is_voucher_checkout(checkout: port.Checkout) -> bool:
    """Whether a checkout is a voucher purchase (it may not be paid with a voucher)."""
    return PURCHASE_KEY in checkout.metadata


def record_bought(event: ReceivedEvent, saleor: port.SaleorPort | None = None) -> None:
    """ORDER_FULLY_PAID: keep the gift cards Saleor issued for the order's e-voucher lines, e-mail them once.

    Safe to run twice (one row per card, one e-mail per purchase, under the purchase's row lock).

    Raises
    ------
    RuntimeError
        When Saleor shows fewer cards than vouchers paid (the handler is run again later).
    """
    order = event.order
    if order is None or order.status == "CANCELED":
        return
    bought = bought_lines(order)
    if not bought:
        return
    from django.utils import timezone

    saleor = saleor or port.get_saleor()
    cards = saleor.gift_card_products.bought_in_order(order.id, product(saleor).product_id, order.email)
    if len(cards) < bought:
        raise RuntimeError(f"order {order.number}: {len(cards)} gift card(s) issued for {bought} paid")
    now = timezone.now()
    with transaction.atomic():
        purchase = purchase_of(order, lock=True)
        if purchase is not None and not purchase.saleor_order_id:
            purchase.saleor_order_id, purchase.order_number = order.id, order.number
            purchase.paid_at = purchase.paid_at or now
            purchase.save(update_fields=["saleor_order_id", "order_number", "paid_at"])
        keep_cards(cards, purchase, now)
        if purchase is not None and purchase.emailed_at is None and purchase.vouchers.filter(
                deactivated_at__isnull=True).exists():  # a refund that came first: nothing to send
            purchase.emailed_to = send_vouchers(purchase)
            purchase.emailed_at = now
            purchase.save(update_fields=["emailed_at", "emailed_to"])


def bought_lines(order: port.Order) -> int:
    """How many e-vouchers the order sold (its lines of the gift-card product)."""
    return sum(ln.quantity for ln in order.lines if (ln.sku or "").startswith(PRODUCT_SLUG + "-"))


def purchase_of(order: port.Order, *, lock: bool = False) -> VoucherPurchase | None:
    """Our purchase row of the order (its metadata names it), or None; ``lock``: under its row lock (in a transaction)."""
    pk = order.metadata.get(PURCHASE_KEY, "")
    if not pk.isdigit():
        return None
    rows = VoucherPurchase.objects.select_for_update() if lock else VoucherPurchase.objects
    return rows.filter(pk=int(pk)).first()


def keep_cards(cards: list[port.GiftCard], purchase: VoucherPurchase | None, now: dt.datetime) -> None:
    """One ``Voucher(origin=ONLINE)`` row per card Saleor issued for the purchase (rows already there are kept)."""
    tag = _tag(purchase)
    for card in cards:
        Voucher.objects.get_or_create(gift_card_id=card.id, defaults={
            "code": card.code, "origin": Voucher.Origin.ONLINE, "tag": tag, "purchase": purchase,
            "initial_amount": card.initial_balance.amount, "balance": card.current_balance.amount,
            "expiry_date": card.expiry_date, "created_at": card.created, "balance_read_at": now})


def _tag(purchase: VoucherPurchase | None) -> str:
    """Who offers it, printed on the voucher ("Offert par"): the buyer, when it is for someone else."""
    if purchase is None or not (purchase.recipient_name or purchase.recipient_email) or purchase.buyer is None:
        return ""
    return (purchase.buyer.user.get_full_name() or purchase.buyer.contact_address)[:100]


def send_vouchers(purchase: VoucherPurchase) -> str:
    """E-mail the purchase's vouchers as one PDF, to the recipient if named, else the buyer; return the address."""
    from .pdf import render_vouchers

    vouchers = list(purchase.vouchers.filter(deactivated_at__isnull=True).order_by("pk"))
    to = purchase.recipient_email or (purchase.buyer.contact_address if purchase.buyer else "")
    if not to or not vouchers:
        return ""
    who = f"Bonjour {purchase.recipient_name},\n\n" if purchase.recipient_name else "Bonjour,\n\n"
    offered = f"{_tag(purchase)} vous offre" if purchase.recipient_email and _tag(purchase) else "Voici"
    lines = [who + f"{offered} {len(vouchers)} chèque(s) cadeau du Pays de Mormal de "
             f"{money.format_eur(purchase.amount)} (commande {purchase.order_number}).", ""]
    if purchase.message:
        lines += ["Message :", purchase.message, ""]
    lines += ["Le PDF joint contient un chèque par page, avec son code et son QR code. À dépenser chez les commerçants, "
              "artisans et producteurs du Pays de Mormal : en ligne (saisissez le code au moment de payer) ou à la "
              "livraison (montrez le QR code au chauffeur).", "",
              f"{settings.APP_PUBLIC_URL.rstrip('/')}/", "", "Marché du Pays de Mormal"]
    mail = EmailMessage(f"Vos chèques cadeaux du Pays de Mormal — commande {purchase.order_number}", "\n".join(lines),
                        settings.DEFAULT_FROM_EMAIL, [to])
    mail.attach(f"cheques-cadeaux-{purchase.order_number}.pdf", render_vouchers(vouchers), "application/pdf")
    mail.send()
    return to
