"""Errors raised by the PrestaShop bridge, carrying the Webservice's own codes.

PrestaShop answers an error with a list of ``(code, message)`` pairs, for example
``401 / 18 "Invalid authentication key format"``. :class:`PrestaShopError` keeps the HTTP
status and every pair, so callers branch on codes rather than on message text.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Authentication codes documented by PrestaShop (``WebserviceRequest::authenticate``).
AUTH_CODES = {
    16: "no authentication key was sent",
    17: "the authentication key is empty",
    18: "the authentication key is not 32 characters long",
    20: "the authentication key is not active",
    21: "the authentication key has no permission",
    26: "the key may not use this resource",
}

#: Write-side codes the bridge reacts to.
ID_REQUIRED = 90  # PUT/PATCH without <id>
ID_FORBIDDEN = 91  # POST with <id>
UNKNOWN_ID = 92
NOT_WRITABLE = 93
XML_UNPARSABLE = 127


@dataclass(frozen=True)
class ApiErrorItem:
    """One ``<error>`` of a PrestaShop error body."""

    code: int | None
    message: str


class PrestaShopError(Exception):
    """An answer from PrestaShop that is an error, with its HTTP status and error codes.

    Parameters
    ----------
    status : int or None
        HTTP status (``None`` when the server never answered).
    errors : list of ApiErrorItem
        The ``(code, message)`` pairs from the body, possibly empty.
    url : str
        The URL requested, without the key.
    """

    def __init__(self, status: int | None, errors: list[ApiErrorItem], url: str = "") -> None:
        self.status = status
        self.errors = list(errors)
        self.url = url
        super().__init__(self._sentence())

    @property
    def codes(self) -> list[int]:
        """Every PrestaShop error code in the answer (may be empty)."""
        return [e.code for e in self.errors if e.code is not None]

    @property
    def code(self) -> int | None:
        """The first PrestaShop error code, or ``None``."""
        codes = self.codes
        return codes[0] if codes else None

    def _sentence(self) -> str:
        parts = [f"code {e.code}: {e.message}" if e.code is not None else e.message for e in self.errors]
        detail = "; ".join(parts) or "no error detail in the body"
        where = f" for {self.url}" if self.url else ""
        return f"PrestaShop answered HTTP {self.status}{where} ({detail})"


class PrestaShopAuthError(PrestaShopError):
    """The key was refused (HTTP 401): empty, malformed, inactive or without permission."""

    def _sentence(self) -> str:
        code = self.code
        reason = AUTH_CODES.get(code, "the key was refused") if code is not None else "the key was refused"
        message = self.errors[0].message if self.errors else ""
        return (
            f"PrestaShop refused the Webservice key (HTTP {self.status}, code {code}: {reason}; "
            f"server said {message!r}). Check the key in Paramètres avancés > Webservice."
        )


class PrestaShopTransportError(PrestaShopError):
    """The server could not be reached or kept failing (network error or 5xx after retries)."""


class MalformedResponse(PrestaShopError):
    """The body could not be parsed safely (bad XML/JSON, forbidden DTD or entity, too large)."""

    def __init__(self, message: str, url: str = "", status: int | None = 200) -> None:
        super().__init__(status, [ApiErrorItem(None, message)], url)


class PrestaShopVersionError(PrestaShopError):
    """An operation needs a newer PrestaShop (for example PATCH before version 8)."""
