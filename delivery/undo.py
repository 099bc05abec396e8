"""The driver's "Annuler": take back a mistaken tap on the phone within a few minutes.

An undo names the tap (the :class:`~delivery.models.StopEvent` UUID made on the phone) and
carries its own UUID, so a replay counts once. The server accepts it only while both clocks
agree the tap is recent: at most :data:`UNDO_WINDOW` after the tap on the phone's clock (undo
and tap come from the same phone) and at most :data:`UNDO_WINDOW` after the server received the
tap. The stop then takes the state of its latest tap that still counts (planned when none).

Undoing a failure also takes back what the failure set off, as far as it can: the customer's
contact, if already told, gets a correction; the rest of the round is re-planned with the stop
back in it. Once staff chose a follow-up for the failure it is theirs to change.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuidlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import failures
from .error_codes import DeliveryErrorCode as Code
from .error_codes import error
from .models import DeliveryTask, Notification, Shift, StopEvent, StopUndo
from .notify import Message, get_notifier

log = logging.getLogger(__name__)

#: How long after a tap the driver may take it back.
UNDO_WINDOW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class UndoSpec:
    """One "Annuler" from the phone: its own UUID, the UUID of the tap it takes back, when."""

    uuid: str
    event_uuid: str
    occurred_at: dt.datetime


def undo_deadline(event: StopEvent) -> dt.datetime:
    """Until when, on the server's clock, the tap ``event`` may be taken back."""
    return event.received_at + UNDO_WINDOW


def _parse_uuid(value: str) -> uuidlib.UUID:
    try:
        return uuidlib.UUID(str(value))
    except ValueError as exc:
        raise error(Code.BAD_UUID, uuid=value) from exc


def _correction(task: DeliveryTask) -> Message:
    body = (f"Bonjour, le message précédent était une erreur de saisie : la livraison du Marché du Pays de "
            f"Mormal pour {task.name} ({task.address}) n'est pas en échec. Elle suit son cours aujourd'hui. "
            "Merci de ne pas tenir compte du message précédent.")
    return Message(task.contact_name or task.name, task.contact_phone, task.contact_email,
                   "Correction : livraison en cours", body)


def _take_back_failure(task: DeliveryTask, stop_label: str) -> str:
    """Correct the contact's failure message (if one was sent) and re-plan with the stop back; return whom we told."""
    told = ""
    sent = list(task.notifications.filter(ok=True))
    if sent:
        try:
            channel, told = get_notifier().send(_correction(task))
        except RuntimeError as exc:
            log.error("correction for task %s failed: %s", task.pk, exc)
            told = f"échec de l'envoi ({exc})"[:200]
        # The failure message was taken back: a later real failure must tell the contact again.
        Notification.objects.filter(pk__in=[n.pk for n in task.notifications.all()]).delete()
    from .tasks import schedule_replan  # noqa: PLC0415 - tasks imports planning, which imports this app

    schedule_replan(task.day_id, reason=f"échec annulé par le chauffeur ({stop_label})")
    return told


def undo_event(shift: Shift, spec: UndoSpec, *, now: dt.datetime | None = None,
               stop_label: str = "") -> tuple[StopUndo, bool]:
    """Take back the tap ``spec.event_uuid`` of ``shift``; return ``(undo, created)``.

    Parameters
    ----------
    shift
        The van shift whose phone link sent the undo (only its own taps can be taken back).
    spec
        The undo as the phone queued it.
    now
        The server's instant (default: now).
    stop_label
        How the driver and staff name the stop (``"arrêt 5"``), for the re-plan's reason.

    Raises
    ------
    ValidationError
        ``UNDO_UNKNOWN`` for a tap this shift never sent, ``UNDO_TOO_LATE`` past
        :data:`UNDO_WINDOW` (by either clock), ``UNDO_SUPERSEDED`` when a later tap on the stop
        counts, ``UNDO_RESOLVED`` for a failure staff already followed up, ``BAD_UUID``.
    """
    now = now or timezone.now()
    undo_uuid, event_uuid = _parse_uuid(spec.uuid), _parse_uuid(spec.event_uuid)
    with transaction.atomic():
        event = (StopEvent.objects.select_related("task").filter(uuid=event_uuid, shift=shift).first())
        if event is None:
            raise error(Code.UNDO_UNKNOWN)
        task = DeliveryTask.objects.select_for_update().get(pk=event.task_id)
        existing = StopUndo.objects.filter(event=event).first()
        if existing is not None:  # a replay, or a second tap on Annuler: the tap is already taken back
            return existing, False
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        phone_delay = spec.occurred_at - event.occurred_at
        if now - event.received_at > UNDO_WINDOW or not (-UNDO_WINDOW < phone_delay <= UNDO_WINDOW):
            raise error(Code.UNDO_TOO_LATE, minutes=minutes)
        counting = task.events.filter(undo__isnull=True).order_by("-occurred_at", "-received_at")
        if counting.first() != event:
            raise error(Code.UNDO_SUPERSEDED)
        if event.kind == StopEvent.Kind.FAILED and (task.resolution or task.follow_up_id):
            raise error(Code.UNDO_RESOLVED)
        undo = StopUndo.objects.create(uuid=undo_uuid, event=event, occurred_at=spec.occurred_at)
        previous = counting.exclude(pk=event.pk).first()
        task.status = previous.kind if previous else DeliveryTask.Status.PLANNED
        task.fail_reason = previous.reason if previous else ""
        task.done_at = previous.occurred_at if previous else None
        task.proof = previous.proof.name if previous and previous.proof else ""
        task.save(update_fields=["status", "fail_reason", "done_at", "proof", "updated_at"])
        log.info("task %s: %s tap %s taken back by the driver", task.pk, event.kind, event.uuid)
        if event.kind == StopEvent.Kind.FAILED and task.status != DeliveryTask.Status.FAILED:
            undo.told = _take_back_failure(task, stop_label or failures.stop_label(task))
            undo.save(update_fields=["told"])
    return undo, True
