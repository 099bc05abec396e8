"""Error codes of the shared form fields (numbers typed the French way), and their French sentence.

Like the domains' ``error_codes.py``: raisers call :func:`error` with a code, checkers compare
``ValidationError.code``; the wording lives here only.
"""

import enum

from django.core.exceptions import ValidationError


class FieldErrorCode(enum.StrEnum):
    """Why a number typed in a shared field was refused."""

    AMBIGUOUS = "ambiguous"


#: The sentence for each code; ``%(name)s`` fields are filled from the error's params.
MESSAGES: dict[FieldErrorCode, str] = {
    FieldErrorCode.AMBIGUOUS: ("Écrivez le nombre avec une seule virgule et sans point pour les milliers, "
                               "par exemple 1234,50."),
}


def error(code: FieldErrorCode, **params: object) -> ValidationError:
    """A ``ValidationError`` carrying ``code``, its sentence and the values it names (raise it)."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)
