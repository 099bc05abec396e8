"""What a cart or an order weighs and how much room it takes, per vendor and van compartment.

The rules (an item's mass, its volume, which compartment an unknown class rides in) are the
cold chain's, in :mod:`delivery.coldchain`; this module applies them to Saleor lines through the
vendors' catalogue rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from delivery import coldchain
from marketplace.vendors.models import ProductVariant


@dataclass(frozen=True)
class LineFacts:
    """One line's vendor, van compartment (``temperature``), quantity, mass (g) and volume (ml)."""

    vendor_slug: str
    temperature: str
    quantity: int
    mass_g: int
    volume_ml: int
    product_name: str = ""
    missing: tuple[str, ...] = ()  # what the vendor must state before the van may carry it (French)


def line_facts(lines: Iterable[tuple[str | None, str, int]]) -> list[LineFacts]:
    """Facts for ``(vendor_slug, saleor_variant_id, quantity)`` lines of a cart or an order.

    Class, weight and volume come from the vendor's catalogue row of the variant, the one place
    every product lives, vendors' own and PrestaShop's alike. A class nobody stated, or a variant
    we do not know (created directly in the Saleor Dashboard), rides chilled with the default
    mass (:func:`delivery.coldchain.compartment_for`, ``item_mass_g``); ``missing`` says what the
    vendor has not stated yet (such goods are not offered for delivery).
    """
    lines = list(lines)
    known = {
        v.saleor_variant_id: v
        for v in ProductVariant.objects.filter(saleor_variant_id__in={vid for _, vid, _ in lines if vid})
        .select_related("product__vendor").prefetch_related("product__variants")
    }
    facts = []
    for vendor_slug, variant_id, quantity in lines:
        variant = known.get(variant_id)
        temperature = coldchain.compartment_for(variant.product.temperature if variant else coldchain.UNKNOWN)
        unit_g = (coldchain.item_mass_g(variant.weight_kg, variant.product.unit, variant.unit_quantity)
                  if variant else coldchain.DEFAULT_ITEM_G)
        slug = vendor_slug or (variant.product.vendor.slug if variant else "")
        mass = unit_g * quantity
        known_ml = variant.volume_ml * quantity if variant and variant.volume_ml else None
        missing = tuple(variant.product.missing_for_delivery()) if variant else ()
        facts.append(LineFacts(slug, temperature, quantity, mass, coldchain.volume_ml(mass, known_ml),
                               variant.product.name if variant and missing else "", missing))
    return facts


def per_vendor(facts: Iterable[LineFacts]) -> dict[str, dict[str, tuple[int, int]]]:
    """``{vendor_slug: {temperature: (grams, ml)}}`` summed over lines."""
    out: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for f in facts:
        g, ml = out[f.vendor_slug].get(f.temperature, (0, 0))
        out[f.vendor_slug][f.temperature] = (g + f.mass_g, ml + f.volume_ml)
    return dict(out)
