"""Demo seed for delivery: a depot at Le Quesnoy, two vans and a planned day of tasks.

The tasks come from the territory's shoppers and relay points, and from the vendors when the
vendors app has some (otherwise from a few farm and shop points in the communes). Everything
goes through :func:`delivery.actions.upsert_tasks`, like the shop's own orders would, so
running the seed again changes nothing.
"""

import datetime as dt
import random

from django.utils import timezone

from marketplace.territory.models import Commune, RelayPoint, Shopper

from .actions import TaskSpec, get_or_create_day, upsert_tasks
from .models import DeliveryTask, Depot, Shift, Van

H = 3600
MORNING, AFTERNOON, DAY = (9 * H, 12 * H), (14 * H, 17 * H), (9 * H, 17 * H)
# Fresh goods collected at a vendor must reach the customer within the cold-chain limit, so a
# pair's windows sit close together: (collect window, delivery window).
PAIR_WINDOWS = [((8 * H + 1800, 11 * H), (9 * H + 1800, 12 * H + 1800)), ((13 * H, 15 * H), (14 * H, 17 * H))]
FALLBACK_VENDORS = [("Ferme du Pont des Loups", "Saint-Waast"), ("Fromagerie de Maroilles", "Maroilles"),
                    ("Boucherie Carlier", "Bavay"), ("Boulangerie du Quesnoy", "Le Quesnoy"),
                    ("Les Vergers de Mormal", "Locquignol")]
DRIVERS = ["Bernard (bénévole)", "Sophie"]


def demo_date(today: dt.date | None = None) -> dt.date:
    """Today, or the next Monday when today is a Sunday (no rounds on Sundays)."""
    today = today or timezone.localdate()
    return today + dt.timedelta(days=1) if today.isoweekday() == 7 else today


def _vendor_points(rng: random.Random) -> list[tuple[str, str, str, float, float]]:
    """``(key, name, address, lon, lat)`` of the vendors the van collects from."""
    try:
        from marketplace.vendors.models import Vendor  # noqa: PLC0415 - optional app
    except ImportError:
        Vendor = None  # noqa: N806
    if Vendor is not None:
        rows = list(Vendor.objects.order_by("pk")[:6])
        if rows:
            return [(f"vendor:{v.pk}", v.name, v.address, v.lon, v.lat) for v in rows]
    points = []
    for name, commune_name in FALLBACK_VENDORS:
        commune = Commune.objects.filter(name=commune_name).first() or Commune.objects.first()
        points.append((f"point:{name}", name, f"{commune.main_postal_code} {commune.name}",
                       commune.lon + rng.uniform(-0.004, 0.004), commune.lat + rng.uniform(-0.003, 0.003)))
    return points


def _home(shopper: Shopper, source: str, window, loads, crates, rng, **extra) -> TaskSpec:
    """A home delivery to ``shopper`` with only what the driver needs."""
    payment = rng.choice(["", "", "", "cash", "cheque", "voucher"])
    return TaskSpec(
        kind=DeliveryTask.Kind.HOME, source=source, name=shopper.user.get_full_name() or shopper.user.username,
        address=shopper.address, phone=shopper.phone, lon=shopper.lon, lat=shopper.lat, windows=(window,),
        loads=loads, crates=crates, doorstep_notes=shopper.doorstep_notes, access_codes=shopper.access_codes,
        contact_name=shopper.contact_name,
        contact_phone=shopper.contact_phone, contact_email=shopper.contact_email,
        payment_method=payment, payment_cents=rng.randint(8, 60) * 100 + rng.choice([0, 50]) if payment else 0,
        service_s=420 if shopper.is_senior else 240, **extra)


def build_specs(date: dt.date, rng: random.Random) -> list[TaskSpec]:
    """The demo day's tasks: collect-and-deliver pairs, depot deliveries and relay drops."""
    shoppers = list(Shopper.objects.select_related("user").order_by("user__username")[:60])
    rng.shuffle(shoppers)
    vendors = _vendor_points(rng)
    specs, crate_no = [], 0

    def crate(compartment: str) -> tuple[dict, ...]:
        nonlocal crate_no
        crate_no += 1
        return ({"number": f"C{crate_no:02d}", "compartment": compartment},)

    prefix = f"demo:{date.isoformat()}"
    for i, shopper in enumerate(shoppers[:6]):  # fresh goods collected at a vendor, then delivered
        key, name, address, lon, lat = vendors[i % len(vendors)]
        load = {"chilled": (rng.randint(2, 6) * 1000, rng.randint(8, 20) * 1000)}
        crates = crate("chilled")
        shipment = f"{prefix}:{key}:{shopper.pk}"
        specs.append(TaskSpec(kind=DeliveryTask.Kind.COLLECT, source=f"{shipment}:collect", shipment_key=shipment,
                              name=name, address=address, lon=lon, lat=lat, windows=(PAIR_WINDOWS[i % 2][0],),
                              loads=load, crates=crates, service_s=300))
        specs.append(_home(shopper, f"{shipment}:deliver", PAIR_WINDOWS[i % 2][1], load, crates, rng,
                           shipment_key=shipment))
    for j, shopper in enumerate(shoppers[6:18]):  # groceries loaded at the depot
        compartment = rng.choice(["ambient", "ambient", "chilled", "frozen"])
        load = {compartment: (rng.randint(3, 12) * 1000, rng.randint(10, 40) * 1000)}
        specs.append(_home(shopper, f"{prefix}:home:{shopper.pk}", MORNING if j % 3 else AFTERNOON, load,
                           crate(compartment), rng))
    for relay in RelayPoint.objects.filter(active=True).order_by("pk")[:4]:  # parcels for the relay fridges
        load = {"chilled": (rng.randint(4, 10) * 1000, rng.randint(15, 30) * 1000)}
        specs.append(TaskSpec(kind=DeliveryTask.Kind.RELAY, source=f"{prefix}:relay:{relay.pk}", name=relay.name,
                              address=relay.address, lon=relay.lon, lat=relay.lat, windows=(DAY,), loads=load,
                              crates=crate("chilled") + crate("chilled"), relay_point_id=relay.pk, service_s=300))
    return specs


def run(stdout) -> None:
    """Seed the depot, the vans and today's (or Monday's) planned day; idempotent."""
    quesnoy = Commune.objects.get(name="Le Quesnoy")
    depot, _ = Depot.objects.get_or_create(
        name="Dépôt communautaire du Quesnoy",
        defaults={"address": f"Zone d'activités, {quesnoy.main_postal_code} Le Quesnoy",
                  "lon": quesnoy.lon + 0.006, "lat": quesnoy.lat - 0.004})
    vans = [Van.objects.get_or_create(name=name, defaults={"depot": depot})[0]
            for name in ("Camionnette frigo 1", "Camionnette frigo 2")]
    day = get_or_create_day(demo_date())
    for van, driver in zip(vans, DRIVERS, strict=True):
        Shift.objects.get_or_create(day=day, van=van, defaults={"driver_name": driver})
    tasks = upsert_tasks(day, build_specs(day.date, random.Random(59530)))
    if not day.plans.filter(is_current=True).exists():
        from .day_planning import plan_day  # noqa: PLC0415 - OR-Tools only when needed

        plan_day(day, time_limit_s=5)
    stored = day.plans.get(is_current=True)
    stdout.write(f"delivery: day {day.date}, {len(tasks)} tasks, {stored.rounds.count()} rounds, "
                 f"{stored.unassigned.count()} unassigned ({stored.travel_label})")
