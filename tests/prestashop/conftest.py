"""Fixtures: a real Webservice double on loopback, and the real client pointed at it."""

import pytest

from integrations.prestashop.client import PrestaShopClient

from .double import DoubleServer
from .seed import KEY, cci_shop


@pytest.fixture
def shop():
    """The small CCI shop (five products, three manufacturers, PrestaShop 8.1.2)."""
    return cci_shop()


@pytest.fixture
def server(shop):
    """The double serving ``shop`` on 127.0.0.1 (random port), stopped after the test."""
    srv = DoubleServer(shop).start()
    yield srv
    srv.stop()


@pytest.fixture
def pauses():
    """The pauses the client would have slept, in seconds (tests never wait)."""
    return []


@pytest.fixture
def client(server, pauses):
    """The real HTTP client on the double, reading XML."""
    with PrestaShopClient(server.url, KEY, sleep=pauses.append, timeout=5) as c:
        yield c


@pytest.fixture
def json_client(server, pauses):
    """The real HTTP client on the double, reading JSON."""
    with PrestaShopClient(server.url, KEY, output_format="JSON", sleep=pauses.append, timeout=5) as c:
        yield c
