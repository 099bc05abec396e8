"""Who may open a page: vendor members (scoped to their own vendor) and platform staff."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from marketplace.core.staff_rights import (
    StaffRight,
    may_open,
    saleor_permissions_for,
    session_rights,
)

from ..selectors import membership_for_user


def vendor_required(view):
    """Require a signed-in member of an active vendor; sets ``request.vendor`` and ``request.membership``.

    Anonymous visitors are sent to the login page; platform staff without a vendor are sent
    to the staff's vendor list; other signed-in users without a vendor get 403.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_for_user(request.user)
        if membership is None and request.user.is_staff:
            return redirect("vendors:staff_vendor_list")
        if membership is None or not membership.vendor.active:
            raise PermissionDenied("Cette page est réservée aux vendeurs.")
        request.membership, request.vendor = membership, membership.vendor
        return view(request, *args, **kwargs)

    wrapper.vendor_scoped = True
    return wrapper


def owner_required(view):
    """Like :func:`vendor_required`, and the member must be the vendor's owner (403 otherwise)."""

    @vendor_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership.role != request.membership.Role.OWNER:
            raise PermissionDenied("Seul le responsable de la boutique peut faire cela.")
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Require platform staff (the ``vendors`` right): anonymous -> login page, other users -> 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_open(request, StaffRight.VENDORS):
            if session_rights(request) is not None:  # a Dashboard sign-in without the right
                from marketplace.saleor.error_codes import DashboardErrorCode, message

                raise PermissionDenied(message(DashboardErrorCode.MISSING_RIGHT,
                                               permissions=", ".join(saleor_permissions_for(StaffRight.VENDORS))))
            raise PermissionDenied("Cette page est réservée à l'équipe de la plateforme.")
        return view(request, *args, **kwargs)

    return wrapper
