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
from marketplace.payments.demo_card import ACCEPTED_CARD
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
    quesnoy = communes.get(insee="59481")  # Le Quesnoy
    depot = Depot.objects.create(name="Dépôt du Quesnoy", address="59530 Le Quesnoy", lon=quesnoy.lon, lat=quesnoy.lat)
    return [Van.objects.create(name=f"Camionnette {i}", depot=depot) for i in (1, 2)]


@pytest.fixture
def place(two_vendors, saleor, make_shopper, django_capture_on_commit_callbacks):
    """``place(name, products, payment)``: a shopper of Jolimetz orders for the first home slot.

    The order's webhooks run at once, unless ``webhooks=False``: then the captured callbacks
    are returned with the order, to run later (a worker that is behind).
    """
    homes = iter(range(1, 50))

    def order(name, products, payment, webhooks=True, option=None, shopper=None):
        if shopper is None:  # each shopper at a door of their own (same street, own number and position)
            shopper = make_shopper(name)
            n = next(homes)
            shopper.address = f"{n} rue Pasteur, {shopper.commune.main_postal_code} {shopper.commune.name}"
            shopper.lon, shopper.lat = shopper.commune.lon + 0.002 * n, shopper.commune.lat + 0.001 * n
            shopper.save()
        cart = None
        for product in products:
            variant = two_vendors[product].variants.get().saleor_variant_id
            cart = checkout.add_to_cart(cart.id if cart else None, variant, 1, saleor)
        key = option or offers.home_options(shopper.commune)[0].key
        checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, key, saleor)
        with django_capture_on_commit_callbacks(execute=webhooks) as callbacks:
            record = checkout.place_order(cart.id, shopper, shopper.user, payment, saleor,
                                          card=ACCEPTED_CARD if payment == "card" else "")
        return record if webhooks else (record, callbacks)

    return order


@pytest.fixture
def orders(place, calendar_for, vans, run_webhooks):
    """Jeanne orders cheese and bread paying by cheque at the door; Marcel orders bread by card."""
    calendar_for("Jolimetz")
    return {"jeanne": place("jeanne", ("maroilles", "bread"), "cheque"), "marcel": place("marcel", ("bread",), "card")}


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
    page = client.get(reverse("storefront:order", kwargs={"number": jeanne.number})).content.decode()
    assert "Commande annulée" in page and "Prévue dans une tournée" not in page

    # a redelivered ORDER_FULLY_PAID or ORDER_CANCELLED changes nothing
    before = list(DeliveryTask.objects.order_by("pk").values_list("pk", "status", "payment_cents"))
    order = saleor.orders.get(jeanne.saleor_order_id)
    assert van_tasks.plan_order(order) == 0
    assert van_tasks.cancel_order(jeanne.saleor_order_id) == 0
    assert list(DeliveryTask.objects.order_by("pk").values_list("pk", "status", "payment_cents")) == before

    # and a cancelled order no longer holds her account open: she may have it erased
    from marketplace.privacy.actions import erase_shopper

    erase_shopper(jeanne.shopper.user, timezone.now())
    jeanne.shopper.user.refresh_from_db()
    assert not jeanne.shopper.user.is_active


def test_a_cancel_during_the_round_takes_the_stop_off_the_phone_and_sends_collected_goods_back(
        orders, saleor, client, django_capture_on_commit_callbacks, run_webhooks):
    day = _planned(orders)
    jeanne = orders["jeanne"]
    rounds = _in_current_rounds(day)
    cheese_collect = _tasks(jeanne).get(kind="collect", shipment_key__endswith="fromagerie-test")
    cheese_home = _tasks(jeanne).get(kind="home", shipment_key__endswith="fromagerie-test")
    shift = rounds[cheese_collect.pk].round.shift
    from delivery.selectors import door_stops

    sequence_seen = next(s.number for s in door_stops(rounds[cheese_home.pk].round) if cheese_home in s.parcels)
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
    url = reverse("storefront:order_cancel", kwargs={"pk": jeanne.pk})
    client.force_login(jeanne.shopper.user)  # the shopper herself has no cancel button, and no way round it
    assert url not in client.get(reverse("storefront:order", kwargs={"number": jeanne.number})).content.decode()
    assert client.post(url).status_code == 302
    assert saleor.orders.get(jeanne.saleor_order_id).status != "CANCELED"
    assert {t.status for t in _tasks(jeanne)} == {DeliveryTask.Status.PLANNED}
    staff = django_user_model.objects.create(username="equipe", is_staff=True)
    client.force_login(staff)
    assert url in client.get(reverse("storefront:order", kwargs={"number": jeanne.number})).content.decode()

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


def _serve_failing(day, failing: set[int]):
    """The drivers serve every round in order; the deliveries in ``failing`` fail (customer absent)."""
    from delivery.models import Round

    for rnd in Round.objects.filter(plan__day=day, plan__is_current=True).select_related("shift"):
        for stop in list(rnd.stops.order_by("sequence")):
            kind = "failed" if stop.task_id in failing else "delivered"
            record_event(rnd.shift, EventSpec(str(uuid.uuid4()), stop.task_id, kind, timezone.now(),
                                              reason="absent" if kind == "failed" else ""))


def _resolve_form(page: str, task_id: int) -> str:
    """The HTML of the failed-delivery choice form of ``task_id`` on the day page."""
    action = reverse("delivery:task_resolve", args=[task_id])
    return page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]


def test_failed_deliveries_never_break_the_cold_chain_or_leave_money_at_a_relay(
        orders, place, two_vendors, make_product, relay, saleor, client, django_user_model,
        django_capture_on_commit_callbacks, run_webhooks):
    frozen = make_product(two_vendors["cheese"], "Glace au lait de ferme", category="cremerie", temperature="frozen",
                          unit="unit", variants=(("500 ml", "6.90", "1", 10),))
    two_vendors["glace"] = frozen
    odette = place("odette", ("glace",), "card")
    day = _planned(orders)
    jeanne = orders["jeanne"]
    cheque = _tasks(jeanne).get(payment_method="cheque")
    cheese = _tasks(jeanne).get(kind="home", shipment_key__endswith="fromagerie-test")
    ice = _tasks(odette).get(kind="home")
    assert cheque.shipment_key != cheese.shipment_key and ice.frozen_g > 0 and cheese.chilled_g > 0
    staff = django_user_model.objects.create(username="equipe", is_staff=True)
    client.force_login(staff)

    # given the three home deliveries fail (the failure re-plans the van that carries each)
    with django_capture_on_commit_callbacks(execute=True):
        _serve_failing(day, {cheque.pk, cheese.pk, ice.pk})

    # then the day page offers "relay point" only for the chilled parcel with nothing to collect
    page = client.get(reverse("delivery:day", args=[day.pk])).content.decode()
    assert 'value="relay_today"' in _resolve_form(page, cheese.pk)
    for task, why in ((cheque, "ne peut pas encaisser"), (ice, "surgelés")):
        form = _resolve_form(page, task.pk)
        assert 'value="relay_today"' not in form and why in form and 'value="retry_next"' in form
    # and a forged "relay" choice is refused with the reason, changing nothing
    for task, why in ((cheque, "ne peut pas encaisser"), (ice, "surgelés")):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(reverse("delivery:task_resolve", args=[task.pk]), {"choice": "relay_today"}, follow=True)
        assert why in answer.content.decode()
        task.refresh_from_db()
        assert task.resolution == "" and task.follow_up is None

    # when staff choose: cheese to the relay today, cheque and ice cream to the next round
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delivery:task_resolve", args=[cheese.pk]), {"choice": "relay_today"})
        client.post(reverse("delivery:task_resolve", args=[cheque.pk]), {"choice": "retry_next"})
        client.post(reverse("delivery:task_resolve", args=[ice.pk]), {"choice": "retry_next"})

    # then every parcel has one place: the cheese in the relay fridge today, within the cold chain
    for task in (cheese, cheque, ice):
        task.refresh_from_db()
    to_relay = cheese.follow_up
    assert to_relay.kind == "relay" and to_relay.relay_point == relay and to_relay.day == day
    assert to_relay.payment_cents == 0 and to_relay.frozen_g == 0
    rounds = _in_current_rounds(day)
    plan = day.plans.get(is_current=True)
    collected = RoundStop.objects.filter(task__shipment_key=cheese.shipment_key, task__kind="collect",
                                         round__plan=plan).get()
    if to_relay.pk in rounds:
        stop = rounds[to_relay.pk]
        assert stop.round.shift_id == collected.round.shift_id  # the goods stay in their van
        assert stop.departure_s - collected.start_s <= 2 * 3600  # chilled: at most 2 h in the van
    else:  # it could not be kept cold long enough: listed with its reason, never dropped
        assert plan.unassigned.filter(task=to_relay).exists()
    # the cheque and the ice cream go home again on the next van day, the cheque still to collect
    for task in (cheque, ice):
        follow = task.follow_up
        assert follow.kind == "home" and follow.day.date > day.date and follow.address == task.address
    assert cheque.follow_up.payment_method == "cheque" and cheque.follow_up.payment_cents == cheque.payment_cents
    assert ice.follow_up.frozen_g == ice.frozen_g
    assert not DeliveryTask.objects.filter(kind="relay", payment_cents__gt=0).exists()
    assert not DeliveryTask.objects.filter(kind="relay", frozen_g__gt=0).exists()


def test_an_order_whose_day_froze_before_its_webhook_goes_to_the_next_service_day(
        place, calendar_for, vans, saleor, client, django_capture_on_commit_callbacks, run_webhooks):

    from delivery import calendar
    from marketplace.operations.models import DeadLetter
    from marketplace.saleor.models import WebhookEvent

    calendar_for("Jolimetz")
    # given an order placed before the cut-off whose webhooks the worker has not handled yet
    record, callbacks = place("roger", ("bread",), "card", webhooks=False)
    chosen = record.date
    # when the evening freeze closes its day first (as beat's freeze does at the cut-off)
    day = DeliveryDay.objects.get_or_create(date=chosen)[0]
    DeliveryDay.objects.filter(pk=day.pk).update(frozen_at=calendar.order_cutoff(chosen))
    # and then the worker catches up with ORDER_CREATED / ORDER_FULLY_PAID
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    # then the order has its tasks on the next service day, none on the frozen one, nothing dead-lettered
    tasks = DeliveryTask.objects.filter(source__startswith=f"order:{record.saleor_order_id}:")
    assert sorted(t.kind for t in tasks) == ["collect", "home"]
    [moved_to] = {t.day for t in tasks}
    assert moved_to.date > chosen and moved_to.frozen_at is None and calendar.van_runs_on(moved_to.date)
    assert not day.tasks.exists()
    assert not DeadLetter.objects.exists()
    assert WebhookEvent.objects.filter(event_type="ORDER_FULLY_PAID").exists()
    # and the shopper's page shows the new date
    record.refresh_from_db()
    assert record.date == moved_to.date
    client.force_login(record.shopper.user)
    page = client.get(reverse("storefront:order", kwargs={"number": record.number})).content.decode()
    assert f"le {moved_to.date:%d/%m/%Y}" in page


def test_two_orders_to_one_door_are_one_stop_with_both_parcels_on_plan_sheet_and_phone(
        place, calendar_for, vans, saleor, client, django_user_model, django_capture_on_commit_callbacks, run_webhooks):
    import io

    from pypdf import PdfReader

    from delivery.selectors import door_stops, sheet_for_round

    calendar_for("Jolimetz")
    # given Jeanne orders twice for the same slot (cheese by cheque, then bread in cash), and Marcel once
    first = place("jeanne", ("maroilles",), "cheque")
    second = place("jeanne", ("bread",), "cash", shopper=first.shopper)
    marcel = place("marcel", ("bread",), "card")
    assert first.slot_id == second.slot_id
    day = _planned({"jeanne": first})
    homes = {o.pk: _tasks(o).get(kind="home") for o in (first, second, marcel)}

    # then her two parcels are one stop of one round: one number, one arrival
    rounds = _in_current_rounds(day)
    a, b = rounds[homes[first.pk].pk], rounds[homes[second.pk].pk]
    assert a.round_id == b.round_id and abs(a.sequence - b.sequence) == 1
    rnd = a.round
    stops = door_stops(rnd)
    [door] = [s for s in stops if homes[first.pk] in s.parcels]
    assert {t.pk for t in door.parcels} == {homes[first.pk].pk, homes[second.pk].pk}
    assert len(stops) == rnd.stops.count() - 1
    assert [s.number for s in stops] == list(range(1, len(stops) + 1))

    # on the printed sheet: one stop, both parcels and both amounts listed
    sheet = sheet_for_round(rnd)
    [stop] = [s for s in sheet.stops if s.parcels]
    assert stop.sequence == door.number and len(stop.parcels) == 2
    assert {(p.payment_method, p.payment_cents) for p in stop.parcels} == {
        ("cheque", first.total_cents), ("cash", second.total_cents)}
    staff = django_user_model.objects.create(username="equipe", is_staff=True)
    client.force_login(staff)
    pdf = client.get(reverse("delivery:round_pdf", args=[rnd.pk])).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "2 COLIS À CETTE PORTE" in text
    from common import money

    for amount in (first.total_cents, second.total_cents):
        assert money.format_cents(amount).replace("\u202f", " ") in text.replace("\u202f", " ")
    # and on the planning page: one row numbered once, "2 colis, un seul arrêt"
    plan_page = client.get(reverse("delivery:planning", args=[day.pk])).content.decode()
    assert "2 colis, un seul arrêt" in plan_page

    # on the phone: one card with both parcels; one tap delivers both, and both orders are charged
    client.logout()
    page = client.get(phone_path(rnd.shift)).content.decode()
    assert page.count(f'id="arret-{homes[first.pk].pk}"') + page.count(f'id="arret-{homes[second.pk].pk}"') == 1
    assert "2 colis à cette porte" in page
    head = door.task
    for stop_row in RoundStop.objects.filter(round=rnd).order_by("sequence"):
        if stop_row.task_id in {t.pk for t in door.parcels}:
            break
        record_event(rnd.shift, EventSpec(str(uuid.uuid4()), stop_row.task_id, "delivered", timezone.now()))
    with django_capture_on_commit_callbacks(execute=True):
        record_event(rnd.shift, EventSpec(str(uuid.uuid4()), head.pk, "delivered", timezone.now()))
    for order in (first, second):
        task = _tasks(order).get(kind="home")
        assert task.status == DeliveryTask.Status.DELIVERED and task.events.count() == 1
        order.refresh_from_db()
        assert order.collected_at is not None  # cheque and cash both taken at the one door
    assert homes[marcel.pk].pk in rounds


def test_an_urgent_order_joins_its_frozen_day_and_re_plans_it(
        orders, place, saleor, django_capture_on_commit_callbacks, run_webhooks):
    from delivery import calendar

    day = _planned(orders)
    DeliveryDay.objects.filter(pk=day.pk).update(frozen_at=calendar.order_cutoff(day.date))
    record, _late = place("simone", ("bread",), "card", webhooks=False)
    saleor.orders.update_metadata(record.saleor_order_id, {"mormal.urgent": "1"})

    with django_capture_on_commit_callbacks(execute=True):
        assert van_tasks.plan_order(saleor.orders.get(record.saleor_order_id)) == 2

    tasks = list(_tasks(record))
    assert {t.day_id for t in tasks} == {day.pk} and all(t.urgent for t in tasks)
    plan = day.plans.get(is_current=True)
    assert plan.reason == "commande urgente"
    placed = set(_in_current_rounds(day)) | set(plan.unassigned.values_list("task_id", flat=True))
    assert {t.pk for t in tasks} <= placed
