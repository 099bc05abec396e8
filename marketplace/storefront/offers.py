"""The ways a cart can be received, computed from the calendar, opening hours and capacity.

- click & collect at the vendor's shop (one-vendor carts, shop accepting pickups);
- a relay point, on the next day the van serves its commune, while its fridge has room for the
  cart's chilled goods that day (frozen goods never wait in a relay fridge);
- home delivery in a slot of the shopper's commune that still has a place.

The same offers feed the storefront's delivery page and Saleor's
``SHIPPING_LIST_METHODS_FOR_CHECKOUT`` sync webhook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from common import money
from delivery import calendar, coldchain
from marketplace.saleor import port
from marketplace.territory.hours import opening_intervals
from marketplace.territory.models import Commune, RelayPoint
from marketplace.vendors.models import Vendor

from . import reservations
from .loads import LineFacts
from .models import Slot, SlotPattern

COLLECT_DAYS = 3


@dataclass(frozen=True)
class DeliveryOption:
    """One way to receive the order. ``key`` is ``collect:<vendor>:<date>``, ``relay:<id>:<date>`` or ``slot:<id>``."""

    kind: str
    key: str
    label: str
    date: dt.date
    detail: str
    price_cents: int = 0
    remaining: int | None = None


@dataclass(frozen=True)
class CartFacts:
    """What the offers depend on: vendors, chilled and frozen volume (ml)."""

    vendor_slugs: tuple[str, ...]
    chilled_ml: int
    frozen_ml: int
    #: Products the van may not carry yet, with what their vendor must state (French).
    not_for_the_van: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_lines(cls, facts: list[LineFacts]) -> CartFacts:
        """Sum line facts."""
        return cls(
            vendor_slugs=tuple(sorted({f.vendor_slug for f in facts if f.vendor_slug})),
            chilled_ml=sum(f.volume_ml for f in facts if f.temperature == coldchain.CHILLED),
            frozen_ml=sum(f.volume_ml for f in facts if f.temperature == coldchain.FROZEN),
            not_for_the_van=tuple(sorted({(f.product_name, f.missing) for f in facts if f.missing})),
        )

    @property
    def van_may_carry(self) -> bool:
        """Whether every product's cold-chain class and mass are stated (:func:`delivery.coldchain.missing_for_delivery`)."""
        return not self.not_for_the_van

    def not_for_the_van_text(self) -> str:
        """Why the van cannot carry this cart yet, in French (empty when it can)."""
        return "; ".join(f"« {name} » : {', '.join(missing)} à préciser par le commerçant"
                         for name, missing in self.not_for_the_van)

    @property
    def may_wait_at_a_relay(self) -> bool:
        """Whether the cart may wait in a relay fridge (never with frozen goods: :mod:`delivery.coldchain`)."""
        return coldchain.may_wait_in_relay_fridge_all(
            {coldchain.CHILLED: (0, self.chilled_ml), coldchain.FROZEN: (0, self.frozen_ml)})


def _window_text(intervals: list[tuple[int, int]]) -> str:
    return ", ".join(f"{calendar.hhmm(a)}–{calendar.hhmm(b)}" for a, b in intervals)


def click_and_collect_options(cart: CartFacts, now: dt.datetime | None = None) -> list[DeliveryOption]:
    """Pickup days at the shop for a one-vendor cart (none for several vendors)."""
    if len(cart.vendor_slugs) != 1:
        return []
    vendor = Vendor.objects.filter(slug=cart.vendor_slugs[0], active=True, accepts_click_and_collect=True).first()
    if vendor is None:
        return []
    options, day = [], calendar.first_open_day(now or timezone.now())
    for _ in range(10):
        hours = opening_intervals(vendor.opening_hours, day)
        if hours:
            options.append(DeliveryOption(
                "collect", f"collect:{vendor.slug}:{day.isoformat()}", f"Retrait chez {vendor.name}", day,
                f"{vendor.address} — ouvert {_window_text(hours)}"))
        if len(options) == COLLECT_DAYS:
            break
        day += dt.timedelta(days=1)
    return options


def relay_options(cart: CartFacts, now: dt.datetime | None = None) -> list[DeliveryOption]:
    """Relay points on their commune's next service day, with fridge room for the chilled goods."""
    if not cart.may_wait_at_a_relay:
        return []
    now = now or timezone.now()
    options = []
    for relay in RelayPoint.objects.filter(active=True).select_related("commune"):
        for day, _area in calendar.service_days(relay.commune, now):
            hours = opening_intervals(relay.opening_hours, day)
            if not hours:
                continue
            free = relay.fridge_capacity_l * 1000 - reservations.relay_used_ml(relay, day, now)
            if cart.chilled_ml <= free:
                options.append(DeliveryOption(
                    "relay", f"relay:{relay.pk}:{day.isoformat()}", relay.name, day,
                    f"{relay.address} — ouvert {_window_text(hours)}", remaining=free // 1000))
            break
    return sorted(options, key=lambda o: (o.date, o.label))


def home_options(commune: Commune, now: dt.datetime | None = None, checkout_id: str = "") -> list[DeliveryOption]:
    """Slots with a free place on the days the van serves ``commune``.

    A place held by ``checkout_id`` itself counts as free for that checkout, so the slot it
    has just reserved is still offered to it (by Saleor's shipping webhook, for instance).
    """
    now = now or timezone.now()
    options = []
    for day, area in calendar.service_days(commune, now):
        for pattern in SlotPattern.objects.filter(area=area):
            slot, _ = Slot.objects.get_or_create(pattern=pattern, date=day, defaults={"capacity": pattern.capacity})
            left = slot.capacity - reservations.slot_taken(slot, now, exclude_checkout=checkout_id)
            if left > 0:
                options.append(DeliveryOption(
                    "home", slot.key, f"Livraison à domicile le {day:%d/%m}", day,
                    f"entre {calendar.hhmm(pattern.start_s)} et {calendar.hhmm(pattern.end_s)}",
                    price_cents=pattern.price_cents, remaining=left))
    return options


def commune_for_address(address: port.Address | None) -> Commune | None:
    """The commune of a postal address, by postal code and city name."""
    if address is None:
        return None
    candidates = Commune.objects.filter(postal_codes__contains=address.postal_code)
    city = address.city.strip().lower()
    return next((c for c in candidates if c.name.lower() == city), None) or candidates.first()


def shipping_offers(request: port.ShippingRequest) -> list[port.ShippingOffer]:
    """Home slots for a checkout's address, in the shape Saleor's sync webhook returns."""
    commune = commune_for_address(request.shipping_address)
    if commune is None:
        return []
    return [
        port.ShippingOffer(id=o.key, name=f"{o.label} {o.detail}", amount=money.from_cents(o.price_cents),
                           minimum_delivery_days=(o.date - timezone.localdate()).days,
                           maximum_delivery_days=(o.date - timezone.localdate()).days,
                           metadata={"mormal.offer": o.key, "mormal.date": o.date.isoformat()})
        for o in home_options(commune, checkout_id=request.checkout_id)
    ]
