"""The shopper's account page and their addresses (add, choose, remove)."""

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from marketplace.territory.models import Commune, Shopper

from . import addresses
from .models import SavedAddress


@login_required(login_url="account_login")
def account(request):
    """E-mail, password, addresses, orders, relatives, my data and closing the account."""
    shopper = Shopper.objects.filter(user=request.user).select_related("commune").first()
    email = EmailAddress.objects.filter(user=request.user, primary=True).first()
    return render(request, "shoppers/account.html", {"shopper": shopper, "email": email})


class AddressForm(forms.Form):
    """Street, postcode and commune: never coordinates (the map position is looked up)."""

    street = forms.CharField(label="Numéro et rue", max_length=200,
                             widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
                             help_text="Par exemple : 3 rue Pasteur")
    postcode = forms.CharField(label="Code postal", max_length=10,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}))
    city = forms.CharField(label="Commune", max_length=120,
                           widget=forms.TextInput(attrs={"autocomplete": "address-level2", "list": "communes"}))


def _next(request, default="shopper_addresses"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _shopper(request) -> Shopper:
    shopper, _ = Shopper.objects.select_related("commune").get_or_create(user=request.user)
    return shopper


@login_required(login_url="account_login")
def address_list(request):
    """The saved addresses, which one the van delivers to, and the form to add one."""
    shopper = _shopper(request)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved, notice = addresses.add_address(shopper, form.cleaned_data["street"], form.cleaned_data["postcode"],
                                                  form.cleaned_data["city"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if saved.commune is None:
                messages.warning(request, f"Adresse enregistrée : {saved.one_line}. Elle est en dehors des 52 communes "
                                          "du Pays de Mormal : la camionnette ne livre pas à domicile à cette adresse. "
                                          "Vous pouvez retirer vos commandes en boutique ou dans un point relais.")
            else:
                messages.success(request, f"Adresse enregistrée : {saved.one_line}. La camionnette livrera ici.")
            if notice:
                messages.warning(request, notice)
            return redirect(_next(request))
    rows = addresses.saved_addresses(shopper)
    return render(request, "shoppers/addresses.html", {
        "form": form, "rows": [(row, addresses.is_chosen(shopper, row)) for row in rows],
        "communes": Commune.objects.order_by("name"), "next": _next(request, "")}, status=400 if form.errors else 200)


@login_required(login_url="account_login")
@require_POST
def address_choose(request, pk):
    """Deliver to this address from now on."""
    shopper = _shopper(request)
    saved = get_object_or_404(SavedAddress, pk=pk, shopper=shopper)
    addresses.choose_address(shopper, saved)
    messages.success(request, f"La camionnette livrera au {saved.one_line}." if saved.commune else
                     f"Adresse choisie : {saved.one_line} (hors du Pays de Mormal : pas de livraison à domicile).")
    return redirect(_next(request))


@login_required(login_url="account_login")
@require_POST
def address_remove(request, pk):
    """Forget a saved address."""
    shopper = _shopper(request)
    saved = get_object_or_404(SavedAddress, pk=pk, shopper=shopper)
    addresses.remove_address(shopper, saved)
    messages.success(request, f"Adresse supprimée : {saved.one_line}.")
    return redirect(_next(request))
