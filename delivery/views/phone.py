"""The driver's phone view: stop list, one-tap delivered/failed, idempotent sync endpoint.

Access is by signed link only (see :mod:`delivery.views.access`); the sync endpoint is
CSRF-exempt because it has no session: the unguessable signed URL is the credential.
"""

import datetime as dt
import json

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ..actions import EventSpec, record_event
from ..cancellation import removed_from_round
from ..error_codes import DeliveryErrorCode as Code
from ..error_codes import error
from ..models import DeliveryTask, Shift, StopEvent, StoredPlan
from ..selectors import current_round, driver_stops, sheet_for_round, stop_numbers
from ..sheets.data import COMPARTMENT_LABELS, PAYMENT_LABELS, euros, geo_link, hm, osm_link
from ..sheets.overview_map import draw_overview
from ..undo import UNDO_WINDOW, UndoSpec, undo_deadline, undo_event
from .access import with_shift

MAX_EVENT_BYTES = 4_000_000


@require_GET
@with_shift()
def phone_round(request, shift, signed: str):
    """The stop list of a van's round for the day, in stop order; done stops shown folded.

    The list never reorders itself: a stop keeps its place and number all day (the phone folds
    a done stop only once it has scrolled out of sight). A stop whose last tap can still be
    taken back carries that tap's UUID and deadline, so "Annuler" survives a reload.
    """
    rnd = current_round(shift)
    stops = sorted(driver_stops(rnd), key=lambda s: s["sequence"]) if rnd else []
    last_taps = _last_taps(shift, [s["task_id"] for s in stops])
    now = timezone.now()
    for stop in stops:
        stop["window_label"] = f"{hm(stop['window'][0])}–{hm(stop['window'][1])}"
        stop["arrival_label"] = hm(stop["arrival"])
        stop["geo"] = geo_link(stop["lon"], stop["lat"])
        stop["osm"] = osm_link(stop["lon"], stop["lat"])
        stop["payment_label"] = (f"{PAYMENT_LABELS[stop['payment_method']]} {euros(stop['payment_cents'])}"
                                 if stop["payment_method"] else "")
        stop["parcel_labels"] = [  # one stop per door: every order's parcel and what to collect for it
            f"{p.name}{' — caisses ' + ', '.join(p.crates) if p.crates else ''} : "
            + (f"à encaisser {PAYMENT_LABELS[p.payment_method]} {euros(p.payment_cents)}" if p.payment_method
               else "rien à encaisser") for p in stop["parcels"]]
        if len([p for p in stop["parcels"] if p.payment_method]) > 1:
            stop["payment_label"] = f"{euros(stop['payment_cents'])} au total (détail par colis ci-dessus)"
        stop["goods_labels"] = [
            f"{'Collecter' if g.action == 'collect' else 'Livrer'} — {COMPARTMENT_LABELS[g.compartment]}"
            f"{' : caisses ' + ', '.join(g.crates) if g.crates else ''}" for g in stop["goods"]]
        tap = last_taps.get(stop["task_id"])
        if tap is not None and stop["status"] != DeliveryTask.Status.PLANNED and undo_deadline(tap) > now:
            stop["undo_event"] = str(tap.uuid)
            stop["undo_until_ms"] = int(undo_deadline(tap).timestamp() * 1000)
        if stop["reload"] is not None:  # this stop opens a loop: go back and reload first
            stop["reload_label"] = (f"Boucle {stop['loop']} : retour au dépôt, rechargement à "
                                    f"{hm(stop['reload'].start_s)}, départ {hm(stop['reload'].departure_s)}")
            stop["reload_lines"] = [
                f"{COMPARTMENT_LABELS[c]} : " + ", ".join(f"{crate} (arrêt {s.sequence})" for crate, s in items)
                for c, items in stop["reload_loading"].items() if items]
    return render(request, "delivery/phone.html", {
        "shift": shift, "round": rnd, "stops": stops, "signed": signed,
        "plan_id": rnd.plan_id if rnd else "", "undo_minutes": int(UNDO_WINDOW.total_seconds() // 60),
        "reasons": DeliveryTask.FailReason.choices,
        "todo": sum(1 for s in stops if s["status"] == DeliveryTask.Status.PLANNED),
        "removed": removed_from_round(shift),
    })


def _last_taps(shift: Shift, task_ids: list[int]) -> dict[int, StopEvent]:
    """The latest tap that still counts for each task (undone taps skipped)."""
    taps: dict[int, StopEvent] = {}
    for event in (StopEvent.objects.filter(shift=shift, task_id__in=task_ids, undo__isnull=True)
                  .order_by("occurred_at", "received_at")):
        taps[event.task_id] = event
    return taps


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
@with_shift()
def phone_map(request, shift, signed: str):
    """The round's map as a PNG for the phone (communes, route, numbered stops; no tile server).

    The service worker keeps the last copy, so the map opens without network like the list.
    Answers 404 when the van has no round today.
    """
    rnd = current_round(shift)
    if rnd is None:
        return HttpResponse(status=404)
    sheet = sheet_for_round(rnd)
    key = f"phone-map:{rnd.pk}:" + ",".join(f"{s.sequence}={s.status}" for s in sheet.stops)
    png = cache.get(key)
    if png is None:  # drawn again only when a stop's status changes (its colour does)
        # 4 in at 200 dpi with the large-print sizes: numbers stay readable once shrunk to a 390 px screen
        png = draw_overview(sheet, width_in=4.0, dpi=200, large=True)
        cache.set(key, png, 6 * 3600)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@with_shift(as_json=True)
def phone_state(request, shift, signed: str):
    """Current status of every stop of the round and which plan it belongs to.

    The phone compares ``plan`` with the plan its page was drawn from: when they differ the
    page turns read-only and asks to be reloaded (the stops and their numbers have changed).
    """
    rnd = current_round(shift)
    stops = driver_stops(rnd) if rnd else []
    return JsonResponse({"statuses": {str(s["task_id"]): s["status"] for s in stops},
                         "removed": removed_from_round(shift), **_plan_facts(rnd)})


def _plan_facts(rnd) -> dict:
    if rnd is None:
        return {"plan": None, "plan_at": ""}
    return {"plan": rnd.plan_id, "plan_at": timezone.localtime(rnd.plan.created_at).strftime("%H:%M")}


def _superseded_at(shift: Shift, plan_id) -> dt.datetime | None:
    """When the plan a page was drawn from stopped being current (None: still current, or unknown)."""
    try:
        page_plan = StoredPlan.objects.filter(day_id=shift.day_id, pk=int(plan_id)).first()
    except (TypeError, ValueError):
        return None
    if page_plan is None or page_plan.is_current:
        return None
    later = (StoredPlan.objects.filter(day_id=shift.day_id, created_at__gt=page_plan.created_at)
             .order_by("created_at").first())
    return later.created_at if later else None


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

    Body: ``{"events": [{"uuid", "task_id", "stop", "plan", "kind", "reason", "occurred_at", "proof"}, ...]}``;
    ``kind`` ``"undo"`` takes back the tap named by ``undoes`` (:mod:`delivery.undo`). A tap made
    on a page whose plan had already been replaced is refused (the page was read-only).
    Answer: ``accepted`` and ``duplicates`` (both safe to drop from the phone's queue),
    ``rejected`` with a French reason each that names the stop by its number, and the current
    ``plan``.
    """
    if len(request.body) > MAX_EVENT_BYTES:
        return HttpResponseBadRequest("requête trop grosse")
    try:
        events = json.loads(request.body.decode("utf-8")).get("events", [])
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return JsonResponse({"error": "JSON attendu : {\"events\": [...]}"}, status=400)
    numbers = stop_numbers(shift)
    accepted, duplicates, rejected = [], [], []
    for raw in events if isinstance(events, list) else []:
        try:
            uuid, created = _apply(shift, raw, numbers)
        except ValidationError as exc:
            task_id = raw.get("task_id") if isinstance(raw, dict) else None
            rejected.append({"uuid": raw.get("uuid") if isinstance(raw, dict) else None, "task_id": task_id,
                             "error": f"{_stop_name(raw, numbers)} : {' '.join(exc.messages)}"})
            continue
        (accepted if created else duplicates).append(uuid)
    return JsonResponse({"accepted": accepted, "duplicates": duplicates, "rejected": rejected,
                         **_plan_facts(current_round(shift))})


def _stop_name(raw, numbers: dict[int, int]) -> str:
    """``"Arrêt 5"``: the number the phone showed, else the stop's number in the current round."""
    if not isinstance(raw, dict):
        return "Mise à jour"
    shown = raw.get("stop")
    if isinstance(shown, int) and shown > 0:
        return f"Arrêt {shown}"
    try:
        number = numbers.get(int(raw.get("task_id")))
    except (TypeError, ValueError):
        number = None
    return f"Arrêt {number}" if number else "Arrêt hors de cette tournée"


def _apply(shift: Shift, raw, numbers: dict[int, int]) -> tuple[str, bool]:
    """Record one queued tap or undo; return its UUID and whether it was new."""
    spec = _parse_event(raw)
    if spec.kind == "undo":
        undo, created = undo_event(shift, UndoSpec(spec.uuid, str(raw.get("undoes", "")), spec.occurred_at),
                                   stop_label=_stop_name(raw, numbers).lower())
        return str(undo.uuid), created
    superseded = _superseded_at(shift, raw.get("plan"))
    if superseded is not None and spec.occurred_at >= superseded:
        raise error(Code.PLAN_SUPERSEDED, at=timezone.localtime(superseded).strftime("%H:%M"))
    event, created = record_event(shift, spec)
    return str(event.uuid), created
