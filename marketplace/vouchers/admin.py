"""Read-only views of the vouchers the App knows and the spends it made (balances are Saleor's)."""

from django.contrib import admin

from .models import Voucher, VoucherBatch, VoucherSpend


class ReadOnly(admin.ModelAdmin):
    """Issued from the staff page and debited by Saleor or the door step: never edited here."""

    def get_readonly_fields(self, request, obj=None):
        """Every field."""
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        """Made by the staff page, the door step or a balance read."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Kept for the accounts and the vendors' statements."""
        return False


@admin.register(VoucherBatch)
class VoucherBatchAdmin(ReadOnly):
    """Batches issued by staff."""

    list_display = ("tag", "count", "amount", "expiry_date", "issued_at", "issued_by")
    search_fields = ("tag",)


@admin.register(Voucher)
class VoucherAdmin(ReadOnly):
    """One row per Saleor gift card; the balance is the last one read."""

    list_display = ("__str__", "tag", "origin", "initial_amount", "balance", "expiry_date", "balance_read_at",
                    "deactivated_at", "deactivation_reason", "spent_before_deactivation")
    list_filter = ("origin", "deactivation_reason")
    search_fields = ("code", "tag", "gift_card_id")


@admin.register(VoucherSpend)
class VoucherSpendAdmin(ReadOnly):
    """What each voucher paid for each order, online or at the door."""

    list_display = ("voucher", "order_number", "channel", "amount", "balance_after", "spent_at", "by", "recorded_at")
    list_filter = ("channel",)
    search_fields = ("order_number", "saleor_order_id", "voucher__code")
