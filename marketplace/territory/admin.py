from django.contrib import admin

from .models import Commune, RelayPoint, Shopper

admin.site.register(Commune, list_display=("insee", "name", "population"), search_fields=("name", "insee"))
admin.site.register(RelayPoint, list_display=("name", "kind", "commune", "fridge_capacity_l"))
admin.site.register(Shopper, list_display=("user", "commune", "is_senior", "is_isolated"))
