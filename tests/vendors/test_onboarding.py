"""Onboarding by staff: create a vendor, invite by email, set a password, log in, reach the dashboard."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.saleor.port import ClickAndCollect
from marketplace.vendors.models import Invitation, Vendor, VendorMembership
from marketplace.vendors.seed import siret_for

from .conftest import PASSWORD


def _link_path(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return "/" + url.split("/", 3)[3]


def test_staff_creates_a_vendor_and_its_warehouse_appears_in_saleor(client, admin_user, communes, saleor):
    # given a staff member on the staff page
    client.force_login(admin_user)
    commune = communes.get(name="Maroilles")
    form = {
        "name": "Fromagerie du Val", "slug": "fromagerie-du-val", "kind": "merchant", "legal_name": "Val SARL",
        "siret": siret_for("39876543"), "vat_number": "", "address": "2 rue Verte", "commune": commune.pk,
        "lon": commune.lon, "lat": commune.lat, "accepts_click_and_collect": "on", "commission_rate": "9.5",
        "active": "on", "hours_2": "9:00-12:30, 14h00-19h00", "hours_6": "08:30-12:00",
    }
    # when the form is posted
    response = client.post(reverse("vendors:staff_vendor_create"), form)
    # then the vendor exists with parsed hours and a click & collect warehouse in Saleor
    vendor = Vendor.objects.get(slug="fromagerie-du-val")
    assert response.status_code == 302
    assert vendor.opening_hours == {"2": [["09:00", "12:30"], ["14:00", "19:00"]], "6": [["08:30", "12:00"]]}
    warehouse = saleor.warehouses.get(vendor.saleor_warehouse_id)
    assert warehouse.name == "Fromagerie du Val"
    assert warehouse.click_and_collect == ClickAndCollect.LOCAL and not warehouse.is_private
    assert warehouse.metadata["mormal.vendor"] == "fromagerie-du-val"


def test_staff_form_reports_a_bad_siret_and_saves_nothing(client, admin_user, communes):
    client.force_login(admin_user)
    commune = communes.get(name="Bavay")
    response = client.post(reverse("vendors:staff_vendor_create"), {
        "name": "X", "slug": "x", "kind": "artisan", "legal_name": "X", "siret": "12345678901234", "address": "a",
        "commune": commune.pk, "lon": 3.8, "lat": 50.3, "commission_rate": "10", "hours_1": "",
    })
    assert response.status_code == 200
    assert "clé de contrôle incorrecte" in response.content.decode()
    assert not Vendor.objects.filter(slug="x").exists()


def test_a_vendor_without_pickup_has_a_private_warehouse_without_click_and_collect(make_vendor, saleor):
    vendor = make_vendor("volailles-sans-retrait", "Poix-du-Nord", accepts_click_and_collect=False)
    warehouse = saleor.warehouses.get(vendor.saleor_warehouse_id)
    assert warehouse.click_and_collect == ClickAndCollect.DISABLED and warehouse.is_private


def test_invite_set_password_login_dashboard(client, admin_user, maroilles):
    # given staff inviting the cheese shop's owner
    client.force_login(admin_user)
    response = client.post(reverse("vendors:staff_vendor_detail", kwargs={"vendor_pk": maroilles.pk}),
                           {"email": "Claire.Fontaine@Exemple.fr", "role": "owner"})
    assert response.status_code == 302
    # then one email leaves with a signed link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.fontaine@exemple.fr"] and maroilles.name in message.subject
    path = _link_path(message)
    client.logout()
    # when the invitee opens it and chooses a password
    assert "Choisissez votre mot de passe" in client.get(path).content.decode()
    response = client.post(path, {"first_name": "Claire", "last_name": "Fontaine", "password1": PASSWORD, "password2": PASSWORD})
    # then they are a member, signed in, on the dashboard
    assert response.status_code == 302 and response.url == reverse("vendors:dashboard")
    membership = VendorMembership.objects.get(user__username="claire.fontaine@exemple.fr")
    assert membership.vendor == maroilles and membership.role == "owner"
    assert maroilles.name in client.get(reverse("vendors:dashboard")).content.decode()
    # and later they can sign out and sign in again with that password
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("vendors:dashboard")).status_code == 302
    response = client.post(reverse("account_login"), {"login": "claire.fontaine@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("vendors:dashboard")
    # and the link cannot be used a second time
    assert client.get(path).status_code == 410


def test_an_expired_or_forged_invitation_link_is_refused(client, maroilles):
    from marketplace.vendors import actions

    actions.invite(maroilles, "late@exemple.fr")
    path = _link_path(mail.outbox[-1])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(path).status_code == 410
    assert client.get(path[:-3] + "abc/").status_code == 410
    assert client.post(path, {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    assert not VendorMembership.objects.filter(user__username="late@exemple.fr").exists()


def test_a_weak_password_is_refused_and_the_invitation_stays_usable(client, maroilles):
    from marketplace.vendors import actions

    actions.invite(maroilles, "weak@exemple.fr")
    path = _link_path(mail.outbox[-1])
    response = client.post(path, {"first_name": "A", "last_name": "B", "password1": "123", "password2": "123"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Invitation.objects.get(email="weak@exemple.fr").accepted_at is None


def test_login_page_is_french_and_wrong_password_says_so(client, maroilles, make_member):
    make_member(maroilles, "fromager")
    page = client.get(reverse("account_login")).content.decode()
    assert "Connexion" in page and 'lang="fr"' in page
    response = client.post(reverse("account_login"), {"login": "fromager", "password": "faux"})
    assert response.status_code == 200 and "incorrect" in response.content.decode()


def test_a_member_of_one_vendor_cannot_be_invited_by_another(maroilles, bakery, make_member):
    import pytest
    from django.core.exceptions import ValidationError

    from marketplace.vendors import actions

    make_member(maroilles, "claire")
    with pytest.raises(ValidationError):
        actions.invite(bakery, "claire@exemple.fr")


def test_a_vendor_who_forgot_the_password_gets_a_reset_link(client, maroilles, make_member):
    make_member(maroilles, "fromager")
    client.post(reverse("accounts:password_reset"), {"email": "fromager@exemple.fr"})
    assert len(mail.outbox) == 1 and "mot de passe" in mail.outbox[0].subject.lower()
    path = _link_path(mail.outbox[0])
    form_page = client.get(path, follow=True)
    assert "Choisissez un nouveau mot de passe" in form_page.content.decode()
    new = "encore-plus-solide-2027"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert client.login(username="fromager", password=new)
