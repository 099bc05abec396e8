"""The cold chain, defined once: temperature classes, time in the van, where goods may wait, room taken.

Every app reads these rules from here: the storefront (relay offers, loads of an order), the
short circuit (pickup points, loads at closing), the vendors' pick lists, staff moves, and the
planner (max time in van). Pure Python: no Django, so the routing side may import it too.

- **Classes:** ``ambient``, ``chilled`` (0–4 °C), ``frozen`` (−18 °C) are the van's three
  compartments. A product whose class is not known yet (``unknown``, e.g. imported from
  PrestaShop without it) rides and waits as **chilled**: the safe side, never ambient.
- **Time in van:** chilled goods at most 2 h from collection to delivery, frozen at most 1 h.
- **Waiting:** a relay point has a fridge, never a freezer: frozen goods never wait there. A
  short-circuit pickup point keeps chilled goods only with a fridge, frozen only with a freezer.
- **Relay points:** besides frozen goods, a parcel with money to collect on delivery (cash,
  cheque, voucher) never waits at a relay point: nobody there takes money. Every move to a relay
  (checkout, failed-delivery choice, staff move) asks :func:`relay_refusal`.
- **Room:** an item weighs its variant's weight, else its unit quantity for goods sold by the kg
  or litre, else ``DEFAULT_ITEM_G``; it takes its known volume, else ``ML_PER_KG`` per kilogram.
- **Before delivery:** goods whose class or mass nobody stated (PrestaShop goods without the
  features) cannot be sold for delivery until the vendor states them (:func:`missing_for_delivery`).
"""

from __future__ import annotations

from decimal import Decimal

AMBIENT, CHILLED, FROZEN = "ambient", "chilled", "frozen"
#: A product whose temperature class nobody has stated yet.
UNKNOWN = "unknown"
#: The van's compartments, coldest last (also the keys of every load).
COMPARTMENTS = (AMBIENT, CHILLED, FROZEN)
#: What people read, on every page, email and sheet.
LABELS = {AMBIENT: "Ambiant", CHILLED: "Frais (0–4 °C)", FROZEN: "Surgelé (−18 °C)", UNKNOWN: "Conservation à préciser"}
SHORT_LABELS = {AMBIENT: "Ambiant", CHILLED: "Frais", FROZEN: "Surgelé", UNKNOWN: "À préciser"}

#: Longest time (seconds) goods may spend in the van, from the start of loading to the end of unloading.
MAX_IN_VAN_S = {CHILLED: 2 * 3600, FROZEN: 3600}

#: Mass counted for an item whose weight is unknown (grams).
DEFAULT_ITEM_G = 500
#: Room a kilogram of groceries takes in a crate (millilitres); sizes compartments and fridges.
ML_PER_KG = 2000


def compartment_for(temperature: str | None) -> str:
    """The van compartment of a temperature class; an unknown class rides chilled.

    Raises
    ------
    ValueError
        For a class that is neither a compartment nor unknown/empty.
    """
    if temperature in (None, "", UNKNOWN):
        return CHILLED
    if temperature not in COMPARTMENTS:
        raise ValueError(f"temperature class {temperature!r} is not one of {COMPARTMENTS} or {UNKNOWN!r}")
    return temperature


def is_known(temperature: str | None) -> bool:
    """Whether someone stated the class (``unknown`` and empty are not)."""
    return temperature in COMPARTMENTS


def max_in_van_s(temperatures) -> int | None:
    """The tightest time-in-van limit (seconds) of goods of these classes; None for ambient only."""
    limits = [MAX_IN_VAN_S[c] for c in {compartment_for(t) for t in temperatures} if c in MAX_IN_VAN_S]
    return min(limits) if limits else None


def may_wait_in_relay_fridge(temperature: str | None) -> bool:
    """Whether goods of this class may wait for their owner at a relay point (a fridge, no freezer)."""
    return compartment_for(temperature) != FROZEN


def may_wait_in_relay_fridge_all(loads) -> bool:
    """Whether every compartment holding goods in ``loads`` (``{class: (grams, ml)}``) may wait at a relay point."""
    return all(may_wait_in_relay_fridge(c) for c, (grams, ml) in dict(loads).items() if grams or ml)


#: Why a parcel may not wait at a relay point (codes of :func:`relay_refusal`).
RELAY_FROZEN, RELAY_MONEY = "relay_frozen", "relay_money"


def relay_refusal(loads, money_cents: int = 0) -> str:
    """Why a parcel may not be left at a relay point: ``relay_frozen``, ``relay_money``, or "" when it may.

    ``loads`` is ``{class: (grams, ml)}``; ``money_cents`` what is still to collect on delivery.
    Fridge room that day is the caller's second question (it needs the day's bookings).
    """
    if not may_wait_in_relay_fridge_all(loads):
        return RELAY_FROZEN
    if money_cents:
        return RELAY_MONEY
    return ""


def may_wait_at(temperature: str | None, *, fridge: bool, freezer: bool) -> bool:
    """Whether goods of this class may wait at a place with (or without) a fridge and a freezer."""
    return {CHILLED: fridge, FROZEN: freezer}.get(compartment_for(temperature), True)


def item_mass_g(weight_kg: Decimal | float | None, unit: str = "", unit_quantity: Decimal | float | None = None) -> int:
    """Grams one item weighs: its weight, else its quantity when sold by the kg or litre, else the default."""
    if weight_kg:
        return max(1, int(Decimal(str(weight_kg)) * 1000))
    if unit in ("kg", "l") and unit_quantity:
        return max(1, int(Decimal(str(unit_quantity)) * 1000))
    return DEFAULT_ITEM_G


#: What must be stated about goods before they can be sold for delivery, and its French words.
DELIVERY_FACTS = {"temperature": "conservation (ambiant, frais ou surgelé)", "weight": "poids d'un article"}


def missing_for_delivery(temperature: str | None, unit: str, weights_kg, *, weight_required: bool = True) -> list[str]:
    """What nobody stated yet that the van needs: ``"temperature"``, ``"weight"`` (keys of ``DELIVERY_FACTS``).

    Goods may ride the van only once their class is stated (an unknown class is never taken for
    ambient). When ``weight_required`` (goods whose mass came from elsewhere, e.g. PrestaShop),
    each item's mass must be known too: its weight, or its quantity when sold by the kg or litre
    (:func:`item_mass_g`), never the ``DEFAULT_ITEM_G`` guess. A vendor's own product leaves the
    weight optional (their form says the default applies). ``weights_kg`` holds each variant's
    weight (``None`` if unknown).
    """
    missing = [] if is_known(temperature) else ["temperature"]
    if weight_required and unit not in ("kg", "l") and any(not w for w in weights_kg):
        missing.append("weight")
    return missing


def volume_ml(mass_g: int, known_ml: int | None = None) -> int:
    """Millilitres goods take: their known volume, else ``ML_PER_KG`` per kilogram of ``mass_g``."""
    if known_ml:
        return int(known_ml)
    return int(mass_g) * ML_PER_KG // 1000
