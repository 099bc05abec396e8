"""The real HTTP client against the Webservice double: auth, formats, paging, retries, safety."""

import httpx
import pytest

from integrations.prestashop.client import PrestaShopClient, api_root, between, one_of
from integrations.prestashop.errors import (
    MalformedResponse,
    PrestaShopAuthError,
    PrestaShopError,
    PrestaShopTransportError,
    PrestaShopVersionError,
)

from .seed import INACTIVE_KEY, KEY, NO_RIGHTS_KEY, cci_shop


@pytest.mark.parametrize(
    ("key", "code", "words"),
    [("", 17, "empty"), ("short-key", 18, "32 characters"), (INACTIVE_KEY, 20, "not active"),
     (NO_RIGHTS_KEY, 21, "no permission")],
)
def test_a_refused_key_raises_an_auth_error_naming_the_code(server, key, code, words):
    # given a client with a bad key
    bad = PrestaShopClient(server.url, key, sleep=lambda s: None)
    # when it reads
    with pytest.raises(PrestaShopAuthError) as caught:
        bad.get_list("products")
    # then the error carries PrestaShop's code and says it in words, without retrying a 4xx
    assert caught.value.status == 401
    assert caught.value.code == code
    assert f"code {code}" in str(caught.value) and words in str(caught.value)
    assert bad.request_count == 1


def test_the_key_also_works_as_ws_key_parameter(server):
    with PrestaShopClient(server.url, KEY, auth="query") as c:
        assert [r["id"] for r in c.get_list("manufacturers", display=None)] == ["1", "2", "3"]
    assert all("ws_key=" in path for _, path in server.shop.requests)


def test_the_double_answers_401_with_the_prestashop_realm(server):
    response = httpx.get(server.url + "api/products", auth=("x" * 31, ""))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith('Basic realm="Welcome to PrestaShop Webservice')
    assert "<code><![CDATA[18]]></code>" in response.text


def test_xml_and_json_reads_decode_to_the_same_record(client, json_client):
    xml_product = client.get_record("products", 2)
    json_product = json_client.get_record("products", 2)
    assert xml_product["name"] == json_product["name"]
    assert xml_product["name"][1] == {"id": "2", "value": "Maroilles AOP"}
    assert xml_product["associations"]["combinations"] == [{"id": "1"}, {"id": "2"}]
    assert json_product["associations"]["combinations"] == [{"id": "1"}, {"id": "2"}]


def test_an_empty_json_list_is_the_bare_brackets_quirk_and_reads_as_no_records(server, json_client):
    raw = httpx.get(server.url + "api/products", params={"output_format": "JSON", "filter[id]": "[999]"}, auth=(KEY, ""))
    assert raw.text == "[]"
    assert json_client.get_list("products", filters={"id": "[999]"}) == []


def test_pages_are_read_with_limit_offset_count_until_a_short_page(server, client):
    pages = list(client.iter_pages("products", page_size=2, display=None))
    assert [offset for offset, _ in pages] == [0, 2, 4]
    assert [len(records) for _, records in pages] == [2, 2, 1]
    limits = [path.split("limit=")[1].split("&")[0] for _, path in server.shop.requests]
    assert limits == ["0%2C2", "2%2C2", "4%2C2"]


def test_date_filters_need_date_1_and_select_what_changed(server, client):
    server.shop.table("products")[3]["date_upd"] = "2026-11-28 12:00:00"
    changed = client.get_list("products", display="[id,date_upd]", date=True,
                              filters={"date_upd": between("2026-11-28 00:00:00", "2026-11-29 00:00:00")})
    assert [r["id"] for r in changed] == ["3"]
    with pytest.raises(PrestaShopError) as caught:
        client.get_list("products", filters={"date_upd": between("2026-11-28 00:00:00", "2026-11-29 00:00:00")})
    assert caught.value.status == 400


def test_one_of_filter_selects_several_ids(client):
    rows = client.get_list("stock_availables", filters={"id_product": one_of([1, 3])})
    assert sorted(r["id_product"] for r in rows) == ["1", "3"]


def test_5xx_is_retried_with_backoff_then_succeeds(server, client, pauses):
    server.shop.flaky = 2
    assert len(client.get_list("manufacturers")) == 3
    assert client.request_count == 3
    assert pauses == [0.5, 1.0]


def test_retries_are_bounded_and_end_in_a_transport_error(server, pauses):
    server.shop.flaky = 10
    c = PrestaShopClient(server.url, KEY, max_attempts=3, sleep=pauses.append)
    with pytest.raises(PrestaShopTransportError) as caught:
        c.get_list("products")
    assert caught.value.status == 500 and caught.value.code == 46
    assert c.request_count == 3 and len(server.shop.requests) == 3


def test_a_network_error_is_retried_then_reported(pauses):
    c = PrestaShopClient("http://127.0.0.1:9/", KEY, max_attempts=2, sleep=pauses.append, timeout=1)
    with pytest.raises(PrestaShopTransportError) as caught:
        c.get_list("products")
    assert caught.value.status is None and "did not answer (connection refused)" in str(caught.value)
    assert "ConnectError" in caught.value.errors[0].message
    assert c.request_count == 2


def test_create_posts_xml_and_gets_201_with_the_new_id(server, client):
    created = client.create("stock_availables", {"id_product": "3", "id_product_attribute": "0", "quantity": "4",
                                                 "depends_on_stock": "0", "out_of_stock": "2"})
    assert int(created["id"]) == max(server.shop.table("stock_availables"))
    method, _ = server.shop.requests[-1]
    assert method == "POST"


@pytest.mark.parametrize(("fields", "code"), [({"id": "7", "price": "1"}, 91), ({"price": "1", "quantity": "3"}, 93),
                                               ({"reference": "X"}, 41)])
def test_create_errors_carry_the_400_code(client, fields, code):
    with pytest.raises(PrestaShopError) as caught:
        client.create("products", fields)
    assert caught.value.status == 400 and caught.value.code == code


def test_the_double_refuses_a_put_without_id_with_code_90(server):
    body = b"<prestashop><stock_available><quantity>3</quantity></stock_available></prestashop>"
    response = httpx.put(server.url + "api/stock_availables/1", content=body, auth=(KEY, ""))
    assert response.status_code == 400 and "<![CDATA[90]]>" in response.text


def test_patch_changes_only_the_given_field_on_prestashop_8(server, client):
    client.patch("stock_availables", 1, {"quantity": "5"})
    row = server.shop.table("stock_availables")[1]
    assert row["quantity"] == "5" and row["id_product"] == "1"
    assert client.version == "8.1.2"


def test_patch_is_refused_locally_before_prestashop_8(pauses):
    from .double import DoubleServer

    srv = DoubleServer(cci_shop(version="1.7.8.11")).start()
    try:
        c = PrestaShopClient(srv.url, KEY, sleep=pauses.append)
        with pytest.raises(PrestaShopVersionError):
            c.patch("stock_availables", 1, {"quantity": "5"})
        assert all(method != "PATCH" for method, _ in srv.shop.requests)
    finally:
        srv.stop()


def test_a_billion_laughs_body_is_rejected_before_expansion(server, client):
    server.shop.bomb = True
    with pytest.raises(MalformedResponse) as caught:
        client.get_list("products")
    assert "unsafe XML" in str(caught.value)


def test_invalid_xml_is_a_malformed_response(server, client):
    server.shop.corrupt["products"] = {2}
    with pytest.raises(MalformedResponse):
        client.get_record("products", 2)


def test_unknown_id_is_404(client):
    with pytest.raises(PrestaShopError) as caught:
        client.get_record("products", 404)
    assert caught.value.status == 404


def test_bad_urls_are_refused_in_plain_words():
    assert api_root("https://shop.example") == "https://shop.example/api/"
    assert api_root("https://shop.example/api") == "https://shop.example/api/"
    with pytest.raises(ValueError, match="not an absolute"):
        api_root("shop.example")


def test_a_disabled_webservice_is_reported_at_once_not_retried(server, client):
    server.shop.disabled = True
    with pytest.raises(PrestaShopError) as caught:
        client.get_list("products")
    assert caught.value.status == 503 and caught.value.code == 22
    assert client.request_count == 1
