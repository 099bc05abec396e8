"""Each vendor's share of an order: projection from Saleor, preparation, pick list (HTML and PDF)."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from marketplace.payments import demo_card
from marketplace.saleor import port
from marketplace.vendors import actions
from marketplace.vendors.models import VendorOrder

from .conftest import PASSWORD

PARIS = ZoneInfo("Europe/Paris")


def order_of(lines, number="1042", status="UNFULFILLED", created=datetime(2026, 11, 20, 9, 30, tzinfo=PARIS), oid="T3JkZXI6MQ==",
             customer=("Jeanne", "Dupont")):
    """A Saleor order as the port returns it; ``lines`` are (variant, quantity, warehouse id)."""
    order_lines = tuple(
        port.OrderLine(
            id=f"T3JkZXJMaW5lOn{i}", variant_id=v.saleor_variant_id, sku=v.sku, product_name=v.product.name,
            variant_name=v.name, vendor_slug=v.product.vendor.slug, quantity=q, quantity_fulfilled=0,
            unit_price=port.Money(v.price), total_price=port.Money(v.price * q), warehouse_ids=(wh,),
        ) for i, (v, q, wh) in enumerate(lines)
    )
    total = sum((ln.total_price.amount for ln in order_lines), Decimal("0"))
    return port.Order(
        id=oid, number=number, created=created, status=status, charge_status="FULL", authorize_status="FULL",
        email="jeanne@exemple.fr", lines=order_lines,
        shipping_address=port.Address("3 rue Pasteur", "59530", "Le Quesnoy", first_name=customer[0], last_name=customer[1]),
        billing_address=None, delivery=port.SelectedDelivery("shipping_method", "U2g6MQ==", "Livraison par la camionnette", port.Money(Decimal("3"))),
        total=port.Money(total), metadata={}, fulfillments=(),
    )


@pytest.fixture
def two_vendor_order(maroilles, bakery, make_product):
    cheese = make_product(maroilles, "Maroilles", variants=(("Quart", "4.90", "0.18", 20),)).variants.get()
    frozen = make_product(maroilles, "Tarte surgelée", temperature="frozen", variants=(("4 parts", "11.90", "1", 5),)).variants.get()
    bread = make_product(bakery, "Baguette", temperature="ambient", variants=(("250 g", "1.30", "1", 60),)).variants.get()
    return order_of([(cheese, 2, maroilles.saleor_warehouse_id), (frozen, 1, maroilles.saleor_warehouse_id),
                     (bread, 3, bakery.saleor_warehouse_id)])


def test_an_order_is_split_per_vendor_by_warehouse(two_vendor_order, maroilles, bakery):
    shares = {o.vendor: o for o in actions.record_order(two_vendor_order)}
    assert set(shares) == {maroilles, bakery}
    cheese = shares[maroilles]
    assert sorted((ln.product_name, ln.quantity) for ln in cheese.lines.all()) == [("Maroilles", 2), ("Tarte surgelée", 1)]
    assert cheese.total == Decimal("21.70") and cheese.customer_name == "Jeanne Dupont"
    assert cheese.delivery_method == "Livraison par la camionnette" and cheese.commission_rate == Decimal("10.00")
    assert [ln.product_name for ln in shares[bakery].lines.all()] == ["Baguette"]


def test_recording_the_same_order_twice_changes_nothing(two_vendor_order):
    first = actions.record_order(two_vendor_order)
    line = first[0].lines.first()
    line.prepared_at = datetime(2026, 11, 20, 10, tzinfo=PARIS)
    line.save()
    actions.record_order(two_vendor_order)
    assert VendorOrder.objects.count() == 2
    assert sum(o.lines.count() for o in VendorOrder.objects.all()) == 3
    assert VendorOrder.objects.get(pk=first[0].pk).lines.get(pk=line.pk).prepared_at is not None


def test_a_cancelled_order_cancels_every_share(two_vendor_order):
    from dataclasses import replace

    actions.record_order(two_vendor_order)
    actions.record_order(replace(two_vendor_order, status="CANCELED"))
    assert set(VendorOrder.objects.values_list("status", flat=True)) == {"cancelled"}


def test_lines_of_unknown_vendors_are_skipped(two_vendor_order):
    from dataclasses import replace

    stranger = replace(two_vendor_order.lines[0], id="x", variant_id="nope", vendor_slug="inconnu", warehouse_ids=("W",))
    recorded = actions.record_order(replace(two_vendor_order, lines=(stranger,)))
    assert recorded == []


def test_marking_lines_prepared_in_the_dashboard(client, two_vendor_order, maroilles, make_member):
    share = next(o for o in actions.record_order(two_vendor_order) if o.vendor == maroilles)
    first, second = share.lines.order_by("pk")
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    url = reverse("vendors:order_prepare", kwargs={"order_pk": share.pk})
    # when one line is ticked
    client.post(url, {"prepared": [first.pk]})
    share.refresh_from_db()
    assert share.status == "new" and share.lines.filter(prepared_at__isnull=False).count() == 1
    page = client.get(reverse("vendors:order_detail", kwargs={"order_pk": share.pk})).content.decode()
    assert "1042" in page and "Maroilles" in page and "Baguette" not in page


@pytest.fixture
def placed(saleor, maroilles, bakery, make_product, relay):
    """A real order placed in the stand-in for two vendors, to collect at a relay point."""
    cheese = make_product(maroilles, "Maroilles", variants=(("Quart", "4.90", "0.18", 20),)).variants.get()
    bread = make_product(bakery, "Baguette", temperature="ambient", variants=(("250 g", "1.30", "1", 60),)).variants.get()
    address = port.Address("3 rue Pasteur", "59530", "Le Quesnoy", first_name="Jeanne", last_name="Dupont")
    checkout = saleor.checkout.create(
        [port.CheckoutLineInput(cheese.saleor_variant_id, 2), port.CheckoutLineInput(bread.saleor_variant_id, 1)],
        email="jeanne@exemple.fr", shipping_address=address, billing_address=address,
    )
    points = {p.id: p for p in saleor.checkout.collection_points(checkout.id)}
    assert relay.saleor_warehouse_id in points
    saleor.checkout.set_delivery_method(checkout.id, relay.saleor_warehouse_id)
    demo_card.pay(saleor, checkout.id, "test-1")
    return saleor.checkout.complete(checkout.id)


def test_the_order_webhook_records_each_share_once(placed, maroilles, bakery):
    from marketplace.saleor.models import WebhookEvent
    from marketplace.saleor.tasks import run_webhook_handler

    # given the ORDER_CREATED delivery the stand-in sent through the adapter's intake
    event = WebhookEvent.objects.get(event_type="ORDER_CREATED")
    # when the adapter runs our registered handler, twice
    assert run_webhook_handler.run(event.pk, "vendors.record_order") == "done"
    assert run_webhook_handler.run(event.pk, "vendors.record_order") == "already-done"
    # then each vendor has its one share, with its own lines
    shares = {o.vendor: o for o in VendorOrder.objects.all()}
    assert set(shares) == {maroilles, bakery}
    assert [(ln.product_name, ln.quantity) for ln in shares[bakery].lines.all()] == [("Baguette", 1)]
    assert shares[maroilles].saleor_order_id == placed.id and shares[maroilles].customer_name == "Jeanne Dupont"


def test_preparing_every_line_fulfils_the_share_in_saleor(saleor, placed, maroilles, make_member):
    order = placed
    shares = {o.vendor: o for o in actions.record_order(order)}
    share = shares[maroilles]
    assert [(ln.product_name, ln.quantity) for ln in share.lines.all()] == [("Maroilles", 2)]
    assert share.delivery_method == "Mairie de Landrecies"
    # when the cheese shop prepares its only line
    user = make_member(maroilles, "fromager")
    actions.set_lines_prepared(maroilles, share, [ln.pk for ln in share.lines.all()], user)
    # then its share is fulfilled in Saleor from its warehouse, and the bakery's line is not
    share.refresh_from_db()
    assert share.status == "prepared" and share.saleor_fulfillment_id
    remote = saleor.orders.get(order.id)
    fulfilled = {ln.product_name: ln.quantity_fulfilled for ln in remote.lines}
    assert fulfilled == {"Maroilles": 2, "Baguette": 0}
    assert any(f.warehouse_id == maroilles.saleor_warehouse_id for f in remote.fulfillments)
    # and a prepared share can no longer be changed
    with pytest.raises(ValueError):
        actions.set_lines_prepared(maroilles, share, [], user)


def test_a_vendor_cannot_prepare_another_vendors_share(two_vendor_order, maroilles, bakery, make_member):
    share = next(o for o in actions.record_order(two_vendor_order) if o.vendor == bakery)
    with pytest.raises(PermissionError):
        actions.set_lines_prepared(maroilles, share, [ln.pk for ln in share.lines.all()], make_member(maroilles, "x"))


def test_pick_list_html_and_pdf_list_frozen_first_and_only_this_vendor(client, two_vendor_order, maroilles, make_member):
    actions.record_order(two_vendor_order)
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    html = client.get(reverse("vendors:pick_list")).content.decode()
    assert "Liste de préparation" in html and "Baguette" not in html
    assert html.index("Tarte surgelée") < html.index("Maroilles Quart")
    response = client.get(reverse("vendors:pick_list_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Commande 1042" in text and "Jeanne Dupont" in text and "Surgelé" in text and "Baguette" not in text


def test_pick_list_pdf_column_headings_are_whole_words(client, maroilles, make_member, make_product):
    # given an order for an article whose long name and generated code squeeze the other columns
    name = "Maroilles AOP affiné cinq semaines en cave naturelle, croûte lavée à la bière de l'Avesnois, format familial"
    variant = make_product(maroilles, name, variants=(("coupé à la demande, environ 750 grammes", "15.90", "0.75", 9),)
                           ).variants.get()
    actions.record_order(order_of([(variant, 2, maroilles.saleor_warehouse_id)], number="3001"))
    client.login(username=make_member(maroilles, "fromager").username, password=PASSWORD)
    pdf = client.get(reverse("vendors:pick_list_pdf")).content
    lines = [line.strip() for page in PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]
    # then each heading reads as a whole word, never "Conserva" / "tion" or "Quanti" / "té"
    words = {w for line in lines for w in line.split()}
    assert {"Conservation", "Quantité", "Article", "Code", "Prêt"} <= words, sorted(words)[:60]
