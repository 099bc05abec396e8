"""What the short circuit does when Saleor calls: the van's home delivery as a shipping method.

The registry holds one shipping provider. Ours answers only checkouts that carry the
``mormal.circuit.cycle`` metadata and hands every other checkout to the provider registered
before it (the storefront's), so the shops' home slots are unchanged.
"""

from __future__ import annotations

from decimal import Decimal

from marketplace.saleor import port, registry

CYCLE_KEY = "mormal.circuit.cycle"
MODE_KEY = "mormal.circuit.mode"


def home_offer_key(cycle_id: int) -> str:
    """Our shipping-offer id for the van's home delivery in one cycle."""
    return f"circuit-home:{cycle_id}"


def circuit_offers(request: port.ShippingRequest) -> list[port.ShippingOffer]:
    """The home-delivery offer of the checkout's cycle (empty when it has none)."""
    from .models import OrderCycle

    cycle = OrderCycle.objects.filter(pk=request.metadata.get(CYCLE_KEY) or 0).first()
    if cycle is None or cycle.home_delivery_on is None or request.metadata.get(MODE_KEY) != "home":
        return []
    key = home_offer_key(cycle.pk)
    return [port.ShippingOffer(
        id=key, name=f"Livraison à domicile par la camionnette le {cycle.home_delivery_on:%d/%m/%Y}",
        amount=Decimal(cycle.home_delivery_fee), metadata={"mormal.offer": key},
    )]


def chained(previous: registry.ShippingProvider | None) -> registry.ShippingProvider:
    """A provider answering cycle checkouts itself and delegating the others to ``previous``."""

    def provider(request: port.ShippingRequest) -> list[port.ShippingOffer]:
        if request.metadata.get(CYCLE_KEY):
            return circuit_offers(request)
        return previous(request) if previous is not None else []

    provider.shortcircuit = True  # type: ignore[attr-defined]
    return provider


def connect() -> None:
    """Wrap the current shipping provider once (idempotent on repeated ``ready()``)."""
    current = registry.shipping_provider()
    if getattr(current, "shortcircuit", False):
        return
    registry.register_shipping_provider(chained(current))
