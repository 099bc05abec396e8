"""GraphQL over HTTP to a real Saleor 3: timeouts, bounded retries and typed errors.

:class:`SaleorGraphQLClient` is the HTTP transport of :class:`~.gateway.SaleorGateway`; the
stand-in transport (:mod:`.standin.transport`) has the same ``execute`` signature.

Queries are retried after a network error or a 5xx answer. Mutations are retried only when the
request surely never reached Saleor (no connection could be made); after a timeout or a 5xx the
mutation may have been applied, so the client raises :class:`SaleorMutationUncertain` and the
gateway reads back and reconciles (``SaleorSession.mutate``) instead of applying it twice.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

import httpx
from graphql import OperationDefinitionNode, OperationType

from marketplace.saleor.documents import load_document, parsed_document
from marketplace.saleor.errors import (
    FieldError,
    SaleorMutationUncertain,
    SaleorNetworkError,
    SaleorPermissionError,
    SaleorValidationError,
)

logger = logging.getLogger(__name__)

#: Seconds: connect, read, write, pool.
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
#: Attempts in total for network errors and 5xx answers (never for 4xx or GraphQL errors; for a
#: mutation, only while the request surely never left: see :func:`never_sent`).
MAX_ATTEMPTS = 3
#: First back-off in seconds (doubles each retry).
BACKOFF_S = 0.3


def is_mutation(name: str) -> bool:
    """Whether the document ``name`` is a mutation."""
    return any(isinstance(d, OperationDefinitionNode) and d.operation is OperationType.MUTATION
               for d in parsed_document(name).definitions)


def never_sent(exc: httpx.TransportError) -> bool:
    """Whether the request surely did not reach Saleor (so even a mutation may be sent again)."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


class Transport(Protocol):
    """Something that runs one named document and returns its ``data``."""

    is_stand_in: bool

    def execute(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run the document ``name`` with ``variables`` and return the ``data`` object."""


def _graphql_errors(name: str, errors: list[dict[str, Any]]) -> Exception:
    codes = {str((e.get("extensions") or {}).get("exception", {}).get("code", "")) for e in errors}
    messages = " | ".join(str(e.get("message", "")) for e in errors)
    if "PermissionDenied" in codes or "permission" in messages.lower():
        return SaleorPermissionError(f"{name}: {messages}")
    return SaleorValidationError(
        name,
        [FieldError(field=None, code="GRAPHQL", message=str(e.get("message", ""))) for e in errors],
    )


class SaleorGraphQLClient:
    """POST GraphQL documents to ``api_url`` with the app token.

    Parameters
    ----------
    api_url : str
        The Saleor GraphQL endpoint, e.g. ``https://saleor.example/graphql/``.
    token : str
        The app's auth token (sent as ``Authorization: Bearer``); empty for anonymous calls.
    transport : httpx.BaseTransport, optional
        For tests at the transport level (``httpx.MockTransport``).
    timeout : httpx.Timeout
        Per-request timeouts in seconds.
    """

    is_stand_in = False

    def __init__(
        self,
        api_url: str,
        token: str = "",
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_attempts: int = MAX_ATTEMPTS,
        backoff_s: float = BACKOFF_S,
    ):
        self.api_url = api_url
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(timeout=timeout, headers=headers, transport=transport)
        self._max_attempts = max_attempts
        self._backoff_s = backoff_s

    def execute(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run the document ``graphql/<name>.graphql``.

        Returns
        -------
        dict
            The ``data`` object of the answer.

        Raises
        ------
        SaleorNetworkError
            Connection failures, timeouts or 5xx answers after ``max_attempts`` tries.
        SaleorMutationUncertain
            A mutation timed out or got a 5xx after it was sent (not retried: it may be applied).
        SaleorPermissionError
            401/403, or a GraphQL ``PermissionDenied`` error.
        SaleorValidationError
            Other GraphQL errors (a bad document or variables), code ``GRAPHQL``.
        """
        return self.execute_text(load_document(name), variables, name=name, mutation=is_mutation(name))

    def execute_text(
        self, query: str, variables: dict[str, Any] | None = None, *, name: str, mutation: bool = False
    ) -> dict[str, Any]:
        """Run the GraphQL ``query`` text; ``name`` labels it in errors and logs.

        For the few queries not kept in ``graphql/`` (schema introspection, built by
        graphql-core). Returns and raises as :meth:`execute`.
        """
        body = {"query": query, "variables": variables or {}}
        last_error: Exception | None = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = self._http.post(self.api_url, json=body)
            except httpx.TransportError as exc:
                last_error = exc
                logger.warning("Saleor %s: network error on attempt %d: %s", name, attempt, exc)
                if mutation and not never_sent(exc):
                    raise SaleorMutationUncertain(
                        f"{name}: sent to Saleor at {self.api_url}, no answer ({exc!r}): may be applied"
                    ) from exc
            else:
                if response.status_code >= 500:
                    last_error = httpx.HTTPStatusError(
                        f"HTTP {response.status_code}", request=response.request, response=response
                    )
                    logger.warning(
                        "Saleor %s: HTTP %d on attempt %d", name, response.status_code, attempt
                    )
                    if mutation:
                        raise SaleorMutationUncertain(
                            f"{name}: Saleor at {self.api_url} answered HTTP {response.status_code}: may be applied"
                        )
                else:
                    return self._decode(name, response)
            if attempt < self._max_attempts:
                time.sleep(self._backoff_s * 2 ** (attempt - 1))
        raise SaleorNetworkError(
            f"Saleor at {self.api_url} unreachable for {name} after {self._max_attempts} attempts: {last_error}"
        )

    @staticmethod
    def _decode(name: str, response: httpx.Response) -> dict[str, Any]:
        if response.status_code in (401, 403):
            raise SaleorPermissionError(f"{name}: HTTP {response.status_code} from Saleor")
        try:
            payload = response.json()
        except ValueError as exc:
            raise SaleorNetworkError(
                f"{name}: Saleor answered non-JSON (HTTP {response.status_code})"
            ) from exc
        if payload.get("errors"):
            raise _graphql_errors(name, payload["errors"])
        if response.status_code >= 400:
            raise SaleorValidationError(
                name, [FieldError(None, "HTTP", f"HTTP {response.status_code}")]
            )
        return payload.get("data") or {}

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._http.close()


class _SharedGateway:
    """The process-wide gateway over HTTP, rebuilt when the App token changes.

    The token is ``SALEOR_APP_TOKEN``, else the one Saleor gave at registration, read through
    :func:`marketplace.saleor.installation.current_token` (re-checked every
    ``SALEOR_TOKEN_CACHE_S`` seconds), so a re-installed App's token is used without a restart.
    One connection pool per token.
    """

    def __init__(self) -> None:
        self._gateway = None
        self._key: tuple[str, str, str] | None = None
        self._lock = threading.Lock()

    def __call__(self):
        from django.conf import settings

        from marketplace.saleor.gateway import SaleorGateway

        token = settings.SALEOR_APP_TOKEN
        if not token:
            from marketplace.saleor.installation import current_token

            stored = current_token(settings.SALEOR_API_URL)  # stored (encrypted) by /api/register
            token = stored.token if stored else ""
        key = (settings.SALEOR_API_URL, settings.SALEOR_CHANNEL, token)
        with self._lock:
            if self._gateway is None or key != self._key:
                if self._gateway is not None:
                    logger.info("Saleor App token changed: new connection pool for %s", key[0])
                self._gateway = SaleorGateway(SaleorGraphQLClient(key[0], token), channel_slug=key[1])
                self._key = key
            return self._gateway

    def cache_clear(self) -> None:
        """Forget the gateway and the held token (the next call reads both again)."""
        from marketplace.saleor.installation import forget_tokens

        forget_tokens()
        with self._lock:
            self._gateway, self._key = None, None


shared_client = _SharedGateway()
