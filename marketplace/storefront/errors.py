"""Storefront errors: one code per refusal, shown to the shopper as a plain French sentence."""

from django.core.exceptions import ValidationError


class StorefrontError(ValidationError):
    """A refusal the shopper can act on; ``code`` is one of the constants below."""


SLOT_FULL = "slot_full"
SLOT_CLOSED = "slot_closed"
SLOT_NOT_SERVED = "slot_not_served"
RELAY_FULL = "relay_full"
RELAY_FROZEN = "relay_frozen"
RELAY_CLOSED = "relay_closed"
COLLECT_MULTI_VENDOR = "collect_multi_vendor"
COLLECT_NOT_OFFERED = "collect_not_offered"
EMPTY_CART = "empty_cart"
NO_DELIVERY = "no_delivery"
DAY_CLOSED = "day_closed"
PAYMENT_NOT_ALLOWED = "payment_not_allowed"
NO_CONSENT = "no_consent"
NOT_REPRESENTATIVE = "not_representative"
HOME_NO_ADDRESS = "home_no_address"
HOME_OUTSIDE_TERRITORY = "home_outside_territory"
GUEST_INVALID = "guest_invalid"
