"""Staff view of the App's installations: see which Saleor App is trusted, remove it to allow another."""

from django.contrib import admin

from marketplace.saleor.installation import forget_tokens
from marketplace.saleor.models import SaleorInstallation


@admin.register(SaleorInstallation)
class SaleorInstallationAdmin(admin.ModelAdmin):
    """Read-only rows; deleting one lets another App of that Saleor register (a re-install).

    Only Saleor creates installations (through ``/saleor/api/register``); the token is never shown.
    """

    list_display = ("saleor_api_url", "app_id", "version", "created_at", "updated_at")
    fields = ("saleor_api_url", "domain", "app_id", "version", "jwks_fetched_at", "created_at", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        """Installations come from Saleor's register call only."""
        return False

    def delete_model(self, request, obj) -> None:
        """Remove the installation and stop using its token in this process at once."""
        super().delete_model(request, obj)
        forget_tokens()

    def delete_queryset(self, request, queryset) -> None:
        """Bulk removal (the admin's delete action), same effect."""
        super().delete_queryset(request, queryset)
        forget_tokens()
