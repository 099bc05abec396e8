"""Payment fixtures: the Saleor App's signing keys and installation, a market in the stand-in, shoppers."""

from tests.saleor.conftest import installation, jwks_server, market, saleor_keys  # noqa: F401
from tests.storefront.conftest import calendar_for, make_shopper, relay, two_vendors  # noqa: F401
from tests.vendors.conftest import make_product, make_vendor, saleor  # noqa: F401
