"""Staff pages: the days, a day's plan with its rounds, downloads, and failed-delivery choices."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from marketplace.core.staff_rights import StaffRight, staff_right_required

from ..actions import day_now_seconds
from ..failures import resolve_failed
from ..models import DeliveryDay, DeliveryTask, Round
from ..moves import relay_refusal_message
from ..selectors import (
    current_plan,
    door_stops,
    failed_needing_choice,
    order_van_tasks,
    sheet_for_round,
)
from ..sheets.data import duration, hm, km
from ..sheets.gpx import route_gpx
from ..sheets.pdf import render_route_sheet
from ..tasks import schedule_plan_once, schedule_replan
from .access import link_expiry, phone_path
from .planning_page import unassigned_items


@staff_right_required(StaffRight.ROUNDS)
def day_list(request):
    """All delivery days, most recent first."""
    days = DeliveryDay.objects.order_by("-date")[:60]
    return render(request, "delivery/day_list.html", {"days": days})


#: What staff may choose for a failed delivery (a cancelled order resolves itself).
STAFF_CHOICES = (DeliveryTask.Resolution.RELAY_TODAY, DeliveryTask.Resolution.RETRY_NEXT)


@staff_right_required(StaffRight.ROUNDS)
def day_detail(request, day_id: int):
    """A day's current plan: one card per round with its downloads and phone link."""
    day = get_object_or_404(DeliveryDay, pk=day_id)
    plan = current_plan(day)
    rounds = []
    if plan:
        for rnd in plan.rounds.select_related("shift__van"):
            stops = door_stops(rnd)
            for stop in stops:
                stop.arrival_label = hm(stop.arrival_s)
            rounds.append({
                "round": rnd, "stops": stops, "phone": request.build_absolute_uri(phone_path(rnd.shift)),
                "expires": link_expiry(rnd.shift), "start": hm(rnd.start_s), "end": hm(rnd.end_s),
                "km": km(rnd.distance_m), "duration": duration(rnd.duration_s),
            })
    failed = failed_needing_choice(day)
    for task in failed:  # frozen goods or money to collect: no relay button, the reason instead
        task.relay_refusal = relay_refusal_message(task)
    return render(request, "delivery/day_detail.html", {
        "day": day, "plan": plan, "rounds": rounds, "failed": failed,
        "unassigned": unassigned_items(day, plan),  # the same list as the planning page
        "resolutions": [c for c in DeliveryTask.Resolution.choices if c[0] in STAFF_CHOICES],
    })


@staff_right_required(StaffRight.ROUNDS)
@require_POST
def day_plan(request, day_id: int):
    """Queue a full re-plan of the day (Celery, after commit)."""
    day = get_object_or_404(DeliveryDay, pk=day_id)
    if schedule_plan_once(day) is None:
        messages.error(request, "Un calcul des tournées est déjà en cours pour cette journée : attendez sa fin.")
        return redirect("delivery:day", day_id=day.pk)
    messages.info(request, "Calcul des tournées lancé ; rechargez la page dans quelques secondes.")
    return redirect("delivery:day", day_id=day.pk)


@staff_right_required(StaffRight.ROUNDS)
@require_POST
def day_replan(request, day_id: int):
    """Queue a re-plan of what is left, from where the vans are now."""
    day = get_object_or_404(DeliveryDay, pk=day_id)
    schedule_replan(day.pk, reason="re-planification demandée par l'équipe")
    messages.info(request, "Re-planification du reste de la journée lancée.")
    return redirect("delivery:day", day_id=day.pk)


@staff_right_required(StaffRight.ROUNDS)
@require_POST
def task_resolve(request, task_id: int):
    """Record the staff's choice for a failed delivery."""
    task = get_object_or_404(DeliveryTask, pk=task_id)
    try:
        follow = resolve_failed(task, request.POST.get("choice", ""), request.user.get_username(),
                                day_now_seconds(task.day))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Choix enregistré : {task.name} → {follow.address} le {follow.day}.")
    return redirect("delivery:day", day_id=task.day_id)


def _round(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("shift__van__depot", "shift__day", "plan"), pk=round_id)


def _sheet(request, rnd: Round):
    base = request.build_absolute_uri(phone_path(rnd.shift))
    return sheet_for_round(rnd, lambda task_id: base if task_id is None else f"{base}#arret-{task_id}")


@staff_right_required(StaffRight.ROUNDS)
def round_pdf(request, round_id: int):
    """The printed route sheet (``?grand=1`` for large print)."""
    rnd = _round(round_id)
    large = request.GET.get("grand") == "1"
    pdf = render_route_sheet(_sheet(request, rnd), large_print=large)
    name = f"tournee-{rnd.shift.day.date}-{rnd.shift.van.name}{'-gros' if large else ''}.pdf".replace(" ", "_")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_right_required(StaffRight.ROUNDS)
def round_gpx(request, round_id: int):
    """The round as a GPX file."""
    rnd = _round(round_id)
    response = HttpResponse(route_gpx(_sheet(request, rnd)), content_type="application/gpx+xml")
    name = f"tournee-{rnd.shift.day.date}-{rnd.shift.van.name}.gpx".replace(" ", "_")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_right_required(StaffRight.ROUNDS)
def order_delivery(request):
    """An order's "Livraison": its van tasks, stop, driver and status (``?commande=<Saleor order id>``).

    Opened from the order's page in the Saleor Dashboard (action "Livraison"), or directly.
    """
    order_id = (request.GET.get("commande") or "").strip()[:200]
    lines = order_van_tasks(order_id) if order_id else []
    return render(request, "delivery/order_delivery.html", {"order_id": order_id, "lines": lines})
