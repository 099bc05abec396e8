"""Errors raised by the PrestaShop bridge, carrying the Webservice's own codes.

PrestaShop answers an error with a list of ``(code, message)`` pairs, for example
``401 / 18 "Invalid authentication key format"``. :class:`PrestaShopError` keeps the HTTP
status and every pair, so callers branch on codes rather than on message text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

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


class BridgeErrorCode(Enum):
    """What went wrong between the bridge and a shop; staff read the French sentence of each code."""

    NO_ANSWER = "no_answer"
    HTTP_ERROR = "http_error"
    KEY_REFUSED = "key_refused"
    NOT_PRESTASHOP = "not_prestashop"
    UNPARSABLE = "unparsable"
    LANGUAGE_UNREADABLE = "language_unreadable"
    LANGUAGE_NOT_FRENCH = "language_not_french"
    TOO_OLD = "too_old"


#: The one French sentence per code, for staff (admin, run history). ``{url}`` and ``{detail}``
#: are filled from the error; the English ``str()`` of each error is for the command line.
STAFF_MESSAGES = {
    BridgeErrorCode.NO_ANSWER: "La boutique PrestaShop n'a pas répondu ({detail}) à {url}.",
    BridgeErrorCode.HTTP_ERROR: "La boutique PrestaShop a répondu par une erreur pour {url} : {detail}.",
    BridgeErrorCode.KEY_REFUSED: "PrestaShop refuse la clé Webservice ({detail}). Vérifiez la clé dans "
                                 "PrestaShop, Paramètres avancés > Webservice.",
    BridgeErrorCode.NOT_PRESTASHOP: "L'adresse {url} n'a pas donné une réponse du Webservice PrestaShop "
                                    "({detail}). Vérifiez l'adresse de la boutique et que son Webservice est activé.",
    BridgeErrorCode.UNPARSABLE: "La réponse de {url} est illisible ({detail}).",
    BridgeErrorCode.LANGUAGE_UNREADABLE: "La clé Webservice ne peut pas lire les langues de la boutique "
                                         "(ressource « languages » : {detail}), donc les noms en français ne "
                                         "peuvent pas être reconnus. Dans PrestaShop, Paramètres avancés > "
                                         "Webservice, autorisez GET sur « languages » pour cette clé, ou "
                                         "renseignez « Identifiant de la langue française » sur cette boutique "
                                         "PrestaShop dans l'administration.",
    BridgeErrorCode.LANGUAGE_NOT_FRENCH: "La langue n° {detail} de la boutique n'est pas le français : corrigez "
                                         "« Identifiant de la langue française » de cette boutique PrestaShop.",
    BridgeErrorCode.TOO_OLD: "Cette opération demande PrestaShop 8 ou plus récent ({detail}).",
}


def staff_message(exc: PrestaShopError) -> str:
    """The French sentence staff read for ``exc`` (one per :class:`BridgeErrorCode`)."""
    return STAFF_MESSAGES[exc.error_code].format(url=exc.url or "la boutique", detail=exc.staff_detail())


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

    error_code = BridgeErrorCode.HTTP_ERROR

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

    def _detail(self) -> str:
        parts = [f"code {e.code}: {e.message}" if e.code is not None else e.message for e in self.errors]
        return "; ".join(parts) or "no error detail in the body"

    def staff_detail(self) -> str:
        """What fills ``{detail}`` in the French sentence (PrestaShop's own words stay as they are)."""
        return f"HTTP {self.status}, {self._detail()}"

    def _sentence(self) -> str:
        where = f" for {self.url}" if self.url else ""
        return f"PrestaShop answered HTTP {self.status}{where} ({self._detail()})"


class PrestaShopAuthError(PrestaShopError):
    """The key was refused (HTTP 401): empty, malformed, inactive or without permission."""

    error_code = BridgeErrorCode.KEY_REFUSED

    def staff_detail(self) -> str:
        """HTTP status and PrestaShop's code, or that there was none."""
        if self.code is None:
            return f"HTTP {self.status} sans code d'erreur PrestaShop"
        return f"HTTP {self.status}, code {self.code}"

    def _sentence(self) -> str:
        code = self.code
        message = self.errors[0].message if self.errors else ""
        where = f" at {self.url}" if self.url else ""
        if code is None:
            said = f" (the answer was {message})" if message else ""
            return (f"PrestaShop refused the Webservice key{where}: HTTP {self.status} without a PrestaShop error "
                    f"code{said}. Check the key in Paramètres avancés > Webservice, and that nothing in front "
                    f"of the shop asks for its own password.")
        reason = AUTH_CODES.get(code, "the key was refused")
        return (
            f"PrestaShop refused the Webservice key (HTTP {self.status}, code {code}: {reason}; "
            f"server said {message!r}). Check the key in Paramètres avancés > Webservice."
        )


class PrestaShopTransportError(PrestaShopError):
    """The server could not be reached or kept failing (network error or 5xx after retries).

    ``status`` is ``None`` when the server never answered; the error then says why in words
    (``"connection refused"``, ``"timed out after 30 s"``).
    """

    def __init__(self, status: int | None, errors: list[ApiErrorItem], url: str = "", *, reason: str = "") -> None:
        self.reason = reason
        super().__init__(status, errors, url)

    @property
    def error_code(self) -> BridgeErrorCode:  # type: ignore[override]
        """No answer at all, or an HTTP error that lasted through the retries."""
        return BridgeErrorCode.NO_ANSWER if self.status is None else BridgeErrorCode.HTTP_ERROR

    def staff_detail(self) -> str:
        """The reason in French words when nobody answered."""
        if self.status is None:
            return FRENCH_REASONS.get(self.reason, self.reason or "pas de réponse")
        return super().staff_detail()

    def _sentence(self) -> str:
        if self.status is None:
            return f"PrestaShop at {self.url or 'the shop'} did not answer ({self.reason or self._detail()})"
        return super()._sentence()


#: French words for the network failures :class:`PrestaShopTransportError` names.
FRENCH_REASONS = {
    "connection refused": "connexion refusée",
    "host name not found": "nom de machine inconnu",
    "connection failed": "connexion impossible",
}


class MalformedResponse(PrestaShopError):
    """The body could not be parsed safely (bad XML/JSON, forbidden DTD or entity, too large)."""

    error_code = BridgeErrorCode.UNPARSABLE

    def __init__(self, message: str, url: str = "", status: int | None = 200) -> None:
        super().__init__(status, [ApiErrorItem(None, message)], url)

    def staff_detail(self) -> str:
        """The parser's words."""
        return self._detail()

    def _sentence(self) -> str:
        return f"The answer of {self.url or 'the shop'} (HTTP {self.status}) is unreadable: {self._detail()}"


class NotPrestaShopAnswer(PrestaShopError):
    """Something answered, but not the PrestaShop Webservice.

    An empty body, an HTML page, a JSON scalar, XML whose root is not ``<prestashop>``.
    ``what`` says in words what came back (``"an empty body"``, ``"an HTML page ('<!DOCTYPE html>…')"``).
    """

    error_code = BridgeErrorCode.NOT_PRESTASHOP

    def __init__(self, status: int | None, what: str, url: str = "") -> None:
        self.what = what
        super().__init__(status, [ApiErrorItem(None, what)], url)

    def staff_detail(self) -> str:
        """HTTP status and what came back (kept in English: it quotes the body)."""
        return f"HTTP {self.status}, {self.what}"

    def _sentence(self) -> str:
        return (f"{self.url or 'The shop'} did not give a PrestaShop Webservice answer: HTTP {self.status} with "
                f"{self.what}. Check that the URL is the shop's (its Webservice is SHOP/api/) and that the "
                f"Webservice is enabled.")


class LanguageUnknown(PrestaShopError):
    """The French language of the shop cannot be told: ``languages`` is not readable with this key.

    The bridge never picks a language by itself (language 1 is English on many shops); the way
    out is to allow ``languages`` to the key, or to give the French language id explicitly.
    """

    error_code = BridgeErrorCode.LANGUAGE_UNREADABLE

    def __init__(self, cause: PrestaShopError | str, url: str = "") -> None:
        self.cause = cause
        detail = cause.staff_detail() if isinstance(cause, PrestaShopError) else cause
        super().__init__(getattr(cause, "status", None), [ApiErrorItem(getattr(cause, "code", None), detail)], url)

    def staff_detail(self) -> str:
        """Why ``languages`` could not be read."""
        return self.errors[0].message

    def _sentence(self) -> str:
        return (f"The key may not read the shop's languages (GET {self.url or 'languages'}: "
                f"{self.errors[0].message}), so French names cannot be told from the others, and the bridge "
                f"never picks a language by itself. Either allow GET on 'languages' for this key in PrestaShop "
                f"(Paramètres avancés > Webservice), or give the French language id: --language-id N "
                f"(in the admin: 'Identifiant de la langue française' on the PrestaShop source).")


class LanguageNotFrench(PrestaShopError):
    """The language id given as French is another language on the shop."""

    error_code = BridgeErrorCode.LANGUAGE_NOT_FRENCH

    def __init__(self, language_id: int, iso_code: str, url: str = "") -> None:
        self.language_id, self.iso_code = language_id, iso_code
        super().__init__(None, [ApiErrorItem(None, f"language {language_id} is {iso_code!r}")], url)

    def staff_detail(self) -> str:
        """The id and what it really is."""
        return f"{self.language_id} (« {self.iso_code} »)"

    def _sentence(self) -> str:
        found = f"is {self.iso_code!r}" if self.iso_code else "does not exist"
        return (f"Language {self.language_id} of the shop {found}, not French ('fr'): give the id of the "
                f"French language with --language-id, or leave it out (the shop's languages are readable).")


class PrestaShopVersionError(PrestaShopError):
    """An operation needs a newer PrestaShop (for example PATCH before version 8)."""

    error_code = BridgeErrorCode.TOO_OLD
