"""The staff planning page of a day: plan it, follow the solver, see the rounds on a map, move left-out stops.

The Celery task id of the last run is kept in the staff member's session and in the cache
(another staff member on the same server finds it too), so the progress bar survives a reload.
Progress is read from the result backend (``AsyncResult``), which works the same with Redis
and with the demo's file backend.
"""

import datetime as dt

from celery import current_app
from celery.result import AsyncResult
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_GET, require_POST

from common.boundaries import load_geojson
from marketplace.core.staff_rights import StaffRight, staff_right_required
from marketplace.territory.models import Commune, RelayPoint

from .. import calendar, doors
from ..actions import day_now_seconds
from ..models import DeliveryDay, DeliveryTask, RoundStop
from ..moves import (
    move_to_day,
    move_to_relay,
    relay_fridge_used_ml,
    relay_refusal_message,
    relay_windows,
)
from ..reasons import advice_fr, reason_fr
from ..selectors import current_plan, door_stops
from ..sheets.data import duration, euros, hm, km
from ..tasks import schedule_plan_once, schedule_replan

SESSION_KEY = "delivery_planning_runs"
#: A run still "planning" after this long is taken as dead (its worker stopped): a new one may start.
STALE_RUN_S = 30 * 60
#: How many van days the "move to another date" list offers.
MOVE_DAYS = 12
CACHE_TTL_S = 6 * 3600
#: Colours of the rounds on the map (contrast >= 4.5:1 on white for the legend text).
ROUND_COLOURS = ("#0b5d1e", "#0a4a8a", "#8a1c00", "#5b2a86", "#7a4d00", "#00606b")
#: Progress bar position (percent) reached when the task reports each step.
STEP_PERCENT = {"queued": 5, "started": 10, "solving": 10, "replanning": 40, "model": 20, "solve": 30, "store": 95}
STEP_LABEL = {
    "queued": "En attente du calculateur…", "started": "Démarrage du calcul…", "solving": "Démarrage du calcul…",
    "model": "Préparation des trajets…", "solve": "Recherche des meilleures tournées…",
    "store": "Enregistrement du plan…", "replanning": "Re-planification du reste de la journée…",
}


# -- where the last run's task id lives ---------------------------------------------------------

def _cache_key(day_id: int) -> str:
    return f"delivery:planning-run:{day_id}"


def remember_run(request, day: DeliveryDay, task_id: str, mode: str) -> None:
    """Keep the run's task id for this day in the session and the cache."""
    run = {"task_id": task_id, "mode": mode, "queued_at": timezone.now().isoformat()}
    runs = request.session.get(SESSION_KEY, {})
    runs[str(day.pk)] = run
    request.session[SESSION_KEY] = runs
    cache.set(_cache_key(day.pk), run, CACHE_TTL_S)


def last_run(request, day: DeliveryDay) -> dict | None:
    """The last run queued for ``day`` from this page (session first, then cache), or None."""
    return request.session.get(SESSION_KEY, {}).get(str(day.pk)) or cache.get(_cache_key(day.pk))


def run_progress(day: DeliveryDay, run: dict | None) -> dict:
    """What the progress bar shows: ``state``, ``percent``, ``label``, ``done``, ``error``, ``step``.

    ``state`` is Celery's (``PENDING``, ``STARTED``, ``PROGRESS``, ``SUCCESS``, ``FAILURE``...)
    or ``NONE`` when no run is known. A result the backend no longer holds (expired, or an
    eager run) is recognised from the day's stored plan, newer than the run.
    """
    out = {"state": "NONE", "percent": 0, "label": "", "done": False, "error": "", "step": "",
           "solve_limit_s": day.solve_time_limit_s, "task_id": ""}
    if run is None:
        if day.status == DeliveryDay.Status.PLANNING:
            out.update(state="UNKNOWN", label="Un calcul est en cours (lancé ailleurs).")
        return out
    if current_app.conf.task_always_eager:  # eager runs keep no result: judge from the day alone
        state, info = "PENDING", None
    else:
        result = AsyncResult(run["task_id"])
        state, info = result.state, result.info
    out.update(state=state, task_id=run["task_id"])
    if state == "PENDING":
        plan = current_plan(day)
        if day.status != DeliveryDay.Status.PLANNING and plan and plan.created_at >= dt.datetime.fromisoformat(run["queued_at"]):
            state, info = "SUCCESS", {"status": "planned"}
            out["state"] = state
        elif day.status == DeliveryDay.Status.PLAN_FAILED:
            state, info = "SUCCESS", {"status": "plan_failed", "error": day.planning_error}
            out["state"] = state
    if state == "SUCCESS":
        body = info if isinstance(info, dict) else {}
        failed = body.get("status", "").endswith("failed")
        out.update(done=True, percent=100, step="done",
                   label="Calcul impossible." if failed else "Calcul terminé : les tournées sont à jour.",
                   error=(body.get("error") or day.planning_error or "erreur inconnue") if failed else "")
    elif state in {"FAILURE", "REVOKED"}:
        out.update(done=True, percent=100, step="done", label="Le calcul a échoué.",
                   error=str(info) if info else "erreur inconnue")
    else:
        step = (info or {}).get("step", "") if isinstance(info, dict) else ""
        step = step or ("started" if state == "STARTED" else "queued")
        out.update(step=step, percent=STEP_PERCENT.get(step, 10), label=STEP_LABEL.get(step, "Calcul en cours…"))
    return out


# -- what the map draws -------------------------------------------------------------------------

def _point(lon: float, lat: float) -> list[float]:
    return [round(lat, 6), round(lon, 6)]


def map_data(day: DeliveryDay, plan, unassigned: list[dict]) -> dict:
    """Plain data for the map script: rounds (path, stops), depots, town halls, unassigned stops.

    Points are ``[lat, lon]`` (Leaflet's order); ``tiles.url`` is empty when no tile server is set;
    ``communesUrl`` serves the communes' outlines drawn under the rounds (:func:`communes_geojson`).
    """
    rounds, depots = [], {}
    for i, rnd in enumerate(plan.rounds.select_related("shift__van__depot") if plan else []):
        depot = rnd.shift.van.depot
        depots[depot.pk] = {"name": depot.name, "at": _point(depot.lon, depot.lat)}
        rounds.append({
            "van": rnd.shift.van.name, "colour": ROUND_COLOURS[i % len(ROUND_COLOURS)], "road": rnd.path_is_road,
            "path": [_point(lon, lat) for lon, lat in rnd.path],
            "stops": [{"seq": s.number, "name": " + ".join(dict.fromkeys(t.name for t in s.parcels)),
                       "kind": s.task.get_kind_display(), "arrival": hm(s.arrival_s),
                       "at": _point(s.task.lon, s.task.lat)} for s in door_stops(rnd)],
        })
    return {
        "rounds": rounds, "depots": list(depots.values()),
        "townHalls": [{"name": c.name, "at": _point(c.town_hall_lon, c.town_hall_lat)}
                      for c in Commune.objects.only("name", "town_hall_lon", "town_hall_lat")],
        "unassigned": [{"name": u["task"].name, "reason": u["reason_label"], "at": _point(u["task"].lon, u["task"].lat)}
                       for u in unassigned],
        "communesUrl": reverse("delivery:communes_geojson"),
        "tiles": {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION}
        if getattr(settings, "MAP_TILES_URL", "") else {"url": "", "attribution": ""},
    }


def unassigned_items(day: DeliveryDay, plan, relays: list[dict] | None = None) -> list[dict]:
    """Every planned task of the day that is in no round of the current plan, one item per shipment.

    The page is the truth: a task the plan left out shows the plan's reason, a task that came
    after the plan (or a day not planned yet) shows ``NOT_PLANNED``; every kind is listed
    (home, relay, pickup point, collect, return). Each item has the French reason and what to do.
    Relay points are offered only for parcels that may wait there (no frozen goods, no money to
    collect: :func:`delivery.moves.relay_refusal_message` says why not) and only those whose
    fridge has room for the parcel's chilled goods that day (``relays``: :func:`relay_choices`).
    """
    relays = relays or []
    routed = set(RoundStop.objects.filter(round__plan=plan).values_list("task_id", flat=True)) if plan else set()
    why = {u.task_id: (u.reason, u.detail) for u in plan.unassigned.all()} if plan else {}
    rows = (day.tasks.filter(status=DeliveryTask.Status.PLANNED).exclude(pk__in=routed)
            .select_related("relay_point").order_by("pk"))
    items: dict[str, dict] = {}
    for task in rows:
        reason, detail = why.get(task.pk, ("NOT_PLANNED", ""))
        key = task.shipment_key or f"task-{task.pk}"
        item = items.setdefault(key, {"tasks": [], "reason": reason, "detail": detail,
                                      "reason_label": reason_fr(reason), "advice": advice_fr(reason)})
        item["tasks"].append(task)
    for item in items.values():
        item["task"] = next((t for t in item["tasks"] if not t.is_collect), item["tasks"][0])
        item["collect"] = next((t for t in item["tasks"] if t.is_collect and t is not item["task"]), None)
        delivery = item["task"]
        item["relay_refusal"] = relay_refusal_message(delivery) if delivery.kind == DeliveryTask.Kind.HOME else ""
        item["can_go_to_relay"] = delivery.kind == DeliveryTask.Kind.HOME and not item["relay_refusal"]
        item["relays"] = [r for r in relays if r["free_ml"] >= delivery.chilled_ml] if item["can_go_to_relay"] else []
    return list(items.values())


def relay_choices(date: dt.date) -> list[dict]:
    """Active relay points open on ``date`` with their free fridge room (litres)."""
    out = []
    for relay in RelayPoint.objects.filter(active=True).select_related("commune"):
        windows = relay_windows(relay, date)
        if windows:
            free_l = max(0, relay.fridge_capacity_l * 1000 - relay_fridge_used_ml(relay, date)) // 1000
            hours = ", ".join(f"{hm(a)}–{hm(b)}" for a, b in windows)
            out.append({"pk": relay.pk, "label": f"{relay.name} — {hours}, frigo : {free_l} L libres",
                        "free_ml": free_l * 1000})
    return out


def move_days(day: DeliveryDay, today: dt.date, count: int = MOVE_DAYS) -> list[dt.date]:
    """The van days a left-out stop may move to: from today on, the page's own day excluded (service days only)."""
    out, date = [], today - dt.timedelta(days=1)
    while len(out) < count:
        date = calendar.next_van_day(date)
        if date != day.date:
            out.append(date)
    return out


# -- views --------------------------------------------------------------------------------------

@staff_right_required(StaffRight.ROUNDS)
def planning(request, day_id: int):
    """The planning page of one day."""
    day = get_object_or_404(DeliveryDay, pk=day_id)
    plan = current_plan(day)
    relays = relay_choices(day.date)
    unassigned = unassigned_items(day, plan, relays)
    rounds = []
    for rnd in plan.rounds.select_related("shift__van") if plan else []:
        rounds.append({"round": rnd, "stops": door_stops(rnd), "start": hm(rnd.start_s), "end": hm(rnd.end_s),
                       "km": km(rnd.distance_m), "duration": duration(rnd.duration_s)})
    for i, r in enumerate(rounds):
        r["colour"] = ROUND_COLOURS[i % len(ROUND_COLOURS)]
        for stop in r["stops"]:
            stop.arrival_label = hm(stop.arrival_s)
            stop.parcel_lines = [f"{t.name} (à encaisser : {t.get_payment_method_display()} {euros(t.payment_cents)})"
                                 if t.payment_method else t.name for t in stop.parcels]
    waiting = sum(len(u["tasks"]) for u in unassigned if u["reason"] == "NOT_PLANNED") if plan else 0
    split = doors.split_doors([(r["round"].shift.van.name, r["stops"]) for r in rounds])
    progress = run_progress(day, last_run(request, day))
    return render(request, "delivery/planning.html", {
        "day": day, "plan": plan, "rounds": rounds, "unassigned": unassigned, "waiting": waiting,
        "split_doors": split,
        "progress": progress, "running": not progress["done"] and progress["state"] not in {"NONE"},
        "map_data": map_data(day, plan, unassigned), "relays": relays,
        "today": timezone.localdate(), "move_days": move_days(day, timezone.localdate()), "tiles_url": getattr(settings, "MAP_TILES_URL", ""),
        "is_today": day.date == timezone.localdate(),
    })


@staff_right_required(StaffRight.ROUNDS)
@require_POST
def launch(request, day_id: int):
    """Queue a full plan (``mode=full``) or a re-plan of the rest of the day (``mode=rest``), after commit."""
    day = get_object_or_404(DeliveryDay, pk=day_id)
    mode = request.POST.get("mode", "full")
    if mode not in {"full", "rest"}:
        messages.error(request, f"Mode de calcul inconnu : « {mode} ».")
        return redirect("delivery:planning", day_id=day.pk)
    if mode == "rest" and current_plan(day) is None:
        messages.error(request, "Il n'y a pas encore de plan à reprendre : lancez d'abord une planification.")
        return redirect("delivery:planning", day_id=day.pk)
    previous = run_progress(day, last_run(request, day))
    stale = previous["state"] != "NONE" and (previous["done"] or _older_than(last_run(request, day), STALE_RUN_S))
    with transaction.atomic():
        if mode == "full":
            task_id = schedule_plan_once(day, force=stale)
            if task_id is None:
                messages.error(request, "Un calcul des tournées est déjà en cours pour cette journée : attendez sa fin "
                                        "(la barre d'avancement ci-dessous), puis relancez si besoin.")
                return redirect("delivery:planning", day_id=day.pk)
        else:
            task_id = schedule_replan(day.pk, reason="re-planification demandée par l'équipe",
                                      now_s=day_now_seconds(day))
    remember_run(request, day, task_id, mode)
    messages.info(request, "Calcul des tournées lancé.")
    return redirect("delivery:planning", day_id=day.pk)


def _older_than(run: dict | None, seconds: int) -> bool:
    """Whether the run was queued more than ``seconds`` ago (a worker that died leaves it hanging)."""
    if not run:
        return False
    return (timezone.now() - dt.datetime.fromisoformat(run["queued_at"])).total_seconds() > seconds


@staff_right_required(StaffRight.ROUNDS)
def progress(request, day_id: int):
    """JSON for the progress bar (see :func:`run_progress`)."""
    day = get_object_or_404(DeliveryDay, pk=day_id)
    return JsonResponse(run_progress(day, last_run(request, day)))


def _task_for_move(task_id: int) -> DeliveryTask:
    return get_object_or_404(DeliveryTask.objects.select_related("day"), pk=task_id)


@staff_right_required(StaffRight.ROUNDS)
@require_POST
def move_day(request, task_id: int):
    """Move a left-out stop (and its shipment partner) to another delivery date."""
    task = _task_for_move(task_id)
    back = redirect("delivery:planning", day_id=task.day_id)
    raw = request.POST.get("date", "").strip()
    try:
        date = dt.date.fromisoformat(raw)
    except ValueError:
        messages.error(request, f"Date non reconnue : « {raw} ». Choisissez un jour dans le calendrier (AAAA-MM-JJ).")
        return back
    try:
        moved, changed = move_to_day(task, date, timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    label = formats.date_format(date, "l j F Y")
    if changed:
        names = " et ".join(f"« {t.name} »" for t in moved)
        messages.success(request, f"{names} déplacé(s) au {label}. Pensez à planifier cette journée.")
    else:
        messages.info(request, f"« {task.name} » est déjà prévu le {label}.")
    return back


@staff_right_required(StaffRight.ROUNDS)
@require_POST
def move_relay(request, task_id: int):
    """Turn a left-out home delivery into a drop at an open relay point the same day."""
    task = _task_for_move(task_id)
    back = redirect("delivery:planning", day_id=task.day_id)
    raw = request.POST.get("relay", "").strip()
    if not raw.isdigit():
        messages.error(request, "Choisissez un point relais dans la liste.")
        return back
    try:
        delivery, changed = move_to_relay(task, int(raw))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    if changed:
        messages.success(request, f"« {delivery.name} » sera déposé à {delivery.relay_point.name}. "
                                  "Relancez le calcul pour l'ajouter aux tournées.")
    else:
        messages.info(request, f"« {delivery.name} » va déjà à {delivery.relay_point.name}.")
    return back


@require_GET
@staff_right_required(StaffRight.ROUNDS)
def communes_geojson(request):
    """The 52 communes' outlines and label points (bundled public geometry) for the planning map."""
    response = JsonResponse(load_geojson(), json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, max-age=86400"
    return response


urlpatterns = [
    path("carte/communes.geojson", communes_geojson, name="communes_geojson"),
    path("jour/<int:day_id>/planification/", planning, name="planning"),
    path("jour/<int:day_id>/planification/lancer/", launch, name="planning_launch"),
    path("jour/<int:day_id>/planification/etat/", progress, name="planning_progress"),
    path("tache/<int:task_id>/deplacer-jour/", move_day, name="task_move_day"),
    path("tache/<int:task_id>/deplacer-relais/", move_relay, name="task_move_relay"),
]
