"""Signed, expiring phone links: one per van shift, no account needed on the phone.

The link carries the shift's random token and an expiry time, signed with the project's
secret (``django.core.signing``). A forged, altered or expired link is refused.
"""

import datetime as dt
import logging
from collections.abc import Callable
from functools import wraps

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ..models import Shift

logger = logging.getLogger(__name__)

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


class LinkRefused(PermissionDenied):
    """A phone link that does not open a shift; ``str()`` is the French sentence for the driver."""


def shift_from_signed(value: str) -> Shift:
    """The shift a signed link opens.

    Raises
    ------
    LinkRefused
        When the signature is wrong, the link has expired, or the shift no longer exists.
    """
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(value)
    except signing.BadSignature as exc:
        raise LinkRefused("Ce lien de tournée n'est pas valide (adresse incomplète ou modifiée).") from exc
    if not isinstance(data, dict) or int(data.get("e", 0)) < timezone.now().timestamp():
        raise LinkRefused("Ce lien de tournée a expiré. Demandez le lien du jour à l'équipe.")
    shift = Shift.objects.select_related("van__depot", "day").filter(token=data.get("t", "")).first()
    if shift is None:
        raise LinkRefused("Cette tournée n'existe plus. Demandez le lien du jour à l'équipe.")
    return shift


def refused(request: HttpRequest, exc: LinkRefused, *, as_json: bool) -> HttpResponse:
    """The 403 answer to a refused link, logged as one warning line (no traceback)."""
    logger.warning("phone link refused: %s (%s %s)", exc, request.method, request.path[:60])
    response: HttpResponse
    if as_json:
        response = JsonResponse({"error": str(exc)}, status=403)
    else:
        response = render(request, "delivery/link_refused.html", {"message": str(exc)}, status=403)
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own flag: logged once, here
    return response


def with_shift(*, as_json: bool = False) -> Callable:
    """Decorate a phone view ``view(request, shift, signed)``: open the link or answer 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, signed: str) -> HttpResponse:
            try:
                shift = shift_from_signed(signed)
            except LinkRefused as exc:
                return refused(request, exc, as_json=as_json)
            return view(request, shift, signed)

        return wrapper

    return decorate
