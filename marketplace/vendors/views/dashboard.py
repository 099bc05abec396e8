"""The vendor's home page and shop settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import actions, selectors
from ..forms import ShopForm
from ..models import VendorOrder
from .access import owner_required, vendor_required


@vendor_required
def dashboard(request):
    """Orders to prepare, low stock and products waiting to reach Saleor."""
    vendor = request.vendor
    to_prepare = selectors.orders_of(vendor, VendorOrder.Status.NEW)
    live = selectors.live_stock(vendor)
    low = [(v, live.get(v.saleor_variant_id) if live else None) for v in selectors.low_stock(vendor, live=live)[:20]]
    return render(request, "vendors/dashboard.html", {
        "vendor": vendor,
        "to_prepare": to_prepare[:10], "to_prepare_count": to_prepare.count(),
        "low_stock": low, "live_unavailable": live is None,
        "unsynced": selectors.products_of(vendor).exclude(sync_error=""),
        "product_count": selectors.products_of(vendor).count(),
    })


@owner_required
@require_http_methods(["GET", "POST"])
def shop(request):
    """The owner edits contact details, click & collect and opening hours (pushed to the warehouse)."""
    form = ShopForm(request.POST or None, instance=request.vendor)
    if request.method == "POST" and form.is_valid():
        outcome = actions.register_vendor(form.save(commit=False))
        (messages.success if outcome.synced else messages.warning)(request, outcome.message)
        return redirect("vendors:shop")
    return render(request, "vendors/shop.html", {"vendor": request.vendor, "form": form})
