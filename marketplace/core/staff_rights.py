"""Who on the staff may open which staff page: the one rule, for direct and Dashboard sign-ins.

Staff who sign in here directly (a Django staff account) open every staff page, as before.
Staff who come from the Saleor Dashboard have no password here: their Saleor permissions,
read from the verified token (:mod:`marketplace.saleor.staff_tokens`), become rights for the
session (:data:`SALEOR_PERMISSION_RIGHTS`), and each staff page names the right it needs.

=====================  ==============================================  ==========================
right                  pages                                           Saleor permissions
=====================  ==============================================  ==========================
``rounds``             the days, rounds, planning page, an order's     ``MANAGE_ORDERS``
                       "Livraison"
``indicators``         the indicators and annual report                ``MANAGE_ORDERS``,
                                                                       ``MANAGE_STAFF``, ``MANAGE_APPS``
``vendors``            the vendors' management (accounts, invitations) ``MANAGE_STAFF``, ``MANAGE_APPS``
``dead_letters``       the jobs that gave up (retry, mark handled)     ``MANAGE_STAFF``, ``MANAGE_APPS``
``vouchers``           the territory's gift vouchers (issue, print,     ``MANAGE_GIFT_CARD``
                       read balances)
=====================  ==============================================  ==========================

Why: whoever handles orders in Saleor runs the van for them; managing the platform's people
(vendors) and its machinery (failed jobs) is for those who manage Saleor's staff or Apps; our
vouchers are Saleor gift cards, so whoever may manage gift cards in Saleor issues them here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse


class StaffRight(StrEnum):
    """A group of staff pages opened together."""

    ROUNDS = "rounds"
    INDICATORS = "indicators"
    VENDORS = "vendors"
    DEAD_LETTERS = "dead_letters"
    VOUCHERS = "vouchers"


LABELS: dict[StaffRight, str] = {
    StaffRight.ROUNDS: "Tournées, planification et livraison des commandes",
    StaffRight.INDICATORS: "Indicateurs",
    StaffRight.VENDORS: "Gestion des vendeurs",
    StaffRight.DEAD_LETTERS: "Tâches en échec",
    StaffRight.VOUCHERS: "Chèques cadeaux",
}

#: Saleor ``PermissionEnum`` name -> the rights it opens here.
SALEOR_PERMISSION_RIGHTS: dict[str, frozenset[StaffRight]] = {
    "MANAGE_ORDERS": frozenset({StaffRight.ROUNDS, StaffRight.INDICATORS}),
    "MANAGE_STAFF": frozenset({StaffRight.VENDORS, StaffRight.DEAD_LETTERS, StaffRight.INDICATORS}),
    "MANAGE_APPS": frozenset({StaffRight.VENDORS, StaffRight.DEAD_LETTERS, StaffRight.INDICATORS}),
    "MANAGE_GIFT_CARD": frozenset({StaffRight.VOUCHERS}),
}

#: Where the rights of a Dashboard sign-in are kept, for the session's lifetime.
SESSION_KEY = "saleor_staff_rights"
#: A Dashboard sign-in lasts a working day: rights withdrawn in Saleor stop opening pages by the
#: next day at the latest (each opening from the Dashboard brings the current ones at once).
DASHBOARD_SESSION_S = 10 * 3600


def rights_for(saleor_permissions: Iterable[str]) -> frozenset[StaffRight]:
    """The rights a staff member with these Saleor permissions has here."""
    rights: set[StaffRight] = set()
    for permission in saleor_permissions:
        rights |= SALEOR_PERMISSION_RIGHTS.get(permission, frozenset())
    return frozenset(rights)


def saleor_permissions_for(right: StaffRight) -> list[str]:
    """The Saleor permissions that open ``right`` (any one of them), sorted."""
    return sorted(p for p, rights in SALEOR_PERMISSION_RIGHTS.items() if right in rights)


def session_rights(request: HttpRequest) -> frozenset[StaffRight] | None:
    """The rights of a Dashboard sign-in, or None for a direct sign-in."""
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if stored is None:
        return None
    return frozenset(StaffRight(r) for r in stored if r in StaffRight._value2member_map_)


def may_open(request: HttpRequest, right: StaffRight) -> bool:
    """Whether the signed-in person may open a page that needs ``right``."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    rights = session_rights(request)
    if rights is not None:
        return right in rights
    return bool(user.is_staff)


def staff_right_required(right: StaffRight) -> Callable:
    """Decorate a staff view: the person must hold ``right`` (see the table above).

    Anonymous visitors and direct sign-ins without staff status go to the sign-in page (as
    Django's ``staff_member_required``); a Dashboard sign-in without the right gets a French 403
    naming the Saleor permissions that would open the page.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if may_open(request, right):
                return view(request, *args, **kwargs)
            if session_rights(request) is not None and request.user.is_authenticated:
                from marketplace.saleor.error_codes import DashboardErrorCode, message

                raise PermissionDenied(message(DashboardErrorCode.MISSING_RIGHT,
                                               permissions=", ".join(saleor_permissions_for(right))))
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))

        wrapper.staff_right = right  # type: ignore[attr-defined]
        return wrapper

    return decorate
