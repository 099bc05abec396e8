"""The van's day holds together, driven through the webhooks of the Saleor stand-in (issue 13).

Orders are placed in the stand-in; its ORDER_CREATED / ORDER_FULLY_PAID / ORDER_CANCELLED
webhooks run our handlers in-process (Celery eager), exactly as a worker would. Each test ends
by saying where every parcel is: in a round, left out with a reason, cancelled, or going back.
"""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.actions import EventSpec, record_event
from delivery.day_planning import plan_day
from delivery.models import DeliveryDay, DeliveryTask, Depot, RoundStop, Van
from delivery.views.access import phone_path
from marketplace.storefront import checkout, offers, van_tasks
from marketplace.storefront.models import Reservation, ShopOrder


@pytest.fixture
def run_webhooks():
    """Webhook handlers and re-plans run in-process (Celery eager)."""
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def vans(communes):
    """Two vans at the Le Quesnoy depot."""
    quesnoy = communes.get(name="Quesnoy")
    depot = Depot.objects.create(name="Dépôt du Quesnoy", address="59530 Le Quesnoy", lon=quesnoy.lon, lat=quesnoy.lat)
    return [Van.objects.create(name=f"Camionnette {i}", depot=depot) for i in (1, 2)]


@pytest.fixture
def orders(two_vendors, saleor, calendar_for, make_shopper, vans, django_capture_on_commit_callbacks, run_webhooks):
    """Jeanne orders cheese and bread paying by cheque at the door; Marcel orders bread by card."""
    calendar_for("Jolimetz")
    placed = {}
    for name, products, payment in (("jeanne", ("maroilles", "bread"), "cheque"), ("marcel", ("bread",), "card")):
        shopper = make_shopper(name)
        cart = None
        for product in products:
            variant = two_vendors[product].variants.get().saleor_variant_id
            cart = checkout.add_to_cart(cart.id if cart else None, variant, 1, saleor)
        checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
        with django_capture_on_commit_callbacks(execute=True):
            placed[name] = checkout.place_order(cart.id, shopper, shopper.user, payment, saleor)
    return placed


def _tasks(order: ShopOrder):
    return DeliveryTask.objects.filter(source__startswith=f"order:{order.saleor_order_id}:").order_by("pk")


def _planned(orders) -> DeliveryDay:
    day = DeliveryDay.objects.get(date=orders["jeanne"].date)
    plan_day(day, time_limit_s=2)
    return day


def _in_current_rounds(day):
    return {s.task_id: s for s in RoundStop.objects.filter(round__plan__day=day, round__plan__is_current=True)
            .select_related("round__shift")}


def test_a_cancelled_order_leaves_the_rounds_and_the_shop_page_says_so(
        orders, saleor, client, django_capture_on_commit_callbacks, run_webhooks):
    day = _planned(orders)
    jeanne, marcel = orders["jeanne"], orders["marcel"]
    assert {t.pk for t in _tasks(jeanne)} <= set(_in_current_rounds(day))
    assert _tasks(jeanne).filter(payment_method="cheque").exists()

    # when the order is cancelled in Saleor (ORDER_CANCELLED reaches our handler)
    with django_capture_on_commit_callbacks(execute=True):
        saleor.orders.cancel(jeanne.saleor_order_id)

    # then every one of Jeanne's tasks is cancelled with nothing to collect, and out of every round
    jeanne_tasks = list(_tasks(jeanne))
    assert len(jeanne_tasks) == 4
    assert {t.status for t in jeanne_tasks} == {DeliveryTask.Status.CANCELLED}
    assert all(t.payment_method == "" and t.payment_cents == 0 for t in jeanne_tasks)
    rounds = _in_current_rounds(day)
    assert not {t.pk for t in jeanne_tasks} & set(rounds)
    assert day.plans.get(is_current=True).reason == "commande annulée"
    # Marcel's parcel is still in a round; his order was not touched
    assert {t.pk for t in _tasks(marcel)} <= set(rounds)
    assert {t.status for t in _tasks(marcel)} == {DeliveryTask.Status.PLANNED}
    # the held slot place is free again, and nothing goes back (nothing was collected)
    assert not Reservation.objects.filter(order_id=jeanne.saleor_order_id).exists()
    assert not DeliveryTask.objects.filter(kind=DeliveryTask.Kind.RETURN).exists()

    # and the shopper's page says "annulée", not "Prévue dans une tournée"
    client.force_login(jeanne.shopper.user)
    page = client.get(reverse("storefront:order", kwargs={"pk": jeanne.pk})).content.decode()
    assert "Commande annulée" in page and "Prévue dans une tournée" not in page

    # a redelivered ORDER_FULLY_PAID or ORDER_CANCELLED changes nothing
    before = list(DeliveryTask.objects.order_by("pk").values_list("pk", "status", "payment_cents"))
    order = saleor.orders.get(jeanne.saleor_order_id)
    assert van_tasks.plan_order(order) == 0
    assert van_tasks.cancel_order(jeanne.saleor_order_id) == 0
    assert list(DeliveryTask.objects.order_by("pk").values_list("pk", "status", "payment_cents")) == before


def test_a_cancel_during_the_round_takes_the_stop_off_the_phone_and_sends_collected_goods_back(
        orders, saleor, client, django_capture_on_commit_callbacks, run_webhooks):
    day = _planned(orders)
    jeanne = orders["jeanne"]
    rounds = _in_current_rounds(day)
    cheese_collect = _tasks(jeanne).get(kind="collect", shipment_key__endswith="fromagerie-test")
    cheese_home = _tasks(jeanne).get(kind="home", shipment_key__endswith="fromagerie-test")
    shift = rounds[cheese_collect.pk].round.shift
    sequence_seen = rounds[cheese_home.pk].sequence
    others = {pk: (s.round.shift_id, s.sequence, s.arrival_s) for pk, s in rounds.items()
              if s.round.shift_id != shift.pk}

    # given the driver has served the round in order up to the cheese collect (the phone reports it)
    for stop in RoundStop.objects.filter(round=rounds[cheese_collect.pk].round,
                                         sequence__lte=rounds[cheese_collect.pk].sequence).order_by("sequence"):
        record_event(shift, EventSpec(str(uuid.uuid4()), stop.task_id, "delivered", timezone.now()))
    done_before = {t.pk for t in DeliveryTask.objects.filter(status=DeliveryTask.Status.DELIVERED)}

    # when the order is cancelled in Saleor
    with django_capture_on_commit_callbacks(execute=True):
        saleor.orders.cancel(jeanne.saleor_order_id)

    # then the cheese goes back to the cheese shop, in the same van, and nothing is left to deliver
    back = DeliveryTask.objects.get(kind=DeliveryTask.Kind.RETURN, shipment_key=cheese_collect.shipment_key)
    assert back.address == cheese_collect.address and back.name == f"Retour : {cheese_collect.name}"
    assert back.chilled_g == cheese_home.chilled_g > 0 and back.payment_cents == 0
    rounds = _in_current_rounds(day)
    assert rounds[back.pk].round.shift_id == shift.pk
    assert rounds[cheese_collect.pk].fixed  # already done, kept first
    assert rounds[back.pk].sequence > rounds[cheese_collect.pk].sequence
    cheese_home.refresh_from_db()
    assert cheese_home.status == DeliveryTask.Status.CANCELLED and cheese_home.pk not in rounds
    # every parcel of the day has one place: handed over, cancelled, going back, or in a round
    plan = day.plans.get(is_current=True)
    left_out = set(plan.unassigned.values_list("task_id", flat=True))
    for task in DeliveryTask.objects.filter(day=day):
        if task.pk in done_before:
            assert task.status == DeliveryTask.Status.DELIVERED and rounds[task.pk].fixed
        elif task.source.startswith(f"order:{jeanne.saleor_order_id}:") and task.kind != DeliveryTask.Kind.RETURN:
            assert task.status == DeliveryTask.Status.CANCELLED and task.pk not in rounds and task.payment_cents == 0
        else:  # Marcel's bread and the returns: in a round, or listed with a reason (never dropped)
            assert task.status == DeliveryTask.Status.PLANNED and (task.pk in rounds) != (task.pk in left_out)
    # the other van did not move at all
    assert {pk: (s.round.shift_id, s.sequence, s.arrival_s) for pk, s in rounds.items()
            if s.round.shift_id != shift.pk} == others

    # and the driver's phone no longer lists the stop, says why, and asks for no cheque
    page = client.get(phone_path(shift)).content.decode()
    assert f'id="arret-{cheese_home.pk}"' not in page
    assert "commande annulée" in page and f"Arrêt n° {sequence_seen}" in page
    assert "Retour chez le commerçant" in page
    cheque = DeliveryTask.objects.get(source__startswith=f"order:{jeanne.saleor_order_id}:", payment_cents=0,
                                      kind="home", shipment_key__endswith="boulangerie-test")
    if cheque.pk not in done_before:  # the cheque was not handed over before the cancel: none is asked for
        assert "Chèque" not in page
    # a late tap on the cancelled stop (offline queue) is refused, the order stays cancelled
    with pytest.raises(ValidationError, match="commande annulée"):
        record_event(shift, EventSpec(str(uuid.uuid4()), cheese_home.pk, "delivered", timezone.now()))
    cheese_home.refresh_from_db()
    assert cheese_home.status == DeliveryTask.Status.CANCELLED


def test_staff_cancel_goes_through_saleor_and_takes_the_order_off_the_van(
        orders, saleor, client, django_user_model, django_capture_on_commit_callbacks, run_webhooks):
    day = _planned(orders)
    jeanne = orders["jeanne"]
    staff = django_user_model.objects.create(username="equipe", is_staff=True)
    client.force_login(staff)
    url = reverse("storefront:order_cancel", kwargs={"pk": jeanne.pk})
    assert url in client.get(reverse("storefront:order", kwargs={"pk": jeanne.pk})).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, follow=True).content.decode()

    assert "annulée" in page and "Commande annulée" in page
    assert saleor.orders.get(jeanne.saleor_order_id).status == "CANCELED"
    assert {t.status for t in _tasks(jeanne)} == {DeliveryTask.Status.CANCELLED}
    assert not {t.pk for t in _tasks(jeanne)} & set(_in_current_rounds(day))
    jeanne.refresh_from_db()
    assert jeanne.cancelled_at is not None
    # a second press (or the late webhook) changes nothing and says it is done
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    assert again.status_code == 200 and "0 arrêt(s)" in again.content.decode()
