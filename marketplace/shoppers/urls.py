"""The shopper's account pages under ``/compte/``: allauth's views at French addresses, plus ours.

Allauth's URL names (``account_login``, ``account_signup``…) are kept so its views, e-mails and
redirects find them; only the paths are French.
"""

from allauth.account import views as allauth_views
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.account, name="shopper_account"),
    path("adresses/", views.address_list, name="shopper_addresses"),
    path("adresses/<int:pk>/choisir/", views.address_choose, name="shopper_address_choose"),
    path("adresses/<int:pk>/supprimer/", views.address_remove, name="shopper_address_remove"),
    path("connexion/", allauth_views.login, name="account_login"),
    path("deconnexion/", allauth_views.logout, name="account_logout"),
    path("inactif/", allauth_views.account_inactive, name="account_inactive"),
    path("inscription/", allauth_views.signup, name="account_signup"),
    path("confirmer-mot-de-passe/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("adresse-email/", allauth_views.email, name="account_email"),
    path("confirmer-email/", allauth_views.email_verification_sent, name="account_email_verification_sent"),
    re_path(r"^confirmer-email/(?P<key>[-:\w]+)/$", allauth_views.confirm_email, name="account_confirm_email"),
    path("mot-de-passe/", allauth_views.password_change, name="account_change_password"),
    path("mot-de-passe/choisir/", allauth_views.password_set, name="account_set_password"),
    path("mot-de-passe/oublie/", allauth_views.password_reset, name="account_reset_password"),
    path("mot-de-passe/oublie/envoye/", allauth_views.password_reset_done, name="account_reset_password_done"),
    re_path(r"^mot-de-passe/nouveau/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", allauth_views.password_reset_from_key,
            name="account_reset_password_from_key"),
    path("mot-de-passe/nouveau/fait/", allauth_views.password_reset_from_key_done,
         name="account_reset_password_from_key_done"),
    path("connexion/code/", allauth_views.confirm_login_code, name="account_confirm_login_code"),
]
