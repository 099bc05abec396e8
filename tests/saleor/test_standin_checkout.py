"""Service tests over the stand-in: one cart across vendors, pickup, relay, home delivery, payment, orders."""

from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.payments import actions as payments
from marketplace.payments import demo_card
from marketplace.saleor import port, registry
from marketplace.saleor.errors import SaleorValidationError
from marketplace.saleor.models import WebhookEvent


def _cart(saleor, market, bread=2, eggs=1):
    return saleor.checkout.create(
        [
            port.CheckoutLineInput(market["bread_v"].id, bread),
            port.CheckoutLineInput(market["eggs_v"].id, eggs),
        ],
        email="anne@example.fr",
    )


def test_one_checkout_holds_lines_of_two_vendors(saleor, market):
    checkout = _cart(saleor, market)
    assert [(ln.vendor_slug, ln.quantity) for ln in checkout.lines] == [
        ("martin", 2),
        ("dupont", 1),
    ]
    assert checkout.subtotal.amount == Decimal("5.00")
    assert checkout.total == port.Money(Decimal("5.00"), "EUR")


def test_collection_points_follow_saleor_rules(saleor, market):
    # only bread: the shop (LOCAL, has the stock) and the relay (ALL) qualify
    only_bread = saleor.checkout.create([port.CheckoutLineInput(market["bread_v"].id, 1)])
    names = {p.name for p in saleor.checkout.collection_points(only_bread.id)}
    assert names == {"Boulangerie Martin", "Mairie de Jolimetz"}
    # bread and eggs: the shop lacks the eggs, so only the relay point remains
    mixed = _cart(saleor, market)
    assert [p.name for p in saleor.checkout.collection_points(mixed.id)] == ["Mairie de Jolimetz"]


def test_lines_add_and_update(saleor, market):
    checkout = saleor.checkout.create([port.CheckoutLineInput(market["bread_v"].id, 1)])
    checkout = saleor.checkout.add_lines(
        checkout.id, [port.CheckoutLineInput(market["bread_v"].id, 2)]
    )
    assert [ln.quantity for ln in checkout.lines] == [3]
    checkout = saleor.checkout.add_lines(
        checkout.id, [port.CheckoutLineInput(market["eggs_v"].id, 1)]
    )
    bread_line = checkout.lines[0].id
    checkout = saleor.checkout.update_lines(checkout.id, [(bread_line, 0)])
    assert [ln.sku for ln in checkout.lines] == ["DUP-OEU6"]


def test_more_than_the_stock_is_refused(saleor, market):
    with pytest.raises(SaleorValidationError) as error:
        saleor.checkout.create([port.CheckoutLineInput(market["eggs_v"].id, 6)])
    assert error.value.codes == {"INSUFFICIENT_STOCK"}
    assert "Only 5 remaining" in error.value.errors[0].message


def test_relay_pickup_paid_order_is_split_by_vendor_warehouse(saleor, market, isolated_registry):
    # given a two-vendor cart collected at the relay point and paid with the test gateway
    checkout = _cart(saleor, market)
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    checkout = saleor.checkout.set_delivery_method(checkout.id, market["relay"].id)
    assert checkout.delivery.kind == "collection_point"
    assert checkout.shipping_address.city == "JOLIMETZ"  # Saleor uses the pickup address
    transaction = demo_card.pay(saleor, checkout.id, "psp-1")
    assert transaction.charged.amount == Decimal("5.00")
    # when it is completed
    order = saleor.checkout.complete(checkout.id, metadata={"mormal.consent": "oui"})
    # then each line was allocated in its vendor's warehouse and the order is tagged per vendor
    assert order.status == "UNFULFILLED" and order.charge_status == "FULL"
    assert {ln.sku: ln.warehouse_ids for ln in order.lines} == {
        "MAR-BAG": (market["martin"].id,),
        "DUP-OEU6": (market["dupont"].id,),
    }
    assert order.vendor_slugs == ("dupont", "martin")
    assert order.metadata["mormal.consent"] == "oui"
    assert order.delivery.name == "Mairie de Jolimetz"
    assert [o.number for o in saleor.orders.find(port.OrderQuery(vendor_slug="dupont"))] == [
        order.number
    ]
    assert [ln.sku for ln in order.lines_for_vendor("martin")] == ["MAR-BAG"]
    assert [
        o.id for o in saleor.orders.find(port.OrderQuery(warehouse_id=market["martin"].id))
    ] == [order.id]
    assert saleor.orders.find(port.OrderQuery(warehouse_id=market["relay"].id)) == []
    # and Saleor's order webhooks were emitted once each, payload shaped by our subscriptions
    assert sorted(WebhookEvent.objects.values_list("event_type", flat=True)) == [
        "ORDER_CREATED",
        "ORDER_FULLY_PAID",
    ]
    # the checkout is gone, the stock is allocated
    assert saleor.checkout.get(checkout.id) is None
    eggs = saleor.catalogue.get_product(market["eggs"].id).variants[0]
    assert (
        eggs.stocks[0].quantity,
        eggs.stocks[0].quantity_allocated,
        eggs.quantity_available,
    ) == (5, 1, 4)


def test_unpaid_checkout_cannot_be_completed(saleor, market):
    checkout = _cart(saleor, market)
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    saleor.checkout.set_delivery_method(checkout.id, market["relay"].id)
    with pytest.raises(SaleorValidationError) as error:
        saleor.checkout.complete(checkout.id)
    assert error.value.codes == {"CHECKOUT_NOT_FULLY_PAID"}


def test_completion_needs_delivery_and_billing(saleor, market):
    checkout = _cart(saleor, market)
    with pytest.raises(SaleorValidationError) as error:
        saleor.checkout.complete(checkout.id)
    assert error.value.codes == {"SHIPPING_METHOD_NOT_SET"}
    saleor.checkout.set_delivery_method(checkout.id, market["relay"].id)
    with pytest.raises(SaleorValidationError) as error:
        saleor.checkout.complete(checkout.id)
    assert error.value.codes == {"BILLING_ADDRESS_NOT_SET"}


def test_a_shop_without_the_stock_is_not_a_pickup_point(saleor, market):
    checkout = _cart(saleor, market)
    with pytest.raises(SaleorValidationError) as error:
        saleor.checkout.set_delivery_method(checkout.id, market["martin"].id)
    assert error.value.codes == {"DELIVERY_METHOD_NOT_APPLICABLE"}


def test_home_delivery_comes_from_the_sync_webhook_and_pay_on_delivery(
    saleor, market, isolated_registry
):
    # given the storefront offers van slots through SHIPPING_LIST_METHODS_FOR_CHECKOUT
    asked = []

    def offers(request):
        asked.append(request)
        return [
            port.ShippingOffer(
                id="slot:2026-12-03:am", name="Camion jeudi matin", amount=Decimal("3.50")
            ),
            port.ShippingOffer(
                id="slot:2026-12-03:pm", name="Camion jeudi après-midi", amount=Decimal("3.50")
            ),
        ]

    registry.register_shipping_provider(offers)
    checkout = _cart(saleor, market)
    saleor.checkout.set_shipping_address(checkout.id, market["home"])
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    # when the shopper lists and picks a slot
    methods = saleor.checkout.shipping_methods(checkout.id)
    assert [m.name for m in methods] == ["Camion jeudi matin", "Camion jeudi après-midi"]
    assert asked[0].shipping_address.postal_code == "59530"
    assert {ln.vendor_slug for ln in asked[0].lines} == {"martin", "dupont"}
    checkout = saleor.checkout.set_delivery_method(checkout.id, methods[0].id)
    # then the delivery price is in the total
    assert (
        checkout.delivery.kind == "shipping_method"
        and checkout.delivery.name == "Camion jeudi matin"
    )
    assert checkout.total.amount == Decimal("8.50")
    # and pay-on-delivery (authorised) lets the order through, unpaid until the cash is collected
    transaction = payments.pay_by_hand(saleor, checkout.id, "cash", "cash-1").transaction
    order = saleor.checkout.complete(checkout.id)
    assert (order.authorize_status, order.charge_status) == ("FULL", "NONE")
    assert order.delivery.name == "Camion jeudi matin" and order.delivery.price.amount == Decimal(
        "3.50"
    )
    assert not WebhookEvent.objects.filter(event_type="ORDER_FULLY_PAID").exists()
    # a charge asked before anyone has the money is refused by our payment app
    refused = saleor.payments.request_action(transaction.id, port.TransactionAction.CHARGE, Decimal("8.50"))
    assert refused.charged.amount == 0 and refused.authorized.amount == Decimal("8.50")
    # once the driver recorded the money, the same request is charged
    payments.record_collection(transaction.id, timezone.now())
    charged = payments.charge_collected(saleor, transaction.id)
    assert charged.charged.amount == Decimal("8.50") and charged.authorized.amount == 0
    assert saleor.orders.get(order.id).charge_status == "FULL"
    assert WebhookEvent.objects.filter(event_type="ORDER_FULLY_PAID").count() == 1


def test_changing_the_cart_drops_a_slot_that_must_be_recalculated(
    saleor, market, isolated_registry
):
    registry.register_shipping_provider(
        lambda request: [port.ShippingOffer(id="s1", name="Camion", amount=Decimal("2"))]
    )
    checkout = _cart(saleor, market)
    saleor.checkout.set_shipping_address(checkout.id, market["home"])
    method = saleor.checkout.shipping_methods(checkout.id)[0]
    saleor.checkout.set_delivery_method(checkout.id, method.id)
    checkout = saleor.checkout.add_lines(
        checkout.id, [port.CheckoutLineInput(market["bread_v"].id, 1)]
    )
    assert checkout.delivery is None


def test_vendor_fulfils_its_share(saleor, market, isolated_registry):
    checkout = _cart(saleor, market)
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    saleor.checkout.set_delivery_method(checkout.id, market["relay"].id)
    demo_card.pay(saleor, checkout.id, "psp-2")
    order = saleor.checkout.complete(checkout.id)
    (eggs_line,) = order.lines_for_vendor("dupont")
    (fulfillment,) = saleor.orders.fulfill(
        order.id, [port.FulfillmentLineInput(eggs_line.id, market["dupont"].id, 1)]
    )
    assert fulfillment.warehouse_id == market["dupont"].id
    assert fulfillment.lines == ((eggs_line.id, 1),)
    after = saleor.orders.get(order.id)
    assert after.status == "PARTIALLY_FULFILLED"
    eggs = saleor.catalogue.get_product(market["eggs"].id).variants[0]
    assert (eggs.stocks[0].quantity, eggs.stocks[0].quantity_allocated) == (4, 0)
    with pytest.raises(SaleorValidationError):
        saleor.orders.fulfill(
            order.id, [port.FulfillmentLineInput(eggs_line.id, market["dupont"].id, 1)]
        )


def test_a_refused_completion_leaves_no_allocation_behind(saleor, market, isolated_registry):
    # given a paid two-vendor cart for home delivery whose second product sold out meanwhile
    registry.register_shipping_provider(
        lambda request: [port.ShippingOffer(id="s1", name="Camion", amount=Decimal("2"))]
    )
    checkout = _cart(saleor, market)
    saleor.checkout.set_shipping_address(checkout.id, market["home"])
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    saleor.checkout.set_delivery_method(checkout.id, saleor.checkout.shipping_methods(checkout.id)[0].id)
    demo_card.pay(saleor, checkout.id, "psp-3")
    saleor.catalogue.set_variant_stocks(market["eggs_v"].id, [port.StockLevel(market["dupont"].id, 0)])
    # when completion is refused on the eggs
    with pytest.raises(SaleorValidationError) as error:
        saleor.checkout.complete(checkout.id)
    assert error.value.codes == {"INSUFFICIENT_STOCK"}
    # then the bread allocated just before was rolled back, and no order exists
    bread = saleor.catalogue.get_product(market["bread"].id).variants[0]
    assert bread.stocks[0].quantity_allocated == 0
    assert saleor.orders.find(port.OrderQuery()) == []
    assert saleor.checkout.get(checkout.id) is not None
    assert not WebhookEvent.objects.filter(event_type="ORDER_CREATED").exists()


def test_cancelling_an_order_releases_its_stock_and_tells_the_handlers(
    saleor, market, isolated_registry
):
    checkout = _cart(saleor, market)
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    saleor.checkout.set_delivery_method(checkout.id, market["relay"].id)
    demo_card.pay(saleor, checkout.id, "psp-4")
    order = saleor.checkout.complete(checkout.id)
    cancelled = saleor.orders.cancel(order.id)
    assert cancelled.status == "CANCELED"
    eggs = saleor.catalogue.get_product(market["eggs"].id).variants[0]
    assert eggs.quantity_available == 5
    event = WebhookEvent.objects.get(event_type="ORDER_CANCELLED")
    assert event.payload["order"]["id"] == order.id
    with pytest.raises(SaleorValidationError) as error:
        saleor.orders.cancel(order.id)
    assert error.value.codes == {"CANNOT_CANCEL_ORDER"}
