"""What a cart or an order weighs and how much room it takes, per vendor and temperature class.

Mass comes from the variant's weight in the vendor's catalogue (kg); a variant without a weight counts
``DEFAULT_ITEM_G``. Volume is estimated at ``ML_PER_KG`` millilitres per kilogram, the room a
kilogram of groceries takes in a crate; it sizes van compartments and relay fridges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.vendors.models import ProductVariant

DEFAULT_ITEM_G = 500
ML_PER_KG = 2000


@dataclass(frozen=True)
class LineFacts:
    """One line's vendor, temperature class, quantity, mass (g) and volume (ml)."""

    vendor_slug: str
    temperature: str
    quantity: int
    mass_g: int
    volume_ml: int


def line_facts(lines: Iterable[tuple[str | None, str, int]]) -> list[LineFacts]:
    """Facts for ``(vendor_slug, saleor_variant_id, quantity)`` lines of a cart or an order.

    Temperature class and weight come from the vendor's catalogue row of the variant; a variant
    we do not know (for example one created directly in the Saleor Dashboard) counts as ambient
    with ``DEFAULT_ITEM_G`` per item.
    """
    lines = list(lines)
    known = {
        v.saleor_variant_id: v
        for v in ProductVariant.objects.filter(saleor_variant_id__in={vid for _, vid, _ in lines if vid})
        .select_related("product__vendor")
    }
    facts = []
    for vendor_slug, variant_id, quantity in lines:
        variant = known.get(variant_id)
        temperature = variant.product.temperature if variant else "ambient"
        unit_g = int(variant.weight_kg * 1000) if variant and variant.weight_kg else DEFAULT_ITEM_G
        slug = vendor_slug or (variant.product.vendor.slug if variant else "")
        mass = unit_g * quantity
        facts.append(LineFacts(slug, temperature, quantity, mass, mass * ML_PER_KG // 1000))
    return facts


def per_vendor(facts: Iterable[LineFacts]) -> dict[str, dict[str, tuple[int, int]]]:
    """``{vendor_slug: {temperature: (grams, ml)}}`` summed over lines."""
    out: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for f in facts:
        g, ml = out[f.vendor_slug].get(f.temperature, (0, 0))
        out[f.vendor_slug][f.temperature] = (g + f.mass_g, ml + f.volume_ml)
    return dict(out)
