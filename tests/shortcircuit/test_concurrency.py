"""Two customers racing for the last place of a slot, on the real PostgreSQL with two connections."""

import threading

import pytest
from django.db import connection

from shortcircuit import actions
from shortcircuit.error_codes import ShortCircuitErrorCode as Code
from shortcircuit.errors import ShortCircuitError
from shortcircuit.models import CycleOrder, CycleProduct, OrderCycle

from .conftest import _product


@pytest.fixture
def eager_celery():
    """Run the webhook handlers scheduled on commit in-process (no broker needed)."""
    from marketplace.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


def race(workers):
    """Start every worker at the same barrier; return their outcomes (order or error)."""
    barrier = threading.Barrier(len(workers))
    outcomes = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_orders_for_the_last_place_of_a_slot_only_one_wins(cycle, farm_b, customer, make_customer,
                                                                         eager_celery):
    # given the café's slot has one place, and two customers submit at the same instant for
    # different products (so nothing but the slot is shared between the two orders)
    juice = CycleProduct.objects.create(cycle=cycle, variant=_product(farm_b, "Jus de pomme", "ambient", "3.50"))
    marcel = make_customer("marcel", "Marcel", "Leroy")
    slot = cycle.cafe_slot
    fresh = OrderCycle.objects.get(pk=cycle.pk)
    # when both place their order on their own database connection
    outcomes = race([
        lambda: actions.place_order(fresh, customer, actions.OrderRequest({cycle.apples.pk: 1}, "pickup", slot.pk)),
        lambda: actions.place_order(fresh, marcel, actions.OrderRequest({juice.pk: 1}, "pickup", slot.pk)),
    ])
    # then exactly one order holds the place and the other is told the slot is full
    won = [o for o in outcomes if isinstance(o, CycleOrder)]
    lost = [o for o in outcomes if isinstance(o, ShortCircuitError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code == Code.SLOT_FULL
    assert slot.orders.exclude(status=CycleOrder.Status.CANCELLED).count() == slot.capacity == 1


@pytest.mark.django_db(transaction=True)
def test_two_closing_jobs_at_once_close_the_cycle_once(cycle, customer, eager_celery, mailoutbox):
    from delivery.models import DeliveryTask

    # given one order in a cycle whose closing minute has come
    actions.place_order(cycle, customer, actions.OrderRequest({cycle.apples.pk: 2}, "pickup", cycle.shop_slot.pk))
    mailoutbox.clear()
    # when two closing jobs run at the same time
    outcomes = race([lambda: actions.close_cycle(cycle.pk, now=cycle.closes_at)] * 2)
    # then one closes it, the other finds it closed; tasks and emails exist once
    assert sorted(bool(o.get("already")) for o in outcomes) == [False, True], outcomes
    assert DeliveryTask.objects.filter(source__startswith=f"circuit:{cycle.pk}:").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ferme-a@exemple.fr", "ferme-b@exemple.fr"]


@pytest.mark.django_db(transaction=True)
def test_first_orders_at_a_new_point_in_two_slots_at_once_create_one_saleor_warehouse(cycle, customer, make_customer,
                                                                                      eager_celery, saleor):
    import datetime as dt

    from shortcircuit.models import PickupSlot

    # given the farm shop has never been used (no Saleor warehouse yet) and two slots
    other_slot = PickupSlot.objects.create(pickup=cycle.shop_slot.pickup, date=cycle.shop_slot.date,
                                           starts=dt.time(9), ends=dt.time(11), capacity=10)
    marcel = make_customer("marcel", "Marcel", "Leroy")
    fresh = OrderCycle.objects.get(pk=cycle.pk)
    # when two customers order there at the same instant, in different slots
    outcomes = race([
        lambda: actions.place_order(fresh, customer, actions.OrderRequest({cycle.apples.pk: 1}, "pickup", cycle.shop_slot.pk)),
        lambda: actions.place_order(fresh, marcel, actions.OrderRequest({cycle.cheese.pk: 1}, "pickup", other_slot.pk)),
    ])
    # then both orders go through and the point has exactly one warehouse
    assert all(isinstance(o, CycleOrder) for o in outcomes), outcomes
    assert [w.slug for w in saleor.warehouses.find()].count(f"circuit-retrait-{cycle.shop_slot.pickup.point_id}") == 1
