"""The seed's whole evaluation in the indicators: delivery efficiency, satisfaction, training, recruitment.

Hand-made facts for March and April 2026; every figure is checked by value, then on the
dashboard and in the annual PDF read back as text (French numbers, anonymous answers).
"""

import base64
import datetime as dt
import html
import io
import re
import zoneinfo

import pytest
from pypdf import PdfReader

from delivery.models import DeliveryDay, DeliveryTask
from marketplace.evaluation.models import SurveyAnswer, TrainingRegistration, TrainingSession
from marketplace.indicators import charts, facts, figures
from marketplace.indicators.models import DeliveryFact, RoundFact
from marketplace.vendors.models import Vendor
from tests.vendors.conftest import make_vendor, saleor  # noqa: F401

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NNBSP = "\u202f"
ENGLISH_OR_BROKEN = re.compile(r"\d,\d{3}(?:[,.]\d)|\d\.\d{3},\d|\de[+-]?\d")


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def season(make_vendor, communes):  # noqa: F811
    """March–April 2026: deliveries, rounds, answers, two sessions, two vendors recruited by the cheese shop."""
    cheese, bakery = make_vendor("fromagerie-s", "Maroilles", "39876543"), make_vendor("boulangerie-s", "Le Quesnoy", "81234567")
    brewery = make_vendor("brasserie-s", "Landrecies", "52345678", referred_by=cheese)
    grocer = make_vendor("epicerie-s", "Bavay", "41234567", referred_by=cheese, active=False)
    for vendor, joined in ((cheese, paris(2026, 2, 2, 9)), (bakery, paris(2026, 2, 20, 9)), (brewery, paris(2026, 3, 10, 9)),
                           (grocer, paris(2026, 4, 1, 9))):
        Vendor.objects.filter(pk=vendor.pk).update(created_at=joined)
    bavay = communes.get(name="Bavay")
    march = dt.date(2026, 3, 3)
    rows = [("h1", "home", "delivered", "", True, True, "shopper:1"), ("h2", "home", "delivered", "", True, True, "shopper:1"),
            ("h3", "home", "delivered", "", False, True, "shopper:2"), ("h4", "home", "delivered", "", True, False, "shopper:3"),
            ("r1", "relay", "delivered", "", True, False, "shopper:4"), ("f1", "home", "failed", "absent", None, False, "shopper:5"),
            ("f2", "home", "failed", "no_access", None, True, "shopper:2")]
    for ref, mode, status, reason, on_time, isolated, household in rows:
        DeliveryFact.objects.create(task_ref=ref, date=march, mode=mode, commune=bavay, status=status, fail_reason=reason,
                                    on_time=on_time, isolated=isolated, household=household)
    RoundFact.objects.create(round_ref="2026-03-03:V1", date=march, van="V1", km=60.0, hours=6.0, deliveries=5)
    answers = [("shopper", paris(2026, 3, 4, 10), (4, 4, 1), "Écrivez-moi : anne.martin@exemple.fr ou 06 12 34 56 78"),
               ("shopper", paris(2026, 3, 31, 23, 30), (3, 2, 4), ""),  # still March in Paris (21:30 UTC)
               ("vendor", paris(2026, 4, 2, 9), (2, 3, 4), "Plus de clients le samedi")]
    for audience, at, (q1, q2, q3), comment in answers:
        SurveyAnswer.objects.create(audience=audience, vendor=cheese if audience == "vendor" else None,
                                    quarter="2026-T2" if audience == "vendor" else "", q1=q1, q2=q2, q3=q3, comment=comment, answered_at=at)
    first = TrainingSession.objects.create(place="bavay", starts_at=paris(2026, 3, 17, 14), topic="Photographier ses produits", seats=10)
    second = TrainingSession.objects.create(place="le_quesnoy", starts_at=paris(2026, 4, 14, 9, 30), topic="Vendre en ligne", seats=8)
    for session, vendor, came in ((first, cheese, True), (first, bakery, False), (second, bakery, True)):
        TrainingRegistration.objects.create(session=session, vendor=vendor, registered_at=session.starts_at - dt.timedelta(days=5),
                                            attended=came)
    return {"cheese": cheese, "bakery": bakery, "bavay": bavay}


def test_delivery_efficiency_of_a_month(season):
    eff = figures.delivery_efficiency(figures.Period(2026, 3))
    assert (eff["parcels"], eff["attempted"], eff["failed"], eff["promised"]) == (5, 7, 2, 5)
    assert eff["on_time_rate"] == pytest.approx(4 / 5) and eff["failed_rate"] == pytest.approx(2 / 7)
    assert eff["km_per_parcel"] == pytest.approx(12.0) and eff["hours_per_parcel"] == pytest.approx(1.2)
    assert eff["relay_share"] == pytest.approx(0.2) and eff["home_share"] == pytest.approx(0.8)
    # isolated households served: shopper 1 (twice) and shopper 2; shopper 2's failed drop adds nothing
    assert (eff["isolated_households"], eff["isolated_parcels"]) == (2, 3)
    # per commune: rates stay, per-parcel van figures do not (a round crosses communes)
    bavay = figures.delivery_efficiency(figures.Period(2026, 3, season["bavay"]))
    assert bavay["on_time_rate"] == pytest.approx(0.8) and bavay["km_per_parcel"] is None
    assert figures.delivery_efficiency(figures.Period(2026, 4))["on_time_rate"] is None


def test_a_drop_is_on_time_when_done_by_the_end_of_its_promised_slot():
    day, slot = dt.date(2027, 3, 28), [[32400, 43200]]  # 9:00–12:00 the day clocks go forward
    assert facts.within_promise(day, slot, paris(2027, 3, 28, 11, 59)) is True
    assert facts.within_promise(day, slot, paris(2027, 3, 28, 12, 0, 1)) is False
    assert facts.within_promise(day, slot, paris(2027, 3, 28, 8, 30)) is True  # early: the driver waits
    assert facts.within_promise(day, slot, paris(2027, 3, 29, 9, 0)) is False  # the next day
    assert facts.within_promise(day, [[32400, 43200], [50400, 61200]], paris(2027, 3, 28, 16, 0)) is True  # relay opening hours
    assert facts.within_promise(day, [], paris(2027, 3, 28, 16, 0)) is None
    assert facts.within_promise(day, slot, None) is None
    # UTC 10:30 on 28 March 2027 is 12:30 in Paris (summer time): late
    assert facts.within_promise(day, slot, dt.datetime(2027, 3, 28, 10, 30, tzinfo=dt.UTC)) is False


def test_refresh_records_punctuality_and_the_household(db, communes, django_user_model):
    from marketplace.storefront.models import ShopOrder
    from marketplace.territory.models import Shopper

    commune = communes.get(name="Jolimetz")
    user = django_user_model.objects.create_user("odile", password="x" * 12)
    shopper = Shopper.objects.create(user=user, address="1 rue", commune=commune, lon=commune.lon, lat=commune.lat, is_isolated=True)
    ShopOrder.objects.create(saleor_order_id="O-9", number="9", checkout_id="C-9", shopper=shopper, placed_by=user,
                             mode="home", date=dt.date(2026, 5, 4), payment="card", total_cents=1234)
    day = DeliveryDay.objects.create(date=dt.date(2026, 5, 5))
    common = {"day": day, "kind": "home", "name": "Odile", "address": "1 rue", "lon": commune.lon, "lat": commune.lat,
              "windows": [[32400, 43200]]}
    DeliveryTask.objects.create(source="order:O-9:a:deliver", status="delivered", done_at=paris(2026, 5, 5, 12, 40), **common)
    DeliveryTask.objects.create(source="order:O-9:b:deliver", status="failed", fail_reason="absent", **common)
    assert facts.refresh_deliveries() == 2
    rows = {f.task_ref: f for f in DeliveryFact.objects.all()}
    late, failed = rows["order:O-9:a:deliver"], rows["order:O-9:b:deliver"]
    assert (late.on_time, late.isolated, late.household) == (False, True, f"shopper:{shopper.pk}")
    assert failed.on_time is None


def test_satisfaction_by_month_and_anonymous_comments(season):
    year = figures.satisfaction(figures.Period(2026))
    (march,) = year["by_month"]["shopper"]
    assert march["month"] == dt.date(2026, 3, 1) and march["answers"] == 2  # 31 March 23:30 in Paris counts in March
    assert march["shares"] == [1.0, 0.5, 0.5]
    (april,) = year["by_month"]["vendor"]
    assert april["shares"] == [0.0, 1.0, 1.0]
    assert [q["share"] for q in year["totals"]["shopper"]["questions"]] == [1.0, 0.5, 0.5]
    texts = [c["text"] for c in year["comments"]]
    assert texts == ["Plus de clients le samedi", "Écrivez-moi : [masqué] ou [masqué]"]
    assert all(set(c) == {"audience", "month", "text"} for c in year["comments"])  # no name, order or vendor


def test_training_by_month_room_and_vendor_commune(season):
    # a session still to come on the report's date is not an outcome yet
    TrainingSession.objects.create(place="landrecies", starts_at=paris(2026, 12, 15, 14), topic="À venir", seats=5)
    data = figures.training(figures.Period(2026), now=paris(2026, 12, 6, 8))
    assert [(r["month"].month, r["sessions"], r["seats"], r["registered"], r["attended"]) for r in data["by_month"]] == [
        (3, 1, 10, 2, 1), (4, 1, 8, 1, 1)]
    assert data["rooms"] == [{"commune": "Bavay", "sessions": 1, "registered": 2, "attended": 1},
                             {"commune": "Le Quesnoy", "sessions": 1, "registered": 1, "attended": 1}]
    assert {r["commune"]: r["attended"] for r in data["vendors"]} == {"Maroilles": 1, "Le Quesnoy": 1}
    assert data["attendance_rate"] == pytest.approx(2 / 3)


def test_vendors_recruited_by_vendors(season):
    data = figures.recruitment(figures.Period(2026))
    assert (data["joined"], data["recruited"], data["recruited_open"]) == (4, 2, 1)
    assert data["share"] == pytest.approx(0.5)
    assert [(r["month"].month, r["joined"], r["recruited"]) for r in data["by_month"]] == [(2, 2, 0), (3, 1, 1), (4, 1, 1)]
    assert data["referrers"] == [{"vendor": "Fromagerie S", "recruits": 2, "open": 1}]
    assert figures.recruitment(figures.Period(2026, 3))["recruited"] == 1


def _svg_texts(data_uri: str) -> list[str]:
    svg = base64.b64decode(data_uri.split(",", 1)[1]).decode()
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_new_charts_are_graduated_the_french_way(season):
    data = figures.all_figures(figures.Period(2026), now=paris(2026, 12, 6, 8))
    for chart in (charts.efficiency_chart(data["efficiency"]["per_month"]), charts.satisfaction_chart(data["satisfaction"]["by_month"]),
                  charts.training_chart(data["training"]["by_month"]), charts.recruitment_chart(data["recruitment"]["by_month"])):
        texts = _svg_texts(chart)
        assert texts and not any(re.search(r"\de[+-]?\d|\d\.\d", t) for t in texts), texts
    assert "mars" in _svg_texts(charts.training_chart(data["training"]["by_month"]))


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("agent", password="x" * 12, is_staff=True))
    return client


def test_dashboard_shows_the_evaluation_with_french_numbers(staff_client, season):
    body = staff_client.get("/pilotage/indicateurs/?annee=2026&mois=3").content.decode()
    text = html.unescape(re.sub(r"data:image/svg\+xml;base64,[^\"]+", "", body))
    for heading in ("Efficacité de la livraison", "Satisfaction", "Formations des commerçants", "Recrutement entre pairs"):
        assert heading in text
    assert f"80,0{NNBSP}%" in text and f"28,6{NNBSP}%" in text and "12,0 km" in text and "1,20 h" in text
    assert "2 foyers (3 colis)" in text
    assert "[masqué]" in text and "anne.martin@exemple.fr" not in text and "06 12 34 56 78" not in text
    assert not ENGLISH_OR_BROKEN.search(text)


def test_annual_report_pdf_carries_the_evaluation_anonymously(staff_client, season):
    response = staff_client.get("/pilotage/indicateurs/rapport/2026.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages).replace("\u00a0", " ")
    flat = re.sub(r"[ \u202f]", "", text)
    for heading in ("Efficacité de la livraison", "Satisfaction", "Formations des commerçants", "Recrutement entre pairs",
                    "Commentaires (anonymes)", "Par salle"):
        assert heading in text, heading
    assert "80,0%" in flat and "28,6%" in flat and "12,0km" in flat  # on time, failed, km per parcel
    assert "Foyersisolésservis2foyers(3colis)" in flat
    assert "Écrivez-moi : [masqué] ou [masqué]" in text and "anne.martin" not in text and "0612345678" not in flat
    assert "Fromagerie S 2 1" in text  # the vendor who recruited: 2 invited, 1 open
    assert not ENGLISH_OR_BROKEN.search(text)
