"""Sign-in, sign-out and accepting an invitation (the ``accounts`` URLs, under /comptes/)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import actions
from ..forms import AcceptInvitationForm
from ..selectors import membership_for_user


class LoginView(auth_views.LoginView):
    """The French sign-in page; vendor members land on their dashboard unless ``next`` says otherwise."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Vendor members go to their dashboard, staff to the vendor list."""
        if membership_for_user(self.request.user):
            return reverse("vendors:dashboard")
        if self.request.user.is_staff:
            return reverse("vendors:staff_vendor_list")
        return super().get_default_redirect_url()


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
