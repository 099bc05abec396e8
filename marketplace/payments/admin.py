"""Read-only view of the payment sessions this App answered Saleor for (support and accounting)."""

from django.contrib import admin

from .models import PaymentSession


@admin.register(PaymentSession)
class PaymentSessionAdmin(admin.ModelAdmin):
    """Amounts are what Saleor recorded from our answers; change them in Saleor, never here."""

    list_display = ("psp_reference", "method", "authorized", "charged", "refunded", "canceled", "collected_at", "created_at")
    list_filter = ("method",)
    search_fields = ("psp_reference", "transaction_id", "source_id")
    readonly_fields = [f.name for f in PaymentSession._meta.fields]

    def has_add_permission(self, request):
        """Sessions are made only by Saleor's calls."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Kept for the accounts; they hold no personal data."""
        return False
