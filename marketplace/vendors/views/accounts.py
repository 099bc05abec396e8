"""Sign-out and accepting an invitation (the ``accounts`` URLs, under /comptes/).

Signing in is allauth's page for everyone, ``/compte/connexion/``; the old ``/comptes/connexion/``
redirects there (see ``urls_accounts.py``), and :class:`marketplace.shoppers.adapter.AccountAdapter`
sends vendor members to their dashboard and staff to the vendor list.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import actions
from ..forms import AcceptInvitationForm


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and come back to the home page."""

    next_page = "/"


@require_http_methods(["GET", "POST"])
def accept_invitation(request, signed):
    """Follow an invitation link: choose a password, become a member, land on the dashboard."""
    invitation = actions.invitation_from_link(signed)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.accept_invitation(
                invitation, form.cleaned_data["password1"], form.cleaned_data["first_name"], form.cleaned_data["last_name"],
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Bienvenue ! Votre compte pour {invitation.vendor.name} est prêt.")
            return redirect("vendors:dashboard")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})
