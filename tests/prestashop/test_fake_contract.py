"""The in-memory PrestaShop fake is pinned to the HTTP double: the same shop reads the same."""

import copy

import pytest

from integrations.prestashop.errors import PrestaShopError, PrestaShopVersionError
from integrations.prestashop.ports import InMemoryPrestaShop, PrestaShopPort
from integrations.prestashop.pull import pull_catalogue

from .seed import add_orders, cci_shop


def test_the_fake_and_the_real_client_read_the_same_catalogue(client, shop):
    # given the same records behind the HTTP double and the in-memory fake
    fake = InMemoryPrestaShop(copy.deepcopy(shop.records), root=client.root)
    assert isinstance(fake, PrestaShopPort) and isinstance(client, PrestaShopPort)
    # when both are read by the same pull
    over_http = pull_catalogue(client, page_size=2).to_json()
    in_memory = pull_catalogue(fake, page_size=2).to_json()
    # then the catalogues are equal, request for request
    assert over_http.pop("source")["request_count"] == in_memory.pop("source")["request_count"]
    assert over_http == in_memory


def test_the_fake_applies_prestashop_filters_and_write_rules():
    shop = cci_shop()
    add_orders(shop)
    fake = InMemoryPrestaShop(copy.deepcopy(shop.records), version="1.7.8.11")
    assert [r["id"] for r in fake.get_list("orders", display=None, date=True,
                                           filters={"date_add": "[2026-11-22 00:00:00,2026-11-30 00:00:00]"})] == ["2", "3", "4", "5", "6"]
    assert [r["id"] for r in fake.get_list("products", display=None, filters={"id": ">[3]"})] == ["4", "5"]
    with pytest.raises(PrestaShopError) as caught:
        fake.create("products", {"id": "9", "price": "1"})
    assert caught.value.code == 91
    with pytest.raises(PrestaShopVersionError):
        fake.patch("stock_availables", 1, {"quantity": "1"})
