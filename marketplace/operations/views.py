"""Staff page: the dead-letter list, with retry and resolve buttons."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from marketplace.core.staff_rights import StaffRight, staff_right_required

from . import deadletters
from .models import DeadLetter


@staff_right_required(StaffRight.DEAD_LETTERS)
def dead_letters(request):
    """Jobs that gave up, newest first; handled ones are listed below."""
    open_letters = DeadLetter.objects.filter(resolved_at__isnull=True)[:200]
    handled = DeadLetter.objects.filter(resolved_at__isnull=False)[:50]
    return render(request, "operations/dead_letters.html", {"open": open_letters, "handled": handled})


@staff_right_required(StaffRight.DEAD_LETTERS)
@require_POST
def dead_letter_action(request, pk):
    """Retry a dead letter, or mark it handled."""
    letter = get_object_or_404(DeadLetter, pk=pk, resolved_at__isnull=True)
    by = request.user.get_username()
    if request.POST.get("action") == "retry":
        try:
            new_id = deadletters.retry(letter, by)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Tâche relancée ({new_id}).")
    else:
        deadletters.resolve(letter, by)
        messages.success(request, "Marquée comme traitée.")
    return redirect("operations:dead_letters")
