"""Signed, expiring phone links: one per van shift, no account needed on the phone.

The link carries the shift's random token and an expiry time, signed with the project's
secret (``django.core.signing``). A forged, altered or expired link is refused.
"""

import datetime as dt

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ..models import Shift

SALT = "delivery.phone-round"
#: The link stays valid until this long after the end of the delivery day (local time).
GRACE = dt.timedelta(hours=12)


def link_expiry(shift: Shift) -> dt.datetime:
    """When the phone link of ``shift`` stops working: end of its day plus 12 hours."""
    end_of_day = dt.datetime.combine(shift.day.date + dt.timedelta(days=1), dt.time(0, 0))
    return timezone.make_aware(end_of_day) + GRACE


def sign_shift(shift: Shift, expires: dt.datetime | None = None) -> str:
    """The signed value placed in the phone URL for ``shift``."""
    expiry = int((expires or link_expiry(shift)).timestamp())
    return signing.TimestampSigner(salt=SALT).sign_object({"t": shift.token, "e": expiry})


def phone_path(shift: Shift) -> str:
    """Relative URL of the phone view for ``shift``."""
    return reverse("delivery:phone", args=[sign_shift(shift)])


def shift_from_signed(value: str) -> Shift:
    """The shift a signed link opens.

    Raises
    ------
    PermissionDenied
        When the signature is wrong, the link has expired, or the shift no longer exists.
    """
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(value)
    except signing.BadSignature as exc:
        raise PermissionDenied("lien invalide") from exc
    if not isinstance(data, dict) or int(data.get("e", 0)) < timezone.now().timestamp():
        raise PermissionDenied("lien expiré")
    shift = Shift.objects.select_related("van__depot", "day").filter(token=data.get("t", "")).first()
    if shift is None:
        raise PermissionDenied("tournée inconnue")
    return shift
