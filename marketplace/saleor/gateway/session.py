"""What every domain of the gateway shares: the transport, the channel, Saleor's error lists."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.client import Transport
from marketplace.saleor.errors import (
    FieldError,
    SaleorMutationUncertain,
    SaleorNotFoundError,
    SaleorValidationError,
)

logger = logging.getLogger(__name__)

#: Looks for a mutation's effect after Saleor did not answer: its payload, or None if not applied.
ReadBack = Callable[[], "dict[str, Any] | None"]


def raise_errors(operation: str, payload: dict[str, Any] | None) -> dict[str, Any]:
    """Return a mutation's payload, or raise the typed error its ``errors`` list describes.

    Raises
    ------
    SaleorNotFoundError
        No payload, or every error is ``NOT_FOUND``.
    SaleorValidationError
        Any other error; ``.errors`` keeps Saleor's ``{field, code, message}`` items.
    """
    if payload is None:
        raise SaleorNotFoundError(f"{operation}: Saleor returned no payload")
    errors = payload.get("errors") or []
    if errors:
        codes = {e.get("code") for e in errors}
        items = [
            FieldError(e.get("field"), str(e.get("code")), e.get("message") or "") for e in errors
        ]
        if codes == {"NOT_FOUND"}:
            raise SaleorNotFoundError(
                f"{operation}: " + "; ".join(i.message or i.code for i in items)
            )
        raise SaleorValidationError(operation, items)
    return payload


class SaleorSession:
    """One transport and one sales channel, shared by the gateway's domains.

    Parameters
    ----------
    transport : Transport
        HTTP client or stand-in transport.
    channel_slug : str
        The sales channel (prices, listings and checkouts live in one channel).
    """

    def __init__(self, transport: Transport, channel_slug: str = "default-channel"):
        self.transport = transport
        self.channel_slug = channel_slug
        self.is_stand_in = transport.is_stand_in
        self._channel: dict[str, Any] | None = None
        # ids are cached against a real Saleor only: the stand-in's rows can be rolled back
        # (tests) or rebuilt (demo reset), and its look-ups cost a few milliseconds.
        self.cache = not transport.is_stand_in

    def run(self, name: str, **variables: Any) -> dict[str, Any]:
        """Run the document ``name`` and return its ``data``."""
        return self.transport.execute(name, variables)

    def mutate(
        self, name: str, field: str, *, read_back: ReadBack | None = None, idempotent: bool = False,
        **variables: Any,
    ) -> dict[str, Any]:
        """Run the mutation document ``name`` and return the payload of ``field``.

        A mutation that reached Saleor without an answer (timeout, 5xx) is never sent again
        blindly. With ``idempotent`` (Saleor's idempotency key, or a mutation that sets values
        rather than adding them) it is sent once more; with ``read_back`` that function looks
        for its effect (by our own reference) and returns the payload found, or None when it was
        not applied, and only then is it sent again. Without either, the uncertainty is raised.

        Raises
        ------
        SaleorNotFoundError, SaleorValidationError
            When the payload carries errors (see :func:`raise_errors`).
        SaleorMutationUncertain
            When Saleor did not answer and nothing says whether the mutation was applied.
        """
        try:
            data = self.run(name, **variables)
        except SaleorMutationUncertain as exc:
            if read_back is None and not idempotent:
                raise
            found = read_back() if read_back is not None else None
            if found is not None:
                logger.warning("%s: no answer from Saleor, but it was applied (%s): reconciled", name, exc)
                return found
            logger.warning("%s: no answer from Saleor and not applied (%s): sending it once more", name, exc)
            data = self.run(name, **variables)
        return raise_errors(field, data.get(field))

    def channel(self) -> dict[str, Any]:
        """The channel ``{id, slug, currencyCode}`` (cached against a real Saleor).

        Raises
        ------
        SaleorNotFoundError
            When the channel slug does not exist in Saleor.
        """
        if self._channel is None or not self.cache:
            node = self.run("channel", slug=self.channel_slug).get("channel")
            if not node:
                raise SaleorNotFoundError(f"channel {self.channel_slug!r} does not exist in Saleor")
            self._channel = node
        return self._channel

    def remember_channel(self, node: dict[str, Any]) -> None:
        """Keep the channel just read or created by the set-up."""
        self._channel = node

    def update_metadata(
        self, object_id: str, items: Mapping[str, str], private: bool = False
    ) -> None:
        """Merge public (or private) metadata items into any Saleor object."""
        name, field = (
            ("private_metadata_update", "updatePrivateMetadata")
            if private
            else ("metadata_update", "updateMetadata")
        )
        self.mutate(name, field, id=object_id, input=p.metadata_input(items))
