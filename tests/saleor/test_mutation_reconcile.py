"""Mutations are never sent twice blindly: after a timeout the gateway reads back and reconciles.

A real local HTTP server plays Saleor and, once, applies a request but answers too late.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from marketplace.saleor import port
from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.errors import SaleorMutationUncertain
from marketplace.saleor.gateway import SaleorGateway

TX_ID = "VHJhbnNhY3Rpb25JdGVtOjE="
CLIENT_TIMEOUT_S = 0.5
LATE_S = 2.0  # the slow answer comes after the client gave up


def _money(amount) -> dict:
    return {"amount": float(amount), "currency": "EUR"}


class FakeSaleor:
    """Answers Transaction / TransactionRequestAction / TransactionInitialize / OrderCancel.

    ``slow`` names the operations whose first call is applied but answered late.
    """

    def __init__(self, slow: set[str]):
        self.calls: list[tuple[str, dict]] = []
        self.slow = set(slow)
        self.tx = {"authorized": Decimal("10.00"), "charged": Decimal("0")}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                operation = re.search(r"^(?:query|mutation)\s+(\w+)", body["query"], re.M).group(1)
                fake.calls.append((operation, body["variables"]))
                data = fake.answer(operation, body["variables"])
                if operation in fake.slow:
                    fake.slow.discard(operation)
                    time.sleep(LATE_S)
                raw = json.dumps({"data": data}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client had given up

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/graphql/"

    def node(self) -> dict:
        zero = _money(0)
        return {"id": TX_ID, "name": "", "pspReference": "mormal-cash-1",
                "authorizedAmount": _money(self.tx["authorized"]), "chargedAmount": _money(self.tx["charged"]),
                "refundedAmount": zero, "canceledAmount": zero, "chargePendingAmount": zero,
                "refundPendingAmount": zero, "cancelPendingAmount": zero}

    def answer(self, operation: str, variables: dict) -> dict:
        if operation == "Transaction":
            return {"transaction": self.node()}
        if operation == "TransactionRequestAction":
            amount = Decimal(variables["amount"])
            self.tx["authorized"] -= amount
            self.tx["charged"] += amount
            return {"transactionRequestAction": {"transaction": self.node(), "errors": []}}
        if operation == "TransactionInitialize":
            return {"transactionInitialize": {"transaction": self.node(), "data": None, "errors": [],
                    "transactionEvent": {"id": "RXZlbnQ6MQ==", "type": "AUTHORIZATION_SUCCESS",
                                         "pspReference": "mormal-cash-1", "message": "", "amount": _money(10)}}}
        if operation == "OrderCancel":
            return {"orderCancel": {"order": None, "errors": []}}
        raise AssertionError(f"unexpected operation {operation}")

    def count(self, operation: str) -> int:
        return sum(1 for name, _ in self.calls if name == operation)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_saleor(request) -> Iterator[FakeSaleor]:
    fake = FakeSaleor(set(request.param))
    yield fake
    fake.close()


def _gateway(fake: FakeSaleor) -> SaleorGateway:
    client = SaleorGraphQLClient(fake.url, "tok", timeout=httpx.Timeout(CLIENT_TIMEOUT_S), backoff_s=0)
    return SaleorGateway(client, "mormal")


@pytest.mark.parametrize("fake_saleor", [{"TransactionRequestAction"}], indirect=True)
def test_a_charge_that_timed_out_is_read_back_not_sent_again(fake_saleor):
    # given Saleor applies the charge but answers after the client's timeout
    gateway = _gateway(fake_saleor)
    # when the gateway asks for the charge
    tx = gateway.payments.request_action(TX_ID, port.TransactionAction.CHARGE, Decimal("10.00"))
    # then it was sent once, and the transaction read back shows it charged
    assert fake_saleor.count("TransactionRequestAction") == 1
    assert tx.charged.amount == Decimal("10.00") and fake_saleor.tx["charged"] == Decimal("10.00")


@pytest.mark.parametrize("fake_saleor", [{"TransactionInitialize"}], indirect=True)
def test_a_payment_that_timed_out_is_sent_again_with_the_same_idempotency_key(fake_saleor):
    gateway = _gateway(fake_saleor)
    result = gateway.payments.initialize("Q2hlY2tvdXQ6MQ==", "mormal.marketplace", {"method": "cash"},
                                         port.PaymentFlow.AUTHORIZATION, idempotency_key="mormal-abc")
    keys = [v["idempotencyKey"] for name, v in fake_saleor.calls if name == "TransactionInitialize"]
    assert keys == ["mormal-abc", "mormal-abc"]  # Saleor's idempotency makes the second one harmless
    assert result.succeeded


@pytest.mark.parametrize("fake_saleor", [{"OrderCancel"}], indirect=True)
def test_a_mutation_with_no_way_to_read_back_is_not_retried(fake_saleor):
    gateway = _gateway(fake_saleor)
    with pytest.raises(SaleorMutationUncertain):
        gateway.orders.cancel("T3JkZXI6MQ==")
    assert fake_saleor.count("OrderCancel") == 1


@pytest.mark.parametrize("fake_saleor", [{"Transaction"}], indirect=True)
def test_a_query_that_timed_out_is_retried(fake_saleor):
    gateway = _gateway(fake_saleor)
    tx = gateway.payments.get(TX_ID)
    assert tx is not None and fake_saleor.count("Transaction") == 2
