"""The short circuit's refusal: a :class:`ShortCircuitErrorCode` and its French sentence (``error_codes``)."""

from .error_codes import ShortCircuitErrorCode, message


class ShortCircuitError(Exception):
    """An order or cycle operation was refused; ``str(error)`` is meant for the customer.

    Parameters
    ----------
    code
        Why; the sentence comes from :data:`error_codes.MESSAGES`.
    **params
        The values the sentence names.
    """

    def __init__(self, code: ShortCircuitErrorCode, **params: object):
        self.message = message(code, **params)
        self.code = code
        super().__init__(self.message)
