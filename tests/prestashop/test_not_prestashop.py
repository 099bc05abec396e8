"""Answers that are not PrestaShop's are errors that name the URL and what came back; nothing is written.

Each case is served by the project's double (``Shop.answers``); every exit status of
``pull-catalogue`` is covered here or in test_pull_catalogue.py / test_language.py.
"""

import json
import socket

import pytest

from integrations.prestashop.__main__ import EXIT, main
from integrations.prestashop.client import PrestaShopClient
from integrations.prestashop.errors import NotPrestaShopAnswer, staff_message
from integrations.prestashop.models import SyncRun
from integrations.prestashop.sync import import_catalogue

from .double import ANSWERS
from .seed import KEY


def pull(server_url, tmp_path, *extra):
    out = tmp_path / "catalogue.json"
    status = main(["pull-catalogue", "--url", server_url, "--key", KEY, "--out", str(out), *extra])
    return status, out


@pytest.mark.parametrize(
    ("case", "words"),
    [("empty 200", "HTTP 200 with an empty body"),
     ("HTML", "HTTP 200 with an HTML page ('<!DOCTYPE html><html><head><title>Maintenance"),
     ("JSON scalar", "HTTP 200 with a JSON number (42)"),
     ("other XML", "<rss>")],
)
def test_the_connection_check_needs_a_real_webservice_root(server, tmp_path, capsys, case, words):
    # given a server whose /api/ answers something that is not a Webservice root
    server.shop.answers[""] = ANSWERS[case]
    # when the catalogue is pulled
    status, out = pull(server.url, tmp_path)
    err = capsys.readouterr().err
    # then it stops at the connection check with exit 4, naming the URL and what came back
    assert status == EXIT["not_prestashop"] == 4
    assert f"{server.url}api/ did not give a PrestaShop Webservice answer" in err and words in err
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert "products" not in err


@pytest.mark.parametrize(
    ("case", "fmt", "words"),
    [("empty 200", "XML", "HTTP 200 with an empty body"),
     ("HTML", "XML", "HTTP 200 with an HTML page"),
     ("JSON scalar", "JSON", "HTTP 200 with a JSON number (42)"),
     ("other XML", "XML", "XML whose root is <rss>, not <prestashop>")],
)
def test_a_resource_answering_something_else_fails_the_pull_instead_of_giving_no_products(
        server, tmp_path, capsys, case, fmt, words):
    # given a real root, but /api/products answering something that is not PrestaShop's
    server.shop.answers["products"] = ANSWERS[case]
    status, out = pull(server.url, tmp_path, "--format", fmt)
    err = capsys.readouterr().err
    # then no "0 products" success: exit 4, the URL and what came back, no file
    assert status == 4
    assert f"{server.url}api/products did not give a PrestaShop Webservice answer" in err and words in err
    assert "0 products" not in err and not out.exists()


def test_every_answer_empty_is_not_an_empty_catalogue(server, tmp_path, capsys):
    server.shop.answers["*"] = ANSWERS["empty 200"]
    status, out = pull(server.url, tmp_path)
    assert status == 4 and "with an empty body" in capsys.readouterr().err and not out.exists()


def test_malformed_json_says_the_json_could_not_be_parsed(server, tmp_path, capsys):
    server.shop.answers["languages"] = ANSWERS["bad JSON"]
    status, out = pull(server.url, tmp_path, "--format", "JSON")
    err = capsys.readouterr().err
    assert status == 4
    assert "the JSON could not be parsed" in err and "XML" not in err.split("error:")[1].split(".")[0]
    assert f"{server.url}api/languages" in err and not out.exists()


def test_a_refused_connection_says_the_shop_did_not_answer(tmp_path, capsys):
    # given a port nobody listens on
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with PrestaShopClient(url, KEY, sleep=lambda s: None) as client, pytest.raises(Exception) as caught:
        client.probe()
    assert str(caught.value) == f"PrestaShop at {url}api/ did not answer (connection refused)"
    assert staff_message(caught.value) == f"La boutique PrestaShop n'a pas répondu (connexion refusée) à {url}api/."
    # and the command exits 3 with the same words ("HTTP None" nowhere)
    status, out = pull(url, tmp_path, "--timeout", "2")
    err = capsys.readouterr().err
    assert status == EXIT["unreadable"] == 3
    assert "did not answer (connection refused)" in err and "HTTP None" not in err and not out.exists()


def test_a_401_without_prestashop_code_says_so(server, tmp_path, capsys):
    # given something in front of the shop answering 401 in plain text
    server.shop.answers["*"] = ANSWERS["401 plain"]
    status, out = pull(server.url, tmp_path)
    err = capsys.readouterr().err
    assert status == EXIT["key_refused"] == 2
    assert "HTTP 401 without a PrestaShop error code" in err and "'Unauthorized'" in err
    assert "code None" not in err and not out.exists()


def test_a_500_that_lasts_exits_3_naming_the_status(server, tmp_path, capsys):
    server.shop.fail_after = 0
    with PrestaShopClient(server.url, KEY, sleep=lambda s: None) as client, pytest.raises(Exception) as caught:
        client.probe()
    assert "PrestaShop answered HTTP 500" in str(caught.value) and "code 46" in str(caught.value)


def test_the_sync_fails_with_a_french_message_on_an_html_page(source, server):
    server.shop.answers[""] = ANSWERS["HTML"]
    with pytest.raises(NotPrestaShopAnswer):
        import_catalogue(source)
    run = SyncRun.objects.get(source=source)
    assert run.status == "failed" and run.created == 0
    assert run.error.startswith(f"L'adresse {server.url}api/ n'a pas donné une réponse du Webservice PrestaShop")
    assert "HTML" in run.error and "Vérifiez l'adresse de la boutique" in run.error


def test_a_good_shop_still_exits_0(server, tmp_path):
    status, out = pull(server.url, tmp_path)
    assert status == 0 and json.loads(out.read_text())["totals"]["products"] == 5


def test_a_url_that_is_not_http_exits_64_before_any_request(tmp_path, capsys):
    status, out = pull("ftp://shop.example/", tmp_path)
    assert status == EXIT["usage"] == 64
    assert "is not an absolute http(s) URL" in capsys.readouterr().err and not out.exists()


def test_staff_check_the_connection_from_the_admin_in_french(admin_client, source, server):
    from .double import ANSWERS

    changelist = "/admin/prestashop/prestashopsource/"
    action = {"action": "check_connection", "_selected_action": [source.pk]}
    page = admin_client.post(changelist, action, follow=True).content.decode()
    assert "connexion correcte, PrestaShop 8.1.2, français = langue n° 2 (lue dans la boutique)" in page
    # an HTML page at the Webservice root is not a shop
    server.shop.answers[""] = ANSWERS["HTML"]
    page = admin_client.post(changelist, action, follow=True).content.decode()
    assert "n&#x27;a pas donné une réponse du Webservice PrestaShop" in page and "connexion correcte" not in page
    # a key that may not read languages: the way out is named
    server.shop.answers.clear()
    server.shop.refused.add("languages")
    page = admin_client.post(changelist, action, follow=True).content.decode()
    assert "Identifiant de la langue française" in page
