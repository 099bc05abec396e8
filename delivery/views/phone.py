"""The driver's phone view: stop list, one-tap delivered/failed, idempotent sync endpoint.

Access is by signed link only (see :mod:`delivery.views.access`); the sync endpoint is
CSRF-exempt because it has no session: the unguessable signed URL is the credential.
"""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ..actions import EventSpec, record_event
from ..error_codes import DeliveryErrorCode as Code
from ..error_codes import error
from ..models import DeliveryTask
from ..selectors import current_round, driver_stops
from ..sheets.data import COMPARTMENT_LABELS, PAYMENT_LABELS, euros, geo_link, hm, osm_link
from .access import with_shift

MAX_EVENT_BYTES = 4_000_000


@require_GET
@with_shift()
def phone_round(request, shift, signed: str):
    """The stop list of a van's round for the day, next stop first."""
    rnd = current_round(shift)
    stops = driver_stops(rnd) if rnd else []
    for stop in stops:
        stop["window_label"] = f"{hm(stop['window'][0])}–{hm(stop['window'][1])}"
        stop["arrival_label"] = hm(stop["arrival"])
        stop["geo"] = geo_link(stop["lon"], stop["lat"])
        stop["osm"] = osm_link(stop["lon"], stop["lat"])
        stop["payment_label"] = (f"{PAYMENT_LABELS[stop['payment_method']]} {euros(stop['payment_cents'])}"
                                 if stop["payment_method"] else "")
        stop["goods_labels"] = [
            f"{'Collecter' if g.action == 'collect' else 'Livrer'} — {COMPARTMENT_LABELS[g.compartment]}"
            f"{' : caisses ' + ', '.join(g.crates) if g.crates else ''}" for g in stop["goods"]]
    return render(request, "delivery/phone.html", {
        "shift": shift, "round": rnd, "stops": stops, "signed": signed,
        "reasons": DeliveryTask.FailReason.choices,
        "todo": sum(1 for s in stops if s["status"] == DeliveryTask.Status.PLANNED),
    })


@require_GET
def phone_service_worker(request):
    """The service worker that keeps the stop list readable offline (scope: the phone pages)."""
    scope = reverse("delivery:phone_sw").rsplit("/", 1)[0] + "/"
    urls = [static("css/site.css"), static("delivery/phone.css"), static("delivery/phone.js")]
    response = render(request, "delivery/phone-sw.js", {"static_urls": json.dumps(urls), "scope": scope},
                      content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@with_shift(as_json=True)
def phone_state(request, shift, signed: str):
    """Current status of every stop of the round (the phone refreshes from this after syncing)."""
    rnd = current_round(shift)
    stops = driver_stops(rnd) if rnd else []
    return JsonResponse({"statuses": {str(s["task_id"]): s["status"] for s in stops}})


def _parse_event(raw: dict) -> EventSpec:
    """An :class:`EventSpec` from the phone's JSON, or ``ValidationError``."""
    if not isinstance(raw, dict):
        raise error(Code.BAD_EVENT)
    occurred = parse_datetime(str(raw.get("occurred_at", ""))) or timezone.now()
    if timezone.is_naive(occurred):
        occurred = timezone.make_aware(occurred, dt.UTC)
    try:
        task_id = int(raw.get("task_id"))
    except (TypeError, ValueError) as exc:
        raise error(Code.BAD_TASK) from exc
    lon, lat = raw.get("lon"), raw.get("lat")
    return EventSpec(uuid=str(raw.get("uuid", "")), task_id=task_id, kind=str(raw.get("kind", "")),
                     occurred_at=occurred, reason=str(raw.get("reason", "")), note=str(raw.get("note", "")),
                     proof_data_url=str(raw.get("proof", "")),
                     lon=float(lon) if isinstance(lon, int | float) else None,
                     lat=float(lat) if isinstance(lat, int | float) else None)


@csrf_exempt
@require_POST
@with_shift(as_json=True)
def phone_events(request, shift, signed: str):
    """Store queued driver updates; each is applied once, by its client UUID.

    Body: ``{"events": [{"uuid", "task_id", "kind", "reason", "occurred_at", "proof"}, ...]}``.
    Answer: ``accepted`` and ``duplicates`` (both safe to drop from the phone's queue) and
    ``rejected`` with a reason each.
    """
    if len(request.body) > MAX_EVENT_BYTES:
        return HttpResponseBadRequest("requête trop grosse")
    try:
        events = json.loads(request.body.decode("utf-8")).get("events", [])
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return JsonResponse({"error": "JSON attendu : {\"events\": [...]}"}, status=400)
    accepted, duplicates, rejected = [], [], []
    for raw in events if isinstance(events, list) else []:
        try:
            event, created = record_event(shift, _parse_event(raw))
        except ValidationError as exc:
            rejected.append({"uuid": raw.get("uuid") if isinstance(raw, dict) else None, "error": " ".join(exc.messages)})
            continue
        (accepted if created else duplicates).append(str(event.uuid))
    return JsonResponse({"accepted": accepted, "duplicates": duplicates, "rejected": rejected})
