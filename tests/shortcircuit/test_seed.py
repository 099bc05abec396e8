"""The demo seed: an open cycle with several producers and two points, a closed cycle with lists and tasks."""

import io

from delivery.models import DeliveryTask
from shortcircuit.models import CycleOrder, OrderCycle, PickupPoint
from shortcircuit.selectors import packing_lists


def test_the_demo_seed_makes_an_open_and_a_closed_cycle_and_is_idempotent(db, settings):
    from marketplace.territory.seed import run as seed_territory
    from shortcircuit.seed import run as seed_circuit

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    seed_territory(out)
    # when the seeder runs twice
    seed_circuit(out)
    counts = (OrderCycle.objects.count(), CycleOrder.objects.count(), DeliveryTask.objects.count())
    seed_circuit(out)
    # then the second run adds nothing
    assert (OrderCycle.objects.count(), CycleOrder.objects.count(), DeliveryTask.objects.count()) == counts
    # and there is an open cycle with several producers and two pickup points
    opened = OrderCycle.objects.get(closed_at__isnull=True)
    assert opened.producers.count() >= 3 and opened.pickups.count() == 2 == PickupPoint.objects.count()
    assert opened.orders.filter(status="confirmed").count() >= 3
    # and a closed cycle with packing lists and van tasks from its closing
    closed = OrderCycle.objects.get(closed_at__isnull=False)
    places = packing_lists(closed)
    assert len(places) >= 2 and sum(p.quantity for p in places) > 0
    assert DeliveryTask.objects.filter(source__startswith=f"circuit:{closed.pk}:").count() == closed.close_report["van_tasks"] > 0
    assert closed.close_report["cancelled_lines"] > 0  # the first producer's high minimum
