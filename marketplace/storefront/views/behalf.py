"""Ordering for someone else (town hall, CCAS, registered relative), and phone orders, with consent."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from marketplace.territory.models import Shopper

from .. import session
from ..models import Consent, ShopOrder


class ConsentForm(forms.Form):
    """Who the order is for, and how they agreed."""

    person = forms.ModelChoiceField(queryset=Shopper.objects.none(), label="Pour qui ?")
    channel = forms.ChoiceField(choices=ShopOrder.Channel.choices, label="Commande reçue", initial=ShopOrder.Channel.PHONE)
    method = forms.ChoiceField(choices=Consent.Method.choices, label="Consentement donné")
    statement = forms.CharField(max_length=255, label="Ce que la personne a demandé (ses mots)",
                                widget=forms.TextInput(attrs={"size": 50}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Shopper.objects.select_related("user", "commune")
        if not user.is_staff:
            people = people.filter(representatives__user=user, representatives__active=True)
        self.fields["person"].queryset = people.order_by("user__last_name")
        self.fields["person"].label_from_instance = lambda s: f"{s.user.get_full_name() or s.user.email} — {s.commune.name if s.commune else s.address or 'sans adresse'}"


@login_required
def start(request):
    """Record the person's consent, then shop for them."""
    form = ConsentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        if not session.can_act_for(request.user, person):
            messages.error(request, "Vous ne pouvez pas commander pour cette personne.")
        else:
            consent = Consent.objects.create(person=person, agent=request.user, method=form.cleaned_data["method"],
                                             statement=form.cleaned_data["statement"])
            request.session[session.FOR_KEY] = person.pk
            request.session[session.CONSENT_KEY] = consent.pk
            request.session[session.CHANNEL_KEY] = form.cleaned_data["channel"]
            messages.success(request, f"Vous commandez pour {person.user.get_full_name()}.")
            return redirect("storefront:index")
    return render(request, "storefront/behalf.html", {"form": form, "has_people": form.fields["person"].queryset.exists()})


@login_required
def stop(request):
    """Stop ordering for someone else."""
    session.stop_acting(request)
    messages.info(request, "Vous commandez de nouveau pour vous-même.")
    return redirect("storefront:index")
