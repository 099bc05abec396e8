"""Writes on a shopper's addresses: add (checked against the territory, placed on the map), choose, remove."""

from __future__ import annotations

from django.db import transaction

from marketplace.territory import geocoding
from marketplace.territory.addresses import check_address
from marketplace.territory.models import Shopper

from .models import SavedAddress


def add_address(shopper: Shopper, street: str, postcode: str, city: str) -> tuple[SavedAddress, str]:
    """Save an address and make it the chosen one; return it and a notice to show ("" when none).

    Outside the territory the address is saved without a commune (relay points and click &
    collect only). No one types coordinates: the position comes from :mod:`~.geocoding`.

    Raises
    ------
    ValidationError
        From :func:`marketplace.territory.addresses.check_address`.
    """
    checked = check_address(street, postcode, city)
    position = geocoding.locate(checked.street, checked.postcode, checked.commune) if checked.commune else None
    with transaction.atomic():
        saved = SavedAddress.objects.create(
            shopper=shopper, street=checked.street, postcode=checked.postcode, city=checked.city,
            commune=checked.commune, lon=position.lon if position else None, lat=position.lat if position else None,
            position_label=position.label if position else "")
        choose_address(shopper, saved)
    return saved, position.notice if position else ""


def choose_address(shopper: Shopper, saved: SavedAddress) -> None:
    """Make ``saved`` the shopper's home: what the van, the route sheet and Saleor's shipping address use."""
    shopper.address, shopper.commune = saved.one_line, saved.commune
    shopper.lon, shopper.lat = saved.lon, saved.lat
    shopper.save(update_fields=["address", "commune", "lon", "lat"])


def saved_addresses(shopper: Shopper) -> list[SavedAddress]:
    """The shopper's addresses; an address set before saved addresses existed (demo, staff) becomes the first."""
    rows = list(shopper.saved_addresses.select_related("commune"))
    if not rows and shopper.address and shopper.commune_id:
        street, _, rest = shopper.address.partition(",")
        postcode = next((w for w in rest.split() if w.isdigit() and len(w) == 5), shopper.commune.main_postal_code)
        rows = [SavedAddress.objects.create(shopper=shopper, street=street.strip(), postcode=postcode,
                                            city=shopper.commune.name, commune=shopper.commune, lon=shopper.lon,
                                            lat=shopper.lat, position_label="")]
    return rows


def is_chosen(shopper: Shopper, saved: SavedAddress) -> bool:
    """Whether ``saved`` is the shopper's current home."""
    return shopper.address == saved.one_line


def remove_address(shopper: Shopper, saved: SavedAddress) -> None:
    """Forget an address; if it was the chosen one, the shopper has no home until they choose another."""
    if is_chosen(shopper, saved):
        shopper.address, shopper.commune, shopper.lon, shopper.lat = "", None, None, None
        shopper.save(update_fields=["address", "commune", "lon", "lat"])
    saved.delete()
