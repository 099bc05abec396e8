"""The French language is never guessed: found by ISO code, given by a person, or the run refuses."""

import json

import pytest

from integrations.prestashop.__main__ import main
from integrations.prestashop.errors import LanguageUnknown
from integrations.prestashop.models import IdMapping, SyncRun
from integrations.prestashop.pull import pull_catalogue
from integrations.prestashop.sync import import_catalogue

from .seed import KEY


def renumber_languages(shop, new_ids):
    """Give the shop's languages other ids (``{old: new}``), in the language table and every text."""
    shop.records["languages"] = {new_ids[k]: {**v, "id": str(new_ids[k])} for k, v in shop.table("languages").items()}
    for table in shop.records.values():
        for record in table.values():
            for value in record.values():
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, dict) and "value" in item and item.get("id", "").isdigit():
                            item["id"] = str(new_ids[int(item["id"])])


def test_french_is_found_by_its_iso_code_whatever_its_id(server, client):
    # given a shop where French is language 7 and English language 2 (the old French id)
    renumber_languages(server.shop, {1: 2, 2: 7, 3: 9})
    # when the catalogue is read
    catalogue = pull_catalogue(client)
    # then every name is the French one
    names = {p.ps_id: p.name for p in catalogue.products}
    assert names[1] == "Pain de campagne" and names[2] == "Maroilles AOP"
    assert catalogue.french_language_id == 7 and catalogue.french_language_from == "iso_code"
    assert catalogue.categories[3].name == "Boulangerie"


def test_unreadable_languages_stop_the_pull_naming_the_permission_and_the_way_out(server, client):
    # given a key that may not read /api/languages (PrestaShop answers 401 code 26)
    server.shop.refused.add("languages")
    # when the catalogue is read without a language id, then it refuses instead of taking id 1 (English)
    with pytest.raises(LanguageUnknown) as caught:
        pull_catalogue(client)
    message = str(caught.value)
    assert "may not read the shop's languages" in message and "code 26" in message
    assert "--language-id N" in message and "allow GET on 'languages'" in message
    # and no product was read
    assert not [p for _, p in server.shop.requests if p.startswith("/api/products")]


def test_the_cli_refuses_with_exit_5_and_writes_nothing(server, tmp_path, capsys):
    server.shop.refused.add("languages")
    out = tmp_path / "catalogue.json"
    status = main(["pull-catalogue", "--url", server.url, "--key", KEY, "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 5
    assert "may not read the shop's languages" in err and "--language-id N" in err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_given_language_id_is_used_when_languages_cannot_be_read(server, tmp_path, capsys):
    server.shop.refused.add("languages")
    out = tmp_path / "catalogue.json"
    status = main(["pull-catalogue", "--url", server.url, "--key", KEY, "--language-id", "2", "--out", str(out)])
    doc = json.loads(out.read_text())
    assert status == 0, capsys.readouterr().err
    assert doc["french_language"] == {"id": 2, "from": "given"}
    assert [p["name"] for p in doc["products"]][:2] == ["Pain de campagne", "Maroilles AOP"]
    assert doc["products"][0]["names"] == {"fr": "Pain de campagne", "lang-1": "Pain de campagne (en)",
                                           "lang-3": "Pain de campagne (nl)"}


def test_a_given_language_id_that_is_not_french_is_refused(server, tmp_path, capsys):
    out = tmp_path / "catalogue.json"
    status = main(["pull-catalogue", "--url", server.url, "--key", KEY, "--language-id", "1", "--out", str(out)])
    assert status == 5
    assert "Language 1 of the shop is 'en', not French" in capsys.readouterr().err
    assert not out.exists()


def test_a_product_without_a_french_name_is_listed_for_review_never_shown_in_english(server, tmp_path, capsys):
    # given product 3 named only in English and Dutch
    server.shop.table("products")[3]["name"] = [{"id": "1", "value": "Rhubarb jam"}, {"id": "3", "value": "Rabarberjam"}]
    out = tmp_path / "catalogue.json"
    status = main(["pull-catalogue", "--url", server.url, "--key", KEY, "--out", str(out)])
    doc = json.loads(out.read_text())
    err = capsys.readouterr().err
    # then it is in the catalogue without a name, listed for review
    product = next(p for p in doc["products"] if p["ps_id"] == 3)
    assert status == 0
    assert product["name"] is None and product["names"] == {"en": "Rhubarb jam", "nl": "Rabarberjam"}
    assert product["review"][0]["code"] == "no_french_name"
    assert doc["review"] == [{"ps_id": 3, "code": "no_french_name", "reason": product["review"][0]["reason"]}]
    assert doc["totals"]["review"] == 1
    assert "to review: product 3 (no_french_name)" in err
    assert "Rhubarb jam" not in json.dumps(product["variants"])


def test_the_sync_refuses_in_french_and_uses_the_sources_language_id(source, saleor, server):
    server.shop.refused.add("languages")
    # when the sync runs without the source's French language id, then the run fails with a French reason
    with pytest.raises(LanguageUnknown):
        import_catalogue(source)
    run = SyncRun.objects.get(source=source)
    assert run.status == "failed"
    assert "ne peut pas lire les langues de la boutique" in run.error
    assert "Identifiant de la langue française" in run.error and run.created == 0
    # when staff give the French language id on the source, then the sync imports French names
    source.french_language_id = 2
    source.save()
    done = import_catalogue(source)
    assert done.status == "done" and done.created == 5
    mapping = IdMapping.objects.get(source=source, resource="product", ps_id="1")
    assert saleor.catalogue.get_product(product_id=mapping.saleor_id).name == "Pain de campagne"


def test_the_sync_imports_a_product_without_french_name_unpublished_and_lists_it(source, saleor, server):
    server.shop.table("products")[3]["name"] = [{"id": "1", "value": "Rhubarb jam"}]
    run = import_catalogue(source)
    assert run.created == 5
    assert [(r["ps_id"], r["code"]) for r in run.review] == [(3, "no_french_name")]
    mapping = IdMapping.objects.get(source=source, resource="product", ps_id="3")
    product = saleor.catalogue.get_product(product_id=mapping.saleor_id)
    assert product.is_published is False
    assert product.name == "Produit PrestaShop n° 3 (nom français à saisir)"
    other = saleor.catalogue.get_product(product_id=IdMapping.objects.get(source=source, resource="product", ps_id="1").saleor_id)
    assert other.is_published is True


def test_staff_set_the_french_language_id_in_the_admin(admin_client):
    page = admin_client.get("/admin/prestashop/prestashopsource/add/").content.decode()
    assert "Identifiant de la langue française" in page and "languages" in page
