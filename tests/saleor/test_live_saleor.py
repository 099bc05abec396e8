"""The same flows against a real Saleor 3 (skipped unless SALEOR_API_URL and SALEOR_APP_TOKEN are set).

Run, as the README says::

    SALEOR_API_URL=http://127.0.0.1:8100/graphql/ SALEOR_APP_TOKEN=... python3 run.py test tests/saleor/test_live_saleor.py

(``python -m pytest`` in the virtual environment works too, with ``DATABASE_URL`` set.)

The tests use their own channel (``SALEOR_LIVE_CHANNEL``, default ``mormal-live``), created with
a French shipping zone if missing, and unique names, so they can run again on the same Saleor.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.utils import timezone
from graphql import parse, validate

from marketplace.payments import actions as payments
from marketplace.saleor import port
from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.documents import load_document
from marketplace.saleor.errors import SaleorValidationError
from marketplace.saleor.gateway import SaleorGateway
from marketplace.saleor.manifest import PERMISSIONS as MANIFEST_PERMISSIONS
from marketplace.saleor.schema import saleor_schema
from marketplace.storefront.error_codes import StorefrontErrorCode as Code
from tests.storefront.conftest import calendar_for, make_shopper  # noqa: F401  (shared fixtures)
from tests.vendors.conftest import make_product, make_vendor  # noqa: F401

API_URL = os.environ.get("SALEOR_API_URL", "")
TOKEN = os.environ.get("SALEOR_APP_TOKEN", "")

pytestmark = [
    pytest.mark.saleor_live,
    pytest.mark.skipif(
        not (API_URL and TOKEN),
        reason="no real Saleor configured: set SALEOR_API_URL and SALEOR_APP_TOKEN to run these flows against one",
    ),
]


STAFF_EMAIL = os.environ.get("SALEOR_STAFF_EMAIL", "")
STAFF_PASSWORD = os.environ.get("SALEOR_STAFF_PASSWORD", "")


needs_staff = pytest.mark.skipif(
    not (STAFF_EMAIL and STAFF_PASSWORD),
    reason="installing the App needs a Saleor staff account: set SALEOR_STAFF_EMAIL and SALEOR_STAFF_PASSWORD",
)


@pytest.fixture(scope="module")
def live():
    gateway = SaleorGateway(
        SaleorGraphQLClient(API_URL, TOKEN), os.environ.get("SALEOR_LIVE_CHANNEL", "mormal-live")
    )
    gateway.setup.ensure_sales_setup()
    return gateway


@pytest.fixture(scope="module")
def live_market(live):
    tag = uuid.uuid4().hex[:8]

    def address(street, postal_code, city):
        return port.Address(street, postal_code, city, first_name="Anne", last_name="Leroy")

    martin = live.warehouses.create(
        port.WarehouseInput(
            f"Boulangerie Martin {tag}",
            address("1 rue de la Gare", "59530", "Le Quesnoy"),
            click_and_collect=port.ClickAndCollect.LOCAL,
            is_private=False,
            metadata={port.VENDOR_METADATA_KEY: f"martin-{tag}"},
        )
    )
    dupont = live.warehouses.create(
        port.WarehouseInput(
            f"Ferme Dupont {tag}",
            address("2 chemin du Moulin", "59570", "Bavay"),
            metadata={port.VENDOR_METADATA_KEY: f"dupont-{tag}"},
        )
    )
    relay = live.warehouses.create(
        port.WarehouseInput(
            f"Mairie de Jolimetz {tag}",
            address("1 place de la Mairie", "59530", "Jolimetz"),
            click_and_collect=port.ClickAndCollect.ALL,
            is_private=False,
        )
    )
    category = live.catalogue.ensure_category("Produits du Pays de Mormal", "produits-mormal-live")
    product_type = live.catalogue.ensure_product_type("Produit local", "produit-local-live")
    bread = live.catalogue.create_product(
        port.ProductInput(
            f"Baguette {tag}",
            product_type.id,
            category.id,
            f"martin-{tag}",
            attributes={"temperature": "ambient"},
        )
    )
    bread_v = live.catalogue.create_variant(
        bread.id,
        port.VariantInput(f"BAG-{tag}", Decimal("1.20"), stocks=(port.StockLevel(martin.id, 30),)),
    )
    eggs = live.catalogue.create_product(
        port.ProductInput(f"Oeufs {tag}", product_type.id, category.id, f"dupont-{tag}")
    )
    eggs_v = live.catalogue.create_variant(
        eggs.id,
        port.VariantInput(
            f"OEU-{tag}",
            Decimal("2.60"),
            weight_kg=Decimal("0.4"),
            stocks=(port.StockLevel(dupont.id, 5),),
        ),
    )
    return {
        "tag": tag,
        "martin": martin,
        "dupont": dupont,
        "relay": relay,
        "bread": bread,
        "bread_v": bread_v,
        "eggs": eggs,
        "eggs_v": eggs_v,
        "home": address("3 rue Haute", "59530", "Jolimetz"),
    }


def test_live_catalogue_round_trip(live, live_market):
    product = live.catalogue.get_product(live_market["bread"].id)
    assert product.vendor_slug == f"martin-{live_market['tag']}"
    assert product.attributes["temperature"] == "ambient"
    assert product.variants[0].price.amount == Decimal("1.20")
    assert product.variants[0].stocks[0].quantity == 30
    listed = live.catalogue.list_products(port.ProductQuery(vendor_slugs=[f"dupont-{live_market['tag']}"]))
    assert [p.id for p in listed.products] == [live_market["eggs"].id]


@needs_staff
def test_live_checkout_from_two_warehouses_to_a_relay_point(live, live_market, installed_app):
    checkout = live.checkout.create(
        [
            port.CheckoutLineInput(live_market["bread_v"].id, 2),
            port.CheckoutLineInput(live_market["eggs_v"].id, 1),
        ],
        email="anne@example.fr",
    )
    points = {p.id for p in live.checkout.collection_points(checkout.id)}
    assert live_market["relay"].id in points and live_market["martin"].id not in points
    live.checkout.set_billing_address(checkout.id, live_market["home"])
    checkout = live.checkout.set_delivery_method(checkout.id, live_market["relay"].id)
    assert checkout.total.amount == Decimal("5.00")
    assert payments.pay_by_hand(live, checkout.id, "cash", f"live-{uuid.uuid4().hex[:8]}").succeeded
    order = live.checkout.complete(checkout.id)
    assert order.authorize_status == "FULL"
    assert {ln.sku: ln.warehouse_ids for ln in order.lines} == {
        f"BAG-{live_market['tag']}": (live_market["martin"].id,),
        f"OEU-{live_market['tag']}": (live_market["dupont"].id,),
    }
    mine = live.orders.find(port.OrderQuery(vendor_slug=f"dupont-{live_market['tag']}"))
    assert [o.id for o in mine] == [order.id]
    (eggs_line,) = order.lines_for_vendor(f"dupont-{live_market['tag']}")
    (fulfillment,) = live.orders.fulfill(
        order.id, [port.FulfillmentLineInput(eggs_line.id, live_market["dupont"].id, 1)]
    )
    assert fulfillment.warehouse_id == live_market["dupont"].id


@needs_staff
def test_live_shopper_is_a_customer_and_the_order_is_attached_to_it(live, live_market, installed_app):
    # given a shopper's account, made a Saleor customer by the App (customerCreate)
    email = f"odette-{live_market['tag']}@exemple.fr"
    customer = live.customers.create(email, "Odette", "Leroy", external_reference=f"mormal-live-{live_market['tag']}")
    assert live.customers.get(email=email).id == customer.id
    assert live.customers.get(external_reference=f"mormal-live-{live_market['tag']}").id == customer.id
    with pytest.raises(SaleorValidationError) as refused:
        live.customers.create(email)  # one customer per e-mail
    assert "UNIQUE" in refused.value.codes
    # when her checkout is attached to her (checkoutCustomerAttach as the App, IMPERSONATE_USER)
    checkout = live.checkout.create([port.CheckoutLineInput(live_market["bread_v"].id, 1)], email="autre@example.fr")
    checkout = live.checkout.attach_customer(checkout.id, customer.id)
    assert checkout.customer_id == customer.id and checkout.email == email  # Saleor takes her e-mail
    live.checkout.set_billing_address(checkout.id, live_market["home"])
    live.checkout.set_delivery_method(checkout.id, live_market["relay"].id)
    assert payments.pay_by_hand(live, checkout.id, "cash", f"live-cust-{live_market['tag']}").succeeded
    order = live.checkout.complete(checkout.id)
    # then the order belongs to her in Saleor, and a changed e-mail follows (customerUpdate)
    assert order.customer_id == customer.id and order.email == email
    assert live.orders.get(order.id).customer_id == customer.id
    changed = live.customers.update(customer.id, email=f"odette.b-{live_market['tag']}@exemple.fr")
    assert changed.email == f"odette.b-{live_market['tag']}@exemple.fr"


@needs_staff
def test_live_cancel_releases_the_order(live, live_market, installed_app):
    checkout = live.checkout.create(
        [port.CheckoutLineInput(live_market["bread_v"].id, 1)], email="anne@example.fr"
    )
    live.checkout.set_billing_address(checkout.id, live_market["home"])
    live.checkout.set_delivery_method(checkout.id, live_market["martin"].id)
    assert payments.pay_by_hand(live, checkout.id, "cash", f"cash-{uuid.uuid4().hex[:8]}").succeeded
    order = live.checkout.complete(checkout.id)
    assert (order.authorize_status, order.charge_status) == ("FULL", "NONE")
    assert live.orders.cancel(order.id).status == "CANCELED"


WEBHOOK_CREATE = """
mutation LiveWebhookCreate($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { webhook { id } errors { field code message } }
}
"""
WEBHOOK_DELETE = (
    "mutation LiveWebhookDelete($id: ID!) { webhookDelete(id: $id) { errors { code } } }"
)


def test_live_signed_webhook_verifies_with_our_jws_code(live, live_market, db):
    """Saleor delivers our stock subscription to a loopback receiver; we verify its signature."""
    from marketplace.saleor.jws import verify_signature
    from marketplace.saleor.models import SaleorInstallation
    from marketplace.saleor.parsing import variant as parse_variant

    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    for document in (WEBHOOK_CREATE, WEBHOOK_DELETE):
        assert validate(saleor_schema(), parse(document)) == []
    http = httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    query = load_document("subscriptions/product_variant_stock_updated")
    created = http.post(
        API_URL,
        json={
            "query": WEBHOOK_CREATE,
            "variables": {
                "input": {
                    "name": f"live-test-{live_market['tag']}",
                    "targetUrl": f"http://127.0.0.1:{httpd.server_address[1]}/hook",
                    "asyncEvents": ["PRODUCT_VARIANT_STOCK_UPDATED"],
                    "isActive": True,
                    "query": query,
                }
            },
        },
    ).json()
    webhook = created["data"]["webhookCreate"]
    assert webhook["errors"] == []
    try:
        live.catalogue.set_variant_stocks(
            live_market["eggs_v"].id, [port.StockLevel(live_market["dupont"].id, 7)]
        )
        deadline = time.monotonic() + 60
        while not received and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        http.post(
            API_URL, json={"query": WEBHOOK_DELETE, "variables": {"id": webhook["webhook"]["id"]}}
        )
        httpd.shutdown()
    assert received, (
        "Saleor did not deliver the webhook within 60 s (is its Celery worker running?)"
    )
    headers, body = received[0]
    installation = SaleorInstallation(
        saleor_api_url=headers["Saleor-Api-Url"], domain=headers["Saleor-Domain"], jwks={}
    )
    installation.save()
    verify_signature(
        installation, headers["Saleor-Signature"], body
    )  # raises if it does not verify
    payload = json.loads(body)
    assert (
        parse_variant(payload["productVariant"], live.channel_slug).id == live_market["eggs_v"].id
    )
    from marketplace.saleor.jws import SignatureError

    with pytest.raises(SignatureError):
        verify_signature(installation, headers["Saleor-Signature"], body.replace(b"7", b"8", 1))


def test_live_saleor_accepts_every_manifest_webhook(live):
    """Saleor validates subscription queries on webhookCreate (incl. sync-webhook restrictions)."""
    from marketplace.saleor.manifest import build_manifest

    http = httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    for hook in build_manifest()["webhooks"]:
        answer = http.post(
            API_URL,
            json={
                "query": WEBHOOK_CREATE,
                "variables": {
                    "input": {
                        "name": f"probe {hook['name']}",
                        "targetUrl": "http://localhost:8019/never",
                        "isActive": False,
                        "asyncEvents": hook["asyncEvents"],
                        "syncEvents": hook["syncEvents"],
                        "query": hook["query"],
                    }
                },
            },
        ).json()
        result = answer["data"]["webhookCreate"]
        assert result["errors"] == [], (hook["name"], result["errors"])
        http.post(
            API_URL, json={"query": WEBHOOK_DELETE, "variables": {"id": result["webhook"]["id"]}}
        )


#: What staff grant at install: exactly what the manifest asks for (vouchers added MANAGE_GIFT_CARD).
APP_PERMISSIONS = list(MANIFEST_PERMISSIONS)


def _wait_for(condition, timeout_s: float = 90, what: str = "the condition"):
    """Poll ``condition`` every half second; fail with ``what`` after ``timeout_s`` seconds."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen within {timeout_s:.0f} s")


@pytest.fixture
def installed_app(live_server, settings, transactional_db):
    """Saleor installs the App from our manifest (served by ``live_server``); yields its registered token.

    ``appInstall`` makes Saleor's worker fetch the manifest, call ``/saleor/api/register`` with
    the token and create the manifest's webhooks aimed at ``live_server``. The App is deleted
    afterwards.
    """
    from marketplace.saleor.installation import app_token
    from marketplace.saleor.models import SaleorInstallation

    settings.APP_PUBLIC_URL = live_server.url
    manifest_url = f"{live_server.url}/saleor/api/manifest"
    http = httpx.Client(timeout=20)
    login = http.post(
        API_URL,
        json={
            "query": "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token } }",
            "variables": {"e": STAFF_EMAIL, "p": STAFF_PASSWORD},
        },
    ).json()
    staff = {"Authorization": f"Bearer {login['data']['tokenCreate']['token']}"}
    install = http.post(
        API_URL,
        headers=staff,
        json={
            "query": """
        mutation($url: String!, $perms: [PermissionEnum!]) { appInstall(input: {appName: "Mormal (live test)",
          manifestUrl: $url, permissions: $perms}) { appInstallation { id } errors { message } } }""",
            "variables": {
                "url": manifest_url,
                "perms": APP_PERMISSIONS,
            },
        },
    ).json()
    assert install["data"]["appInstall"]["errors"] == []
    installation_id = install["data"]["appInstall"]["appInstallation"]["id"]

    def registered() -> bool:
        if SaleorInstallation.objects.filter(saleor_api_url=API_URL).exists():
            return True
        jobs = http.post(
            API_URL, headers=staff, json={"query": "{ appsInstallations { id status message } }"}
        ).json()["data"]["appsInstallations"]
        failed = [j for j in jobs if j["id"] == installation_id and j["status"] == "FAILED"]
        if failed:  # e.g. another install of our manifest id: Saleor allows one per identifier
            http.post(
                API_URL,
                headers=staff,
                json={
                    "query": "mutation($id: ID!) { appDeleteFailedInstallation(id: $id) { errors { message } } }",
                    "variables": {"id": installation_id},
                },
            )
            pytest.fail(f"Saleor could not install the App: {failed[0]['message']}")
        return False

    def our_app_id() -> str | None:
        # Saleor answers /register before it commits the App, so look it up by manifest URL
        apps = http.post(
            API_URL,
            headers=staff,
            json={"query": "{ apps(first: 100) { edges { node { id manifestUrl } } } }"},
        ).json()["data"]["apps"]["edges"]
        ids = [e["node"]["id"] for e in apps if e["node"]["manifestUrl"] == manifest_url]
        return ids[-1] if ids else None

    try:
        _wait_for(registered, what="Saleor's call to /saleor/api/register")
        _wait_for(our_app_id, what="the App in Saleor's app list")
        yield app_token(API_URL)
    finally:
        app_id = our_app_id()
        if app_id:
            http.post(
                API_URL,
                headers=staff,
                json={
                    "query": "mutation($id: ID!) { appDelete(id: $id) { errors { message } } }",
                    "variables": {"id": app_id},
                },
            )


@needs_staff
def test_live_app_install_register_and_signed_order_webhooks(live, installed_app):
    """Saleor installs the App from our manifest, registers its token, then sends signed order webhooks."""
    from marketplace.saleor.models import WebhookEvent

    token = installed_app
    assert token
    # the registered (decrypted) token works, and an order made with it comes back as signed webhooks
    gateway = SaleorGateway(SaleorGraphQLClient(API_URL, token), live.channel_slug)
    tag = uuid.uuid4().hex[:6]
    home = port.Address(
        "1 rue de la Gare", "59530", "Le Quesnoy", first_name="Anne", last_name="Leroy"
    )
    shop = gateway.warehouses.create(
        port.WarehouseInput(
            f"Fromagerie {tag}",
            home,
            click_and_collect=port.ClickAndCollect.LOCAL,
            is_private=False,
        )
    )
    kind = gateway.catalogue.ensure_product_type("Produit local", "produit-local-live")
    category = gateway.catalogue.ensure_category("Produits du Pays de Mormal", "produits-mormal-live")
    cheese = gateway.catalogue.create_product(
        port.ProductInput(f"Maroilles {tag}", kind.id, category.id, f"fromagerie-{tag}")
    )
    cheese_v = gateway.catalogue.create_variant(
        cheese.id,
        port.VariantInput(f"MAR-{tag}", Decimal("7.90"), stocks=(port.StockLevel(shop.id, 4),)),
    )
    checkout = gateway.checkout.create(
        [port.CheckoutLineInput(cheese_v.id, 1)], email="anne@example.fr", billing_address=home
    )
    gateway.checkout.set_delivery_method(checkout.id, shop.id)
    paid = payments.pay_by_hand(gateway, checkout.id, "cash", f"live-{tag}")
    order = gateway.checkout.complete(checkout.id)
    # the shop takes the cash: Saleor asks our payment app to charge it, and the order is paid
    payments.record_collection(paid.transaction.id, timezone.now())
    payments.charge_collected(gateway, paid.transaction.id)
    wanted = {"ORDER_CREATED", "ORDER_FULLY_PAID"}

    def received():
        got = set(
            WebhookEvent.objects.filter(saleor_api_url=API_URL).values_list("event_type", flat=True)
        )
        return wanted <= got

    _wait_for(received, what=f"signed deliveries of {sorted(wanted)}")
    events = {e.event_type: e for e in WebhookEvent.objects.filter(saleor_api_url=API_URL)}
    from marketplace.saleor.webhooks import received_event

    assert received_event(events["ORDER_FULLY_PAID"]).order.number == order.number


def _fresh_ids_for_external_references() -> None:
    """Start our ids at a random height: Saleor keeps ``vendor:<pk>``, ``product:<pk>``,
    ``variant:<pk>`` and ``relay:<pk>`` references (and ``relais-<pk>`` slugs) unique, and the
    live Saleor outlives the test database."""
    import random

    from django.db import connection

    from marketplace.territory.models import RelayPoint
    from marketplace.vendors.models import Product, ProductVariant, Vendor

    with connection.cursor() as cursor:
        for model in (Vendor, Product, ProductVariant, RelayPoint):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [model._meta.db_table, random.randint(10**6, 10**9)],
            )


@pytest.fixture
def storefront_on_live_saleor(live, installed_app, settings, eager_celery):
    """``get_saleor()`` on the live Saleor with the registered token; handlers run in the live server."""
    from marketplace.saleor.client import shared_client

    settings.SALEOR_API_URL, settings.SALEOR_APP_TOKEN = API_URL, installed_app
    settings.SALEOR_CHANNEL = live.channel_slug
    shared_client.cache_clear()
    _fresh_ids_for_external_references()
    yield port.get_saleor()
    shared_client.cache_clear()


@needs_staff
def test_live_storefront_orders_reach_the_van_through_saleors_webhooks(
    storefront_on_live_saleor,
    make_vendor,  # noqa: F811
    make_product,  # noqa: F811
    calendar_for,  # noqa: F811
    make_shopper,  # noqa: F811
):
    """Vendors, relay point and shopper through our own actions; Saleor calls our live server back.

    Home delivery from two vendors: Saleor asks our SHIPPING_LIST_METHODS_FOR_CHECKOUT webhook
    for the van's slots (signed, verified), the order is authorised (pay on delivery) and its
    ORDER_CREATED delivery becomes a collect + a home task per vendor. Saleor offers the relay
    point as a collection point, where neither a card (no card gateway here) nor a cheque (a relay
    cannot take money) is accepted; the second order, sent home, is then cancelled in Saleor.
    """
    from delivery.models import DeliveryTask
    from marketplace.storefront import checkout, offers
    from marketplace.territory.models import RelayPoint
    from marketplace.vendors.actions import sync_relay_points

    saleor = storefront_on_live_saleor
    tag = uuid.uuid4().hex[:6]
    everyday = {str(d): [["08:00", "12:30"], ["14:00", "19:00"]] for d in range(1, 8)}
    cheese_shop = make_vendor(f"fromagerie-{tag}", "Maroilles", "39876543", opening_hours=everyday)
    bakery = make_vendor(f"boulangerie-{tag}", "Le Quesnoy", "41234567", opening_hours=everyday)
    cheese = make_product(
        cheese_shop, f"Maroilles {tag}", variants=(("750 g", "12.50", "0.75", 20),)
    )
    bread = make_product(
        bakery,
        f"Pain {tag}",
        category="boulangerie",
        temperature="ambient",
        origin="shop",
        unit="unit",
        variants=(("800 g", "3.20", "1", 30),),
    )
    jolimetz = calendar_for("Jolimetz")
    relay = RelayPoint.objects.create(
        name=f"Mairie de Jolimetz {tag}",
        kind="town_hall",
        commune=jolimetz,
        address="Mairie, 59530 Jolimetz",
        lon=jolimetz.town_hall_lon,
        lat=jolimetz.town_hall_lat,
        fridge_capacity_l=10,
        opening_hours=everyday,
    )
    sync_relay_points()
    shopper = make_shopper(f"jeanne{tag}")

    def tasks_of(record):
        return DeliveryTask.objects.filter(source__startswith=f"order:{record.saleor_order_id}:")

    # given a cart from two vendors and the first home slot, chosen through Saleor's sync webhook
    cart = checkout.add_to_cart(None, cheese.variants.get().saleor_variant_id, 1, saleor)
    cart = checkout.add_to_cart(cart.id, bread.variants.get().saleor_variant_id, 2, saleor)
    slot = offers.home_options(shopper.commune)[0]
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, slot.key, saleor)
    assert saleor.checkout.get(cart.id).delivery.price.amount == Decimal("3.00")
    # when she pays on delivery
    home_order = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)
    # and the order belongs to her Saleor customer, created by the App with the manifest's permissions
    shopper.refresh_from_db()
    assert shopper.saleor_customer_id
    assert saleor.orders.get(home_order.saleor_order_id).customer_id == shopper.saleor_customer_id
    assert saleor.customers.get(customer_id=shopper.saleor_customer_id).email == shopper.user.email
    # then Saleor's ORDER_CREATED gives one collect + one home task per vendor, cash collected once
    _wait_for(lambda: tasks_of(home_order).count() == 4, what="4 van tasks for the home order")
    assert sorted(t.kind for t in tasks_of(home_order)) == ["collect", "collect", "home", "home"]
    assert [t.payment_cents for t in tasks_of(home_order) if t.payment_method] == [
        home_order.total_cents
    ]
    assert {t.day.date for t in tasks_of(home_order)} == {slot.date}
    # and when the driver hands it over and takes the cash, Saleor has the order fully paid
    from marketplace.storefront.cash_on_delivery import charge_collected

    assert saleor.orders.get(home_order.saleor_order_id).charge_status != "FULL"
    assert charge_collected(home_order.pk, saleor) is True
    # (Saleor asks our payment app from its worker: wait for the charge)
    _wait_for(lambda: saleor.orders.get(home_order.saleor_order_id).charge_status == "FULL",
              what="the home order fully paid")
    assert charge_collected(home_order.pk, saleor) is False  # a second report charges nothing

    # given a second cart for the relay point, whose warehouse Saleor offers as a collection point
    cart = checkout.add_to_cart(None, cheese.variants.get().saleor_variant_id, 1, saleor)
    cart = checkout.add_to_cart(cart.id, bread.variants.get().saleor_variant_id, 1, saleor)
    relay.refresh_from_db()
    assert relay.saleor_warehouse_id in {p.id for p in saleor.checkout.collection_points(cart.id)}
    option = next(
        o
        for o in offers.relay_options(checkout.cart_facts(cart))
        if o.key.startswith(f"relay:{relay.pk}:")
    )
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, option.key, saleor)
    # when she asks to pay by card, while Saleor lists no card gateway: refused, nothing charged
    from marketplace.storefront.errors import StorefrontError

    with pytest.raises(StorefrontError) as refused:
        checkout.place_order(cart.id, shopper, shopper.user, "card", saleor, card="4242 4242 4242 4242")
    assert refused.value.code == Code.CARD_UNAVAILABLE
    # and a cheque at the relay point is refused too: a relay cannot take money (issue 13)
    with pytest.raises(StorefrontError) as no_cash:
        checkout.place_order(cart.id, shopper, shopper.user, "cheque", saleor)
    assert no_cash.value.code == Code.PAYMENT_NOT_ALLOWED
    # so, with no card gateway on this Saleor, she has this second cart delivered home and pays by cheque
    later = offers.home_options(shopper.commune)[0]
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, later.key, saleor)
    second_order = checkout.place_order(cart.id, shopper, shopper.user, "cheque", saleor)
    # then its van tasks are made, once
    _wait_for(lambda: tasks_of(second_order).count() == 4, what="4 van tasks for the second order")
    assert sorted(t.kind for t in tasks_of(second_order)) == ["collect", "collect", "home", "home"]

    # when the second order is cancelled in Saleor, its ORDER_CANCELLED takes the van work off:
    # every task cancelled, nothing left to collect, the order's page says "annulée" (issue 13)
    from marketplace.storefront.models import ShopOrder

    saleor.orders.cancel(second_order.saleor_order_id)
    _wait_for(
        lambda: set(tasks_of(second_order).values_list("status", flat=True)) == {"cancelled"},
        what="the second order's van tasks cancelled by ORDER_CANCELLED",
    )
    assert not tasks_of(second_order).filter(payment_cents__gt=0).exists()
    assert ShopOrder.objects.get(pk=second_order.pk).cancelled_at is not None
    assert set(tasks_of(home_order).values_list("status", flat=True)) == {"planned"}  # the other order stays


def _live_pay_on_delivery_order(gateway, market_tag: str, method: str = "cash"):
    """A one-line order collected at the shop, authorised by our payment app; (order, result)."""
    tag = uuid.uuid4().hex[:6]
    home = port.Address("1 rue de la Gare", "59530", "Le Quesnoy", first_name="Anne", last_name="Leroy")
    shop = gateway.warehouses.create(port.WarehouseInput(
        f"Épicerie {tag}", home, click_and_collect=port.ClickAndCollect.LOCAL, is_private=False))
    kind = gateway.catalogue.ensure_product_type("Produit local", "produit-local-live")
    category = gateway.catalogue.ensure_category("Produits du Pays de Mormal", "produits-mormal-live")
    product = gateway.catalogue.create_product(port.ProductInput(f"Miel {tag}", kind.id, category.id, f"epicerie-{tag}"))
    variant = gateway.catalogue.create_variant(
        product.id, port.VariantInput(f"MIEL-{tag}", Decimal("9.40"), stocks=(port.StockLevel(shop.id, 5),)))
    checkout = gateway.checkout.create([port.CheckoutLineInput(variant.id, 1)], email="anne@example.fr",
                                       billing_address=home)
    gateway.checkout.set_delivery_method(checkout.id, shop.id)
    result = payments.pay_by_hand(gateway, checkout.id, method, f"live-{tag}")
    return gateway.checkout.complete(checkout.id), result


def _live_transaction(gateway, transaction_id: str, condition, what: str):
    """Poll the transaction until ``condition(tx)`` (Saleor asks the payment app from its worker)."""
    return _wait_for(lambda: (lambda tx: tx if tx and condition(tx) else None)(gateway.payments.get(transaction_id)),
                     what=what)


@needs_staff
def test_live_cash_is_authorised_by_our_payment_app_and_charged_once_collected(
        live, installed_app, settings, eager_celery):
    """Saleor lists our gateway, asks it to authorise, refuses an early charge, charges once collected."""
    from marketplace.payments.methods import OUR_GATEWAY
    from marketplace.payments.models import PaymentSession

    gateway = SaleorGateway(SaleorGraphQLClient(API_URL, installed_app), live.channel_slug)
    # the channel offers our gateway (paymentGatewayInitialize -> PAYMENT_GATEWAY_INITIALIZE_SESSION)
    probe = gateway.checkout.create([], email="anne@example.fr")
    gateways = {g.id: g for g in gateway.payments.gateways(probe.id)}
    assert OUR_GATEWAY in gateways and "cash" in payments.options(gateway, probe.id).methods
    # when a shopper pays in cash: Saleor called TRANSACTION_INITIALIZE_SESSION on our live server
    order, result = _live_pay_on_delivery_order(gateway, "cash")
    assert result.result == "AUTHORIZATION_SUCCESS", (result.result, result.message)
    session = PaymentSession.objects.get(transaction_id=result.transaction.id)
    assert result.psp_reference == session.psp_reference and session.saleor_api_url == API_URL
    assert (order.authorize_status, order.charge_status) == ("FULL", "NONE")
    # a charge asked before anyone has the money: our app answers CHARGE_FAILURE, nothing charged
    gateway.payments.request_action(result.transaction.id, port.TransactionAction.CHARGE, order.total.amount)
    tx = _live_transaction(gateway, result.transaction.id, lambda t: t.amount("charge_pending") == 0,
                           "Saleor's answer to the early charge")
    assert tx.charged.amount == 0 and tx.authorized.amount == order.total.amount
    # once the money is recorded, the charge goes through, once
    payments.record_collection(result.transaction.id, timezone.now())
    assert payments.charge_collected(gateway, result.transaction.id) is not None
    tx = _live_transaction(gateway, result.transaction.id, lambda t: t.charged.amount == order.total.amount,
                           "the charge of the collected cash")
    assert payments.charge_collected(gateway, result.transaction.id) is None
    assert gateway.orders.get(order.id).charge_status == "FULL"
    print(f"\nLIVE cash: {result.result} psp={result.psp_reference} charged={tx.charged.amount} "
          f"order={gateway.orders.get(order.id).charge_status}")


@needs_staff
def test_live_card_is_refused_without_a_card_gateway(live, installed_app):
    """Saleor lists no card payment app: the storefront refuses the card before any transaction."""
    from marketplace.storefront.checkout import check_payment_offered
    from marketplace.storefront.errors import StorefrontError

    gateway = SaleorGateway(SaleorGraphQLClient(API_URL, installed_app), live.channel_slug)
    probe = gateway.checkout.create([], email="anne@example.fr")
    offered = payments.options(gateway, probe.id)
    assert offered.card_gateway is None
    with pytest.raises(StorefrontError) as refused:
        check_payment_offered("card", offered)
    assert refused.value.code == Code.CARD_UNAVAILABLE
    # and Saleor itself refuses a gateway nobody installed
    with pytest.raises(Exception) as unknown:
        gateway.payments.initialize(probe.id, "saleor.app.payment.stripe", {}, port.PaymentFlow.CHARGE, "live-x")
    print(f"\nLIVE card without gateway: gateways={[g.id for g in gateway.payments.gateways(probe.id)]} "
          f"transactionInitialize(stripe) -> {unknown.value}")


@needs_staff
def test_live_cancelled_paid_order_is_refunded_through_saleor(
        live, installed_app, settings, eager_celery, storefront_on_live_saleor):
    """A paid order cancelled in Saleor: ORDER_CANCELLED reaches us, we ask the refund, our app answers it."""
    from marketplace.vendors.models import VendorOrder

    gateway = storefront_on_live_saleor
    order, result = _live_pay_on_delivery_order(gateway, "cash")
    payments.record_collection(result.transaction.id, timezone.now())
    payments.charge_collected(gateway, result.transaction.id)
    _live_transaction(gateway, result.transaction.id, lambda t: t.charged.amount == order.total.amount,
                      "the charge before the cancellation")
    # when staff cancel the paid order in Saleor
    cancelled = gateway.orders.cancel(order.id)
    assert cancelled.status == "CANCELED"
    # then the App asked Saleor for the refund and Saleor recorded our app's REFUND_SUCCESS
    tx = _live_transaction(gateway, result.transaction.id, lambda t: t.amount("refunded") == order.total.amount,
                           "the refund of the cancelled order")
    assert tx.charged.amount == 0
    print(f"\nLIVE refund on cancel: refunded={tx.amount('refunded')} charged={tx.charged.amount} "
          f"shares={list(VendorOrder.objects.filter(saleor_order_id=order.id).values_list('refunded_at', flat=True))}")
