"""What of a delivery is personal, and how it is forgotten while the figures stay.

Forgotten: the recipient's name, phone, exact address and position, doorstep notes, access
codes, the contact to call on a failure, the driver's notes and positions, proof photos and
signatures, and the messages sent to contacts. Kept: the day, the kind of stop, loads,
crates, status, failure reason, payment method and amount (the accounting), and the commune
(postal code and town) with a position rounded to about a kilometre, for statistics.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from delivery.models import DeliveryTask, Notification, Round, StopEvent

logger = logging.getLogger(__name__)

#: The name a forgotten recipient gets (staff pages and statistics still count the stop).
ERASED_NAME = "Destinataire effacé"
#: Decimal places kept of a forgotten position: 2 places of a degree, about 1 km here.
KEPT_DECIMALS = 2
_POSTAL_TOWN = re.compile(r"\b(\d{5}\s+[^,]+)\s*$")


@dataclass(frozen=True)
class Forgotten:
    """Counts of what one call erased."""

    tasks: int = 0
    proofs: int = 0
    events: int = 0
    notifications: int = 0


def town_only(address: str) -> str:
    """``"12 rue Pasteur, 59530 Le Quesnoy"`` -> ``"59530 Le Quesnoy"`` (empty if none is found)."""
    match = _POSTAL_TOWN.search(address)
    return match.group(1).strip() if match else ""


def forget_tasks(tasks: QuerySet[DeliveryTask], now: dt.datetime) -> Forgotten:
    """Erase the personal data of ``tasks`` (and of their stop events and messages) once.

    Collections keep their name and address: those are the vendor's shop, not a person. Tasks
    already forgotten are skipped, so running it twice does nothing more.
    """
    todo = list(tasks.filter(personal_data_erased_at__isnull=True))
    if not todo:
        return Forgotten()
    ids = [t.pk for t in todo]
    files: set[str] = set()
    with transaction.atomic():
        for task in todo:
            if task.proof:
                files.add(task.proof.name)
            personal_place = task.kind == DeliveryTask.Kind.HOME
            if personal_place:
                task.name, task.address = ERASED_NAME, town_only(task.address)
                task.lon, task.lat = round(task.lon, KEPT_DECIMALS), round(task.lat, KEPT_DECIMALS)
            task.phone = "" if personal_place else task.phone
            task.doorstep_notes = task.access_codes = ""
            task.contact_name = task.contact_phone = task.contact_email = ""
            task.proof = ""
            task.personal_data_erased_at = now
        DeliveryTask.objects.bulk_update(todo, ["name", "address", "lon", "lat", "phone", "doorstep_notes",
                                                "access_codes", "contact_name", "contact_phone", "contact_email",
                                                "proof", "personal_data_erased_at"])
        events = StopEvent.objects.filter(task_id__in=ids)
        files |= {name for name in events.exclude(proof="").values_list("proof", flat=True)}
        n_events = events.filter(Q(note__gt="") | Q(lon__isnull=False) | ~Q(proof="")).update(
            note="", lon=None, lat=None, proof="")
        n_notes = Notification.objects.filter(task_id__in=ids).exclude(recipient="").update(
            recipient="", body="(message effacé après la durée de conservation)")
        transaction.on_commit(lambda: _delete_files(files))
    logger.info("personal data of %d delivery tasks erased (%d proof files)", len(todo), len(files))
    return Forgotten(tasks=len(todo), proofs=len(files), events=n_events, notifications=n_notes)


def forget_round_paths(before: dt.date) -> int:
    """Drop the drawn road paths of rounds of days before ``before`` (they end at people's doors)."""
    return Round.objects.filter(plan__day__date__lt=before).exclude(path=[]).update(path=[])


def _delete_files(names: set[str]) -> None:
    """Delete proof photos and signatures from storage (a missing file is fine)."""
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError as exc:  # pragma: no cover - storage trouble is logged, the row is already clean
            logger.warning("proof file %s could not be deleted: %s", name, exc)
