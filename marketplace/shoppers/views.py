"""The shopper's account page: what we know, and every action on the account in one place."""

from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from marketplace.territory.models import Shopper


@login_required(login_url="account_login")
def account(request):
    """E-mail, password, addresses, orders, relatives, my data and closing the account."""
    shopper = Shopper.objects.filter(user=request.user).select_related("commune").first()
    email = EmailAddress.objects.filter(user=request.user, primary=True).first()
    return render(request, "shoppers/account.html", {"shopper": shopper, "email": email})
