"""Admin screens where the team creates cycles, pickup points and slots."""

from django.contrib import admin, messages

from marketplace.core.fields import FRENCH_DECIMALS
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.territory import geocoding

from .actions import saleor_sync
from .models import (
    CycleOrder,
    CycleOrderLine,
    CyclePickup,
    CycleProducer,
    CycleProduct,
    OrderCycle,
    PickupPoint,
    PickupSlot,
    StandingBasket,
    StandingBasketItem,
)


class CycleProducerInline(admin.TabularInline):
    """Producers of a cycle and their minimums."""

    model = CycleProducer
    extra = 0
    readonly_fields = ["minimum_met"]
    formfield_overrides = FRENCH_DECIMALS


class CycleProductInline(admin.TabularInline):
    """Products of a cycle and their caps."""

    model = CycleProduct
    extra = 0
    raw_id_fields = ["variant"]


class CyclePickupInline(admin.TabularInline):
    """Pickup points of a cycle and their "ready for" dates."""

    model = CyclePickup
    extra = 0


@admin.register(OrderCycle)
class OrderCycleAdmin(admin.ModelAdmin):
    """Cycles with their producers, products and pickup points."""

    list_display = ["name", "opens_at", "closes_at", "closed_at"]
    readonly_fields = ["closed_at", "close_report", "baskets_applied_at", "copied_from"]
    inlines = [CycleProducerInline, CycleProductInline, CyclePickupInline]
    formfield_overrides = FRENCH_DECIMALS


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    """Pickup points."""

    list_display = ["name", "commune", "holds_chilled", "holds_frozen", "active"]
    readonly_fields = ["saleor_warehouse_id", "lon", "lat"]  # the position comes from the address

    def save_model(self, request, obj, form, change):
        """Place the pickup point from its address and commune (nobody types coordinates)."""
        if not change or {"address", "commune"} & set(form.changed_data) or obj.lon is None:
            geocoding.place(obj)
        super().save_model(request, obj, form, change)
    actions = ["push_to_saleor"]

    @admin.action(description="Mettre à jour dans Saleor (point de retrait, actif ou non)")
    def push_to_saleor(self, request, queryset):
        """Create or update each selected point's collection-point warehouse (inactive: hidden at checkout)."""
        saleor, count = port.get_saleor(), 0
        try:
            for point in queryset.select_related("commune"):
                saleor_sync.sync_pickup_point(point, saleor)
                count += 1
        except SaleorError as exc:
            self.message_user(request, f"Envoi interrompu après {count} point(s) : {exc}", messages.ERROR)
        else:
            self.message_user(request, f"{count} point(s) de retrait à jour dans Saleor.", messages.SUCCESS)


@admin.register(PickupSlot)
class PickupSlotAdmin(admin.ModelAdmin):
    """Opening slots of the pickup points, per cycle."""

    list_display = ["__str__", "pickup", "capacity"]
    list_filter = ["pickup__cycle"]


class CycleOrderLineInline(admin.TabularInline):
    """Lines of an order (read only: orders are placed by customers)."""

    model = CycleOrderLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in CycleOrderLine._meta.fields]


@admin.register(CycleOrder)
class CycleOrderAdmin(admin.ModelAdmin):
    """Cycle orders, read only."""

    list_display = ["pk", "cycle", "customer", "mode", "status", "saleor_number"]
    list_filter = ["cycle", "status", "mode"]
    readonly_fields = [f.name for f in CycleOrder._meta.fields]
    inlines = [CycleOrderLineInline]


class StandingBasketItemInline(admin.TabularInline):
    """Items of a weekly basket."""

    model = StandingBasketItem
    extra = 0
    raw_id_fields = ["variant"]


@admin.register(StandingBasket)
class StandingBasketAdmin(admin.ModelAdmin):
    """Weekly baskets."""

    list_display = ["pk", "customer", "point", "active"]
    inlines = [StandingBasketItemInline]
