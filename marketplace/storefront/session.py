"""What the storefront keeps in the shopper's session: the cart id and who the order is for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from marketplace.territory.models import Shopper

from .models import Consent, Representative

CART_KEY = "storefront_checkout_id"
FOR_KEY = "storefront_acting_for"
CONSENT_KEY = "storefront_consent_id"
CHANNEL_KEY = "storefront_channel"


def cart_id(request) -> str | None:
    """The Saleor checkout id of this session's cart."""
    return request.session.get(CART_KEY)


def set_cart_id(request, checkout_id: str | None) -> None:
    """Remember (or forget) the session's cart."""
    if checkout_id:
        request.session[CART_KEY] = checkout_id
    else:
        request.session.pop(CART_KEY, None)


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
        When the session names a person the user may no longer act for, or a logged-in user
        has no shopper profile and acts for nobody.
    """
    person_id = request.session.get(FOR_KEY)
    if person_id:
        person = Shopper.objects.select_related("user", "commune").filter(pk=person_id).first()
        if person is None or not can_act_for(request.user, person):
            request.session.pop(FOR_KEY, None)
            raise PermissionDenied("Vous ne pouvez pas commander pour cette personne.")
        consent = Consent.objects.filter(pk=request.session.get(CONSENT_KEY), person=person, agent=request.user).first()
        return person, consent, request.session.get(CHANNEL_KEY, "web")
    shopper = Shopper.objects.select_related("user", "commune").filter(user=request.user).first()
    if shopper is None:
        raise PermissionDenied("Ce compte n'a pas d'adresse de livraison.")
    return shopper, None, "web"


def stop_acting(request) -> None:
    """Back to ordering for oneself."""
    for key in (FOR_KEY, CONSENT_KEY, CHANNEL_KEY):
        request.session.pop(key, None)
