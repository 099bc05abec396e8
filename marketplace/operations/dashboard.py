"""The staff pages as the Saleor Dashboard opens them: verify its token, open a session, go.

Each extension of the App's manifest (:data:`marketplace.saleor.manifest.EXTENSIONS`) points
at ``/pilotage/tableau-de-bord/<page>/``:

- ``POST`` (a ``NEW_TAB`` extension with ``newTabTarget.method`` ``POST``): the form fields
  ``accessToken``, ``appId``, ``saleorApiUrl`` and the page's own (``orderId`` on an order);
- ``GET`` (an ``APP_PAGE`` extension, in the Dashboard's iframe): a small page waits for the
  App Bridge ``handshake`` message carrying the token (only from a Dashboard origin of
  ``settings.SALEOR_DASHBOARD_ORIGINS``), then posts it here as above.

The token is checked by the Saleor adapter (:func:`marketplace.saleor.staff_tokens.verify_staff_token`);
a refused one gets the French 403 page saying why, and so does a staff member whose Saleor
permissions do not open that page (:mod:`marketplace.core.staff_rights`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from marketplace.core.staff_rights import StaffRight, saleor_permissions_for
from marketplace.core.views import error_page
from marketplace.operations.saleor_staff import sign_in
from marketplace.saleor.error_codes import DashboardErrorCode, message
from marketplace.saleor.staff_tokens import StaffTokenRefused, verify_staff_token

logger = logging.getLogger(__name__)


def _delivery_day(upcoming: bool):
    from delivery.models import DeliveryDay

    today = timezone.localdate()
    days = DeliveryDay.objects.filter(date__gte=today).order_by("date") if upcoming else \
        DeliveryDay.objects.filter(date=today)
    return days.first()


def _rounds(params: dict[str, str]) -> str:
    day = _delivery_day(upcoming=False)
    return reverse("delivery:day", args=[day.pk]) if day else reverse("delivery:days")


def _planning(params: dict[str, str]) -> str:
    day = _delivery_day(upcoming=True)
    return reverse("delivery:planning", args=[day.pk]) if day else reverse("delivery:days")


def _order_delivery(params: dict[str, str]) -> str:
    return reverse("delivery:order_delivery") + "?" + urlencode({"commande": params.get("orderId", "")})


@dataclass(frozen=True)
class DashboardPage:
    """A page the Dashboard can open: the right it needs and where it leads."""

    right: StaffRight
    target: Callable[[dict[str, str]], str]


PAGES: dict[str, DashboardPage] = {
    "tournees": DashboardPage(StaffRight.ROUNDS, _rounds),
    "planification": DashboardPage(StaffRight.ROUNDS, _planning),
    "livraison": DashboardPage(StaffRight.ROUNDS, _order_delivery),
    "indicateurs": DashboardPage(StaffRight.INDICATORS, lambda params: reverse("indicators:dashboard")),
    "vendeurs": DashboardPage(StaffRight.VENDORS, lambda params: reverse("vendors:staff_vendor_list")),
    "taches-en-echec": DashboardPage(StaffRight.DEAD_LETTERS, lambda params: reverse("operations:dead_letters")),
    "cheques-cadeaux": DashboardPage(StaffRight.VOUCHERS, lambda params: reverse("vouchers:staff")),
}

#: Form or query fields the Dashboard sends that a page may use (``AppDetailsUrlMountQueryParams``).
PASSED_PARAMS = ("orderId",)


def refusal(request: HttpRequest, exc: StaffTokenRefused) -> HttpResponse:
    """The French page for a refused token (503 when Saleor's keys could not be read)."""
    logger.warning("Dashboard token refused: %s", exc)
    status = 503 if exc.code == DashboardErrorCode.KEYS_UNAVAILABLE else 403
    response = error_page(request, 403, hint=message(exc.code))
    response.status_code = status
    return response


@csrf_exempt  # the verified token is the proof; no session exists yet to hold a CSRF secret
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, page: str) -> HttpResponse:
    """Open ``page`` for the staff member the Dashboard's token names."""
    target = PAGES.get(page)
    if target is None:
        raise Http404("Page inconnue du tableau de bord.")
    if request.method == "GET":
        return render(request, "operations/dashboard_bridge.html", {
            "origins": list(settings.SALEOR_DASHBOARD_ORIGINS),
            "params": {k: request.GET[k] for k in PASSED_PARAMS if k in request.GET},
        })
    try:
        staff = verify_staff_token(request.POST.get("accessToken"), now=timezone.now())
        sent_url = request.POST.get("saleorApiUrl")
        if sent_url and sent_url != staff.saleor_api_url:
            raise StaffTokenRefused(DashboardErrorCode.UNKNOWN_ISSUER,
                                    f"saleorApiUrl {sent_url!r} is not the token's issuer")
    except StaffTokenRefused as exc:
        return refusal(request, exc)
    rights = sign_in(request, staff)
    if target.right not in rights:
        raise PermissionDenied(message(DashboardErrorCode.MISSING_RIGHT,
                                       permissions=", ".join(saleor_permissions_for(target.right))))
    params = {k: request.POST[k] for k in PASSED_PARAMS if k in request.POST}
    return HttpResponseRedirect(target.target(params), status=303)
