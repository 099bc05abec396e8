"""Refusals of the short-circuit channel: a code for programs, one French sentence for people."""

CYCLE_NOT_OPEN = "cycle_not_open"
CYCLE_CLOSED = "cycle_closed"
EMPTY_ORDER = "empty_order"
NOT_IN_CYCLE = "not_in_cycle"
LIMIT_REACHED = "limit_reached"
SLOT_FULL = "slot_full"
SLOT_UNKNOWN = "slot_unknown"
POINT_NOT_CHILLED = "point_not_chilled"
NO_HOME_DELIVERY = "no_home_delivery"
NO_ADDRESS = "no_address"
COLLECTOR_UNKNOWN = "collector_unknown"
SALEOR_FAILED = "saleor_failed"


class ShortCircuitError(Exception):
    """An order or cycle operation was refused; ``str(error)`` is meant for the customer."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
