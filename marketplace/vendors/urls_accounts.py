"""Sign-out, password reset and invitations, under ``/comptes/`` (namespace ``accounts``).

``/comptes/connexion/`` was the vendors' and staff's own sign-in page: it now redirects (301,
``next`` kept) to the one sign-in page of everyone, allauth's ``/compte/connexion/``.
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from .views import accounts

app_name = "accounts"

urlpatterns = [
    path("connexion/", RedirectView.as_view(pattern_name="account_login", query_string=True, permanent=True), name="login"),
    path("deconnexion/", accounts.LogoutView.as_view(), name="logout"),
    path("invitation/<str:signed>/", accounts.accept_invitation, name="accept_invitation"),
    path("mot-de-passe/oubli/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html", email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    ), name="password_reset"),
    path("mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html",
    ), name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("accounts:password_reset_complete"),
    ), name="password_reset_confirm"),
    path("mot-de-passe/change/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html",
    ), name="password_reset_complete"),
]
