"""Writes of the short circuit. Views, tasks and the seeder call these; only ``saleor_sync`` calls the port."""

from .closing import close_cycle, close_due_cycles, cycles_to_fill
from .cycles import apply_standing_baskets, copy_cycle, start_standing_basket, stop_standing_basket
from .ordering import OrderRequest, closed_message, expire_pending, place_order

__all__ = [
    "OrderRequest", "apply_standing_baskets", "close_cycle", "close_due_cycles", "closed_message", "copy_cycle",
    "cycles_to_fill", "expire_pending", "place_order", "start_standing_basket", "stop_standing_basket",
]
