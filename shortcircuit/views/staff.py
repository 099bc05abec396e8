"""The team's pages: cycles, copying a cycle, closing now, packing lists and van tasks."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from delivery.models import DeliveryTask
from marketplace.vendors.views.access import staff_required

from .. import actions, selectors
from ..models import OrderCycle


@staff_required
def cycles(request):
    """Every cycle, newest first."""
    return render(request, "shortcircuit/staff_cycles.html", {"cycles": OrderCycle.objects.all()})


@staff_required
@require_POST
def copy(request, pk: int):
    """Copy a cycle one week later (standing baskets are placed in the copy)."""
    copy = actions.copy_cycle(get_object_or_404(OrderCycle, pk=pk))
    messages.success(request, f"Cycle « {copy.name} » créé.")
    for problem in selectors.calendar_problems(copy):
        messages.warning(request, f"À corriger dans l'administration : {problem}.")
    return redirect("shortcircuit:staff_cycles")


@staff_required
@require_POST
def close(request, pk: int):
    """Close a cycle past its closing minute now, instead of waiting for the scheduler."""
    try:
        report = actions.close_cycle(get_object_or_404(OrderCycle, pk=pk).pk)
    except ValueError:
        messages.error(request, "Ce cycle n'a pas encore atteint son heure de clôture.")
    else:
        messages.success(request, "Cycle déjà clos." if report.get("already") else "Cycle clos.")
    return redirect("shortcircuit:packing", pk=pk)


@staff_required
def packing(request, pk: int):
    """Packing lists by pickup point and customer, chilled and frozen apart; the van tasks made."""
    cycle = get_object_or_404(OrderCycle, pk=pk)
    tasks = DeliveryTask.objects.filter(source__startswith=f"circuit:{cycle.pk}:").select_related("day").order_by("day", "source")
    return render(request, "shortcircuit/packing.html", {
        "cycle": cycle, "places": selectors.packing_lists(cycle), "tasks": tasks,
    })
