"""Demo history for the evaluation: training sessions with attendance, questionnaire answers, recruits.

Seeded once, over the same months as the indicators' synthetic history, so that the dashboard
and the annual report show every section on a fresh demo. Two sessions are left to come, for
the vendors to register.
"""

import datetime as dt
import random

from django.utils import timezone

from marketplace.vendors.models import Vendor

from .models import SurveyAnswer, TrainingRegistration, TrainingSession
from .survey import quarter_of

MONTHS_BACK = 5
TOPICS = ["Photographier ses produits au téléphone", "Vendre en ligne : fiches produits et stock",
          "Préparer les commandes et la tournée", "Relevés, commissions et TVA", "Faire connaître sa boutique"]
COMMENTS = ["Livraison à l'heure, produits bien frais.", "Le livreur a pris le temps de monter les courses, merci.",
            "J'aimerais un créneau le samedi matin.", "Très pratique sans voiture.", "Le site est clair, même pour moi.",
            "Un peu d'attente au point relais.", "Plus de clients depuis l'été.", "La formation photo m'a beaucoup aidé."]


def _score(rng: random.Random, good: float) -> int:
    return rng.choices([4, 3, 2, 1], weights=[good, 1 - good + 0.3, 0.25, 0.1])[0]


def run(stdout) -> None:
    """Seed sessions, registrations, attendance and answers for the last months (once)."""
    if TrainingSession.objects.exists():
        stdout.write("evaluation: history already seeded")
        return
    vendors = list(Vendor.objects.filter(active=True).order_by("pk"))
    if not vendors:
        stdout.write("evaluation: no vendors yet, history not seeded")
        return
    rng = random.Random(2027)
    now = timezone.now()
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * MONTHS_BACK)).replace(day=1)
    places = [p for p, _ in TrainingSession.Place.choices]
    day, n = start + dt.timedelta(days=10), 0
    while day < today + dt.timedelta(days=30):
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 0)))
        session = TrainingSession.objects.create(place=places[n % 3], starts_at=starts, topic=TOPICS[n % len(TOPICS)],
                                                 seats=rng.choice([8, 10, 12]))
        held = starts <= now
        for vendor in rng.sample(vendors, k=min(len(vendors), rng.randint(3, session.seats))):
            TrainingRegistration.objects.create(session=session, vendor=vendor, registered_at=starts - dt.timedelta(days=7),
                                                attended=(rng.random() < 0.8) if held else None)
        day, n = day + dt.timedelta(days=rng.randint(18, 26)), n + 1
    # shoppers' answers after deliveries, then each vendor once a quarter
    day = start
    while day < today:
        for _ in range(rng.randint(0, 3) if day.isoweekday() <= 5 else 0):
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(9, 20), rng.randint(0, 59))))
            SurveyAnswer.objects.create(audience="shopper", q1=_score(rng, 0.7), q2=_score(rng, 0.65), q3=_score(rng, 0.55),
                                        comment=rng.choice(COMMENTS[:6]) if rng.random() < 0.15 else "", answered_at=at)
        day += dt.timedelta(days=1)
    quarters = {quarter_of(start + dt.timedelta(days=d)): start + dt.timedelta(days=d) for d in range(0, (today - start).days, 20)}
    for quarter, first_day in quarters.items():
        for vendor in vendors:
            if rng.random() < 0.7:
                at = timezone.make_aware(dt.datetime.combine(first_day + dt.timedelta(days=rng.randint(0, 10)), dt.time(18, 0)))
                SurveyAnswer.objects.get_or_create(audience="vendor", vendor=vendor, quarter=quarter, defaults={
                    "q1": _score(rng, 0.5), "q2": _score(rng, 0.6), "q3": _score(rng, 0.75), "answered_at": min(at, now),
                    "comment": rng.choice(COMMENTS[6:]) if rng.random() < 0.2 else ""})
    # one vendor in three came through another vendor's invitation
    for index, vendor in enumerate(vendors):
        if index % 3 == 2:
            Vendor.objects.filter(pk=vendor.pk).update(referred_by=vendors[index - 1 - rng.randint(0, 1)])
    stdout.write(f"evaluation: {n} training sessions, {SurveyAnswer.objects.count()} answers since {start:%B %Y}")
