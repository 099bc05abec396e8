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


@pytest.fixture
def saleor(db):
    """The Saleor port as the app gets it (the PostgreSQL stand-in when no SALEOR_API_URL)."""
    from marketplace.saleor.port import get_saleor

    return get_saleor()


@pytest.fixture
def make_vendor(communes, saleor):
    """Register one of our vendors (and its Saleor warehouse) through the onboarding action."""
    from decimal import Decimal

    from marketplace.vendors import actions
    from marketplace.vendors.models import Vendor
    from marketplace.vendors.seed import siret_for

    def make(slug: str, commune: str = "Maroilles", siren: str = "12345678") -> Vendor:
        place = communes.get(name=commune)
        vendor = Vendor(name=slug.replace("-", " ").title(), slug=slug, kind=Vendor.Kind.MERCHANT,
                        legal_name=f"{slug} SARL", siret=siret_for(siren), address=f"1 rue de {commune}",
                        commune=place, lon=place.lon, lat=place.lat, commission_rate=Decimal("10.00"))
        outcome = actions.register_vendor(vendor)
        assert outcome.synced, outcome.message
        return vendor

    return make


@pytest.fixture
def source(db, server, make_vendor):
    """The double registered as a PrestaShop source; manufacturers 1-3 linked, shop 1 as default."""
    from integrations.prestashop.models import PrestaShopSource, VendorLink

    bakery = make_vendor("boulangerie-martin", "Bavay", "11111111")
    farm = make_vendor("ferme-du-bois", "Locquignol", "22222222")
    cheese = make_vendor("fromagerie-avesnois", "Maroilles", "33333333")
    cci = make_vendor("cci-grand-hainaut", "Le Quesnoy", "44444444")
    src = PrestaShopSource(name="CCI Grand Hainaut", url=server.url, default_vendor=cci)
    src.set_key(KEY)
    src.save()
    for ref, vendor in (("manufacturer:1", bakery), ("manufacturer:2", farm), ("manufacturer:3", cheese)):
        VendorLink.objects.create(source=src, vendor_ref=ref, vendor=vendor)
    return src
