"""Platform staff pages: register vendors, invite their people, push relay points to Saleor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.saleor.errors import SaleorError

from .. import actions
from ..forms import InviteForm, VendorStaffForm
from ..models import Vendor
from .access import staff_required


@staff_required
def vendor_list(request):
    """Every vendor with its members and warehouse state."""
    vendors = Vendor.objects.select_related("commune", "referred_by").prefetch_related("memberships__user").order_by("name")
    return render(request, "vendors/staff/vendor_list.html", {"vendors": vendors})


@staff_required
@require_http_methods(["GET", "POST"])
def vendor_edit(request, vendor_pk=None):
    """Create or edit a vendor; saving pushes its warehouse to Saleor."""
    vendor = get_object_or_404(Vendor, pk=vendor_pk) if vendor_pk else Vendor()
    form = VendorStaffForm(request.POST or None, instance=vendor)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = actions.register_vendor(form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            (messages.success if outcome.synced else messages.warning)(request, outcome.message)
            return redirect("vendors:staff_vendor_detail", vendor_pk=form.instance.pk)
    return render(request, "vendors/staff/vendor_form.html", {"form": form, "vendor": vendor if vendor.pk else None})


@staff_required
@require_http_methods(["GET", "POST"])
def vendor_detail(request, vendor_pk):
    """A vendor's members and invitations, with the invitation form."""
    vendor = get_object_or_404(Vendor, pk=vendor_pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invite(vendor, form.cleaned_data["email"], invited_by=request.user, role=form.cleaned_data["role"])
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']}.")
            return redirect("vendors:staff_vendor_detail", vendor_pk=vendor.pk)
    return render(request, "vendors/staff/vendor_detail.html", {
        "vendor": vendor, "form": form,
        "members": vendor.memberships.select_related("user"), "invitations": vendor.invitations.all(),
    })


@staff_required
@require_POST
def relay_points_sync(request):
    """Create or update the collection-point warehouse of every relay point."""
    try:
        count = actions.sync_relay_points()
    except SaleorError as exc:
        messages.error(request, f"Envoi des points relais interrompu : {exc}")
    else:
        messages.success(request, f"{count} point(s) relais à jour dans Saleor.")
    return redirect("vendors:staff_vendor_list")
