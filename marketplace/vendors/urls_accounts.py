"""Sign-in, sign-out and invitations, under ``/comptes/`` (namespace ``accounts``)."""

from django.urls import path

from .views import accounts

app_name = "accounts"

urlpatterns = [
    path("connexion/", accounts.LoginView.as_view(), name="login"),
    path("deconnexion/", accounts.LogoutView.as_view(), name="logout"),
    path("invitation/<str:signed>/", accounts.accept_invitation, name="accept_invitation"),
]
