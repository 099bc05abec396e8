"""The vendors' data: who they are, their catalogue, and their share of orders."""

from .catalogue import Product, ProductImage, ProductVariant
from .orders import VendorOrder, VendorOrderLine
from .vendor import Invitation, Vendor, VendorMembership

__all__ = [
    "Invitation", "Product", "ProductImage", "ProductVariant", "Vendor", "VendorMembership",
    "VendorOrder", "VendorOrderLine",
]
