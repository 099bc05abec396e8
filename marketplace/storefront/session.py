"""What the storefront keeps in the shopper's session: the cart, who the order is for, a guest's profile."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from marketplace.territory.models import Shopper

from .models import Consent, Representative

CART_KEY = "storefront_checkout_id"
FOR_KEY = "storefront_acting_for"
CONSENT_KEY = "storefront_consent_id"
CHANNEL_KEY = "storefront_channel"
COUNT_KEY = "storefront_cart_count"
GUEST_KEY = "storefront_guest"
GUEST_ORDERS_KEY = "storefront_guest_orders"


def cart_id(request) -> str | None:
    """The Saleor checkout id of this session's cart."""
    return request.session.get(CART_KEY)


def set_cart_id(request, checkout_id: str | None, count: int = 0) -> None:
    """Remember (or forget) the session's cart and how many articles it holds."""
    if checkout_id:
        request.session[CART_KEY] = checkout_id
        request.session[COUNT_KEY] = count
    else:
        request.session.pop(CART_KEY, None)
        request.session.pop(COUNT_KEY, None)


def cart_count(request) -> int:
    """Articles in the session's cart when it last changed (shown in every page's header)."""
    session = getattr(request, "session", None)
    return int(session.get(COUNT_KEY, 0)) if session is not None else 0


def guest(request) -> Shopper | None:
    """The account-less shopper of this session (e-mail and phone only), if one was started."""
    pk = request.session.get(GUEST_KEY)
    return Shopper.objects.select_related("user").filter(pk=pk, user__is_active=True).first() if pk else None


def is_guest(shopper: Shopper) -> bool:
    """Whether ``shopper`` orders without an account (no usable password, made by a guest checkout)."""
    return shopper.user.username.startswith(GUEST_USERNAME_PREFIX)


GUEST_USERNAME_PREFIX = "invite-"


def can_act_for(user, person: Shopper) -> bool:
    """Staff, or an active registered representative of ``person``, may order for them."""
    if user.is_staff:
        return True
    return Representative.objects.filter(person=person, user=user, active=True).exists()


def beneficiary(request) -> tuple[Shopper, Consent | None, str]:
    """Who the current order is for, the recorded consent, and the channel.

    Raises
    ------
    PermissionDenied
        When the session names a person the user may no longer act for, or nobody is signed
        in and no guest checkout was started.
    """
    if not request.user.is_authenticated:
        person = guest(request)
        if person is None:
            raise PermissionDenied("Connectez-vous ou continuez sans compte.")
        return person, None, "web"
    person_id = request.session.get(FOR_KEY)
    if person_id:
        person = Shopper.objects.select_related("user", "commune").filter(pk=person_id).first()
        if person is None or not can_act_for(request.user, person):
            request.session.pop(FOR_KEY, None)
            raise PermissionDenied("Vous ne pouvez pas commander pour cette personne.")
        consent = Consent.objects.filter(pk=request.session.get(CONSENT_KEY), person=person, agent=request.user).first()
        return person, consent, request.session.get(CHANNEL_KEY, "web")
    shopper = Shopper.objects.select_related("user", "commune").filter(user=request.user).first()
    if shopper is None:  # an account made before shoppers had their own (staff, vendor): a profile, no address yet
        shopper, _ = Shopper.objects.get_or_create(user=request.user)
    return shopper, None, "web"


def stop_acting(request) -> None:
    """Back to ordering for oneself."""
    for key in (FOR_KEY, CONSENT_KEY, CHANNEL_KEY):
        request.session.pop(key, None)
