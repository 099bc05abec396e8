"""HTTP entry points of the Saleor App: manifest, register, webhooks (thin: check, then delegate)."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplace.saleor import installation as install
from marketplace.saleor import registry
from marketplace.saleor.jws import SignatureError, verify_signature
from marketplace.saleor.manifest import WEBHOOKS, build_manifest, event_from_slug
from marketplace.saleor.models import SaleorInstallation
from marketplace.saleor.webhooks import record_delivery, shipping_methods_response

logger = logging.getLogger(__name__)


def _error(status: int, message: str) -> JsonResponse:
    # Saleor reads {"error": {"message": ...}} from a failed register call.
    return JsonResponse({"success": False, "error": {"message": message}}, status=status)


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """Serve the App manifest."""
    return JsonResponse(build_manifest())


@csrf_exempt
@require_POST
def register(request: HttpRequest) -> JsonResponse:
    """Receive ``{"auth_token"}`` from Saleor, with ``Saleor-Api-Url`` and ``Saleor-Domain``.

    403 when the URL is not allowed or Saleor does not confirm the token, 409 when another App
    of that Saleor is installed already (see :mod:`.installation`).
    """
    api_url = request.headers.get("Saleor-Api-Url", "")
    domain = request.headers.get("Saleor-Domain", "")
    if not api_url:
        return _error(400, "Saleor-Api-Url header is missing")
    try:
        token = json.loads(request.body or b"{}").get("auth_token", "")
    except (ValueError, AttributeError):
        return _error(400, "body must be JSON with auth_token")
    try:
        install.register(api_url, domain, token)
    except install.AlreadyInstalled as exc:
        logger.warning("Saleor App registration refused: %s", exc)
        return _error(409, str(exc))
    except install.RegistrationRefused as exc:
        logger.warning("Saleor App registration refused: %s", exc)
        return _error(403, str(exc))
    except SignatureError as exc:
        logger.warning("Saleor App registration failed: %s", exc)
        return _error(400, str(exc))
    except ValueError as exc:
        return _error(400, str(exc))
    return JsonResponse({"success": True})


def event_typename(event_type: str) -> str:
    """``ORDER_FULLY_PAID`` -> ``OrderFullyPaid``, the ``__typename`` of that event's payload."""
    return "".join(word.capitalize() for word in event_type.split("_"))


def signed_event_type(payload: object) -> str | None:
    """The ``__typename`` the signed body declares (every subscription of the manifest selects it)."""
    if not isinstance(payload, dict):
        return None
    event = payload.get("event") if isinstance(payload.get("event"), dict) else payload
    typename = event.get("__typename")
    return typename if isinstance(typename, str) else None


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, event_slug: str) -> JsonResponse:
    """Verify a webhook's signature and its event type, then record it (async) or answer it (sync).

    401 for a missing or bad signature, 403 for an instance that never installed the App, 400
    when the signed body is another event than the endpoint's (its ``__typename`` decides).
    """
    event_type = event_from_slug(event_slug)
    if event_type is None:
        return _error(404, f"no webhook {event_slug!r}")
    api_url = request.headers.get("Saleor-Api-Url", "")
    installation = SaleorInstallation.objects.filter(saleor_api_url=api_url).first()
    if installation is None:
        logger.warning("webhook %s from unknown Saleor instance %r refused", event_type, api_url)
        return _error(403, "unknown Saleor instance")
    header_event = request.headers.get("Saleor-Event", "").upper()
    if header_event and header_event != event_type:
        return _error(400, f"Saleor-Event {header_event} does not match {event_type}")
    try:
        verify_signature(installation, request.headers.get("Saleor-Signature"), request.body)
    except SignatureError as exc:
        logger.warning("webhook %s from %s rejected: %s", event_type, api_url, exc)
        return _error(401, "invalid signature")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return _error(400, "body is not JSON")
    signed_type = signed_event_type(payload)
    if signed_type != event_typename(event_type):
        # A genuine body replayed to another endpoint (e.g. an ORDER_CREATED posted to the cancel
        # URL): the signature is valid, but the body says what it is, and it is not this event.
        logger.warning("webhook %s from %s refused: the signed payload is a %r event",
                       event_type, api_url, signed_type)
        return _error(400, f"the payload is a {signed_type!r} event, not {event_typename(event_type)}")
    if event_type == "SHIPPING_LIST_METHODS_FOR_CHECKOUT":
        return JsonResponse(shipping_methods_response(payload), safe=False)
    if WEBHOOKS[event_type][1]:
        return _payment_answer(api_url, event_type, payload)
    try:
        _event, created = record_delivery(api_url, event_type, request.body)
    except ValueError as exc:
        return _error(400, str(exc))
    return JsonResponse({"success": True, "duplicate": not created})


def _payment_answer(api_url: str, event_type: str, payload: dict) -> JsonResponse:
    """Answer a sync payment webhook with what the registered payment app says.

    503 when no payment app is registered for the event (Saleor then records a failure).
    """
    responder = registry.payment_responder(event_type)
    if responder is None:
        logger.error("no payment responder for %s", event_type)
        return _error(503, f"{event_type} is not handled here")
    return JsonResponse(responder(api_url, payload))
