"""How django-allauth behaves here: one sign-in page for all, each landing on their own home, older accounts trusted."""

from __future__ import annotations

# allauth's own modules import each other in a cycle that only resolves when ``internal`` loads
# before ``stages`` (as its views do); a system check that reaches this adapter first would fail.
import allauth.account.internal  # noqa: F401, I001 - load order, see above
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from django.urls import reverse

from marketplace.territory.models import Shopper


class TrustedAccountsEmailStage(EmailVerificationStage):
    """Ask to confirm the e-mail only of accounts that signed up here.

    Accounts made by staff, by the demo seed or by a vendor invitation (the invitation link
    itself came by e-mail) have no allauth e-mail record: they sign in as before.
    """

    def handle(self):
        """Skip the check for an account with no allauth e-mail record."""
        if not EmailAddress.objects.filter(user=self.login.user).exists():
            return None, True
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    """The storefront's account rules on top of allauth's defaults."""

    def get_login_stages(self) -> list[str]:
        """Allauth's stages, with :class:`TrustedAccountsEmailStage` for the e-mail check."""
        return ["marketplace.shoppers.adapter.TrustedAccountsEmailStage" if path.endswith(".EmailVerificationStage")
                else path for path in super().get_login_stages()]

    def get_login_redirect_url(self, request) -> str:
        """Where a sign-in without ``next`` lands: vendor members on their dashboard, staff on the vendor list, others home."""
        from marketplace.vendors.selectors import membership_for_user

        if membership_for_user(request.user):
            return reverse("vendors:dashboard")
        if request.user.is_staff:
            return reverse("vendors:staff_vendor_list")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        """Create the account, and its shopper profile (no address yet: added when needed)."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            Shopper.objects.get_or_create(user=user)
        return user
