"""Pages of the evaluation: questionnaires, the vendors' training registrations, the staff's sessions.

Shoppers answer after a delivery, vendors each quarter; staff plan sessions and record attendance.
Vendor pages act for ``request.vendor`` only; a shopper's questionnaire opens only for an order
she placed or received. The wording of refusals comes from :mod:`.error_codes`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.storefront.checkout import ORDER_LINK_SALT
from marketplace.storefront.models import ShopOrder
from marketplace.vendors.views.access import staff_required, vendor_required

from . import actions, selectors
from .forms import SessionForm, SurveyForm
from .models import TrainingSession
from .survey import QUESTIONS, SCALE


def _survey_context(form: SurveyForm, audience: str) -> dict:
    questions = [{"name": f"q{i}", "text": text, "value": form.data.get(f"q{i}") if form.is_bound else None}
                 for i, text in enumerate(QUESTIONS[audience], start=1)]
    return {"form": form, "questions": questions, "scale": [(str(s), label) for s, label in SCALE]}


def _scores(form: SurveyForm) -> actions.Scores:
    form.is_valid()  # an answer off the scale is left out of cleaned_data: the action then names the missing answer
    data = getattr(form, "cleaned_data", {})  # an unbound form (nothing posted) has none
    return actions.Scores(data.get("q1"), data.get("q2"), data.get("q3"), data.get("comment", ""))


def _shopper_order(request, number: str) -> ShopOrder:
    """The order with this number if the signed-in user placed or receives it (staff too get 404: not theirs)."""
    if not request.user.is_authenticated:
        raise Http404("Commande introuvable")
    order = (ShopOrder.objects.filter(number=number, placed_by=request.user).first()
             or ShopOrder.objects.filter(number=number, shopper__user=request.user).first())
    if order is None:
        raise Http404("Commande introuvable")
    return order


@require_http_methods(["GET", "POST"])
def order_survey(request, number):
    """A shopper's questionnaire about one delivered order (one answer per order)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url="account_login")
    order = _shopper_order(request, number)
    return _order_survey(request, order, reverse("storefront:order", args=[order.number]))


@require_http_methods(["GET", "POST"])
def order_survey_by_link(request, signed):
    """A guest's questionnaire, by the signed link of her order page (nobody can guess it)."""
    try:
        pk = signing.loads(signed, salt=ORDER_LINK_SALT)
    except signing.BadSignature as exc:
        raise Http404("Commande introuvable") from exc
    order = get_object_or_404(ShopOrder, pk=pk)
    return _order_survey(request, order, reverse("storefront:order_link", args=[signed]))


def _order_survey(request, order: ShopOrder, back: str):
    state = selectors.order_survey_state(order)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and state == "open":
        try:
            actions.answer_after_delivery(order, _scores(form), now=timezone.now())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Merci pour vos réponses !")
            return redirect(back)
    context = _survey_context(form, "shopper") | {"order": order, "state": state, "back": back}
    return render(request, "evaluation/order_survey.html", context)


@vendor_required
@require_http_methods(["GET", "POST"])
def vendor_survey(request):
    """The vendor's questionnaire of the quarter (one answer per vendor and quarter)."""
    now = timezone.now()
    due = selectors.vendor_survey_due(request.vendor, now)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and due:
        try:
            actions.answer_for_quarter(request.vendor, _scores(form), now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Merci pour vos réponses ! Le prochain questionnaire ouvrira au trimestre suivant.")
            return redirect("vendors:dashboard")
    return render(request, "evaluation/vendor_survey.html", _survey_context(form, "vendor") | {"due": due})


@vendor_required
def vendor_trainings(request):
    """Sessions to come, with a button to take or free a seat, and the vendor's past sessions."""
    now = timezone.now()
    return render(request, "evaluation/vendor_trainings.html", {
        "sessions": selectors.sessions_for_vendor(request.vendor, now),
        "past": selectors.past_sessions_of(request.vendor, now)})


@vendor_required
@require_POST
def training_register(request, session_pk):
    """Take a seat for ``request.vendor`` (never another vendor: none is read from the form)."""
    session = get_object_or_404(TrainingSession, pk=session_pk)
    try:
        actions.register(session, request.vendor, user=request.user, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Inscription enregistrée : {session.topic}, le {timezone.localtime(session.starts_at):%d/%m/%Y à %H:%M}.")
    return redirect("evaluation:vendor_trainings")


@vendor_required
@require_POST
def training_unregister(request, session_pk):
    """Free ``request.vendor``'s seat at a session still to come."""
    session = get_object_or_404(TrainingSession, pk=session_pk)
    try:
        actions.unregister(session, request.vendor, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Inscription annulée : {session.topic}.")
    return redirect("evaluation:vendor_trainings")


@staff_required
@require_http_methods(["GET", "POST"])
def staff_sessions(request):
    """Every session with its registrations, and the form to plan a new one."""
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.created_by = request.user
        session.save()
        messages.success(request, f"Session planifiée : {session}.")
        return redirect("evaluation:staff_sessions")
    sessions = TrainingSession.objects.annotate(registered=Count("registrations")).order_by("-starts_at")
    return render(request, "evaluation/staff_sessions.html", {"form": form, "sessions": sessions})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_session(request, session_pk):
    """One session: who registered, and the attendance to record once it has been held."""
    session = get_object_or_404(TrainingSession, pk=session_pk)
    if request.method == "POST":
        if "seats" in request.POST:
            try:
                actions.change_seats(session, int(request.POST["seats"]))
            except (ValueError, ValidationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", ["Nombre de places invalide."])))
            else:
                messages.success(request, "Nombre de places enregistré.")
        else:
            came = actions.record_attendance(session, [int(v) for v in request.POST.getlist("present") if v.isdigit()])
            messages.success(request, f"Présences enregistrées : {came} commerce(s) présent(s).")
        return redirect("evaluation:staff_session", session_pk=session.pk)
    return render(request, "evaluation/staff_session.html", {
        "session": session, "registrations": session.registrations.select_related("vendor__commune", "registered_by"),
        "held": session.starts_at <= timezone.now()})
