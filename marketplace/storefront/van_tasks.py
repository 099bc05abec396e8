"""Orders into van tasks: a collection at each vendor, then delivery to the home or relay point.

Everything needed comes from the Saleor order itself (lines, and the ``mormal.*`` metadata the
storefront wrote on the checkout), so the handler works the same for a real Saleor webhook and
the stand-in. Task sources are keyed on the order id, so a redelivered event changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from common import money
from delivery import calendar, coldchain
from delivery.actions import TaskSpec, get_or_create_day, upsert_tasks
from delivery.cancellation import cancel_tasks
from delivery.models import DeliveryDay, DeliveryTask
from marketplace.saleor import port
from marketplace.saleor.registry import ReceivedEvent
from marketplace.territory.hours import opening_intervals
from marketplace.territory.models import RelayPoint, Shopper
from marketplace.vendors.models import Vendor

from .loads import line_facts, per_vendor
from .models import Reservation, ShopOrder, Slot

log = logging.getLogger(__name__)

DEFAULT_DAY = ((8 * 3600, 18 * 3600),)
PAY_ON_DELIVERY = {"cash", "cheque", "voucher"}
META = "mormal."


def is_ready_for_van(order: port.Order) -> bool:
    """A van order that is fully paid, or paid on delivery (authorised)."""
    meta = order.metadata
    if order.status == "CANCELED":
        return False
    if meta.get(META + "mode") not in {"home", "relay"}:
        return False
    if meta.get(META + "payment") in PAY_ON_DELIVERY:
        return True
    return order.charge_status in {"FULL", "OVERCHARGED"}


def _crates(order: port.Order, vendor_slug: str, loads: dict[str, tuple[int, int]]) -> tuple[dict, ...]:
    """One crate per temperature class of a vendor's share, numbered ``<order>-<vendor>-<class>``."""
    return tuple({"number": f"{order.number}-{vendor_slug[:3].upper()}-{t[0].upper()}", "compartment": t}
                 for t in coldchain.COMPARTMENTS if loads.get(t, (0, 0))[0] > 0)


def tasks_for_order(order: port.Order, on: dt.date | None = None) -> tuple[dt.date, list[TaskSpec]]:
    """The delivery day and task specs for a van order (on its chosen day, or on ``on``).

    Raises
    ------
    ValueError
        When the order's metadata names an unknown shopper, slot or relay point.
    """
    meta = order.metadata
    mode, day = meta[META + "mode"], on or dt.date.fromisoformat(meta[META + "date"])
    shopper = Shopper.objects.select_related("user").filter(pk=meta.get(META + "shopper")).first()
    if shopper is None:
        raise ValueError(f"order {order.number}: unknown shopper {meta.get(META + 'shopper')!r}")
    shares = per_vendor(line_facts((ln.vendor_slug, ln.variant_id or "", ln.quantity) for ln in order.lines))
    vendors = {v.slug: v for v in Vendor.objects.filter(slug__in=shares).select_related("commune")}
    if mode == "home":
        slot = Slot.objects.select_related("pattern").filter(pk=meta.get(META + "slot")).first()
        if slot is None:
            raise ValueError(f"order {order.number}: unknown slot {meta.get(META + 'slot')!r}")
        target = {"kind": "home", "name": shopper.user.get_full_name(), "address": shopper.address,
                  "lon": shopper.lon, "lat": shopper.lat, "phone": shopper.phone,
                  "windows": ((slot.pattern.start_s, slot.pattern.end_s),), "doorstep_notes": shopper.doorstep_notes,
                  "access_codes": shopper.access_codes}
    else:
        relay = RelayPoint.objects.filter(pk=meta.get(META + "relay")).first()
        if relay is None:
            raise ValueError(f"order {order.number}: unknown relay point {meta.get(META + 'relay')!r}")
        target = {"kind": "relay", "name": relay.name, "address": relay.address, "lon": relay.lon, "lat": relay.lat,
                  "windows": tuple(opening_intervals(relay.opening_hours, day)) or DEFAULT_DAY,
                  "relay_point_id": relay.pk}
    payment = meta.get(META + "payment", "")
    urgent = meta.get(META + "urgent") == "1"  # joins a frozen day and re-plans it (collect and delivery alike)
    specs: list[TaskSpec] = []
    for index, (slug, loads) in enumerate(sorted(shares.items())):
        vendor = vendors.get(slug)
        if vendor is None:
            raise ValueError(f"order {order.number}: line from unknown vendor {slug!r}")
        key, crates = f"order:{order.id}:{slug}", _crates(order, slug, loads)
        specs.append(TaskSpec(
            kind="collect", source=f"{key}:collect", shipment_key=key, name=vendor.name, address=vendor.address,
            lon=vendor.lon, lat=vendor.lat, phone=vendor.phone, loads=loads, crates=crates, urgent=urgent,
            windows=tuple(opening_intervals(vendor.opening_hours, day)) or DEFAULT_DAY))
        first = index == 0
        specs.append(TaskSpec(
            source=f"{key}:deliver", shipment_key=key, loads=loads, crates=crates,
            payment_method=payment if first and payment in PAY_ON_DELIVERY else "",
            payment_cents=money.to_cents(order.total.amount) if first and payment in PAY_ON_DELIVERY else 0,
            contact_name=shopper.contact_name, contact_phone=shopper.contact_phone, contact_email=shopper.contact_email,
            urgent=urgent, **target))
    return day, specs


def _served_place(order: port.Order):
    """The commune whose service days the order follows: the shopper's (home) or the relay point's."""
    meta = order.metadata
    if meta.get(META + "mode") == "relay":
        relay = RelayPoint.objects.select_related("commune").filter(pk=meta.get(META + "relay")).first()
        return relay.commune if relay else None
    shopper = Shopper.objects.select_related("commune").filter(pk=meta.get(META + "shopper")).first()
    return shopper.commune if shopper else None


def next_service_day(order: port.Order, after: dt.date) -> DeliveryDay:
    """The first day after ``after`` whose orders are not frozen and on which the van serves the order's commune.

    Falls back to the next van day when the commune has no service area (the planner still
    plans it; staff see it on the planning page).
    """
    commune = _served_place(order)
    date = after
    for _ in range(calendar.HORIZON_DAYS * 2):
        date = calendar.next_van_day(date)
        if commune is not None and not calendar.serves(commune, date):
            continue
        day = get_or_create_day(date)
        if day.frozen_at is None:
            return day
    return get_or_create_day(calendar.next_van_day(after))


def plan_order(order: port.Order) -> int:
    """Create the van tasks of ``order`` if it is ready; return how many tasks it has.

    One cut-off for everyone (:mod:`delivery.calendar`): an order whose chosen day froze before
    its webhook was handled (paid late, or the worker was behind) goes to the next service day
    of its commune, and the order's page shows the new date; an urgent order (``mormal.urgent``)
    joins the frozen day and re-plans it. Either way it never hits ``day_frozen``, so it is
    never retried into a dead letter. Tasks that exist already stay on their day (idempotent).
    """
    if not is_ready_for_van(order):
        return 0
    date, specs = tasks_for_order(order)
    existing = DeliveryTask.objects.filter(source__in=[s.source for s in specs]).select_related("day").first()
    day = existing.day if existing is not None else get_or_create_day(date)
    if existing is None and day.frozen_at is not None and not any(s.urgent for s in specs):
        day = next_service_day(order, date)
        date, specs = tasks_for_order(order, on=day.date)
        ShopOrder.objects.filter(saleor_order_id=order.id).update(date=day.date)
        log.info("order %s: day %s closed before its webhook; moved to %s", order.number, date, day.date)
    return len(upsert_tasks(day, specs))


def handle_order_event(event: ReceivedEvent) -> None:
    """Webhook handler for ORDER_CREATED and ORDER_FULLY_PAID (idempotent by task source)."""
    if event.order is None:
        log.warning("order event %s without an order payload", event.event_id)
        return
    count = plan_order(event.order)
    log.info("order %s: %d van tasks", event.order.number, count)


def cancel_order(order_id: str) -> int:
    """Take a cancelled order off the van: its tasks, its held slot or fridge room; return tasks cancelled.

    Safe to call twice (ORDER_CANCELLED redelivered, or after a staff cancel).
    """
    done = cancel_tasks(f"order:{order_id}:", why="commande annulée")
    Reservation.objects.filter(order_id=order_id).delete()  # the slot place and fridge room are free again
    ShopOrder.objects.filter(saleor_order_id=order_id, cancelled_at__isnull=True).update(cancelled_at=timezone.now())
    return len(done.cancelled)


def handle_order_cancelled(event: ReceivedEvent) -> None:
    """Webhook handler for ORDER_CANCELLED: nothing of the order stays in a van round."""
    if event.order is None:
        log.warning("order event %s without an order payload", event.event_id)
        return
    count = cancel_order(event.order.id)
    log.info("order %s cancelled: %d van tasks cancelled", event.order.number, count)
