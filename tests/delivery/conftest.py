"""Fixtures for the delivery app: the real territory, a depot at Le Quesnoy, vans and a small day."""

import datetime as dt

import pytest
from django.utils import timezone

H = 3600


def next_tuesday() -> dt.date:
    """A working day (relay town halls open) a few days ahead, so phone links are valid."""
    date = timezone.localdate() + dt.timedelta(days=1)
    while date.isoweekday() != 2:
        date += dt.timedelta(days=1)
    return date


@pytest.fixture
def territory(communes):
    """The 52 communes, three town-hall relay points and five shoppers (no password hashing)."""
    from django.contrib.auth import get_user_model

    from marketplace.territory.models import Commune, RelayPoint, Shopper
    from marketplace.territory.seed import TOWN_HALL_HOURS

    for name in ("Landrecies", "Bavay", "Le Quesnoy"):
        c = Commune.objects.get(name=name)
        RelayPoint.objects.create(name=f"Mairie de {name}", kind="town_hall", commune=c, address=f"Mairie, {name}",
                                  lon=c.town_hall_lon, lat=c.town_hall_lat, opening_hours=TOWN_HALL_HOURS,
                                  fridge_capacity_l=100)
    people = [("Jeanne", "Dupont", "Jolimetz"), ("Marcel", "Leroy", "Gommegnies"), ("Odette", "Caron", "Villereau"),
              ("Roger", "Moreau", "Potelle"), ("Simone", "Lemaire", "Ruesnes")]
    for i, (first, last, town) in enumerate(people):
        c = Commune.objects.get(name=town)
        user = get_user_model().objects.create(username=f"client{i}", first_name=first, last_name=last,
                                               email=f"{first.lower()}.{last.lower()}@exemple.fr")
        Shopper.objects.create(user=user, phone=f"03 27 00 00 0{i}", address=f"{i + 3} rue de la Gare, {c.name}",
                               commune=c, lon=c.lon + 0.002 * i, lat=c.lat - 0.001 * i, is_senior=i % 2 == 0,
                               is_isolated=i == 0, doorstep_notes="Chien dans la cour" if i == 1 else "")


@pytest.fixture
def depot(territory):
    from delivery.models import Depot
    from marketplace.territory.models import Commune

    quesnoy = Commune.objects.get(name="Le Quesnoy")
    return Depot.objects.create(name="Dépôt du Quesnoy", address="59530 Le Quesnoy",
                                lon=quesnoy.lon, lat=quesnoy.lat)


@pytest.fixture
def van(depot):
    from delivery.models import Van

    return Van.objects.create(name="Camionnette frigo 1", depot=depot)


@pytest.fixture
def day(van):
    from delivery.models import DeliveryDay, Shift

    day = DeliveryDay.objects.create(date=next_tuesday(), solve_time_limit_s=2)
    Shift.objects.create(day=day, van=van, driver_name="Bernard")
    return day


@pytest.fixture
def specs(territory):
    """Seven tasks: a collect+deliver pair, four home deliveries, one relay drop."""
    from delivery.actions import TaskSpec
    from marketplace.territory.models import Commune, RelayPoint, Shopper

    shoppers = list(Shopper.objects.select_related("user").order_by("user__username")[:5])
    bavay = Commune.objects.get(name="Bavay")
    relay = RelayPoint.objects.get(name="Mairie de Landrecies")
    out = [TaskSpec(kind="collect", source="test:ship1:collect", shipment_key="test:ship1", name="Fromagerie de Bavay",
                    address="59570 Bavay", lon=bavay.lon, lat=bavay.lat, windows=((8 * H + 1800, 11 * H),),
                    loads={"chilled": (3000, 9000)}, crates=({"number": "C01", "compartment": "chilled"},))]
    for i, s in enumerate(shoppers):
        out.append(TaskSpec(
            kind="home", source=f"test:home:{i}" if i else "test:ship1:deliver", shipment_key="" if i else "test:ship1",
            name=s.user.get_full_name(), address=s.address, phone=s.phone, lon=s.lon, lat=s.lat,
            windows=((9 * H, 12 * H),) if i % 2 else ((10 * H, 13 * H),),
            loads={"chilled" if i % 2 == 0 else "ambient": (2000 + 500 * i, 8000)},
            crates=({"number": f"C{i + 2:02d}", "compartment": "chilled" if i % 2 == 0 else "ambient"},),
            doorstep_notes=s.doorstep_notes or "Sonner deux fois", payment_method="cheque" if i == 2 else "",
            payment_cents=2350 if i == 2 else 0, contact_name="Fille : Claire", contact_phone="06 00 00 00 00",
            contact_email="claire@exemple.fr"))
    out.append(TaskSpec(kind="relay", source="test:relay:1", name=relay.name, address=relay.address, lon=relay.lon,
                        lat=relay.lat, windows=((9 * H, 17 * H),), loads={"chilled": (4000, 20000)},
                        crates=({"number": "C20", "compartment": "chilled"},), relay_point_id=relay.pk))
    return out


@pytest.fixture
def planned_day(day, specs):
    """The small day, planned with the straight-line model (2 s solve)."""
    from delivery.actions import upsert_tasks
    from delivery.day_planning import plan_day

    upsert_tasks(day, specs)
    plan_day(day, time_limit_s=2)
    return day


@pytest.fixture
def current_round(planned_day):
    from delivery.models import Round

    return Round.objects.get(plan__day=planned_day, plan__is_current=True)


@pytest.fixture
def phone_url(current_round):
    from delivery.views.access import phone_path

    return phone_path(current_round.shift)


@pytest.fixture
def eager_celery():
    """Run Celery tasks in-process for the duration of a test (after-commit hooks included)."""
    from marketplace.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = old


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Proof photos and signatures land in a throw-away folder, not in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
