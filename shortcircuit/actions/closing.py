"""Closing a cycle: producer minimums, van tasks, and the producers' and customers' emails.

:func:`close_cycle` runs once per cycle whatever happens: the cycle row is locked and
``closed_at`` is checked and set in the same transaction, so a second run (beat firing twice,
a retried task) finds it closed and does nothing. Van task sources are keyed on the cycle,
producer and destination, so even a replayed upsert would not add tasks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from common import money
from delivery import coldchain
from delivery.actions import TaskSpec, get_or_create_day, upsert_tasks
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.territory.models import Shopper
from marketplace.vendors.models import VendorMembership

from ..models import CycleOrder, CycleOrderLine, CycleProducer, OrderCycle
from ..reports import totals_filename, totals_pdf
from ..selectors import customer_label, live_lines, producer_totals
from . import saleor_sync

log = logging.getLogger(__name__)
H = 3600


def apply_minimums(cycle: OrderCycle) -> dict[int, list[CycleOrderLine]]:
    """Cancel the lines of producers whose orders do not reach their minimum.

    Returns the cancelled lines per order id. Other producers' lines are untouched.
    """
    cancelled: dict[int, list[CycleOrderLine]] = OrderedDict()
    for producer in cycle.producers.select_related("vendor").order_by("vendor__name"):
        lines = list(live_lines(cycle).filter(vendor=producer.vendor))
        reached = sum((ln.total for ln in lines), Decimal("0"))
        producer.minimum_met = reached >= producer.minimum_amount
        producer.save(update_fields=["minimum_met"])
        if producer.minimum_met:
            continue
        CycleOrderLine.objects.filter(pk__in=[ln.pk for ln in lines]).update(status=CycleOrderLine.Status.CANCELLED)
        for line in lines:
            line.status = CycleOrderLine.Status.CANCELLED
            cancelled.setdefault(line.order_id, []).append(line)
    return cancelled


def _loads(lines) -> dict[str, tuple[int, int]]:
    grams = {t: sum(ln.weight_g * ln.quantity for ln in lines if ln.temperature == t) for t in coldchain.COMPARTMENTS}
    return {t: (g, coldchain.volume_ml(g)) for t, g in grams.items() if g}


def _slot_seconds(time: dt.time) -> int:
    return time.hour * H + time.minute * 60


def van_specs(cycle: OrderCycle) -> dict[dt.date, list[TaskSpec]]:
    """Task specs per delivery day: one collect/deliver pair per producer and destination.

    A destination is a pickup point (goods arrive before its first slot that day) or one
    customer's home. Sources: ``circuit:<cycle>:<producer slug>:<point-N | home-N>``.
    """
    groups: OrderedDict[tuple, list[CycleOrderLine]] = OrderedDict()
    for line in live_lines(cycle).select_related("order__cycle").order_by("vendor__name", "order_id"):
        order = line.order
        dest = ("point", order.slot.pickup_id) if order.mode == CycleOrder.Mode.PICKUP else ("home", order.pk)
        groups.setdefault((line.vendor, dest), []).append(line)
    specs: dict[dt.date, list[TaskSpec]] = {}
    collected: set[tuple[int, dt.date]] = set()
    paid_homes: set[int] = set()
    for (vendor, (kind, dest_id)), lines in groups.items():
        order = lines[0].order
        key = f"circuit:{cycle.pk}:{vendor.slug}:{kind}-{dest_id}"
        loads = _loads(lines)
        crates = tuple({"number": f"CC{cycle.pk}-{vendor.slug[:3].upper()}-{kind[0].upper()}{dest_id}-{t[0].upper()}",
                        "compartment": t}
                       for t in loads)
        if kind == "point":
            pickup = order.slot.pickup
            date, point = pickup.ready_on, pickup.point
            first = min(_slot_seconds(s.starts) for s in pickup.slots.filter(date=date)) if pickup.slots.filter(
                date=date).exists() else 12 * H
            deliver = TaskSpec(kind="pickup_point", source=f"{key}:deliver", shipment_key=key, name=point.name,
                               address=point.address, lon=point.lon, lat=point.lat, loads=loads, crates=crates,
                               windows=((min(7 * H, first), first),))
        else:
            date = cycle.home_delivery_on
            shopper = Shopper.objects.select_related("user").get(user=order.customer)
            pay = order.pk not in paid_homes
            paid_homes.add(order.pk)
            due = order.goods_total + order.delivery_fee
            deliver = TaskSpec(
                kind="home", source=f"{key}:deliver", shipment_key=key, name=customer_label(order, for_producer=False),
                address=shopper.address, lon=shopper.lon, lat=shopper.lat, phone=shopper.phone, loads=loads, crates=crates,
                windows=((9 * H, 18 * H),), doorstep_notes=shopper.doorstep_notes, access_codes=shopper.access_codes,
                contact_name=shopper.contact_name,
                contact_phone=shopper.contact_phone, contact_email=shopper.contact_email,
                payment_method="cash" if pay else "", payment_cents=money.to_cents(due) if pay else 0)
        first_visit = (vendor.pk, date) not in collected
        collected.add((vendor.pk, date))
        collect = TaskSpec(kind="collect", source=f"{key}:collect", shipment_key=key, name=vendor.name,
                           address=vendor.address, lon=vendor.lon, lat=vendor.lat, phone=vendor.phone, loads=loads,
                           crates=crates, windows=((7 * H, 17 * H),), service_s=300 if first_visit else 60)
        specs.setdefault(date, []).extend([collect, deliver])
    return specs


def create_van_tasks(cycle: OrderCycle) -> tuple[int, list[str]]:
    """Upsert the cycle's van tasks day by day; return (tasks, errors per refused day)."""
    count, problems = 0, []
    for date, specs in sorted(van_specs(cycle).items()):
        try:
            count += len(upsert_tasks(get_or_create_day(date), specs))
        except ValidationError as exc:
            problems.append(f"{date:%d/%m/%Y} : {'; '.join(exc.messages)}")
    return count, problems


def _producer_recipients(vendor) -> list[str]:
    owners = VendorMembership.objects.filter(vendor=vendor).select_related("user")
    emails = [vendor.email] + [m.user.email for m in owners]
    return sorted({e for e in emails if e})


def _email_producers(cycle: OrderCycle) -> int:
    sent = 0
    for producer in CycleProducer.objects.filter(cycle=cycle).select_related("vendor"):
        recipients = _producer_recipients(producer.vendor)
        if not recipients:
            continue
        totals = producer_totals(cycle, producer.vendor)
        body = render_to_string("shortcircuit/email/producer_totals.txt",
                                {"totals": totals, "producer": producer, "site": settings.APP_PUBLIC_URL})
        message = EmailMessage(f"Cycle « {cycle.name} » clos : vos totaux", body, settings.DEFAULT_FROM_EMAIL, recipients)
        message.attach(totals_filename(totals), totals_pdf(totals), "application/pdf")
        message.send()
        sent += 1
    return sent


def _email_cancellations(cycle: OrderCycle, cancelled: dict[int, list[CycleOrderLine]]) -> int:
    sent = 0
    for order in CycleOrder.objects.filter(pk__in=list(cancelled)).select_related("customer", "collector"):
        recipients = sorted({u.email for u in (order.customer, order.collector) if u is not None and u.email})
        if not recipients:
            continue
        body = render_to_string("shortcircuit/email/lines_cancelled.txt",
                                {"order": order, "cancelled": cancelled[order.pk], "kept": order.active_lines,
                                 "due": order.goods_total + order.delivery_fee})
        send_mail(f"Commande {order.saleor_number or order.pk} : des produits ne seront pas livrés", body,
                  settings.DEFAULT_FROM_EMAIL, recipients)
        sent += 1
    return sent


def close_cycle(cycle_id: int, *, now: dt.datetime | None = None, saleor: port.SaleorPort | None = None) -> dict:
    """Close cycle ``cycle_id`` once: minimums, van tasks, emails; return the closing report.

    A cycle already closed is left alone and its stored report returned with ``"already": True``.

    Raises
    ------
    OrderCycle.DoesNotExist
        For an unknown id.
    ValueError
        Before the cycle's closing minute.
    """
    with transaction.atomic():
        cycle = OrderCycle.objects.select_for_update().get(pk=cycle_id)
        if cycle.closed_at is not None:
            return {**cycle.close_report, "already": True}
        now = now or timezone.now()
        if now < cycle.closes_at:
            raise ValueError(f"cycle {cycle.pk} closes at {cycle.closes_at.isoformat()}, not before")
        cancelled = apply_minimums(cycle)
        tasks, problems = create_van_tasks(cycle)
        report = {
            "closed_at": now.isoformat(), "orders": live_lines(cycle).values("order_id").distinct().count(),
            "cancelled_lines": sum(len(v) for v in cancelled.values()), "van_tasks": tasks, "van_errors": problems,
            "producers_below_minimum": list(cycle.producers.filter(minimum_met=False).values_list("vendor__slug", flat=True)),
        }
        report["customers_told"] = _email_cancellations(cycle, cancelled)
        report["producers_emailed"] = _email_producers(cycle)
        cycle.closed_at, cycle.close_report = now, report
        cycle.save(update_fields=["closed_at", "close_report"])
    saleor = saleor or port.get_saleor()
    for order in CycleOrder.objects.filter(pk__in=list(cancelled)):
        try:
            saleor_sync.note_cancelled_lines(order, saleor)
        except SaleorError as exc:
            log.warning("cycle order %s: could not note cancelled lines in Saleor: %s", order.pk, exc)
    return report


def close_due_cycles(now: dt.datetime | None = None) -> list[int]:
    """Ids of the cycles past their closing minute and not closed yet (for the beat task)."""
    now = now or timezone.now()
    return list(OrderCycle.objects.filter(closed_at__isnull=True, closes_at__lte=now).values_list("pk", flat=True))


def cycles_to_fill(now: dt.datetime | None = None) -> list[int]:
    """Ids of open cycles whose standing baskets have not been placed yet."""
    now = now or timezone.now()
    return list(OrderCycle.objects.filter(closed_at__isnull=True, baskets_applied_at__isnull=True, opens_at__lte=now,
                                          closes_at__gt=now).values_list("pk", flat=True))
