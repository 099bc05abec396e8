"""Signed, idempotent webhooks: JWS verification against the instance's JWKS, key rotation, once-only handlers."""

import json

import pytest

from marketplace.payments import demo_card
from marketplace.saleor import port, registry
from marketplace.saleor.models import WebhookEvent, WebhookHandling


@pytest.fixture
def paid_order_body(saleor, market, isolated_registry):
    """The body Saleor sends for ORDER_FULLY_PAID, produced by the stand-in's subscription run."""
    checkout = saleor.checkout.create(
        [port.CheckoutLineInput(market["bread_v"].id, 2)], email="anne@example.fr"
    )
    saleor.checkout.set_billing_address(checkout.id, market["home"])
    saleor.checkout.set_delivery_method(checkout.id, market["martin"].id)
    demo_card.pay(saleor, checkout.id, "test-psp-1")
    order = saleor.checkout.complete(checkout.id)
    event = WebhookEvent.objects.get(event_type="ORDER_FULLY_PAID")
    body = json.dumps(event.payload).encode()
    return order, body


def _post(client, installation, body, signature, event="order-fully-paid"):
    headers = {
        "Saleor-Api-Url": installation.saleor_api_url,
        "Saleor-Event": event.replace("-", "_"),
    }
    if signature is not None:
        headers["Saleor-Signature"] = signature
    return client.post(
        f"/saleor/api/webhooks/{event}", data=body, content_type="application/json", headers=headers
    )


def test_same_delivery_twice_runs_the_handler_once(
    client,
    installation,
    saleor_keys,
    paid_order_body,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    # given a handler registered by another app for paid orders
    order, body = paid_order_body
    seen = []
    registry.register_handler(
        "ORDER_FULLY_PAID", "test.count", lambda event: seen.append(event.order.number)
    )
    signature = saleor_keys.sign(body, "key-1")
    # when Saleor delivers the same event twice
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, installation, body, signature)
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(client, installation, body, signature)
    # then both are acknowledged, one is stored, and the handler ran once with the parsed order
    assert first.status_code == 200 and second.status_code == 200
    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    stored = WebhookEvent.objects.get(saleor_api_url=installation.saleor_api_url)
    assert stored.redeliveries == 1
    assert seen == [order.number]
    assert WebhookHandling.objects.get(event=stored, handler_name="test.count").done_at is not None


def test_handler_task_run_twice_does_nothing_the_second_time(
    client,
    installation,
    saleor_keys,
    paid_order_body,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    from marketplace.saleor.tasks import run_webhook_handler

    _order, body = paid_order_body
    seen = []
    registry.register_handler("ORDER_FULLY_PAID", "test.count", lambda event: seen.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, installation, body, saleor_keys.sign(body, "key-1"))
    event = WebhookEvent.objects.get(saleor_api_url=installation.saleor_api_url)
    # when the broker redelivers the task (acks_late) after it succeeded
    assert run_webhook_handler.apply(args=(event.pk, "test.count")).get() == "already-done"
    assert seen == [1]


def test_a_failing_handler_is_left_undone_for_retry(db, installation, saleor_keys, paid_order_body):
    from marketplace.saleor.tasks import run_webhook_handler
    from marketplace.saleor.webhooks import record_delivery

    _order, body = paid_order_body
    calls = []

    def flaky(event):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("planner down")

    registry.register_handler("ORDER_FULLY_PAID", "test.flaky", flaky)
    event, _ = record_delivery(installation.saleor_api_url, "ORDER_FULLY_PAID", body)
    with pytest.raises(RuntimeError):
        run_webhook_handler.run(event.pk, "test.flaky")
    handling = WebhookHandling.objects.get(event=event, handler_name="test.flaky")
    assert handling.done_at is None
    assert handling.attempts == 1 and "planner down" in handling.last_error
    assert run_webhook_handler.run(event.pk, "test.flaky") == "done"
    assert len(calls) == 2


def test_tampered_body_is_rejected_with_401(client, installation, saleor_keys, paid_order_body):
    _order, body = paid_order_body
    signature = saleor_keys.sign(body, "key-1")
    tampered = body.replace(b'"FULL"', b'"NONE"', 1)
    assert tampered != body
    response = _post(client, installation, tampered, signature)
    assert response.status_code == 401
    assert not WebhookEvent.objects.filter(saleor_api_url=installation.saleor_api_url).exists()


def test_missing_or_garbage_signature_is_rejected_with_401(client, installation, paid_order_body):
    _order, body = paid_order_body
    assert _post(client, installation, body, None).status_code == 401
    assert _post(client, installation, body, "not-a-jws").status_code == 401
    assert _post(client, installation, body, "eyJhbGciOiJub25lIn0..").status_code == 401


def test_signature_from_a_key_saleor_does_not_publish_is_rejected(
    client, installation, saleor_keys, jwks_server, paid_order_body, settings
):
    settings.SALEOR_JWKS_REFRESH_INTERVAL_S = 0
    _order, body = paid_order_body
    saleor_keys.add_key("attacker", publish=False)
    response = _post(client, installation, body, saleor_keys.sign(body, "attacker"))
    assert response.status_code == 401
    # the unknown kid caused exactly one refresh (install + refresh)
    assert jwks_server.hits == 2


def test_unknown_saleor_instance_is_refused_with_403(client, db, saleor_keys, paid_order_body):
    _order, body = paid_order_body
    response = client.post(
        "/saleor/api/webhooks/order-fully-paid",
        data=body,
        content_type="application/json",
        headers={
            "Saleor-Api-Url": "https://other.example/graphql/",
            "Saleor-Signature": saleor_keys.sign(body, "key-1"),
        },
    )
    assert response.status_code == 403


def test_known_key_uses_the_cached_jwks(
    client, installation, saleor_keys, jwks_server, paid_order_body
):
    _order, body = paid_order_body
    for _ in range(3):
        assert _post(client, installation, body, saleor_keys.sign(body, "key-1")).status_code == 200
    assert jwks_server.hits == 1  # fetched once, at registration


def test_key_rotation_refreshes_the_jwks_once(
    client, installation, saleor_keys, jwks_server, paid_order_body, settings
):
    settings.SALEOR_JWKS_REFRESH_INTERVAL_S = 0
    # given Saleor rotated its signing key after we cached the key set
    _order, body = paid_order_body
    saleor_keys.add_key("key-2")
    saleor_keys.published = ["key-2"]
    # when a webhook signed with the new key arrives, twice
    first = _post(client, installation, body, saleor_keys.sign(body, "key-2"))
    second = _post(client, installation, body, saleor_keys.sign(body, "key-2"))
    # then it is accepted, after a single refresh of the key set
    assert (first.status_code, second.status_code) == (200, 200)
    assert jwks_server.hits == 2
    installation.refresh_from_db()
    assert [k["kid"] for k in installation.jwks["keys"]] == ["key-2"]


def test_sync_shipping_webhook_answers_the_list_saleor_expects(
    client, installation, saleor_keys, isolated_registry
):
    # given a shipping provider registered by the storefront
    def offers(request):
        assert request.shipping_address.city == "JOLIMETZ"
        assert [line.vendor_slug for line in request.lines] == ["martin"]
        return [
            port.ShippingOffer(
                id="slot:2026-12-03:am",
                name="Camion, jeudi matin",
                amount="3.5",
                maximum_delivery_days=2,
            )
        ]

    registry.register_shipping_provider(offers)
    body = json.dumps(
        {
            "__typename": "ShippingListMethodsForCheckout",
            "issuedAt": "2026-12-01T10:00:00+00:00",
            "checkout": {
                "id": "Q2hlY2tvdXQ6MQ==",
                "email": "anne@example.fr",
                "quantity": 2,
                "shippingAddress": {
                    "firstName": "Anne",
                    "lastName": "Leroy",
                    "companyName": "",
                    "streetAddress1": "3 rue Haute",
                    "streetAddress2": "",
                    "city": "JOLIMETZ",
                    "postalCode": "59530",
                    "country": {"code": "FR"},
                    "phone": None,
                },
                "lines": [
                    {
                        "id": "Q2hlY2tvdXRMaW5lOjE=",
                        "quantity": 2,
                        "undiscountedUnitPrice": {"amount": 1.2, "currency": "EUR"},
                        "variant": {
                            "id": "UHJvZHVjdFZhcmlhbnQ6MQ==",
                            "sku": "MAR-BAG",
                            "name": "MAR-BAG",
                            "product": {
                                "id": "UHJvZHVjdDox",
                                "name": "Baguette",
                                "metadata": [{"key": "mormal.vendor", "value": "martin"}],
                            },
                        },
                    }
                ],
                "metadata": [],
            },
        }
    ).encode()
    # when Saleor asks for shipping methods
    response = _post(
        client,
        installation,
        body,
        saleor_keys.sign(body, "key-1"),
        event="shipping-list-methods-for-checkout",
    )
    # then we answer Saleor's list format (snake_case keys, amount as a number)
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": "slot:2026-12-03:am",
            "name": "Camion, jeudi matin",
            "amount": 3.5,
            "currency": "EUR",
            "maximum_delivery_days": 2,
            "minimum_delivery_days": None,
            "description": None,
            "metadata": {},
        }
    ]
    assert not WebhookEvent.objects.exists()  # sync webhooks are answered, not queued


def test_unknown_kids_cannot_make_us_hammer_the_jwks(
    client, installation, saleor_keys, jwks_server, paid_order_body, settings
):
    # given the key set was fetched moments ago (at registration)
    settings.SALEOR_JWKS_REFRESH_INTERVAL_S = 30
    _order, body = paid_order_body
    saleor_keys.add_key("forged", publish=False)
    # when forged signatures with unknown kids arrive
    for _ in range(5):
        assert (
            _post(client, installation, body, saleor_keys.sign(body, "forged")).status_code == 401
        )
    # then the JWKS was not fetched again
    assert jwks_server.hits == 1


def test_a_captured_order_created_body_posted_to_the_cancel_endpoint_is_refused_and_logged(
    client, installation, saleor_keys, paid_order_body, caplog
):
    # given a genuine, signed ORDER_CREATED body captured on the wire
    created = WebhookEvent.objects.get(event_type="ORDER_CREATED")
    body = json.dumps(created.payload).encode()
    signature = saleor_keys.sign(body, "key-1")
    # when it is replayed to the cancel endpoint, with a Saleor-Event header to match the URL
    with caplog.at_level("WARNING", logger="marketplace.saleor.views"):
        response = _post(client, installation, body, signature, event="order-cancelled")
    # then it is refused, said in the log, and nothing is recorded as a cancellation
    assert response.status_code == 400
    assert "'OrderCreated'" in response.json()["error"]["message"]
    assert any("ORDER_CANCELLED" in r.getMessage() and "OrderCreated" in r.getMessage() for r in caplog.records)
    assert not WebhookEvent.objects.filter(event_type="ORDER_CANCELLED", saleor_api_url=installation.saleor_api_url).exists()
    # while the same body at its own endpoint is accepted
    assert _post(client, installation, body, signature, event="order-created").status_code == 200


def test_a_body_without_its_event_type_is_refused(client, installation, saleor_keys):
    body = json.dumps({"order": {"id": "T3JkZXI6MQ=="}}).encode()
    response = _post(client, installation, body, saleor_keys.sign(body, "key-1"), event="order-cancelled")
    assert response.status_code == 400
