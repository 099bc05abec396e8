"""Admin pages for the delivery set-up staff edit by hand: depots, vans, days and shifts."""

from django.contrib import admin

from .models import DeliveryDay, DeliveryTask, Depot, Shift, Van


@admin.register(Depot)
class DepotAdmin(admin.ModelAdmin):
    """Depots and their opening hours (seconds since midnight)."""

    list_display = ("name", "address", "opens_s", "closes_s")


@admin.register(Van)
class VanAdmin(admin.ModelAdmin):
    """Vans and their compartment capacities."""

    list_display = ("name", "depot", "chilled_kg", "frozen_kg", "cost_per_km_c", "active")


class ShiftInline(admin.TabularInline):
    """Which van works the day, and who drives it."""

    model = Shift
    fields = ("van", "driver_name", "start_s", "end_s")
    extra = 0


@admin.register(DeliveryDay)
class DeliveryDayAdmin(admin.ModelAdmin):
    """Delivery days; plans are made from the staff pages under /livraison/."""

    list_display = ("date", "status", "frozen_at")
    inlines = [ShiftInline]


@admin.register(DeliveryTask)
class DeliveryTaskAdmin(admin.ModelAdmin):
    """Tasks are created by the shop and the short circuit; staff mostly read them here."""

    list_display = ("day", "kind", "name", "status", "fail_reason", "resolution")
    list_filter = ("day", "kind", "status")
    search_fields = ("name", "source", "address")
    readonly_fields = ("source", "shipment_key", "created_at", "updated_at")
