"""Writes of the evaluation: answer a questionnaire, plan a training session, register, record attendance.

Every function takes ``now`` (an aware datetime) so that tests run at any date and hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.storefront.models import ShopOrder
from marketplace.vendors.models import Vendor

from .error_codes import EvaluationErrorCode as Code
from .error_codes import error
from .models import SurveyAnswer, TrainingRegistration, TrainingSession
from .selectors import order_delivered
from .survey import SCALE, quarter_of

_SCORES = {score for score, _ in SCALE}


@dataclass(frozen=True)
class Scores:
    """The three answers (1 to 4) and the free comment."""

    q1: int | None
    q2: int | None
    q3: int | None
    comment: str = ""

    def checked(self) -> Scores:
        """Return self when the three scores are on the scale.

        Raises
        ------
        ValidationError
            ``survey_score_missing`` when a score is missing or off the scale.
        """
        if any(q not in _SCORES for q in (self.q1, self.q2, self.q3)):
            raise error(Code.SURVEY_SCORE_MISSING)
        return self


def _save(answer: SurveyAnswer) -> SurveyAnswer:
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as exc:  # a second tab, or two clicks: one answer only
        raise error(Code.SURVEY_ALREADY_ANSWERED) from exc
    return answer


def answer_after_delivery(order: ShopOrder, scores: Scores, *, now: dt.datetime) -> SurveyAnswer:
    """Record a shopper's answer about one delivered order (one answer per order).

    Raises
    ------
    ValidationError
        ``survey_not_delivered``, ``survey_already_answered`` or ``survey_score_missing``.
    """
    if not order_delivered(order):
        raise error(Code.SURVEY_NOT_DELIVERED, number=order.number)
    if SurveyAnswer.objects.filter(order=order).exists():
        raise error(Code.SURVEY_ALREADY_ANSWERED)
    scores = scores.checked()
    return _save(SurveyAnswer(audience=SurveyAnswer.Audience.SHOPPER, order=order, q1=scores.q1, q2=scores.q2,
                              q3=scores.q3, comment=scores.comment[:1000], answered_at=now))


def answer_for_quarter(vendor: Vendor, scores: Scores, *, now: dt.datetime) -> SurveyAnswer:
    """Record a vendor's answer for the quarter of ``now`` (Paris time; one answer per quarter).

    Raises
    ------
    ValidationError
        ``survey_already_answered`` or ``survey_score_missing``.
    """
    quarter = quarter_of(timezone.localtime(now).date())
    if SurveyAnswer.objects.filter(vendor=vendor, quarter=quarter, audience=SurveyAnswer.Audience.VENDOR).exists():
        raise error(Code.SURVEY_ALREADY_ANSWERED)
    scores = scores.checked()
    return _save(SurveyAnswer(audience=SurveyAnswer.Audience.VENDOR, vendor=vendor, quarter=quarter, q1=scores.q1,
                              q2=scores.q2, q3=scores.q3, comment=scores.comment[:1000], answered_at=now))


def change_seats(session: TrainingSession, seats: int) -> TrainingSession:
    """Set a session's number of seats, never below the vendors already registered.

    Raises
    ------
    ValidationError
        ``seats_below_registered``.
    """
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        registered = locked.registrations.count()
        if seats < registered:
            raise error(Code.SEATS_BELOW_REGISTERED, registered=registered)
        locked.seats = seats
        locked.save(update_fields=["seats"])
    return locked


def register(session: TrainingSession, vendor: Vendor, *, user=None, now: dt.datetime) -> TrainingRegistration:
    """Give ``vendor`` a seat at ``session``, under a row lock on the session so no seat is sold twice.

    Raises
    ------
    ValidationError
        ``session_past``, ``already_registered`` or ``session_full``.
    """
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.starts_at <= now:
            raise error(Code.SESSION_PAST, topic=locked.topic)
        if locked.registrations.filter(vendor=vendor).exists():
            raise error(Code.ALREADY_REGISTERED, topic=locked.topic)
        if locked.registrations.count() >= locked.seats:
            raise error(Code.SESSION_FULL, topic=locked.topic)
        return TrainingRegistration.objects.create(session=locked, vendor=vendor, registered_by=user, registered_at=now)


def unregister(session: TrainingSession, vendor: Vendor, *, now: dt.datetime) -> None:
    """Free ``vendor``'s seat at a session still to come.

    Raises
    ------
    ValidationError
        ``session_past`` or ``not_registered``.
    """
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.starts_at <= now:
            raise error(Code.SESSION_PAST, topic=locked.topic)
        deleted, _ = locked.registrations.filter(vendor=vendor).delete()
        if not deleted:
            raise error(Code.NOT_REGISTERED)


def record_attendance(session: TrainingSession, present_vendor_ids: Iterable[int]) -> int:
    """Mark who came (the others registered as absent); return how many came."""
    present = set(present_vendor_ids)
    with transaction.atomic():
        for registration in session.registrations.select_for_update():
            registration.attended = registration.vendor_id in present
            registration.save(update_fields=["attended"])
    return session.registrations.filter(attended=True).count()
