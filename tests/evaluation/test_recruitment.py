"""Peer-to-peer recruitment: a vendor invites another business with the invitation staff send, and it is recorded."""

import html
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from marketplace.vendors import actions
from marketplace.vendors.error_codes import VendorErrorCode as Code
from marketplace.vendors.models import Invitation, Vendor
from marketplace.vendors.seed import siret_for

from .conftest import PASSWORD


def _form(communes, **extra):
    return {"name": "Brasserie de la Sambre", "kind": "artisan", "siret": siret_for("52345678"),
            "address": "4 rue du Port", "commune": communes.get(name="Landrecies").pk,
            "email": "Brasseur@Exemple.fr"} | extra


def test_a_vendor_invites_a_business_which_waits_for_the_team(client, owners, cheese, communes, saleor, admin_user):
    # given the cheese shop's owner on the invitation page
    client.login(username=owners["a"].username, password=PASSWORD)
    assert "Inviter un autre commerce" in client.get("/vendeur/recommander/").content.decode()
    # when she invites the brewery
    response = client.post("/vendeur/recommander/", _form(communes))
    assert response.status_code == 302
    # then the brewery is registered, inactive, recommended by the cheese shop, without a Saleor warehouse yet
    brewery = Vendor.objects.get(slug="brasserie-de-la-sambre")
    assert (brewery.active, brewery.referred_by, brewery.kind, brewery.saleor_warehouse_id) == (False, cheese, "artisan", "")
    assert brewery.commune.name == "Landrecies" and brewery.lon is not None
    # and its owner got the staff's invitation, naming who invited, recorded on the invitation
    invitation = Invitation.objects.get(vendor=brewery)
    assert (invitation.email, invitation.invited_by, invitation.role) == ("brasseur@exemple.fr", owners["a"], "owner")
    (message,) = mail.outbox
    assert message.to == ["brasseur@exemple.fr"] and "Fromagerie Eval, qui vend déjà sur le Marché du Pays de Mormal" in message.body
    assert "L'équipe vérifie chaque nouvelle boutique" in message.body
    assert "Brasserie de la Sambre" in html.unescape(client.get("/vendeur/recommander/").content.decode())
    # the invited owner accepts: the account is made, the dashboard opens once the team activates the shop
    link = "/" + re.search(r"https?://\S+", message.body).group(0).split("/", 3)[3]
    client.logout()
    accepted = client.post(link, {"first_name": "Paul", "last_name": "Brasseur", "password1": PASSWORD, "password2": PASSWORD})
    assert accepted.status_code == 302
    assert client.get("/vendeur/").status_code == 403
    client.logout()
    client.force_login(admin_user)
    assert "recommandé par Fromagerie Eval" in client.get("/vendeur/gestion/").content.decode()
    # the team activates it: only then its Saleor warehouse is made
    brewery.active = True
    assert actions.register_vendor(brewery).synced and Vendor.objects.get(pk=brewery.pk).saleor_warehouse_id


def test_a_business_already_here_or_a_bad_siret_is_refused_in_french(client, owners, cheese, bakery, communes):
    client.login(username=owners["a"].username, password=PASSWORD)
    here = html.unescape(client.post("/vendeur/recommander/", _form(communes, siret=bakery.siret)).content.decode())
    assert f"Ce commerce (SIRET {bakery.siret}) est déjà inscrit sur la plateforme : merci !" in here
    bad = html.unescape(client.post("/vendeur/recommander/", _form(communes, siret="12345678901234")).content.decode())
    assert "n'est pas valide (clé de contrôle incorrecte)" in bad
    assert Vendor.objects.count() == 2 and not mail.outbox
    with pytest.raises(ValidationError) as refused:
        actions.recommend_business(cheese, actions.Recommendation("B", "merchant", bakery.siret, "1 rue", bakery.commune,
                                                                  "b@exemple.fr"), invited_by=owners["a"])
    assert refused.value.code == Code.BUSINESS_ALREADY_HERE


def test_the_invitation_is_made_for_the_signed_in_vendor_only(client, owners, cheese, bakery, communes):
    # the bakery's owner posts a referrer field naming the cheese shop: the recruit is the bakery's
    client.login(username=owners["b"].username, password=PASSWORD)
    client.post("/vendeur/recommander/", _form(communes, referred_by=cheese.pk, vendor=cheese.pk))
    assert Vendor.objects.get(slug="brasserie-de-la-sambre").referred_by == bakery
    assert "Brasserie de la Sambre" in html.unescape(client.get("/vendeur/recommander/").content.decode())
    client.logout()
    client.login(username=owners["a"].username, password=PASSWORD)
    assert "Brasserie de la Sambre" not in html.unescape(client.get("/vendeur/recommander/").content.decode())
