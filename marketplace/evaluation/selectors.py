"""Reads of the evaluation: whether a survey is open, sessions for a vendor, and the figures of the report.

Figures take a half-open date range ``[start, end)`` (Paris dates) and never name who answered.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from delivery.models import DeliveryTask
from marketplace.storefront.models import ShopOrder
from marketplace.vendors.models import Vendor

from .models import SurveyAnswer, TrainingRegistration, TrainingSession
from .survey import SATISFIED_FROM, SHORT, anonymised, quarter_of


def order_delivered(order: ShopOrder) -> bool:
    """Whether the van has delivered the order: every home or relay drop done (collect orders never are)."""
    if order.mode == ShopOrder.Mode.COLLECT or order.cancelled_at is not None:
        return False
    drops = (DeliveryTask.objects.filter(source__startswith=f"order:{order.saleor_order_id}:")
             .exclude(kind__in=[DeliveryTask.Kind.COLLECT, DeliveryTask.Kind.RETURN])
             .exclude(status=DeliveryTask.Status.CANCELLED).values_list("status", flat=True))
    statuses = list(drops)
    return bool(statuses) and all(s == DeliveryTask.Status.DELIVERED for s in statuses)


def order_survey_state(order: ShopOrder) -> str:
    """``"open"``, ``"answered"`` or ``"closed"`` (not delivered yet) for an order's questionnaire."""
    if SurveyAnswer.objects.filter(order=order).exists():
        return "answered"
    return "open" if order_delivered(order) else "closed"


def vendor_survey_due(vendor: Vendor, now: dt.datetime) -> bool:
    """Whether ``vendor`` has not yet answered the questionnaire of the quarter of ``now``."""
    quarter = quarter_of(timezone.localtime(now).date())
    return not SurveyAnswer.objects.filter(vendor=vendor, quarter=quarter, audience=SurveyAnswer.Audience.VENDOR).exists()


def sessions_for_vendor(vendor: Vendor, now: dt.datetime) -> list[dict]:
    """Sessions still to come, each with its free seats and whether ``vendor`` holds one; then its past ones."""
    mine = set(TrainingRegistration.objects.filter(vendor=vendor).values_list("session_id", flat=True))
    upcoming = TrainingSession.objects.filter(starts_at__gt=now).annotate(taken=Count("registrations"))
    return [{"session": s, "free": max(0, s.seats - s.taken), "registered": s.pk in mine} for s in upcoming]


def past_sessions_of(vendor: Vendor, now: dt.datetime):
    """The vendor's registrations to sessions already held, latest first."""
    return (TrainingRegistration.objects.filter(vendor=vendor, session__starts_at__lte=now)
            .select_related("session").order_by("-session__starts_at"))


def _answers(start: dt.date, end: dt.date):
    return SurveyAnswer.objects.filter(answered_at__date__gte=start, answered_at__date__lt=end)


def satisfaction_by_month(start: dt.date, end: dt.date) -> dict[str, list[dict]]:
    """Per audience, per month: answers, and the share satisfied (score 3 or 4) for each question (0–1).

    Months are those of the Paris date of answering; months without answers are left out.
    """
    out: dict[str, list[dict]] = {}
    for audience in SurveyAnswer.Audience:
        months: dict[dt.date, list[SurveyAnswer]] = defaultdict(list)
        for answer in _answers(start, end).filter(audience=audience).only("q1", "q2", "q3", "answered_at"):
            months[timezone.localtime(answer.answered_at).date().replace(day=1)].append(answer)
        rows = []
        for month in sorted(months):
            group = months[month]
            shares = [sum(getattr(a, q) >= SATISFIED_FROM for a in group) / len(group) for q in ("q1", "q2", "q3")]
            rows.append({"month": month, "answers": len(group), "shares": shares})
        out[audience.value] = rows
    return out


def satisfaction_totals(start: dt.date, end: dt.date) -> dict[str, dict]:
    """Per audience over the whole range: answers, the share satisfied per question, and the short labels."""
    out = {}
    for audience in SurveyAnswer.Audience:
        qs = _answers(start, end).filter(audience=audience)
        total = qs.count()
        counts = qs.aggregate(**{q: Count("id", filter=Q(**{f"{q}__gte": SATISFIED_FROM})) for q in ("q1", "q2", "q3")})
        out[audience.value] = {
            "label": audience.label, "answers": total,
            "questions": [{"label": label, "share": (counts[q] / total) if total else None}
                          for q, label in zip(("q1", "q2", "q3"), SHORT[audience.value], strict=True)],
        }
    return out


def anonymous_comments(start: dt.date, end: dt.date, limit: int = 20) -> list[dict]:
    """The latest comments of the range, with the audience and month only (no name, order or vendor)."""
    rows = _answers(start, end).exclude(comment="").order_by("-answered_at").values("audience", "answered_at", "comment")[:limit]
    labels = dict(SurveyAnswer.Audience.choices)
    return [{"audience": labels[r["audience"]], "month": timezone.localtime(r["answered_at"]).date().replace(day=1),
             "text": anonymised(r["comment"])} for r in rows]


def _held(start: dt.date, end: dt.date, now: dt.datetime):
    """Sessions of the range that have begun by ``now`` (those to come are not yet an outcome)."""
    return TrainingSession.objects.filter(starts_at__date__gte=start, starts_at__date__lt=end, starts_at__lte=now)


def training_by_month(start: dt.date, end: dt.date, now: dt.datetime) -> list[dict]:
    """Per month: sessions held by ``now``, seats, vendors registered, vendors who attended (as recorded by staff)."""
    months: dict[dt.date, dict] = {}
    for session in _held(start, end, now).annotate(registered=Count("registrations"),
                                              came=Count("registrations", filter=Q(registrations__attended=True))):
        month = timezone.localtime(session.starts_at).date().replace(day=1)
        row = months.setdefault(month, {"month": month, "sessions": 0, "seats": 0, "registered": 0, "attended": 0})
        row["sessions"] += 1
        row["seats"] += session.seats
        row["registered"] += session.registered
        row["attended"] += session.came
    return [months[m] for m in sorted(months)]


def training_by_commune(start: dt.date, end: dt.date, now: dt.datetime) -> dict[str, list[dict]]:
    """Attendance at the sessions held by ``now``, per room (the session's commune) and per commune of the vendors who came."""
    places = dict(TrainingSession.Place.choices)
    by_room: dict[str, dict] = {}
    for row in (_held(start, end, now).values("place")
                .annotate(sessions=Count("id", distinct=True), registered=Count("registrations"),
                          attended=Count("registrations", filter=Q(registrations__attended=True)))):
        by_room[places[row["place"]]] = {"commune": places[row["place"]], "sessions": row["sessions"],
                                         "registered": row["registered"], "attended": row["attended"]}
    came = (TrainingRegistration.objects.filter(session__in=_held(start, end, now), attended=True)
            .values("vendor__commune__name").annotate(attended=Count("id"), vendors=Count("vendor", distinct=True))
            .order_by("-attended", "vendor__commune__name"))
    return {"rooms": [by_room[p] for p in places.values() if p in by_room],
            "vendors": [{"commune": r["vendor__commune__name"], "attended": r["attended"], "vendors": r["vendors"]} for r in came]}
