"""The driver's voucher step opens only for a stop of the signed link's round."""

from delivery.models import DeliveryTask
from tests.delivery.conftest import (  # noqa: F401  (fixtures)
    current_round,
    day,
    depot,
    phone_url,
    planned_day,
    specs,
    territory,
    van,
)


def test_a_stop_of_the_round_opens_and_a_task_outside_it_does_not(client, current_round, phone_url):  # noqa: F811
    inside = current_round.stops.order_by("sequence").first().task
    outside = DeliveryTask.objects.exclude(pk__in=current_round.stops.values("task_id")).first()
    page = client.get(f"{phone_url}cheque-cadeau/{inside.pk}/")
    assert page.status_code == 200 and "Chèque cadeau" in page.content.decode()
    if outside is not None:
        assert client.get(f"{phone_url}cheque-cadeau/{outside.pk}/").status_code == 404
    assert client.get(f"{phone_url}cheque-cadeau/999999/").status_code == 404


def test_a_forged_link_is_refused(client, current_round):  # noqa: F811
    task = current_round.stops.first().task
    assert client.get(f"/livraison/tel/pas-une-signature/cheque-cadeau/{task.pk}/").status_code == 403


def test_a_stop_without_an_order_says_so_in_french(client, current_round, phone_url):  # noqa: F811
    task = current_round.stops.order_by("sequence").first().task
    task.payment_method, task.payment_cents = "cash", 1200
    task.save()
    refused = client.post(f"{phone_url}cheque-cadeau/{task.pk}/", {"code": "ABCD-EF12-3456"})
    assert refused.status_code == 400
    assert "Cette livraison n&#x27;a pas de commande à régler." in refused.content.decode()
