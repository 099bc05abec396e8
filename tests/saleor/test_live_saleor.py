"""The same flows against a real Saleor 3 (skipped unless SALEOR_API_URL and SALEOR_APP_TOKEN are set).

Run, for example::

    SALEOR_API_URL=http://127.0.0.1:8010/graphql/ SALEOR_APP_TOKEN=... python -m pytest tests/saleor/test_live_saleor.py

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
from graphql import parse, validate

from marketplace.saleor import port
from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.documents import load_document
from marketplace.saleor.gateway import SaleorGateway
from marketplace.saleor.schema import saleor_schema

API_URL = os.environ.get("SALEOR_API_URL", "")
TOKEN = os.environ.get("SALEOR_APP_TOKEN", "")

pytestmark = [
    pytest.mark.saleor_live,
    pytest.mark.skipif(
        not (API_URL and TOKEN),
        reason="no real Saleor configured: set SALEOR_API_URL and SALEOR_APP_TOKEN to run these flows against one",
    ),
]


@pytest.fixture(scope="module")
def live():
    gateway = SaleorGateway(
        SaleorGraphQLClient(API_URL, TOKEN), os.environ.get("SALEOR_LIVE_CHANNEL", "mormal-live")
    )
    gateway.ensure_sales_setup()
    return gateway


@pytest.fixture(scope="module")
def live_market(live):
    tag = uuid.uuid4().hex[:8]

    def address(street, postal_code, city):
        return port.Address(street, postal_code, city, first_name="Anne", last_name="Leroy")

    martin = live.create_warehouse(
        port.WarehouseInput(
            f"Boulangerie Martin {tag}",
            address("1 rue de la Gare", "59530", "Le Quesnoy"),
            click_and_collect=port.ClickAndCollect.LOCAL,
            is_private=False,
            metadata={port.VENDOR_METADATA_KEY: f"martin-{tag}"},
        )
    )
    dupont = live.create_warehouse(
        port.WarehouseInput(
            f"Ferme Dupont {tag}",
            address("2 chemin du Moulin", "59570", "Bavay"),
            metadata={port.VENDOR_METADATA_KEY: f"dupont-{tag}"},
        )
    )
    relay = live.create_warehouse(
        port.WarehouseInput(
            f"Mairie de Jolimetz {tag}",
            address("1 place de la Mairie", "59530", "Jolimetz"),
            click_and_collect=port.ClickAndCollect.ALL,
            is_private=False,
        )
    )
    category = live.ensure_category("Produits du Pays de Mormal", "produits-mormal-live")
    product_type = live.ensure_product_type("Produit local", "produit-local-live")
    bread = live.create_product(
        port.ProductInput(
            f"Baguette {tag}",
            product_type.id,
            category.id,
            f"martin-{tag}",
            attributes={"temperature": "ambient"},
        )
    )
    bread_v = live.create_variant(
        bread.id,
        port.VariantInput(f"BAG-{tag}", Decimal("1.20"), stocks=(port.StockLevel(martin.id, 30),)),
    )
    eggs = live.create_product(
        port.ProductInput(f"Oeufs {tag}", product_type.id, category.id, f"dupont-{tag}")
    )
    eggs_v = live.create_variant(
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
    product = live.get_product(live_market["bread"].id)
    assert product.vendor_slug == f"martin-{live_market['tag']}"
    assert product.attributes["temperature"] == "ambient"
    assert product.variants[0].price.amount == Decimal("1.20")
    assert product.variants[0].stocks[0].quantity == 30
    listed = live.list_products(port.ProductQuery(vendor_slugs=[f"dupont-{live_market['tag']}"]))
    assert [p.id for p in listed.products] == [live_market["eggs"].id]


def test_live_checkout_from_two_warehouses_to_a_relay_point(live, live_market):
    checkout = live.create_checkout(
        [
            port.CheckoutLineInput(live_market["bread_v"].id, 2),
            port.CheckoutLineInput(live_market["eggs_v"].id, 1),
        ],
        email="anne@example.fr",
    )
    points = {p.id for p in live.available_collection_points(checkout.id)}
    assert live_market["relay"].id in points and live_market["martin"].id not in points
    live.set_checkout_billing_address(checkout.id, live_market["home"])
    checkout = live.set_checkout_delivery_method(checkout.id, live_market["relay"].id)
    assert checkout.total.amount == Decimal("5.00")
    live.pay_checkout(checkout.id, port.PaymentMode.CHARGE, f"live-{live_market['tag']}")
    order = live.complete_checkout(checkout.id)
    assert order.charge_status == "FULL"
    assert {ln.sku: ln.warehouse_ids for ln in order.lines} == {
        f"BAG-{live_market['tag']}": (live_market["martin"].id,),
        f"OEU-{live_market['tag']}": (live_market["dupont"].id,),
    }
    mine = live.list_orders(port.OrderQuery(vendor_slug=f"dupont-{live_market['tag']}"))
    assert [o.id for o in mine] == [order.id]
    (eggs_line,) = order.lines_for_vendor(f"dupont-{live_market['tag']}")
    (fulfillment,) = live.fulfill_order(
        order.id, [port.FulfillmentLineInput(eggs_line.id, live_market["dupont"].id, 1)]
    )
    assert fulfillment.warehouse_id == live_market["dupont"].id


def test_live_cancel_releases_the_order(live, live_market):
    checkout = live.create_checkout(
        [port.CheckoutLineInput(live_market["bread_v"].id, 1)], email="anne@example.fr"
    )
    live.set_checkout_billing_address(checkout.id, live_market["home"])
    live.set_checkout_delivery_method(checkout.id, live_market["martin"].id)
    live.pay_checkout(checkout.id, port.PaymentMode.AUTHORIZE, f"cash-{live_market['tag']}")
    order = live.complete_checkout(checkout.id)
    assert (order.authorize_status, order.charge_status) == ("FULL", "NONE")
    assert live.cancel_order(order.id).status == "CANCELED"


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
        live.set_variant_stocks(
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


STAFF_EMAIL = os.environ.get("SALEOR_STAFF_EMAIL", "")
STAFF_PASSWORD = os.environ.get("SALEOR_STAFF_PASSWORD", "")


@pytest.mark.skipif(
    not (STAFF_EMAIL and STAFF_PASSWORD),
    reason="installing the App needs a Saleor staff account: set SALEOR_STAFF_EMAIL and SALEOR_STAFF_PASSWORD",
)
def test_live_app_install_register_and_signed_order_webhooks(
    live, live_server, settings, transactional_db
):
    """Saleor installs the App from our manifest, registers its token, then sends signed order webhooks."""
    from marketplace.saleor.installation import app_token
    from marketplace.saleor.models import SaleorInstallation, WebhookEvent

    settings.APP_PUBLIC_URL = live_server.url
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
        mutation($url: String!) { appInstall(input: {appName: "Mormal (live test)", manifestUrl: $url,
          permissions: [MANAGE_PRODUCTS, MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES, MANAGE_ORDERS, MANAGE_CHECKOUTS,
                        HANDLE_CHECKOUTS, HANDLE_PAYMENTS, MANAGE_CHANNELS, MANAGE_SHIPPING]}) { errors { message } } }""",
            "variables": {"url": f"{live_server.url}/saleor/api/manifest"},
        },
    ).json()
    assert install["data"]["appInstall"]["errors"] == []
    app_id = None
    try:
        deadline = time.monotonic() + 90
        while (
            not SaleorInstallation.objects.filter(saleor_api_url=API_URL).exists()
            and time.monotonic() < deadline
        ):
            time.sleep(1)
        token = app_token(API_URL)
        assert token, "Saleor did not call /saleor/api/register within 90 s"
        apps = http.post(
            API_URL,
            headers=staff,
            json={"query": "{ apps(first: 100) { edges { node { id identifier } } } }"},
        ).json()
        app_id = [
            e["node"]["id"]
            for e in apps["data"]["apps"]["edges"]
            if e["node"]["identifier"] == "mormal.marketplace"
        ][-1]
        # the registered (decrypted) token works, and an order made with it comes back as signed webhooks
        gateway = SaleorGateway(SaleorGraphQLClient(API_URL, token), live.channel_slug)
        tag = uuid.uuid4().hex[:6]
        home = port.Address(
            "1 rue de la Gare", "59530", "Le Quesnoy", first_name="Anne", last_name="Leroy"
        )
        shop = gateway.create_warehouse(
            port.WarehouseInput(
                f"Fromagerie {tag}",
                home,
                click_and_collect=port.ClickAndCollect.LOCAL,
                is_private=False,
            )
        )
        kind = gateway.ensure_product_type("Produit local", "produit-local-live")
        category = gateway.ensure_category("Produits du Pays de Mormal", "produits-mormal-live")
        cheese = gateway.create_product(
            port.ProductInput(f"Maroilles {tag}", kind.id, category.id, f"fromagerie-{tag}")
        )
        cheese_v = gateway.create_variant(
            cheese.id,
            port.VariantInput(f"MAR-{tag}", Decimal("7.90"), stocks=(port.StockLevel(shop.id, 4),)),
        )
        checkout = gateway.create_checkout(
            [port.CheckoutLineInput(cheese_v.id, 1)], email="anne@example.fr", billing_address=home
        )
        gateway.set_checkout_delivery_method(checkout.id, shop.id)
        gateway.pay_checkout(checkout.id, port.PaymentMode.CHARGE, f"live-{tag}")
        order = gateway.complete_checkout(checkout.id)
        deadline = time.monotonic() + 90
        wanted = {"ORDER_CREATED", "ORDER_FULLY_PAID"}
        while time.monotonic() < deadline:
            got = set(
                WebhookEvent.objects.filter(saleor_api_url=API_URL).values_list(
                    "event_type", flat=True
                )
            )
            if wanted <= got:
                break
            time.sleep(1)
        events = {e.event_type: e for e in WebhookEvent.objects.filter(saleor_api_url=API_URL)}
        assert wanted <= set(events), f"received only {sorted(events)}"
        from marketplace.saleor.webhooks import received_event

        assert received_event(events["ORDER_FULLY_PAID"]).order.number == order.number
    finally:
        if app_id:
            http.post(
                API_URL,
                headers=staff,
                json={
                    "query": "mutation($id: ID!) { appDelete(id: $id) { errors { message } } }",
                    "variables": {"id": app_id},
                },
            )
