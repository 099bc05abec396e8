"""The shipping provider chain: cycle checkouts get the van offer, others go to the previous provider."""

from decimal import Decimal

from marketplace.saleor import port, registry
from shortcircuit.saleor_webhooks import chained


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


def test_the_registered_provider_is_the_chain_wrapping_the_storefront_one():
    current = registry.shipping_provider()
    assert getattr(current, "shortcircuit", False)
