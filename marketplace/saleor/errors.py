"""Typed errors raised by every Saleor port implementation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One item of a Saleor mutation's ``errors`` list."""

    field: str | None
    code: str
    message: str


class SaleorError(Exception):
    """Base class of every error coming from the Saleor adapter."""


class SaleorNetworkError(SaleorError):
    """Saleor could not be reached, or answered 5xx, after the bounded retries."""


class SaleorMutationUncertain(SaleorNetworkError):
    """A mutation reached Saleor but no answer came back (timeout, 5xx): it may have been applied.

    Never answered by sending the mutation again blindly: the caller reads back (by our own
    reference, or through Saleor's idempotency key) and reconciles; see ``SaleorSession.mutate``.
    """


class SaleorPermissionError(SaleorError):
    """The app token is missing, invalid, or lacks a permission for this operation."""


class SaleorNotFoundError(SaleorError):
    """An object id given to the adapter does not exist in Saleor."""


class SaleorValidationError(SaleorError):
    """Saleor refused the input.

    Parameters
    ----------
    operation : str
        The mutation or query name.
    errors : list of FieldError
        Saleor's ``errors[{field, code, message}]`` items (or GraphQL errors, code ``GRAPHQL``).
    """

    def __init__(self, operation: str, errors: list[FieldError]):
        self.operation = operation
        self.errors = errors
        detail = "; ".join(f"{e.field or '-'}: {e.code} ({e.message})" for e in errors)
        super().__init__(f"Saleor refused {operation}: {detail}")

    @property
    def codes(self) -> set[str]:
        """The set of error codes, handy in tests and in views."""
        return {e.code for e in self.errors}
