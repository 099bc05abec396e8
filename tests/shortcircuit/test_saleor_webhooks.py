"""The shipping provider chain: cycle checkouts get the van offer, others go to the previous provider."""

from decimal import Decimal

from marketplace.saleor import port, registry
from marketplace.storefront.offers import shipping_offers
from shortcircuit.saleor_webhooks import chained
from tests.storefront.conftest import calendar_for  # noqa: F401  (fixture)


def request(metadata):
    return port.ShippingRequest(checkout_id="c1", email=None, shipping_address=None, lines=(), metadata=metadata)


def shop_slots(_request):
    return [port.ShippingOffer(id="slot:7", name="Mardi matin", amount=Decimal("3.00"))]


def test_checkouts_without_a_cycle_are_answered_by_the_previous_provider(cycle):
    provider = chained(shop_slots)
    assert [o.id for o in provider(request({}))] == ["slot:7"]
    assert [o.id for o in provider(request({"mormal.circuit.cycle": str(cycle.pk), "mormal.circuit.mode": "home"}))] == [
        f"circuit-home:{cycle.pk}"]
    # a pickup checkout of a cycle gets no shipping method at all (it uses a collection point)
    assert provider(request({"mormal.circuit.cycle": str(cycle.pk), "mormal.circuit.mode": "pickup"})) == []


def test_the_registered_provider_answers_cycles_and_hands_other_checkouts_to_the_storefront(
        cycle, calendar_for):  # noqa: F811
    # given the van serving Jolimetz, and a shipping address there
    calendar_for("Jolimetz")
    jolimetz = port.Address("3 rue Pasteur", "59530", "Jolimetz")

    def at_jolimetz(metadata):
        return port.ShippingRequest(checkout_id="c1", email=None, shipping_address=jolimetz, lines=(),
                                    metadata=metadata)

    # when Saleor's shipping webhook asks the provider the apps registered at start-up
    provider = registry.shipping_provider()
    # then a shop checkout gets exactly the storefront's home slots, not nothing
    slots = shipping_offers(at_jolimetz({}))
    assert slots and all(o.id.startswith("slot:") for o in slots)
    assert provider(at_jolimetz({})) == slots
    # and a checkout of the cycle gets the cycle's home delivery instead
    home = provider(at_jolimetz({"mormal.circuit.cycle": str(cycle.pk), "mormal.circuit.mode": "home"}))
    assert [o.id for o in home] == [f"circuit-home:{cycle.pk}"]
