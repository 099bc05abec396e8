"""The vendor's home page and shop settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import actions, selectors
from ..forms import RecommendForm, ShopForm
from ..models import VendorOrder
from .access import owner_required, vendor_required


def vendor_survey_due(vendor, now) -> bool:
    """Whether the quarter's questionnaire still waits for this vendor (the evaluation app's rule)."""
    from marketplace.evaluation.selectors import vendor_survey_due as due  # noqa: PLC0415 - evaluation builds on vendors

    return due(vendor, now)


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
        "survey_due": vendor_survey_due(vendor, timezone.now()),
        "recruits": vendor.recruits.order_by("-created_at"),
    })


@vendor_required
@require_http_methods(["GET", "POST"])
def recommend(request):
    """Invite another business to the platform; the invitation is the one staff send, from this vendor."""
    form = RecommendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.recommend_business(request.vendor, actions.Recommendation(
                name=data["name"], kind=data["kind"], siret=data["siret"], address=data["address"],
                commune=data["commune"], email=data["email"]), invited_by=request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, f"Invitation envoyée à {data['email']}. Merci ! L'équipe vérifie la boutique avant de l'ouvrir.")
            return redirect("vendors:recommend")
    return render(request, "vendors/recommend.html", {
        "vendor": request.vendor, "form": form, "recruits": request.vendor.recruits.order_by("-created_at")})


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
