"""Who opens the voucher pages: the one rights rule (:mod:`marketplace.core.staff_rights`), as every staff page.

Our vouchers are Saleor gift cards, so a Dashboard sign-in needs Saleor's ``MANAGE_GIFT_CARD``; staff
who sign in directly keep the pages. Tokens are signed by the stand-in's key, as a real Saleor signs them.
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils import timezone

from marketplace.core.staff_rights import SESSION_KEY, StaffRight, rights_for
from marketplace.saleor.standin import signing
from tests.delivery.test_dashboard_pages import open_from_dashboard


def said(response) -> str:
    return html.unescape(response.content.decode())


def test_a_dashboard_staff_member_without_the_gift_card_permission_gets_the_french_403(client, db, saleor):
    # given a Saleor staff member who handles orders and staff, but not gift cards
    token = signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS", "MANAGE_STAFF"], now=timezone.now())
    assert open_from_dashboard(client, "tournees", token).status_code == 303
    assert StaffRight.VOUCHERS.value not in client.session[SESSION_KEY]
    # when she opens each voucher page (and the Dashboard's own entry for them)
    batch_pdf = reverse("vouchers:batch_pdf", args=[1])
    answers = [client.get(reverse("vouchers:staff")), client.post(reverse("vouchers:refresh")),
               client.get(batch_pdf), client.post(reverse("vouchers:staff"), {"tag": "CCAS", "amount": "10",
                                                                              "count": "1"})]
    token = signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS", "MANAGE_STAFF"], now=timezone.now())
    answers.append(open_from_dashboard(client, "cheques-cadeaux", token))
    # then each is a French 403 naming the Saleor permission that would open it, and nothing is issued
    for answer in answers:
        assert answer.status_code == 403
        assert "Votre compte Saleor n'a pas le droit d'ouvrir cette page" in said(answer)
        assert "MANAGE_GIFT_CARD" in said(answer)
    assert not saleor.gift_cards.find()


def test_the_gift_card_permission_opens_the_voucher_pages_from_the_dashboard(client, db, saleor):
    token = signing.issue_staff_token("agent.ccas@mormal.fr", ["MANAGE_GIFT_CARD"], now=timezone.now())
    opened = open_from_dashboard(client, "cheques-cadeaux", token)
    assert opened.status_code == 303 and opened["Location"] == reverse("vouchers:staff")
    page = client.get(opened["Location"])
    assert page.status_code == 200 and "Émettre un lot" in said(page)
    # and that permission opens nothing else
    assert rights_for(["MANAGE_GIFT_CARD"]) == {StaffRight.VOUCHERS}
    assert client.get("/pilotage/taches-en-echec/").status_code == 403


def test_staff_signed_in_directly_keep_the_voucher_pages(client, django_user_model, saleor):
    staff = django_user_model.objects.create_user("agent", "agent@mormal.fr", "mot-de-passe-2026", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("vouchers:staff")).status_code == 200
