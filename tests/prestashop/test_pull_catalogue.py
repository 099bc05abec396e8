"""Reading and mapping a whole catalogue, and the ``pull-catalogue`` command, over real HTTP."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from integrations.prestashop.__main__ import main
from integrations.prestashop.client import PrestaShopClient
from integrations.prestashop.pull import pull_catalogue

from .seed import KEY

REPO = Path(__file__).resolve().parents[2]


def by_id(catalogue):
    return {p.ps_id: p for p in catalogue.products}


def test_full_pull_maps_products_combinations_prices_vendors_and_stock(client):
    # when the whole CCI shop is read
    catalogue = pull_catalogue(client)
    products = by_id(catalogue)
    # then every product is there, named in French although language 1 is English
    assert sorted(products) == [1, 2, 3, 4, 5]
    assert products[2].name == "Maroilles AOP" and list(products[2].names) == ["fr", "en", "nl"]
    assert products[2].names["en"] == "Maroilles AOP (en)"
    # combinations become variants priced base + impact, with 5.5 % VAT applied
    maroilles = products[2].variants
    assert [v.name for v in maroilles] == ["250 g", "500 g"]
    assert maroilles[1].price.excl_tax == Decimal("13.582938") and maroilles[1].price.incl_tax == Decimal("14.33")
    assert [v.quantity for v in maroilles] == [4, 2]
    # a product without combinations gets one variant with combination id 0 and its own stock row
    assert [(v.ps_combination_id, v.quantity) for v in products[1].variants] == [(0, 12)]
    assert products[4].variants[0].price.incl_tax == Decimal("30.00")  # 20 % group
    # vendors are manufacturers, or the shop when a product has none
    assert products[3].vendor_ref == "manufacturer:2" and products[4].vendor_ref == "shop:1"
    assert {v.ref for v in catalogue.vendors} == {"manufacturer:1", "manufacturer:2", "manufacturer:3", "shop:1"}
    assert products[1].category_path == ["Alimentation", "Boulangerie"]
    assert products[1].image_urls[0].endswith("/10-large_default/pain-de-campagne.jpg")
    assert catalogue.ps_version == "8.1.2" and catalogue.skipped == []


def test_json_and_xml_reads_give_the_same_catalogue(client, json_client):
    from_xml = pull_catalogue(client).to_json()
    from_json = pull_catalogue(json_client).to_json()
    for doc in (from_xml, from_json):
        doc.pop("source")
    assert from_xml == from_json


def test_requests_do_not_grow_with_the_number_of_products(client):
    catalogue = pull_catalogue(client, page_size=2)
    # probe + 11 reference reads + 3 pages x (products, combinations, stock)
    assert catalogue.request_count == 1 + 11 + 3 * 3


def test_a_malformed_record_is_logged_and_skipped_with_its_id(server, client, caplog):
    server.shop.corrupt["products"] = {3}
    catalogue = pull_catalogue(client)
    assert sorted(by_id(catalogue)) == [1, 2, 4, 5]
    assert [(s.resource, s.ps_id) for s in catalogue.skipped] == [("products", "3")]
    assert "products 3 skipped" in caplog.text


def test_a_record_with_a_bad_price_is_skipped_naming_the_value(server, client):
    server.shop.table("products")[5]["price"] = "n/a"
    catalogue = pull_catalogue(client)
    assert 5 not in by_id(catalogue)
    assert "price of product 5" in catalogue.skipped[0].reason and "'n/a'" in catalogue.skipped[0].reason


def test_missing_optional_fields_and_refused_reference_resources_are_survived(server):
    # given a key that may read products, combinations and stock only, with the French id given
    server.shop.grant(KEY, {r: {"GET"} for r in ("products", "combinations", "stock_availables")})
    for product in server.shop.table("products").values():
        for optional in ("description", "description_short", "associations", "reference", "id_category_default"):
            product.pop(optional, None)
    with PrestaShopClient(server.url, KEY) as c:
        catalogue = pull_catalogue(c, french_id=2)
    # then names are French, other languages kept under their ids, and nothing is lost
    assert len(catalogue.products) == 5
    assert by_id(catalogue)[1].name == "Pain de campagne"
    assert by_id(catalogue)[1].names["lang-1"] == "Pain de campagne (en)"
    assert by_id(catalogue)[2].variants[0].price.tax_rate is None


def test_cli_writes_the_documented_json(server, tmp_path, capsys):
    out = tmp_path / "catalogue.json"
    status = main(["pull-catalogue", "--url", server.url, "--key", KEY, "--out", str(out)])
    doc = json.loads(out.read_text())
    assert status == 0
    assert doc["schema_version"] == 2
    assert doc["totals"] == {"vendors": 4, "products": 5, "variants": 7, "skipped": 0, "review": 0}
    assert doc["products"][1]["variants"][1]["price"] == {"excl_tax": "13.582938", "incl_tax": "14.33", "tax_rate": "5.5"}
    assert "5 products (0 to review, unpublished), 7 variants" in capsys.readouterr().err


def test_cli_bad_key_exits_2_and_names_the_code(server, tmp_path, capsys):
    status = main(["pull-catalogue", "--url", server.url, "--key", "not-32-chars", "--out", str(tmp_path / "x.json")])
    assert status == 2
    assert "code 18" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_cli_retries_500s(server, tmp_path):
    server.shop.flaky = 2  # the real client sleeps 0.5 s then 1 s
    status = main(["pull-catalogue", "--url", server.url, "--key", KEY, "--out", str(tmp_path / "c.json")])
    assert status == 0 and json.loads((tmp_path / "c.json").read_text())["totals"]["products"] == 5


def test_the_exact_command_runs_without_django(server, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    out = tmp_path / "catalogue.json"
    check = ("import sys, runpy; sys.argv=['x','pull-catalogue','--url',sys.argv[1],'--key',sys.argv[2],'--out',sys.argv[3]];"
             "import integrations.prestashop.__main__ as m; rc=m.main(sys.argv[1:]);"
             "assert 'django' not in sys.modules, 'django was imported'; sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", check, server.url, KEY, str(out)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "integrations.prestashop", "pull-catalogue", "--url", server.url,
                           "--key", KEY, "--out", str(out), "--format", "JSON"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["totals"]["products"] == 5
