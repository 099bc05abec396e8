"""Delete my account: the site forgets the person, and so does their Saleor customer."""

from django.core import mail

from tests.shoppers.test_accounts import PASSWORD, _link


def test_deleting_my_account_anonymises_the_saleor_customer(client, saleor, django_capture_on_commit_callbacks):
    client.post("/compte/inscription/", {"email": "odette@exemple.fr", "password1": PASSWORD, "password2": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_link(mail.outbox[-1]))
    from marketplace.territory.models import Shopper

    shopper = Shopper.objects.get(user__email="odette@exemple.fr")
    response = client.post("/boutique/mes-donnees/effacer/", {"confirm": "on", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    customer = saleor.customers.get(customer_id=shopper.saleor_customer_id)
    assert not customer.is_active and customer.email.endswith("@mormal.invalid") and customer.first_name == ""
    assert saleor.customers.get(email="odette@exemple.fr") is None
    # and the address is free again: she may sign up anew
    response = client.post("/compte/inscription/", {"email": "odette@exemple.fr", "password1": PASSWORD,
                                                    "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/compte/confirmer-email/"
    assert Shopper.objects.filter(user__email="odette@exemple.fr").exclude(pk=shopper.pk).exists()
