"""A Saleor staff member, verified from a Dashboard token, gets a session here: no second password.

The person is matched to the account with the same e-mail, or one is made for them (no
usable password, no Django staff status: nothing opens to them but what their Saleor
permissions map to, :mod:`marketplace.core.staff_rights`). Only a platform staff account or
an account the Dashboard made (group :data:`DASHBOARD_GROUP`) is matched: a vendor's or a
shopper's account with the same e-mail is never opened from a Saleor token. The rights live in the session,
so each opening from the Dashboard brings the current ones.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpRequest

from marketplace.core.staff_rights import DASHBOARD_SESSION_S, SESSION_KEY, StaffRight, rights_for
from marketplace.saleor.error_codes import DashboardErrorCode, message
from marketplace.saleor.staff_tokens import SaleorStaff

#: Django's own backend: the token, already verified, is the proof (no password is checked).
BACKEND = "django.contrib.auth.backends.ModelBackend"
#: The group of accounts made for Saleor staff on their first visit from the Dashboard.
DASHBOARD_GROUP = "Équipe Saleor (tableau de bord)"


def _lock_email(email: str) -> None:
    """Serialise first visits of one e-mail (two at once would make two accounts), until commit."""
    key = int.from_bytes(hashlib.sha256(email.lower().encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _username(email: str) -> str:
    User = get_user_model()
    base = email[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def staff_account(staff: SaleorStaff):
    """The account of this Saleor staff member, made on their first visit.

    Raises
    ------
    PermissionDenied
        For a platform administrator's account (they sign in directly), a disabled one, or a
        vendor's or shopper's account with the same e-mail.
    """
    User = get_user_model()
    _lock_email(staff.email)
    group, _ = Group.objects.get_or_create(name=DASHBOARD_GROUP)
    user = User.objects.select_for_update().filter(email__iexact=staff.email).order_by("pk").first()
    if user is None:
        user = User(username=_username(staff.email), email=staff.email, is_staff=False)
        user.set_unusable_password()
        user.save()
        user.groups.add(group)
    if user.is_superuser:
        raise PermissionDenied(message(DashboardErrorCode.ADMIN_ACCOUNT))
    if not user.is_staff and not user.groups.filter(pk=group.pk).exists():
        raise PermissionDenied(message(DashboardErrorCode.SHOP_ACCOUNT))
    if not user.is_active:
        raise PermissionDenied(message(DashboardErrorCode.NOT_STAFF))
    return user


def sign_in(request: HttpRequest, staff: SaleorStaff) -> frozenset[StaffRight]:
    """Open a session for ``staff`` holding the rights their Saleor permissions give; return them."""
    user = staff_account(staff)
    login(request, user, backend=BACKEND)
    rights = rights_for(staff.permissions)
    request.session[SESSION_KEY] = sorted(rights)
    request.session["saleor_staff"] = {"email": staff.email, "saleor_api_url": staff.saleor_api_url}
    request.session.set_expiry(DASHBOARD_SESSION_S)
    return rights
