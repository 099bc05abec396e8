"""Holding capacity for a checkout: home slots and chilled room in relay fridges.

Both are taken under a row lock (``SELECT ... FOR UPDATE`` on the slot or the relay point), so
two checkouts racing for the last place cannot both get it. A hold lasts ``HOLD`` unless the
checkout becomes an order.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from marketplace.territory.models import RelayPoint

from .error_codes import StorefrontErrorCode as Code
from .errors import StorefrontError
from .models import Reservation, Slot

HOLD = dt.timedelta(minutes=30)


def _live(now: dt.datetime) -> Q:
    """Reservations that still hold capacity at ``now``."""
    return ~Q(order_id="") | Q(expires_at__gt=now)


def slot_taken(slot: Slot, now: dt.datetime | None = None, exclude_checkout: str = "") -> int:
    """How many orders or live holds use ``slot``."""
    qs = slot.reservations.filter(_live(now or timezone.now()))
    if exclude_checkout:
        qs = qs.exclude(checkout_id=exclude_checkout)
    return qs.count()


def relay_used_ml(relay: RelayPoint, date: dt.date, now: dt.datetime | None = None, exclude_checkout: str = "") -> int:
    """Chilled volume (ml) already held in ``relay``'s fridge for ``date``."""
    qs = Reservation.objects.filter(_live(now or timezone.now()), relay_point=relay, date=date)
    if exclude_checkout:
        qs = qs.exclude(checkout_id=exclude_checkout)
    return qs.aggregate(total=Sum("chilled_ml"))["total"] or 0


@transaction.atomic
def reserve_slot(checkout_id: str, slot_id: int, now: dt.datetime | None = None) -> Reservation:
    """Hold ``slot_id`` for the checkout from ``now`` (default: the clock), replacing any earlier hold.

    Raises
    ------
    StorefrontError
        ``slot_full`` when every place is taken by orders or live holds.
    """
    slot = Slot.objects.select_for_update().select_related("pattern").get(pk=slot_id)
    now = now or timezone.now()
    if slot_taken(slot, now, exclude_checkout=checkout_id) >= slot.capacity:
        raise StorefrontError(Code.SLOT_FULL, date=slot.date)
    reservation, _ = Reservation.objects.update_or_create(
        checkout_id=checkout_id,
        defaults={"slot": slot, "relay_point": None, "date": slot.date, "chilled_ml": 0, "expires_at": now + HOLD, "order_id": ""},
    )
    return reservation


@transaction.atomic
def reserve_relay(
    checkout_id: str, relay_id: int, date: dt.date, chilled_ml: int, now: dt.datetime | None = None,
) -> Reservation:
    """Hold ``chilled_ml`` of fridge room at the relay point for ``date``, from ``now`` (default: the clock).

    Raises
    ------
    StorefrontError
        ``relay_full`` when the fridge lacks that room for the day.
    """
    relay = RelayPoint.objects.select_for_update().get(pk=relay_id)
    now = now or timezone.now()
    free = relay.fridge_capacity_l * 1000 - relay_used_ml(relay, date, now, exclude_checkout=checkout_id)
    if chilled_ml > free:
        raise StorefrontError(Code.RELAY_FULL, relay=relay.name, date=date)
    reservation, _ = Reservation.objects.update_or_create(
        checkout_id=checkout_id,
        defaults={"slot": None, "relay_point": relay, "date": date, "chilled_ml": chilled_ml,
                  "expires_at": now + HOLD, "order_id": ""},
    )
    return reservation


def release(checkout_id: str) -> None:
    """Drop the checkout's hold, if it has one and it is not an order yet."""
    Reservation.objects.filter(checkout_id=checkout_id, order_id="").delete()


def confirm_order(checkout_id: str, order_id: str) -> None:
    """Replace the pending marker written by :func:`confirm` with the Saleor order id."""
    Reservation.objects.filter(checkout_id=checkout_id).update(order_id=order_id)


@transaction.atomic
def confirm(checkout_id: str, order_id: str) -> Reservation | None:
    """Turn the checkout's hold into a permanent one for ``order_id``.

    Raises
    ------
    StorefrontError
        ``slot_full`` / ``relay_full`` when the hold expired and the place went to someone else.
    """
    reservation = Reservation.objects.select_for_update().filter(checkout_id=checkout_id).first()
    if reservation is None:
        return None
    if reservation.order_id:
        return reservation
    if reservation.expires_at and reservation.expires_at <= timezone.now():
        # The hold lapsed: take it again under the lock, which fails if the place is gone.
        if reservation.slot_id:
            reservation = reserve_slot(checkout_id, reservation.slot_id)
        else:
            reservation = reserve_relay(checkout_id, reservation.relay_point_id, reservation.date, reservation.chilled_ml)
    reservation.order_id = order_id
    reservation.expires_at = None
    reservation.save(update_fields=["order_id", "expires_at"])
    return reservation
