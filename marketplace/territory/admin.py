from django.contrib import admin

from . import geocoding
from .models import Commune, RelayPoint, Shopper


class PositionFromAddressAdmin(admin.ModelAdmin):
    """Nobody types coordinates: the map position is looked up from the address and the commune."""

    readonly_fields: tuple[str, ...] = ("lon", "lat")

    def save_model(self, request, obj, form, change):
        """Place the object on the map when it is new or its address or commune changed."""
        if not change or {"address", "commune"} & set(form.changed_data) or obj.lon is None:
            position = geocoding.place(obj)
            if position is not None and position.approximate:
                self.message_user(request, f"Position sur la carte : {position.label}. {position.notice}".strip())
        super().save_model(request, obj, form, change)


admin.site.register(Commune, list_display=("insee", "name", "population"), search_fields=("name", "insee"))
admin.site.register(RelayPoint, PositionFromAddressAdmin, list_display=("name", "kind", "commune", "fridge_capacity_l"))
admin.site.register(Shopper, PositionFromAddressAdmin, list_display=("user", "commune", "is_senior", "is_isolated"),
                    raw_id_fields=("user",), readonly_fields=("lon", "lat", "saleor_customer_id"))
