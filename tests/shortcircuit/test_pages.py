"""The customer's order pages: browse, choose, confirm; full slots hidden; late orders refused."""

from django.utils import timezone

from shortcircuit import actions
from shortcircuit.models import CycleOrder, OrderCycle

from .conftest import minute


def test_a_customer_orders_through_the_cycle_page(client, cycle, customer, make_customer):
    # given the café's single place is already taken
    actions.place_order(cycle, make_customer("marcel"), actions.OrderRequest({cycle.apples.pk: 1}, "pickup", cycle.cafe_slot.pk))
    client.force_login(customer)
    # when Jeanne opens the cycle
    page = client.get(f"/circuit-court/cycles/{cycle.pk}/").content.decode()
    # then she sees the products by producer, the free slot only, and home delivery
    assert "Maroilles fermier" in page and "Pommes Reinette" in page and "Ferme A" in page
    assert f'value="slot-{cycle.shop_slot.pk}"' in page and f'value="slot-{cycle.cafe_slot.pk}"' not in page
    assert 'value="home"' in page and '<label for="q-' in page
    # when she picks quantities, the farm shop slot, a collector and consent, and confirms
    marcel = make_customer("odette", "Odette", "Caron")
    response = client.post(f"/circuit-court/cycles/{cycle.pk}/", {
        f"q-{cycle.cheese.pk}": "2", f"q-{cycle.apples.pk}": "0", "delivery": f"slot-{cycle.shop_slot.pk}",
        "collector": "odette@exemple.fr", "share_name": "1", "standing": "1",
    })
    # then the order is placed and she lands on it
    order = CycleOrder.objects.get(customer=customer)
    assert response.status_code == 302 and response["Location"] == f"/circuit-court/commandes/{order.pk}/"
    assert order.collector == marcel and order.share_name and order.standing_basket is not None
    detail = client.get(response["Location"]).content.decode()
    assert "Halle de Bavay" in detail and "Odette Caron" in detail and "18,00 €" in detail


def test_the_cycle_page_refuses_an_order_after_closing_with_the_message(client, cycle, customer):
    client.force_login(customer)
    OrderCycle.objects.filter(pk=cycle.pk).update(opens_at=minute(timezone.now()) - timezone.timedelta(days=3),
                                                  closes_at=minute(timezone.now()))
    response = client.post(f"/circuit-court/cycles/{cycle.pk}/", {f"q-{cycle.apples.pk}": "1",
                                                                 "delivery": f"slot-{cycle.shop_slot.pk}"})
    assert "sont closes depuis le" in response.content.decode()
    assert not CycleOrder.objects.exists()
    # and the page no longer offers the order form
    page = client.get(f"/circuit-court/cycles/{cycle.pk}/").content.decode()
    assert "sont closes depuis le" in page and "Confirmer ma commande" not in page


def test_an_unknown_collector_is_refused_and_nothing_is_ordered(client, cycle, customer):
    client.force_login(customer)
    response = client.post(f"/circuit-court/cycles/{cycle.pk}/", {
        f"q-{cycle.apples.pk}": "1", "delivery": f"slot-{cycle.shop_slot.pk}", "collector": "personne"})
    assert response.status_code == 400 and "Aucun autre membre" in response.content.decode()
    assert not CycleOrder.objects.exists()
