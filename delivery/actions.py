"""Writes on delivery: create tasks from other apps, record what the driver did, resolve failures.

Every function here is safe to call twice with the same input: tasks are keyed by ``source``,
driver events by the phone's UUID.
"""

import base64
import binascii
import datetime as dt
import logging
import uuid as uuidlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .error_codes import DeliveryErrorCode as Code
from .error_codes import error
from .models import COMPARTMENTS, DeliveryDay, DeliveryTask, Shift, StopEvent

log = logging.getLogger(__name__)
MAX_PROOF_BYTES = 3_000_000


@dataclass(frozen=True)
class TaskSpec:
    """What another app asks the van to do; see :class:`delivery.models.DeliveryTask`.

    Times are seconds since local midnight, masses grams, volumes millilitres, money cents.
    ``loads`` maps a compartment (``ambient``, ``chilled``, ``frozen``) to ``(grams, ml)``.
    """

    kind: str
    source: str
    name: str
    address: str
    lon: float
    lat: float
    windows: tuple[tuple[int, int], ...] = ((8 * 3600, 18 * 3600),)
    service_s: int = 300
    loads: dict[str, tuple[int, int]] = field(default_factory=dict)
    shipment_key: str = ""
    crates: tuple[dict, ...] = ()
    phone: str = ""
    payment_method: str = ""
    payment_cents: int = 0
    doorstep_notes: str = ""
    access_codes: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    relay_point_id: int | None = None
    penalty_c: int | None = None
    urgent: bool = False


def _check_spec(spec: TaskSpec) -> None:
    """Raise ``ValidationError`` naming the source when a spec cannot become a task."""
    where = repr(spec.source)
    if not spec.source:
        raise error(Code.SOURCE_MISSING)
    if spec.kind not in DeliveryTask.Kind.values:
        raise error(Code.BAD_KIND, source=where, kind=spec.kind)
    if not (-180 <= spec.lon <= 180 and -90 <= spec.lat <= 90):
        raise error(Code.BAD_COORDINATES, source=where, lon=spec.lon, lat=spec.lat)
    if not spec.windows:
        raise error(Code.NO_WINDOW, source=where)
    for start, end in spec.windows:
        if not (0 <= start <= end <= 2 * 86400):
            raise error(Code.BAD_WINDOW, source=where, start=start, end=end)
    for name, (grams, ml) in spec.loads.items():
        if name not in COMPARTMENTS or grams < 0 or ml < 0:
            raise error(Code.BAD_LOAD, source=where, compartment=name, load=(grams, ml))
    if spec.kind == DeliveryTask.Kind.RELAY and spec.relay_point_id is None:
        raise error(Code.RELAY_MISSING, source=where)
    if spec.payment_method not in DeliveryTask.Payment.values:
        raise error(Code.BAD_PAYMENT, source=where, payment=spec.payment_method)


def _fields(spec: TaskSpec) -> dict:
    """Model field values for a spec."""
    values = {
        "kind": spec.kind, "name": spec.name, "address": spec.address, "lon": spec.lon, "lat": spec.lat,
        "windows": [list(w) for w in spec.windows], "service_s": spec.service_s,
        "shipment_key": spec.shipment_key, "crates": [dict(c) for c in spec.crates], "phone": spec.phone,
        "payment_method": spec.payment_method, "payment_cents": spec.payment_cents,
        "doorstep_notes": spec.doorstep_notes, "access_codes": spec.access_codes, "contact_name": spec.contact_name,
        "contact_phone": spec.contact_phone, "contact_email": spec.contact_email,
        "relay_point_id": spec.relay_point_id, "penalty_c": spec.penalty_c, "urgent": spec.urgent,
    }
    for name in COMPARTMENTS:
        grams, ml = spec.loads.get(name, (0, 0))
        values[f"{name}_g"], values[f"{name}_ml"] = grams, ml
    return values


def get_or_create_day(date: dt.date) -> DeliveryDay:
    """The delivery day for ``date``, created open when missing."""
    day, _ = DeliveryDay.objects.get_or_create(date=date)
    return day


@transaction.atomic
def upsert_tasks(day: DeliveryDay, tasks: list[TaskSpec]) -> list[DeliveryTask]:
    """Create or update tasks by ``source``; calling again with the same specs changes nothing.

    A task the driver has already served, or that staff moved to another day or relay point,
    is left as it is. After the day's cut-off
    (``frozen_at``) only urgent tasks may be added; a new urgent task on a day that already
    has a plan queues a re-plan of the rest of the day (after commit).

    Raises
    ------
    ValidationError
        When a spec is invalid, belongs to another day, or arrives after the cut-off; nothing
        is written in that case (the whole batch is one transaction).
    """
    result, urgent_added = [], False
    for spec in tasks:
        _check_spec(spec)
        existing = DeliveryTask.objects.select_for_update().filter(source=spec.source).first()
        if existing is None:
            if day.frozen_at and not spec.urgent:
                raise error(Code.DAY_FROZEN, source=repr(spec.source), day=day.date)
            result.append(DeliveryTask.objects.create(day=day, source=spec.source, **_fields(spec)))
            urgent_added |= spec.urgent
            continue
        if existing.moved_by_staff:
            result.append(existing)  # the staff's decision wins over a replayed source
            continue
        if existing.day_id != day.pk:
            raise error(Code.OTHER_DAY, source=repr(spec.source), day=existing.day.date)
        if existing.status == DeliveryTask.Status.PLANNED:
            for name, value in _fields(spec).items():
                setattr(existing, name, value)
            existing.save()
        result.append(existing)
    if urgent_added and day.plans.filter(is_current=True).exists():
        from .tasks import schedule_replan  # noqa: PLC0415 - tasks imports this module

        schedule_replan(day.pk, reason="commande urgente")
    return result


@dataclass(frozen=True)
class EventSpec:
    """One driver update as sent by the phone (possibly replayed after being offline)."""

    uuid: str
    task_id: int
    kind: str
    occurred_at: dt.datetime
    reason: str = ""
    note: str = ""
    proof_data_url: str = ""
    lon: float | None = None
    lat: float | None = None


def _decode_proof(data_url: str, event_uuid: str) -> ContentFile | None:
    """Turn a ``data:image/...;base64,`` URL into a file, or raise ``ValidationError``."""
    if not data_url:
        return None
    header, _, payload = data_url.partition(",")
    kinds = {"data:image/jpeg;base64": "jpg", "data:image/png;base64": "png", "data:image/webp;base64": "webp"}
    if header not in kinds:
        raise error(Code.BAD_PROOF, why="photo JPEG, PNG ou WebP attendue")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise error(Code.BAD_PROOF, why="base64 illisible") from exc
    if len(raw) > MAX_PROOF_BYTES:
        raise error(Code.BAD_PROOF, why=f"plus de {MAX_PROOF_BYTES} octets")
    return ContentFile(raw, name=f"{event_uuid}.{kinds[header]}")


def record_event(shift: Shift, spec: EventSpec) -> tuple[StopEvent, bool]:
    """Store one driver update once; return ``(event, created)``.

    A replay of an already stored UUID returns the stored event and changes nothing. A stop
    that failed triggers the failed-delivery protocol (:func:`delivery.failures.on_failed`).

    Raises
    ------
    ValidationError
        For an unknown kind or reason, a task that is not a stop of this shift's rounds, or a
        bad proof.
    """
    try:
        event_uuid = uuidlib.UUID(str(spec.uuid))
    except ValueError as exc:
        raise error(Code.BAD_UUID, uuid=spec.uuid) from exc
    if spec.kind not in StopEvent.Kind.values:
        raise error(Code.BAD_EVENT_KIND, kind=spec.kind)
    if spec.kind == StopEvent.Kind.FAILED and spec.reason not in DeliveryTask.FailReason.values:
        raise error(Code.BAD_REASON, reason=spec.reason)
    proof = _decode_proof(spec.proof_data_url, str(event_uuid))
    with transaction.atomic():
        in_rounds = DeliveryTask.objects.filter(pk=spec.task_id, day_id=shift.day_id,
                                                round_stops__round__shift=shift).values("pk")
        task = DeliveryTask.objects.select_for_update().filter(pk__in=in_rounds).first()
        if task is None:
            raise error(Code.BAD_TASK)
        if task.status == DeliveryTask.Status.CANCELLED:
            raise error(Code.CANCELLED, name=task.name)
        event, created = StopEvent.objects.get_or_create(uuid=event_uuid, defaults={
            "shift": shift, "task": task, "kind": spec.kind, "reason": spec.reason if spec.kind == "failed" else "",
            "note": spec.note[:300], "occurred_at": spec.occurred_at, "lon": spec.lon, "lat": spec.lat,
        })
        if not created:
            return event, False
        if proof is not None:
            event.proof.save(proof.name, proof, save=True)
        latest = task.events.filter(undo__isnull=True).order_by("-occurred_at", "-received_at").first()  # undone taps do not count
        if latest.pk == event.pk:
            task.status = spec.kind
            task.fail_reason = event.reason
            task.done_at = spec.occurred_at
            if event.proof:
                task.proof = event.proof.name
            task.save(update_fields=["status", "fail_reason", "done_at", "proof", "updated_at"])
    mates = _door_mates(shift, task) if created else []
    for mate in mates:  # one stop per door: one tap, one signature for every parcel at it
        _record_for_mate(shift, mate, event)
    if created and spec.kind == StopEvent.Kind.FAILED:
        from .failures import notify_contact, on_failed  # noqa: PLC0415 - avoid an import cycle with planning

        on_failed(task)  # re-plans the van once for the whole door
        for mate in mates:
            notify_contact(mate)
    return event, created


def _door_mates(shift: Shift, task: DeliveryTask) -> list[DeliveryTask]:
    """The other parcels of ``task``'s door in the shift's current round (see :mod:`delivery.doors`)."""
    from . import doors  # noqa: PLC0415
    from .models import RoundStop  # noqa: PLC0415

    if doors.door_key(task) is None:
        return []
    stops = list(RoundStop.objects.filter(round__shift=shift, round__plan__is_current=True)
                 .exclude(task__status=DeliveryTask.Status.CANCELLED).select_related("task").order_by("sequence"))
    for group in doors.consecutive(stops):
        ids = [s.task_id for s in group]
        if task.pk in ids and len(ids) > 1:
            return [s.task for s in group if s.task_id != task.pk]
    return []


def _record_for_mate(shift: Shift, mate: DeliveryTask, event: StopEvent) -> None:
    """Store ``event`` for a door-mate too (its own UUID derived from the event's, so replays count once)."""
    mate_uuid = uuidlib.uuid5(event.uuid, str(mate.pk))
    with transaction.atomic():
        locked = DeliveryTask.objects.select_for_update().get(pk=mate.pk)
        copy, created = StopEvent.objects.get_or_create(uuid=mate_uuid, defaults={
            "shift": shift, "task": locked, "kind": event.kind, "reason": event.reason, "note": event.note,
            "occurred_at": event.occurred_at, "lon": event.lon, "lat": event.lat, "proof": event.proof.name or ""})
        latest = locked.events.order_by("-occurred_at", "-received_at").first()
        if created and latest.pk == copy.pk:
            locked.status, locked.fail_reason, locked.done_at = event.kind, event.reason, event.occurred_at
            locked.proof = event.proof.name or locked.proof
            locked.save(update_fields=["status", "fail_reason", "done_at", "proof", "updated_at"])


def now_seconds(at: dt.datetime | None = None) -> int:
    """Seconds since local midnight for ``at`` (default: now)."""
    local = timezone.localtime(at or timezone.now())
    return local.hour * 3600 + local.minute * 60 + local.second


def day_now_seconds(day: DeliveryDay, at: dt.datetime | None = None) -> int:
    """"Now" within ``day``: the clock time today, 0 for a future day, end of day for a past one."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    if day.date == today:
        return now_seconds(at)
    return 0 if day.date > today else 86_400
