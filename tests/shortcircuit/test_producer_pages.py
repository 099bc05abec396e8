"""The producer's pages: own data only, names hidden without consent, totals as a PDF."""

import io

import pytest
from pypdf import PdfReader

from shortcircuit import actions
from shortcircuit.models import CycleProducer, CycleProduct


@pytest.fixture
def placed(cycle, customer, make_customer):
    """Jeanne (shares her name) and Marcel (does not) buy from both farms."""
    marcel = make_customer("marcel", "Marcel", "Leroy")
    both = {cycle.cheese.pk: 1, cycle.apples.pk: 2}
    jeanne_order = actions.place_order(cycle, customer, actions.OrderRequest(both, "pickup", cycle.shop_slot.pk, share_name=True))
    marcel_order = actions.place_order(cycle, marcel, actions.OrderRequest(both, "pickup", cycle.shop_slot.pk))
    return jeanne_order, marcel_order


@pytest.fixture
def only_b_cycle(cycle, farm_b):
    """A copy of the cycle in which farm A does not take part."""
    other = actions.copy_cycle(cycle, name="Cycle sans la ferme A")
    CycleProduct.objects.filter(cycle=other, variant__product__vendor__slug="ferme-a").delete()
    CycleProducer.objects.filter(cycle=other, vendor__slug="ferme-a").delete()
    return other


def test_a_producer_sees_its_orders_and_revenue_with_names_only_when_shared(client, cycle, placed, farm_a, make_member):
    jeanne_order, marcel_order = placed
    client.force_login(make_member(farm_a, "fermier-a"))
    listing = client.get("/circuit-court/producteur/cycles/").content.decode()
    assert "Semaine test" in listing and "18,00 €" in listing  # two cheeses at 9 €
    page = client.get(f"/circuit-court/producteur/cycles/{cycle.pk}/").content.decode()
    assert "Jeanne Dupont" in page
    assert "Marcel" not in page and "Leroy" not in page and f"Client n° {marcel_order.pk}" in page
    assert "Pommes" not in page  # farm B's product


def test_producer_a_cannot_see_producer_b_cycle_data(client, cycle, placed, only_b_cycle, farm_a, farm_b, make_member):
    # given farm A's member is signed in
    client.force_login(make_member(farm_a, "fermier-a"))
    # when they ask for a cycle in which only farm B takes part, its PDF, or guess ids
    for url in (f"/circuit-court/producteur/cycles/{only_b_cycle.pk}/",
                f"/circuit-court/producteur/cycles/{only_b_cycle.pk}/totaux.pdf",
                "/circuit-court/producteur/cycles/999999/"):
        # then it is not found
        assert client.get(url).status_code == 404, url
    assert "Cycle sans la ferme A" not in client.get("/circuit-court/producteur/cycles/").content.decode()
    # and in the shared cycle, farm B's PDF content never reaches farm A
    data = client.get(f"/circuit-court/producteur/cycles/{cycle.pk}/totaux.pdf").content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Maroilles fermier" in text and "Pommes" not in text and "Ferme B" not in text


def test_non_producers_are_kept_out_of_producer_pages(client, cycle, customer):
    url = f"/circuit-court/producteur/cycles/{cycle.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(customer)
    assert client.get(url).status_code == 403


def test_staff_pages_are_for_the_team_only(client, cycle, customer, admin_user):
    url = f"/circuit-court/equipe/cycles/{cycle.pk}/colisage/"
    client.force_login(customer)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
