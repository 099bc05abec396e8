"""The storefront's refusal: a :class:`StorefrontErrorCode` and its French sentence (``error_codes``)."""

from django.core.exceptions import ValidationError

from .error_codes import StorefrontErrorCode, message


class StorefrontError(ValidationError):
    """A refusal the shopper can act on: ``code`` is a :class:`StorefrontErrorCode`.

    Parameters
    ----------
    code
        Why; the sentence shown comes from :data:`error_codes.MESSAGES`.
    **params
        The values the sentence names (a date, a relay point...).
    """

    def __init__(self, code: StorefrontErrorCode, **params: object) -> None:
        super().__init__(message(code, **params), code=code)
