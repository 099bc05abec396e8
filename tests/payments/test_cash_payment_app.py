"""Our App is Saleor's payment app for cash and cheques: authorised at checkout, charged once collected."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.payments import actions as payments
from marketplace.payments.models import PaymentSession
from marketplace.saleor import port
from marketplace.storefront import checkout, offers


def _cash_order(saleor, two_vendors, calendar_for, make_shopper, payment="cash"):
    calendar_for("Jolimetz")
    shopper = make_shopper("gisele")
    cart = checkout.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 2, saleor)
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, offers.home_options(shopper.commune)[0].key, saleor)
    return checkout.place_order(cart.id, shopper, shopper.user, payment, saleor)


def test_the_channel_offers_our_gateway_for_cash_and_cheque(saleor, two_vendors, calendar_for, make_shopper):
    # given a cart in the stand-in
    cart = checkout.add_to_cart(None, two_vendors["bread"].variants.get().saleor_variant_id, 1, saleor)
    # when the storefront asks Saleor for the checkout's gateways (paymentGatewayInitialize)
    offered = payments.options(saleor, cart.id)
    # then our App answers with the ways to pay by hand
    assert {"cash", "cheque", "voucher"} <= set(offered.methods)


def test_a_cash_order_is_authorised_by_our_payment_app(saleor, two_vendors, calendar_for, make_shopper):
    # when a shopper pays on delivery in cash
    record = _cash_order(saleor, two_vendors, calendar_for, make_shopper)
    # then Saleor's transaction is the one our payment app answered for, authorised, not charged
    session = PaymentSession.objects.get(transaction_id=record.transaction_id)
    tx = saleor.payments.get(record.transaction_id)
    assert tx.psp_reference == session.psp_reference and session.method == "cash"
    assert tx.authorized.amount == Decimal(record.total_cents) / 100 == session.authorized
    assert tx.charged.amount == 0
    assert saleor.orders.get(record.saleor_order_id).authorize_status == "FULL"


def test_the_money_is_charged_only_once_collected_and_only_once(saleor, two_vendors, calendar_for, make_shopper):
    record = _cash_order(saleor, two_vendors, calendar_for, make_shopper, payment="cheque")
    total = Decimal(record.total_cents) / 100
    # given a charge asked before the driver has the cheque: our app refuses it
    early = saleor.payments.request_action(record.transaction_id, port.TransactionAction.CHARGE, total)
    assert early.charged.amount == 0 and early.authorized.amount == total
    # when the driver records the cheque and the charge is asked twice
    assert payments.record_collection(record.transaction_id, timezone.now())
    first = payments.charge_collected(saleor, record.transaction_id)
    second = payments.charge_collected(saleor, record.transaction_id)
    # then Saleor charged the total once, and the order is fully paid
    assert first.charged.amount == total and second is None
    assert saleor.payments.get(record.transaction_id).charged.amount == total
    assert PaymentSession.objects.get(transaction_id=record.transaction_id).charged == total
    assert saleor.orders.get(record.saleor_order_id).charge_status == "FULL"


def _initialize_body(transaction_id="VHJhbnNhY3Rpb25JdGVtOjE=", method="cash", action="AUTHORIZATION"):
    return json.dumps({
        "__typename": "TransactionInitializeSession", "issuedAt": "2026-12-01T10:00:00+00:00",
        "merchantReference": transaction_id, "idempotencyKey": "mormal-abc", "data": {"method": method},
        "action": {"actionType": action, "amount": 12.5, "currency": "EUR"},
        "transaction": {"id": transaction_id, "pspReference": "",
                        "authorizedAmount": {"amount": 0, "currency": "EUR"},
                        "chargedAmount": {"amount": 0, "currency": "EUR"}},
        "sourceObject": {"__typename": "Checkout", "id": "Q2hlY2tvdXQ6MQ==", "channel": {"slug": "c"}, "metadata": []},
    }).encode()


def _post(client, installation, body, signature, event):
    headers = {"Saleor-Api-Url": installation.saleor_api_url}
    if signature:
        headers["Saleor-Signature"] = signature
    return client.post(f"/saleor/api/webhooks/{event}", data=body, content_type="application/json", headers=headers)


def test_signed_initialize_session_gets_saleors_answer_once(client, installation, saleor_keys):
    # given the body Saleor sends when a shopper starts paying in cash
    body = _initialize_body()
    # when it arrives twice (Saleor retried)
    answers = [_post(client, installation, body, saleor_keys.sign(body, "key-1"), "transaction-initialize-session")
               for _ in range(2)]
    # then both answers are the same authorisation, in the shape Saleor's schema reads
    assert [a.status_code for a in answers] == [200, 200]
    first, second = (a.json() for a in answers)
    assert first["result"] == "AUTHORIZATION_SUCCESS" and first["amount"] == 12.5
    assert first["pspReference"].startswith("mormal-cash-") and first["actions"] == ["CHARGE", "CANCEL"]
    assert second["pspReference"] == first["pspReference"]
    assert PaymentSession.objects.count() == 1


@pytest.mark.parametrize(("method", "action", "result"), [
    ("bitcoin", "AUTHORIZATION", "AUTHORIZATION_FAILURE"),
    ("cash", "CHARGE", "CHARGE_FAILURE"),
])
def test_unknown_method_or_immediate_charge_is_refused(client, installation, saleor_keys, method, action, result):
    body = _initialize_body(method=method, action=action)
    answer = _post(client, installation, body, saleor_keys.sign(body, "key-1"), "transaction-initialize-session")
    assert answer.status_code == 200 and answer.json()["result"] == result
    assert "pspReference" not in answer.json() and not PaymentSession.objects.exists()


def test_charge_requested_before_collection_is_a_charge_failure(client, installation, saleor_keys):
    init = _initialize_body()
    _post(client, installation, init, saleor_keys.sign(init, "key-1"), "transaction-initialize-session")
    body = json.dumps({
        "__typename": "TransactionChargeRequested", "issuedAt": "2026-12-01T11:00:00+00:00",
        "action": {"actionType": "CHARGE", "amount": 12.5, "currency": "EUR"},
        "transaction": {"id": "VHJhbnNhY3Rpb25JdGVtOjE=", "pspReference": "x"},
    }).encode()
    answer = _post(client, installation, body, saleor_keys.sign(body, "key-1"), "transaction-charge-requested")
    assert answer.json()["result"] == "CHARGE_FAILURE"
    assert PaymentSession.objects.get().charged == 0


def test_an_unsigned_payment_webhook_is_refused(client, installation):
    body = _initialize_body()
    answer = _post(client, installation, body, None, "transaction-initialize-session")
    assert answer.status_code == 401 and not PaymentSession.objects.exists()
