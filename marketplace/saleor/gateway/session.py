"""What every domain of the gateway shares: the transport, the channel, Saleor's error lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marketplace.saleor import parsing as p
from marketplace.saleor.client import Transport
from marketplace.saleor.errors import FieldError, SaleorNotFoundError, SaleorValidationError


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

    def mutate(self, name: str, field: str, **variables: Any) -> dict[str, Any]:
        """Run the mutation document ``name`` and return the payload of ``field``.

        Raises
        ------
        SaleorNotFoundError, SaleorValidationError
            When the payload carries errors (see :func:`raise_errors`).
        """
        return raise_errors(field, self.run(name, **variables).get(field))

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
