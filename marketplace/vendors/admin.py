"""Django admin for vendors: saving a vendor also pushes its Saleor warehouse."""

from django.contrib import admin, messages

from marketplace.core.fields import FRENCH_DECIMALS
from marketplace.territory import geocoding

from . import actions
from .models import (
    Invitation,
    Product,
    ProductVariant,
    Vendor,
    VendorMembership,
    VendorOrder,
    VendorOrderLine,
)


class MembershipInline(admin.TabularInline):
    """Admin for Membership rows."""

    model = VendorMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    """Vendors; use the staff page /vendeur/gestion/ to invite people by email."""

    list_display = ("name", "kind", "commune", "commission_rate", "accepts_click_and_collect", "active")
    list_filter = ("kind", "active", "accepts_click_and_collect")
    search_fields = ("name", "legal_name", "siret")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("saleor_warehouse_id", "lon", "lat")  # the position comes from the address
    inlines = [MembershipInline]
    formfield_overrides = FRENCH_DECIMALS

    def save_model(self, request, obj, form, change):
        """Place the shop from its address, then save through :func:`register_vendor` (Saleor follows)."""
        if not change or {"address", "commune"} & set(form.changed_data) or obj.lon is None:
            geocoding.place(obj)
        outcome = actions.register_vendor(obj)
        self.message_user(request, outcome.message, messages.SUCCESS if outcome.synced else messages.WARNING)


class VariantInline(admin.TabularInline):
    """Admin for Variant rows."""

    model = ProductVariant
    extra = 0
    readonly_fields = ("saleor_variant_id",)
    formfield_overrides = FRENCH_DECIMALS


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """Admin for Product."""

    list_display = ("name", "vendor", "category", "temperature", "published", "synced_at")
    list_filter = ("vendor", "category", "temperature")
    search_fields = ("name",)
    readonly_fields = ("saleor_product_id", "synced_at", "sync_error")
    inlines = [VariantInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Admin for Invitation."""

    list_display = ("email", "vendor", "role", "created_at", "expires_at", "accepted_at")
    readonly_fields = ("token_hash", "accepted_at", "accepted_user", "invited_by")


class OrderLineInline(admin.TabularInline):
    """Admin for OrderLine rows."""

    model = VendorOrderLine
    extra = 0


@admin.register(VendorOrder)
class VendorOrderAdmin(admin.ModelAdmin):
    """Admin for VendorOrder."""

    list_display = ("number", "vendor", "placed_at", "status")
    list_filter = ("vendor", "status")
    inlines = [OrderLineInline]
