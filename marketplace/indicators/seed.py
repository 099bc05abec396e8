"""Demo history for the indicators: five months of synthetic facts, flagged ``synthetic``.

Written straight into the fact tables (the real flows write them through ``facts.refresh_all``),
so the dashboard has months to show on a fresh demo. Seeded once.
"""

import datetime as dt
import random

from django.utils import timezone

from common import money
from marketplace.territory.models import Shopper
from marketplace.vendors.models import Vendor

from .facts import trip_km
from .models import DeclaredRevenue, DeliveryFact, RoundFact, SaleFact

MONTHS_BACK = 5


def run(stdout) -> None:
    """Seed synthetic sales, deliveries and rounds for the last months (once)."""
    if SaleFact.objects.filter(synthetic=True).exists():
        stdout.write("indicators: history already seeded")
        return
    vendors = list(Vendor.objects.filter(active=True).order_by("pk"))
    shoppers = list(Shopper.objects.select_related("commune").order_by("pk"))
    if not vendors or not shoppers:
        stdout.write("indicators: no vendors or shoppers yet, history not seeded")
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * MONTHS_BACK)).replace(day=1)
    # vendors joined over the period: backdate their arrival so the growth curve has a shape
    for index, vendor in enumerate(vendors):
        joined = start + dt.timedelta(days=int(index * (today - start).days / (len(vendors) + 2)))
        Vendor.objects.filter(pk=vendor.pk).update(created_at=timezone.make_aware(dt.datetime.combine(joined, dt.time(9))))
    day, n_order = start, 0
    while day < today:
        if day.isoweekday() <= 5:
            growth = 1 + (day - start).days / 60
            delivered = 0
            for _ in range(rng.randint(2, 5) + int(growth * 2)):
                shopper, n_order = rng.choice(shoppers), n_order + 1
                mode = rng.choices(["home", "relay", "collect"], weights=[5, 3, 2])[0]
                for vendor in rng.sample(vendors, k=rng.choice([1, 1, 2, 3])):
                    amount = rng.randint(800, 4500)
                    SaleFact.objects.create(
                        order_ref=f"demo-history:{n_order}", date=day, vendor=vendor, customer_commune=shopper.commune,
                        mode=mode, channel=rng.choices(["web", "phone", "counter"], weights=[8, 2, 1])[0],
                        amount_cents=amount, commission_cents=money.to_cents(money.percent_of(money.from_cents(amount), vendor.commission_rate)),
                        senior=shopper.is_senior, isolated=shopper.is_isolated, synthetic=True,
                        customer_trip_km=0 if mode == "collect" else trip_km(shopper.lon, shopper.lat, vendor.lon, vendor.lat))
                if mode != "collect":
                    failed = rng.random() < 0.04
                    DeliveryFact.objects.create(
                        task_ref=f"demo-history:{n_order}:deliver", date=day, mode=mode, commune=shopper.commune,
                        status="failed" if failed else "delivered",
                        fail_reason=rng.choice(["absent", "absent", "no_access", "address_not_found"]) if failed else "",
                        on_time=None if failed else rng.random() < 0.93, household=f"shopper:{shopper.pk}",
                        senior=shopper.is_senior, isolated=shopper.is_isolated, synthetic=True)
                    delivered += 0 if failed else 1
            RoundFact.objects.create(round_ref=f"demo-history:{day}", date=day, van="Camionnette frigo 1",
                                     km=rng.uniform(55, 95), hours=rng.uniform(5.5, 7.5), deliveries=delivered, synthetic=True)
        day += dt.timedelta(days=1)
    month = start
    while month < today.replace(day=1):
        for vendor in vendors[: len(vendors) // 2]:
            DeclaredRevenue.objects.get_or_create(vendor=vendor, month=month,
                                                  defaults={"revenue_cents": rng.randint(800_000, 3_500_000)})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    stdout.write(f"indicators: {n_order} synthetic orders since {start:%B %Y}")
