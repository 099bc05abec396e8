"""PrestaShop goods carry temperature, unit, weight and volume like every product, through the one push rule.

Never silently ambient 500 g: what the shop's features state is mapped; what they do not state is
flagged for the vendor, and the van does not take the product until the vendor has stated it.
"""

import datetime as dt
import json
from decimal import Decimal

from delivery import coldchain
from integrations.prestashop.__main__ import main
from integrations.prestashop.models import IdMapping
from integrations.prestashop.sync import import_catalogue

from .seed import KEY, add_orders


def local(source, ps_id):
    from marketplace.vendors.models import Product

    return Product.objects.get(pk=IdMapping.objects.get(source=source, resource="product", ps_id=str(ps_id)).extra["local"])


def test_the_catalogue_json_carries_goods_facts_from_features_and_flags_the_rest(server, tmp_path):
    out = tmp_path / "catalogue.json"
    assert main(["pull-catalogue", "--url", server.url, "--key", KEY, "--out", str(out)]) == 0
    products = {p["ps_id"]: p for p in json.loads(out.read_text())["products"]}
    # the Maroilles is chilled (feature "Conservation: Frais (0-4 °C)"), its sizes weigh their "Poids" option
    assert products[2]["temperature"] == "chilled" and products[2]["to_fill"] == []
    assert [v["weight_kg"] for v in products[2]["variants"]] == ["0.25", "0.5"]
    # the bread keeps ambient and weighs PrestaShop's weight field
    assert (products[1]["temperature"], products[1]["variants"][0]["weight_kg"]) == ("ambient", "0.4")
    # the jam states its weight but not how it keeps; the basket states nothing: never ambient, never 500 g
    assert (products[3]["temperature"], products[3]["to_fill"]) == ("unknown", ["temperature"])
    assert products[3]["variants"][0]["weight_kg"] == "0.45"
    assert (products[4]["temperature"], products[4]["to_fill"]) == ("unknown", ["temperature", "weight"])
    assert products[4]["variants"][0]["weight_kg"] is None


def test_a_volume_feature_and_a_frozen_class_are_mapped(server, tmp_path):
    record = server.shop.table("products")[4]
    record["associations"]["product_features"] = [{"id": "1", "id_feature_value": "2"}, {"id": "3", "id_feature_value": "5"}]
    record["weight"] = "1.200000"
    out = tmp_path / "catalogue.json"
    assert main(["pull-catalogue", "--url", server.url, "--key", KEY, "--out", str(out)]) == 0
    basket = next(p for p in json.loads(out.read_text())["products"] if p["ps_id"] == 4)
    assert basket["temperature"] == "frozen" and basket["to_fill"] == []
    assert basket["variants"][0]["weight_kg"] == "1.2" and basket["variants"][0]["volume_ml"] == 750


def test_imported_goods_are_catalogue_rows_pushed_by_the_vendors_own_push(source, saleor):
    run = import_catalogue(source)
    assert run.created == 5
    maroilles, basket = local(source, 2), local(source, 4)
    # the vendor's catalogue holds them, with the facts PrestaShop gave and nothing invented
    assert maroilles.vendor.slug == "fromagerie-avesnois" and maroilles.temperature == "chilled"
    assert [(v.name, v.weight_kg, v.price) for v in maroilles.variants.order_by("pk")] == [
        ("250 g", Decimal("0.250"), Decimal("8.00")), ("500 g", Decimal("0.500"), Decimal("14.33"))]
    assert basket.temperature == coldchain.UNKNOWN and basket.variants.get().weight_kg is None
    assert basket.missing_for_delivery() == ["conservation (ambiant, frais ou surgelé)", "poids d'un article"]
    assert maroilles.missing_for_delivery() == []
    # Saleor got them from the one push rule: the same fields and metadata as a vendor's own product
    pushed = saleor.catalogue.get_product(product_id=maroilles.saleor_product_id)
    assert pushed.metadata["mormal.local_id"] == str(maroilles.pk)
    assert pushed.metadata["mormal.temperature"] == "chilled"
    assert pushed.metadata["mormal.source"] == f"prestashop:{source.url.split('//')[1].rstrip('/')}:2"
    assert [v.weight_kg for v in pushed.variants] == [Decimal("0.25"), Decimal("0.5")]
    assert maroilles.synced_at is not None and maroilles.sync_error == ""


def test_what_the_vendor_fills_in_is_kept_when_prestashop_changes_the_product(source, saleor, server):
    import_catalogue(source)
    basket = local(source, 4)
    # given the vendor states how the basket keeps and what it weighs
    basket.temperature = "ambient"
    basket.save()
    basket.variants.update(weight_kg=Decimal("2.100"))
    # when PrestaShop changes the basket's price and the import runs again
    server.shop.table("products")[4]["price"] = "26.000000"
    assert import_catalogue(source).updated == 1
    # then the price follows PrestaShop and the vendor's facts stay
    basket.refresh_from_db()
    variant = basket.variants.get()
    assert (basket.temperature, variant.weight_kg, variant.price) == ("ambient", Decimal("2.100"), Decimal("31.20"))
    assert basket.missing_for_delivery() == []


def test_the_planner_reads_bridged_goods_from_the_one_place(source, saleor):
    from marketplace.storefront.loads import line_facts, per_vendor
    from marketplace.storefront.offers import CartFacts

    import_catalogue(source)
    maroilles_250 = IdMapping.objects.get(source=source, resource="variant", ps_id="2:1").saleor_id
    bread = IdMapping.objects.get(source=source, resource="variant", ps_id="1:0").saleor_id
    basket = IdMapping.objects.get(source=source, resource="variant", ps_id="4:0").saleor_id
    # a storefront cart of bridged goods weighs what PrestaShop said, in the right compartments
    facts = line_facts([("fromagerie-avesnois", maroilles_250, 2), ("boulangerie-martin", bread, 1)])
    assert per_vendor(facts) == {"fromagerie-avesnois": {"chilled": (500, 1000)},
                                 "boulangerie-martin": {"ambient": (400, 800)}}
    assert CartFacts.from_lines(facts).van_may_carry
    # a product whose facts nobody stated is not offered for delivery, and the cart says why
    cart = CartFacts.from_lines(line_facts([("cci-grand-hainaut", basket, 1)]))
    assert not cart.van_may_carry
    assert cart.not_for_the_van_text() == ("« Panier garni » : conservation (ambiant, frais ou surgelé), "
                                           "poids d'un article à préciser par le commerçant")


def test_prestashop_van_orders_carry_the_goods_loads(source, server):
    from delivery.models import DeliveryTask
    from integrations.prestashop.actions import plan_prestashop_orders

    add_orders(server.shop)
    import_catalogue(source)
    plan_prestashop_orders(source, dt.date(2026, 12, 1), since="2026-11-01 00:00:00")
    # order 1: two 400 g loaves (ambient) from the bakery, one 250 g Maroilles (chilled) from the cheese shop
    bread = DeliveryTask.objects.get(kind="home", source__contains=":order:1:vendor:", name="Jeanne Dupont",
                                     shipment_key__endswith=f":vendor:{source.vendor_links.get(vendor_ref='manufacturer:1').vendor_id}")
    cheese = DeliveryTask.objects.get(kind="collect", source__contains=":order:1:", name="Fromagerie Avesnois")
    assert bread.loads() == {"ambient": (800, 1600), "chilled": (0, 0), "frozen": (0, 0)}
    assert cheese.loads() == {"ambient": (0, 0), "chilled": (250, 500), "frozen": (0, 0)}


def test_the_one_rule_for_a_vendors_own_product_and_an_imported_one(make_vendor):
    from marketplace.vendors.models import Product, ProductVariant

    vendor = make_vendor("ferme-regle", "Bavay", "66666666")
    own = Product.objects.create(vendor=vendor, name="Yaourt", slug="yaourt-regle", category="fromagerie",
                                 temperature="chilled")
    ProductVariant.objects.create(product=own, name="pot", sku="YR-1", price=Decimal("1.20"))
    # a vendor's own product: its class is stated, its weight optional (the vendor's form says so)
    assert own.missing_for_delivery() == []
    # the same product as an import: its weight must be stated, never the 500 g guess
    own.weight_must_be_stated = True
    assert own.missing_for_delivery() == ["poids d'un article"]
    # and nobody's product rides the van with a class nobody stated
    own.temperature = "unknown"
    own.weight_must_be_stated = False
    assert own.missing_for_delivery() == ["conservation (ambiant, frais ou surgelé)"]
