"""Fixtures of the Saleor adapter tests: the stand-in gateway, a real local JWKS server, signing."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jwcrypto import jwk

from marketplace.saleor import port, registry


@pytest.fixture
def saleor(db):
    """The gateway over the stand-in (documents in the test database)."""
    from marketplace.saleor.gateway import SaleorGateway
    from marketplace.saleor.standin.transport import StandInTransport

    return SaleorGateway(StandInTransport(), channel_slug="default-channel")


@pytest.fixture
def isolated_registry() -> Iterator[None]:
    """Run with no handler or shipping provider of other apps; restore them afterwards."""
    saved_handlers = {event: dict(handlers) for event, handlers in registry._handlers.items()}
    saved_provider = list(registry._shipping_provider)
    for handlers in registry._handlers.values():
        handlers.clear()
    registry._shipping_provider.clear()
    yield
    for event, handlers in saved_handlers.items():
        registry._handlers[event] = handlers
    registry._shipping_provider[:] = saved_provider


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run Celery tasks in process (still through ``.delay``), propagating exceptions."""
    from marketplace.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


# ---------------------------------------------------------------------- signing like Saleor


class SaleorKeys:
    """RSA keys of a pretend Saleor instance, signing bodies the way Saleor does."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.published: list[str] = []

    def add_key(self, kid: str, publish: bool = True) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if publish:
            self.published.append(kid)

    def jwks(self) -> dict:
        keys = []
        for kid in self.published:
            public = jwk.JWK.from_pyca(self.keys[kid].public_key())
            data = json.loads(public.export_public())
            data.update({"kid": kid, "use": "sig", "alg": "RS256"})
            keys.append(data)
        return {"keys": keys}

    def sign(self, body: bytes, kid: str) -> str:
        """Detached JWS, unencoded payload (RFC 7797), as Saleor 3.23 sends it."""
        header = {"alg": "RS256", "b64": False, "crit": ["b64"], "kid": kid, "typ": "JWT"}
        encoded = base64.urlsafe_b64encode(
            json.dumps(header, separators=(",", ":")).encode()
        ).rstrip(b"=")
        signature = self.keys[kid].sign(encoded + b"." + body, padding.PKCS1v15(), hashes.SHA256())
        return encoded.decode() + ".." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


#: What Saleor 3.23.28 answers ``{ app { id } }`` with a token it does not know (seen live).
UNKNOWN_TOKEN_ANSWER = {
    "errors": [{
        "message": "To access this path, you need one of the following permissions: "
                   "AUTHENTICATED_STAFF_USER, AUTHENTICATED_APP",
        "locations": [{"line": 1, "column": 3}], "path": ["app"],
        "extensions": {"exception": {"code": "PermissionDenied"}},
    }],
    "data": {"app": None},
}


class JwksServer:
    """A real HTTP server on loopback answering like a Saleor instance, counting what it gets.

    ``GET /.well-known/jwks.json`` serves the keys; ``POST /graphql/`` answers the App's
    ``{ app { id identifier isActive } }`` for the tokens in ``apps`` (else Saleor's own
    permission error). ``bearers`` lists every token it was sent, in order.
    """

    def __init__(self, keys: SaleorKeys) -> None:
        self.keys = keys
        self.hits = 0
        self.apps: dict[str, dict] = {}
        self.bearers: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, data: dict) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 - http.server API
                if self.path != "/.well-known/jwks.json":
                    self._send(404, {})
                    return
                server.hits += 1
                self._send(200, server.keys.jwks())

            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                query = json.loads(self.rfile.read(length) or b"{}").get("query", "")
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                server.bearers.append(token)
                if self.path != "/graphql/" or "app" not in query:
                    self._send(400, {"errors": [{"message": "unexpected request"}]})
                elif token in server.apps:
                    self._send(200, {"data": {"app": server.apps[token]}})
                else:
                    self._send(200, UNKNOWN_TOKEN_ANSWER)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def issue_token(self, token: str, app_id: str = "QXBwOjQy", identifier: str = "mormal.marketplace",
                    active: bool = True) -> str:
        """Make ``token`` a token Saleor knows, of App ``app_id``."""
        self.apps[token] = {"id": app_id, "identifier": identifier, "isActive": active}
        return token

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/graphql/"

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def saleor_keys() -> SaleorKeys:
    keys = SaleorKeys()
    keys.add_key("key-1")
    return keys


@pytest.fixture
def jwks_server(saleor_keys, settings) -> Iterator[JwksServer]:
    """The pretend Saleor, its exact API URL allowed to install the App."""
    from marketplace.saleor.installation import forget_tokens

    server = JwksServer(saleor_keys)
    settings.SALEOR_ALLOWED_API_URLS = [server.api_url]
    forget_tokens()
    yield server
    forget_tokens()
    server.close()


@pytest.fixture
def installation(db, jwks_server):
    """Our App installed by the pretend Saleor (through the real register code path)."""
    from marketplace.saleor.installation import register

    token = jwks_server.issue_token("app-token-secret-123")
    return register(jwks_server.api_url, jwks_server.domain, token)


# ---------------------------------------------------------------------- a small marketplace


def _address(street: str, postal_code: str, city: str) -> port.Address:
    return port.Address(
        street_address_1=street,
        postal_code=postal_code,
        city=city,
        first_name="Anne",
        last_name="Leroy",
    )


@pytest.fixture
def market(saleor):
    """Two vendors (one accepting pickups), one relay point, one product each with stock."""
    martin = saleor.warehouses.create(
        port.WarehouseInput(
            "Boulangerie Martin",
            _address("1 rue de la Gare", "59530", "Le Quesnoy"),
            click_and_collect=port.ClickAndCollect.LOCAL,
            is_private=False,
            metadata={
                port.VENDOR_METADATA_KEY: "martin",
                port.WAREHOUSE_ROLE_METADATA_KEY: "vendor",
            },
        )
    )
    dupont = saleor.warehouses.create(
        port.WarehouseInput(
            "Ferme Dupont",
            _address("2 chemin du Moulin", "59570", "Bavay"),
            metadata={
                port.VENDOR_METADATA_KEY: "dupont",
                port.WAREHOUSE_ROLE_METADATA_KEY: "vendor",
            },
        )
    )
    relay = saleor.warehouses.create(
        port.WarehouseInput(
            "Mairie de Jolimetz",
            _address("1 place de la Mairie", "59530", "Jolimetz"),
            click_and_collect=port.ClickAndCollect.ALL,
            is_private=False,
            metadata={port.WAREHOUSE_ROLE_METADATA_KEY: "relay"},
        )
    )
    category = saleor.catalogue.ensure_category("Boulangerie", "boulangerie")
    product_type = saleor.catalogue.ensure_product_type("Produit local", "produit-local")
    bread = saleor.catalogue.create_product(
        port.ProductInput(
            "Baguette tradition",
            product_type.id,
            category.id,
            "martin",
            description="Farine de Bavay",
        )
    )
    bread_v = saleor.catalogue.create_variant(
        bread.id,
        port.VariantInput("MAR-BAG", Decimal("1.20"), stocks=(port.StockLevel(martin.id, 30),)),
    )
    eggs = saleor.catalogue.create_product(
        port.ProductInput("Oeufs fermiers x6", product_type.id, category.id, "dupont")
    )
    eggs_v = saleor.catalogue.create_variant(
        eggs.id,
        port.VariantInput(
            "DUP-OEU6",
            Decimal("2.60"),
            weight_kg=Decimal("0.4"),
            stocks=(port.StockLevel(dupont.id, 5),),
        ),
    )
    return {
        "martin": martin,
        "dupont": dupont,
        "relay": relay,
        "category": category,
        "product_type": product_type,
        "bread": bread,
        "bread_v": bread_v,
        "eggs": eggs,
        "eggs_v": eggs_v,
        "home": _address("3 rue Haute", "59530", "Jolimetz"),
    }
