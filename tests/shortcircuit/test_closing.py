"""Closing a cycle: producer minimums, emails, van tasks exactly once, totals and packing lists."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from delivery.models import DeliveryTask
from shortcircuit import actions, tasks
from shortcircuit.models import CycleOrderLine, CycleProducer, OrderCycle
from shortcircuit.reports import totals_pdf
from shortcircuit.selectors import packing_lists, producer_totals

from .conftest import minute


def order(cycle, user, slot=None, mode="pickup", **quantities):
    request = actions.OrderRequest({getattr(cycle, k).pk: q for k, q in quantities.items()}, mode,
                                   slot.pk if slot else None)
    return actions.place_order(cycle, user, request)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def marcel(make_customer):
    return make_customer("marcel", "Marcel", "Leroy", commune="Le Quesnoy")


@pytest.fixture
def orders(cycle, customer, marcel):
    """Jeanne: cheese + apples + ice at the farm shop; Marcel: 2 yoghurts at home (farm A reaches 24.40 €)."""
    jeanne_order = order(cycle, customer, cycle.shop_slot, cheese=1, apples=2, ice=1)
    marcel_order = order(cycle, marcel, mode="home", yoghurt=2, cheese=1)
    return jeanne_order, marcel_order


def test_closing_before_the_closing_minute_is_refused_and_changes_nothing(cycle, orders):
    with pytest.raises(ValueError, match="closes at"):
        actions.close_cycle(cycle.pk, now=cycle.closes_at - dt.timedelta(seconds=1))
    cycle.refresh_from_db()
    assert cycle.closed_at is None and not DeliveryTask.objects.exists()


def test_a_producer_below_its_minimum_loses_only_its_own_lines_and_customers_are_told(cycle, customer, marcel,
                                                                                       mailoutbox, saleor):
    # given farm A needs 20 € but only gets 9.00 + 6.40 = 15.40 €; farm B has no minimum
    jeanne_order = order(cycle, customer, cycle.shop_slot, cheese=1, apples=2)
    marcel_order = order(cycle, marcel, cycle.shop_slot, yoghurt=2)
    mailoutbox.clear()
    # when the cycle closes
    report = actions.close_cycle(cycle.pk, now=cycle.closes_at)
    # then farm A's lines are cancelled, farm B's are kept
    statuses = {(ln.order_id, ln.product_name): ln.status for ln in CycleOrderLine.objects.all()}
    assert statuses == {
        (jeanne_order.pk, "Maroilles fermier"): "cancelled", (jeanne_order.pk, "Pommes Reinette"): "active",
        (marcel_order.pk, "Yaourts nature x4"): "cancelled",
    }
    assert CycleProducer.objects.get(vendor__slug="ferme-a").minimum_met is False
    assert CycleProducer.objects.get(vendor__slug="ferme-b").minimum_met is True
    assert report["producers_below_minimum"] == ["ferme-a"] and report["cancelled_lines"] == 2
    # and each customer is told, by email, what is cancelled and what is still due
    to_customers = {m.to[0]: m.body for m in mailoutbox if m.to[0] in {"jeanne@exemple.fr", "marcel@exemple.fr"}}
    assert "Maroilles fermier" in to_customers["jeanne@exemple.fr"].split("maintenu")[0]
    assert "Pommes Reinette" in to_customers["jeanne@exemple.fr"].split("maintenu")[1]
    assert "Montant à régler au retrait : 8,00 €" in to_customers["jeanne@exemple.fr"]
    assert "Il ne reste rien à retirer" in to_customers["marcel@exemple.fr"]
    # and Saleor's order records the amount still due at pickup
    assert saleor.orders.get(jeanne_order.saleor_order_id).metadata["mormal.circuit.amount_due"] == "8.00"


def test_a_producer_exactly_at_its_minimum_keeps_its_lines(cycle, customer):
    CycleProducer.objects.filter(vendor__slug="ferme-a").update(minimum_amount=Decimal("18.00"))
    order(cycle, customer, cycle.shop_slot, cheese=2)
    actions.close_cycle(cycle.pk, now=cycle.closes_at)
    assert list(CycleOrderLine.objects.values_list("status", flat=True)) == ["active"]


def test_van_tasks_are_created_exactly_once_even_if_the_closing_job_runs_twice(cycle, orders, mailoutbox):
    # given the cycle's closing minute has passed
    OrderCycle.objects.filter(pk=cycle.pk).update(closes_at=minute(timezone.now()) - dt.timedelta(minutes=1))
    mailoutbox.clear()
    # when the Celery closing task runs, then runs again (beat firing twice, a retry)
    first = tasks.close_cycle.apply(args=[cycle.pk]).get()
    made = sorted(DeliveryTask.objects.values_list("source", "kind", "day__date"))
    emails = len(mailoutbox)
    second = tasks.close_cycle.apply(args=[cycle.pk]).get()
    # then the second run changes nothing and sends nothing
    assert second["already"] is True and first["van_tasks"] == len(made)
    assert sorted(DeliveryTask.objects.values_list("source", "kind", "day__date")) == made
    assert len(mailoutbox) == emails
    # and the tasks are: collect at each farm, deliver to the point or the home, one pair per farm and place
    ready = cycle.home_delivery_on
    assert [(kind, date) for _source, kind, date in made].count(("collect", ready)) == 3
    assert sorted(kind for _s, kind, _d in made if kind != "collect") == ["home", "pickup_point", "pickup_point"]
    shop = DeliveryTask.objects.get(kind="pickup_point", source__contains=":ferme-b:")
    assert shop.name == "Halle de Bavay" and shop.windows == [[7 * 3600, 17 * 3600]]
    assert shop.frozen_g == 500 and shop.ambient_g == 1000  # one ice cream, two bags of apples
    home = DeliveryTask.objects.get(kind="home")
    assert home.payment_method == "cash" and home.payment_cents == 1840  # 15.40 € of goods + 3 € delivery


def test_close_due_cycles_picks_only_cycles_past_their_closing_minute(cycle):
    assert actions.close_due_cycles(now=cycle.closes_at - dt.timedelta(microseconds=1)) == []
    assert actions.close_due_cycles(now=cycle.closes_at) == [cycle.pk]
    actions.close_cycle(cycle.pk, now=cycle.closes_at)
    assert actions.close_due_cycles(now=cycle.closes_at + dt.timedelta(days=1)) == []


def test_packing_list_totals_equal_order_totals(cycle, orders, saleor):
    jeanne_order, marcel_order = orders
    actions.close_cycle(cycle.pk, now=cycle.closes_at)
    places = packing_lists(cycle)
    # then every order appears once, with its goods total, and the sums match Saleor's orders
    packs = {p.order.pk: p for place in places for p in place.customers}
    assert set(packs) == {jeanne_order.pk, marcel_order.pk}
    for placed in orders:
        placed.refresh_from_db()
        held = saleor.orders.get(placed.saleor_order_id)
        assert packs[placed.pk].amount == placed.goods_total == held.total.amount - placed.delivery_fee
        assert packs[placed.pk].quantity == sum(ln.quantity for ln in held.lines)
    assert sum(p.amount for p in places) == sum(o.goods_total for o in orders)
    assert sum(p.quantity for p in places) == sum(ln.quantity for ln in CycleOrderLine.objects.all())
    # and chilled and frozen goods are packed apart from ambient ones
    jeanne = packs[jeanne_order.pk]
    assert [ln.product_name for ln in jeanne.compartments["chilled"]] == ["Maroilles fermier"]
    assert [ln.product_name for ln in jeanne.compartments["frozen"]] == ["Glace vanille"]
    assert [ln.product_name for ln in jeanne.compartments["ambient"]] == ["Pommes Reinette"]
    assert [p.name for p in places] == ["Halle de Bavay", "Livraison à domicile (camionnette)"]
    assert places[0].by_temperature["frozen"] == {"Glace vanille pièce": 1}


def test_each_producer_gets_its_totals_by_email_with_a_pdf_whose_text_matches(cycle, orders, mailoutbox):
    mailoutbox.clear()
    actions.close_cycle(cycle.pk, now=cycle.closes_at)
    to_farm_a = next(m for m in mailoutbox if "ferme-a@exemple.fr" in m.to)
    # then the email and its PDF give the totals per product and per pickup point
    assert "2 × Maroilles fermier pièce : 18,00 €" in to_farm_a.body
    name, data, mime = to_farm_a.attachments[0]
    assert mime == "application/pdf" and name == f"circuit-court-{cycle.pk}-ferme-a.pdf"
    text = pdf_text(data)
    assert "Totaux du cycle « Semaine test » – Ferme A" in text
    assert "Maroilles fermier pièce" in text and "18,00 €" in text and "Yaourts nature x4 pièce" in text
    assert "Halle de Bavay" in text and "Livraison à domicile (camionnette)" in text
    assert "Pommes" not in text  # farm B's product is not in farm A's PDF
    assert "Total : 4 articles, 24,40 € TTC" in text


def test_producer_totals_split_per_pickup_point(cycle, orders):
    from marketplace.vendors.models import Vendor

    totals = producer_totals(cycle, Vendor.objects.get(slug="ferme-a"))
    assert [(p["name"], [(i["product"], i["quantity"]) for i in p["items"]]) for p in totals.by_destination] == [
        ("Halle de Bavay", [("Maroilles fermier", 1)]),
        ("Livraison à domicile (camionnette)", [("Maroilles fermier", 1), ("Yaourts nature x4", 2)]),
    ]
    assert totals.revenue == Decimal("24.40") and totals_pdf(totals)[:4] == b"%PDF"


def test_the_beat_task_closes_due_cycles_through_the_closing_task(cycle, orders, settings):
    from marketplace.celery import app

    # given the cycle's closing minute has passed, and Celery runs tasks in process
    OrderCycle.objects.filter(pk=cycle.pk).update(closes_at=minute(timezone.now()))
    old, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        # when beat's task runs twice
        assert tasks.close_due_cycles.apply().get() == [cycle.pk]
        assert tasks.close_due_cycles.apply().get() == []
    finally:
        app.conf.task_always_eager = old
    # then the cycle is closed once, with its van tasks
    cycle.refresh_from_db()
    assert cycle.closed_at is not None
    assert DeliveryTask.objects.filter(source__startswith=f"circuit:{cycle.pk}:").count() == cycle.close_report["van_tasks"] == 6
    assert settings.CELERY_BEAT_SCHEDULE["shortcircuit-close-due-cycles"]["task"] == "shortcircuit.close_due_cycles"
