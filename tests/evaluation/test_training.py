"""Training sessions: staff plan them, vendors take a seat (never more than the seats, even at once), staff note who came."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError

from marketplace.evaluation import actions
from marketplace.evaluation.error_codes import EvaluationErrorCode as Code
from marketplace.evaluation.models import TrainingRegistration, TrainingSession
from tests.shortcircuit.test_concurrency import race

from .conftest import PASSWORD, paris

NOW = paris(2027, 1, 3, 23, 50)  # a Sunday night


def _session(starts_at=None, seats=2, place="bavay", topic="Photographier ses produits") -> TrainingSession:
    return TrainingSession.objects.create(place=place, starts_at=starts_at or paris(2027, 1, 12, 14, 0), topic=topic, seats=seats)


def test_a_vendor_takes_a_seat_once_and_never_beyond_the_seats(cheese, bakery, make_vendor):
    session = _session(seats=2)
    actions.register(session, cheese, now=NOW)
    with pytest.raises(ValidationError) as twice:
        actions.register(session, cheese, now=NOW)
    assert twice.value.code == Code.ALREADY_REGISTERED
    actions.register(session, bakery, now=NOW)
    third = make_vendor("epicerie-eval", "Bavay", "41234567")
    with pytest.raises(ValidationError) as full:
        actions.register(session, third, now=NOW)
    assert full.value.code == Code.SESSION_FULL
    assert full.value.messages == ["La formation « Photographier ses produits » est complète : choisissez une autre date."]
    # a freed seat can be taken again
    actions.unregister(session, bakery, now=NOW)
    actions.register(session, third, now=NOW)
    assert set(session.registrations.values_list("vendor__slug", flat=True)) == {"fromagerie-eval", "epicerie-eval"}


def test_a_session_already_held_is_closed_to_registration_and_cancellation(cheese):
    session = _session(starts_at=NOW - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as past:
        actions.register(session, cheese, now=NOW)
    assert past.value.code == Code.SESSION_PAST
    later = _session(starts_at=NOW + dt.timedelta(days=1))
    actions.register(later, cheese, now=NOW)
    with pytest.raises(ValidationError) as gone:
        actions.unregister(later, cheese, now=NOW + dt.timedelta(days=2))
    assert gone.value.code == Code.SESSION_PAST


def test_seats_never_go_below_the_registered_and_attendance_is_recorded(cheese, bakery):
    session = _session(seats=3)
    actions.register(session, cheese, now=NOW)
    actions.register(session, bakery, now=NOW)
    with pytest.raises(ValidationError) as below:
        actions.change_seats(session, 1)
    assert below.value.code == Code.SEATS_BELOW_REGISTERED
    assert actions.change_seats(session, 2).seats == 2
    assert actions.record_attendance(session, [cheese.pk]) == 1
    assert dict(session.registrations.values_list("vendor__slug", "attended")) == {"fromagerie-eval": True, "boulangerie-eval": False}


@pytest.mark.django_db(transaction=True)
def test_two_vendors_racing_for_the_last_seat_only_one_gets_it(communes, saleor, make_vendor):
    from marketplace.vendors.seed import siret_for

    a = make_vendor("fromagerie-race", "Maroilles", "39876543")
    b = make_vendor("boulangerie-race", "Bavay", "81234567")
    assert siret_for("39876543") != siret_for("81234567")
    session = _session(seats=1)
    now = session.starts_at - dt.timedelta(days=3)
    outcomes = race([lambda: actions.register(session, a, now=now), lambda: actions.register(session, b, now=now)])
    won = [o for o in outcomes if isinstance(o, TrainingRegistration)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code == Code.SESSION_FULL
    assert TrainingRegistration.objects.filter(session=session).count() == 1


def test_vendors_register_from_their_dashboard_for_themselves_only(client, owners, cheese, bakery):
    from django.utils import timezone

    session = _session(starts_at=timezone.now() + dt.timedelta(days=10), seats=5)
    client.login(username=owners["a"].username, password=PASSWORD)
    page = client.get("/vendeur/formations/").content.decode()
    assert "Photographier ses produits" in page and "5 places libres" in page
    # the cheese shop's owner registers, naming the bakery in the form: the seat is the cheese shop's
    response = client.post(f"/vendeur/formations/{session.pk}/inscription/", {"vendor": bakery.pk, "vendor_id": bakery.pk})
    assert response.status_code == 302
    assert list(session.registrations.values_list("vendor", flat=True)) == [cheese.pk]
    assert "Vous êtes inscrit(e)." in client.get("/vendeur/formations/").content.decode()
    # the bakery's owner cannot free the cheese shop's seat: the refusal is about its own registration
    client.logout()
    client.login(username=owners["b"].username, password=PASSWORD)
    refused = client.post(f"/vendeur/formations/{session.pk}/desinscription/", {"vendor": cheese.pk}, follow=True)
    assert "Votre boutique n'est pas inscrite à cette formation." in html.unescape(refused.content.decode())
    assert list(session.registrations.values_list("vendor", flat=True)) == [cheese.pk]
    # GET does not register; an unknown session is a 404; a visitor goes to the login page
    assert client.get(f"/vendeur/formations/{session.pk}/inscription/").status_code == 405
    assert client.post("/vendeur/formations/999999/inscription/").status_code == 404
    client.logout()
    assert client.post(f"/vendeur/formations/{session.pk}/inscription/").url.startswith("/compte/connexion/")


def test_staff_plan_a_session_and_record_attendance_vendors_cannot(client, owners, cheese, bakery, admin_user):
    client.login(username=owners["a"].username, password=PASSWORD)
    assert client.get("/pilotage/formations/").status_code == 403
    client.logout()
    client.force_login(admin_user)
    response = client.post("/pilotage/formations/", {"place": "landrecies", "starts_at": "2027-02-09T09:30",
                                                     "duration_min": "150", "topic": "Vendre en ligne", "seats": "12"})
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert (session.place, session.seats, session.created_by) == ("landrecies", 12, admin_user)
    for vendor in (cheese, bakery):
        actions.register(session, vendor, now=session.starts_at - dt.timedelta(days=1))
    page = client.get(f"/pilotage/formations/{session.pk}/").content.decode()
    assert "Fromagerie Eval (Maroilles)" in page and "Boulangerie Eval (Le Quesnoy)" in page
    client.post(f"/pilotage/formations/{session.pk}/", {"present": [str(bakery.pk)]})
    assert dict(session.registrations.values_list("vendor__slug", "attended")) == {"fromagerie-eval": False, "boulangerie-eval": True}
    refused = html.unescape(client.post(f"/pilotage/formations/{session.pk}/", {"seats": "1"}, follow=True).content.decode())
    assert "Déjà 2 inscrits : le nombre de places ne peut pas descendre en dessous." in refused
    client.logout()
    client.login(username=owners["b"].username, password=PASSWORD)
    assert client.post(f"/pilotage/formations/{session.pk}/", {"present": [str(cheese.pk)]}).status_code == 403
    assert session.registrations.get(vendor=cheese).attended is False
