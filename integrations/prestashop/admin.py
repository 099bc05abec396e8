from django.contrib import admin

from .models import IdMapping, PrestaShopSource, StockDecrement, SyncRun, VendorLink


class VendorLinkInline(admin.TabularInline):
    """Which PrestaShop manufacturer/supplier/shop is which of our vendors."""

    model = VendorLink
    extra = 1


@admin.register(PrestaShopSource)
class PrestaShopSourceAdmin(admin.ModelAdmin):
    """Shops read by the bridge; the key itself is never shown."""

    list_display = ("name", "url", "vendor_mode", "ps_version", "last_date_upd", "active")
    exclude = ("key_encrypted",)
    inlines = [VendorLinkInline]


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    """Runs, with counts, skipped records and the resume cursor."""

    list_display = ("source", "kind", "status", "pages", "created", "updated", "unchanged", "requests", "started_at")
    list_filter = ("kind", "status")


admin.site.register(IdMapping)
admin.site.register(StockDecrement)
