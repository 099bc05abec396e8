"""A shopper orders from two vendors; the order reaches the van plan through the order webhook."""

import pytest
from django.core import mail

from delivery.models import DeliveryTask
from marketplace.storefront import checkout, offers, van_tasks
from marketplace.storefront.error_codes import StorefrontErrorCode as Code
from marketplace.storefront.errors import StorefrontError
from marketplace.storefront.models import Reservation, ShopOrder


def _variant(product):
    return product.variants.get().saleor_variant_id


def _cart(saleor, *products, quantity=1):
    checkout_obj = None
    for product in products:
        checkout_obj = checkout.add_to_cart(checkout_obj.id if checkout_obj else None, _variant(product), quantity, saleor)
    return checkout_obj


@pytest.fixture
def run_webhooks(settings):
    """Run webhook handlers in-process (Celery eager), exactly as the worker would."""
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_two_vendor_home_delivery_becomes_paired_van_tasks(two_vendors, saleor, calendar_for, make_shopper,
                                                          django_capture_on_commit_callbacks, run_webhooks):
    # given a shopper in a served commune with bread and cheese from two vendors in one cart
    calendar_for("Jolimetz")
    shopper = make_shopper("jeanne")
    cart = _cart(saleor, two_vendors["maroilles"], two_vendors["bread"])
    assert {ln.vendor_slug for ln in cart.lines} == {"fromagerie-test", "boulangerie-test"}

    # when she picks the first home slot and pays on delivery in cash
    facts = checkout.cart_facts(saleor.checkout.get(cart.id))
    assert offers.click_and_collect_options(facts) == []  # two vendors: no click & collect
    slot = offers.home_options(shopper.commune)[0]
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, slot.key, saleor)
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)

    # then the order is recorded, the slot is held for good and a confirmation email went out
    assert record.mode == ShopOrder.Mode.HOME and record.date == slot.date
    assert Reservation.objects.get(checkout_id=cart.id).order_id == record.saleor_order_id
    assert mail.outbox and record.number in mail.outbox[-1].subject
    assert "Livraison à domicile" in mail.outbox[-1].body

    # and the webhook created one collect + one delivery per vendor, on the slot's day
    tasks = DeliveryTask.objects.filter(source__startswith=f"order:{record.saleor_order_id}:")
    assert sorted(t.kind for t in tasks) == ["collect", "collect", "home", "home"]
    assert {t.day.date for t in tasks} == {slot.date}
    for key in {t.shipment_key for t in tasks}:
        pair = tasks.filter(shipment_key=key)
        assert sorted(t.kind for t in pair) == ["collect", "home"]
    cheese_delivery = tasks.get(kind="home", shipment_key__endswith="fromagerie-test")
    assert cheese_delivery.chilled_g > 0 and cheese_delivery.ambient_g == 0
    assert cheese_delivery.windows == [[9 * 3600, 12 * 3600]]
    payments = [t.payment_cents for t in tasks if t.payment_method == "cash"]
    assert payments == [record.total_cents]  # collected once, not once per vendor


def test_relay_order_is_planned_at_the_relay_point(two_vendors, saleor, calendar_for, make_shopper, relay,
                                                 django_capture_on_commit_callbacks, run_webhooks):
    calendar_for("Jolimetz")
    shopper = make_shopper("marcel")
    cart = _cart(saleor, two_vendors["bread"])
    option = next(o for o in offers.relay_options(checkout.cart_facts(cart)) if o.key.startswith(f"relay:{relay.pk}:"))
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, option.key, saleor)
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "card", saleor)
    deliveries = DeliveryTask.objects.filter(source__startswith=f"order:{record.saleor_order_id}:", kind="relay")
    assert deliveries.count() == 1
    assert deliveries.get().relay_point == relay and deliveries.get().payment_method == ""


def test_webhook_redelivery_creates_tasks_once(two_vendors, saleor, calendar_for, make_shopper,
                                              django_capture_on_commit_callbacks, run_webhooks):
    calendar_for("Jolimetz")
    shopper = make_shopper("odette")
    cart = _cart(saleor, two_vendors["maroilles"])
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "card", saleor)
    fields = ("pk", "source", "kind", "day", "windows", "chilled_g", "chilled_ml", "crates", "status")
    before = list(DeliveryTask.objects.order_by("pk").values_list(*fields))
    assert len(before) == 2

    # the same order event handled again (Saleor retries, or ORDER_CREATED then ORDER_FULLY_PAID)
    order = saleor.orders.get(record.saleor_order_id)
    assert van_tasks.plan_order(order) == 2
    assert van_tasks.plan_order(order) == 2
    assert list(DeliveryTask.objects.order_by("pk").values_list(*fields)) == before


def test_click_and_collect_for_one_vendor_has_no_van_task_and_no_pay_on_delivery(
        two_vendors, saleor, make_shopper, django_capture_on_commit_callbacks, run_webhooks):
    shopper = make_shopper("roger")
    cart = _cart(saleor, two_vendors["bread"])
    option = offers.click_and_collect_options(checkout.cart_facts(cart))[0]
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, option.key, saleor)
    with pytest.raises(StorefrontError) as refused:
        checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)
    assert refused.value.code == Code.PAYMENT_NOT_ALLOWED
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "card", saleor)
    assert record.mode == "collect" and record.collect_vendor_slug == "boulangerie-test"
    assert not DeliveryTask.objects.filter(source__startswith=f"order:{record.saleor_order_id}:").exists()


def test_order_without_a_delivery_choice_is_refused_and_cart_kept(two_vendors, saleor, make_shopper):
    shopper = make_shopper("simone")
    cart = _cart(saleor, two_vendors["bread"])
    with pytest.raises(StorefrontError) as refused:
        checkout.place_order(cart.id, shopper, shopper.user, "card", saleor)
    assert refused.value.code == Code.DELIVERY_NOT_CHOSEN
    assert saleor.checkout.get(cart.id).lines  # nothing lost


def test_ordering_for_someone_else_needs_consent(two_vendors, saleor, calendar_for, make_shopper):
    calendar_for("Jolimetz")
    person, helper = make_shopper("paulette"), make_shopper("julien")
    cart = _cart(saleor, two_vendors["bread"])
    checkout.choose_delivery(saleor.checkout.get(cart.id), person, offers.home_options(person.commune)[0].key, saleor)
    with pytest.raises(StorefrontError) as refused:
        checkout.place_order(cart.id, person, helper.user, "cash", saleor, channel="phone")
    assert refused.value.code == Code.NO_CONSENT


def test_cash_collected_at_the_door_makes_the_saleor_order_fully_paid_once(two_vendors, saleor, calendar_for, make_shopper,
                                                                           django_capture_on_commit_callbacks, run_webhooks):
    calendar_for("Jolimetz")
    shopper = make_shopper("gerard")
    cart = _cart(saleor, two_vendors["maroilles"], two_vendors["bread"])
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    with django_capture_on_commit_callbacks(execute=True):
        record = checkout.place_order(cart.id, shopper, shopper.user, "cheque", saleor)
    assert saleor.orders.get(record.saleor_order_id).charge_status != "FULL"  # only authorised so far

    # when the driver marks the stop that carries the cheque delivered (the phone may send it twice)
    stop = DeliveryTask.objects.get(source__startswith=f"order:{record.saleor_order_id}:", payment_method="cheque")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            stop.status = DeliveryTask.Status.DELIVERED
            stop.save()

    # then Saleor has the order fully paid, and the platform charged it once
    record.refresh_from_db()
    assert record.collected_at is not None
    order = saleor.orders.get(record.saleor_order_id)
    assert order.charge_status == "FULL"


def test_goods_whose_facts_nobody_stated_are_not_sold_for_delivery(two_vendors, saleor, calendar_for, make_shopper,
                                                                 make_product):
    # given a cart with a product imported without its cold-chain class or weight (as from PrestaShop)
    calendar_for("Jolimetz")
    shopper = make_shopper("paul")
    basket = make_product(two_vendors["bakery"], "Panier garni", category="epicerie", temperature="unknown",
                          unit="unit", weight_must_be_stated=True, variants=(("panier", "30.00", "1", 3),))
    cart = _cart(saleor, basket)
    facts = checkout.cart_facts(saleor.checkout.get(cart.id))
    # then the van may not carry it: click & collect only, and the shopper is told why
    assert not facts.van_may_carry and offers.click_and_collect_options(facts)
    slot = offers.home_options(shopper.commune)[0]
    with pytest.raises(StorefrontError) as caught:
        checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, slot.key, saleor)
    assert caught.value.code == Code.VAN_FACTS_MISSING
    assert "« Panier garni » : conservation (ambiant, frais ou surgelé), poids d'un article" in caught.value.message
    # once the vendor states them, the van takes it
    basket.temperature = "ambient"
    basket.save()
    basket.variants.update(weight_kg="2.500")
    assert checkout.cart_facts(saleor.checkout.get(cart.id)).van_may_carry
