"""Why a value typed into a form field was refused, Saleor's way: one code, one French sentence."""

import enum

from django.core.exceptions import ValidationError


class InputErrorCode(enum.StrEnum):
    """Refusals of the shared form fields (:mod:`marketplace.core.fields`)."""

    AMBIGUOUS = "ambiguous"


MESSAGES: dict[InputErrorCode, str] = {
    InputErrorCode.AMBIGUOUS: ("Écrivez le nombre avec une seule virgule et sans point pour les milliers, "
                                      "par exemple 1234,50."),
}


def error(code: InputErrorCode, **params: object) -> ValidationError:
    """A ``ValidationError`` carrying ``code`` and its sentence (raise it)."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)
