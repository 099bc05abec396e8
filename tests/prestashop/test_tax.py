"""An unknown VAT rate stays unknown: no price with tax, imported unpublished, listed with the reason."""

import json
from decimal import Decimal

from integrations.prestashop.__main__ import main
from integrations.prestashop.client import PrestaShopClient
from integrations.prestashop.models import IdMapping
from integrations.prestashop.pull import pull_catalogue
from integrations.prestashop.sync import import_catalogue

from .seed import KEY


def test_no_tax_group_and_a_group_without_french_rate_give_an_unknown_rate(server, tmp_path, capsys):
    # given product 3 without a tax rules group and product 4 in a Belgian-only group
    server.shop.table("products")[3]["id_tax_rules_group"] = "0"
    server.shop.table("products")[4]["id_tax_rules_group"] = "3"
    out = tmp_path / "catalogue.json"
    # when the catalogue is pulled
    status = main(["pull-catalogue", "--url", server.url, "--key", KEY, "--out", str(out)])
    doc = json.loads(out.read_text())
    products = {p["ps_id"]: p for p in doc["products"]}
    # then their rate and price with tax are null, never 0 %
    assert status == 0
    assert products[3]["variants"][0]["price"] == {"excl_tax": "4.50", "incl_tax": None, "tax_rate": None}
    assert products[4]["variants"][0]["price"] == {"excl_tax": "25.00", "incl_tax": None, "tax_rate": None}
    # and both are listed for review with their reason
    reasons = {r["ps_id"]: r["reason"] for r in doc["review"] if r["code"] == "tax_rate_unknown"}
    assert "pas de groupe de règles de taxe" in reasons[3]
    assert "groupe de règles de taxe n° 3 n'a pas de taux pour la France" in reasons[4]
    # a known rate still gives the price with tax, half-up to the cent
    assert products[1]["variants"][0]["price"] == {"excl_tax": "3.317536", "incl_tax": "3.50", "tax_rate": "5.5"}
    assert "to review: product 3 (tax_rate_unknown)" in capsys.readouterr().err


def test_taxes_the_key_may_not_read_leave_every_rate_unknown(server):
    server.shop.refused.add("taxes")
    with PrestaShopClient(server.url, KEY) as client:
        catalogue = pull_catalogue(client)
    assert all(v.price.incl_tax is None and v.price.tax_rate is None for p in catalogue.products for v in p.variants)
    assert all([r.code for r in p.review] == ["tax_rate_unknown"] for p in catalogue.products)


def test_a_tax_without_a_rate_is_not_zero_percent(server):
    server.shop.table("taxes")[2]["rate"] = ""
    with PrestaShopClient(server.url, KEY) as client:
        catalogue = pull_catalogue(client)
    confiture = next(p for p in catalogue.products if p.ps_id == 3)
    assert confiture.variants[0].price.tax_rate is None and confiture.variants[0].price.incl_tax is None


def test_the_sync_imports_an_unknown_rate_unpublished_without_a_price(source, saleor, server):
    server.shop.table("products")[3]["id_tax_rules_group"] = "0"
    run = import_catalogue(source)
    # then the product exists, unpublished, its variant not priced in the channel
    assert run.created == 5 and run.skipped == []
    assert [(r["ps_id"], r["code"]) for r in run.review] == [(3, "tax_rate_unknown")]
    assert "pas de groupe de règles de taxe" in run.review[0]["reason"]
    product = saleor.catalogue.get_product(
        product_id=IdMapping.objects.get(source=source, resource="product", ps_id="3").saleor_id)
    assert product.is_published is False
    assert [v.price for v in product.variants] == [None]
    assert product.metadata["mormal.vat_rate"] == ""
    # and a product with a known rate is priced as before
    bread = saleor.catalogue.get_product(
        product_id=IdMapping.objects.get(source=source, resource="product", ps_id="1").saleor_id)
    assert bread.is_published is True and bread.variants[0].price.amount == Decimal("3.50")
