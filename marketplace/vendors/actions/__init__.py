"""Writes of the vendors app. Views, tasks, seeders and other apps call these, never the port.

Other apps use :func:`record_order` (from the storefront's order webhook) to feed the
vendors' order projection.
"""

from .catalogue import add_image, retry_push, save_product, update_stock
from .onboarding import (
    Recommendation,
    SyncOutcome,
    accept_invitation,
    invitation_from_link,
    invite,
    recommend_business,
    register_vendor,
)
from .orders import record_order, set_lines_prepared
from .saleor_sync import push_product, push_stock, sync_relay_points, sync_vendor_warehouse

__all__ = [
    "Recommendation", "SyncOutcome", "accept_invitation", "add_image", "invitation_from_link", "invite", "push_product",
    "push_stock", "recommend_business", "record_order", "register_vendor", "retry_push", "save_product", "set_lines_prepared",
    "sync_relay_points", "sync_vendor_warehouse", "update_stock",
]
