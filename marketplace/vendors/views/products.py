"""Product pages of the vendor dashboard: list, create, edit, photos, stock."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import actions, selectors
from ..forms import ImageForm, ProductForm, VariantFormSet, VariantFormSetPlusOne
from ..models import Product, ProductImage
from .access import vendor_required


def _notify(request, outcome):
    (messages.success if outcome.synced else messages.warning)(request, outcome.message)


@vendor_required
def product_list(request):
    """All the vendor's products with variants, prices, stock and sync state."""
    return render(request, "vendors/product_list.html", {"products": selectors.products_of(request.vendor)})


@vendor_required
@require_http_methods(["GET", "POST"])
def product_create(request):
    """Create a product with its first variants; pushed to Saleor on save."""
    return _edit(request, Product(vendor=request.vendor))


@vendor_required
@require_http_methods(["GET", "POST"])
def product_edit(request, product_pk):
    """Edit one of the vendor's products and its variants."""
    return _edit(request, selectors.product_of(request.vendor, product_pk))


def _edit(request, product):
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ProductForm(data, files, instance=product, prefix="p", vendor=request.vendor)
    formset_class = VariantFormSetPlusOne if request.GET.get("autre_format") else VariantFormSet
    formset = formset_class(data, instance=product, prefix="v")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        product = form.save(commit=False)
        variants = [f.save(commit=False) for f in formset.forms if f.has_changed() or f.instance.pk]
        try:
            outcome = actions.save_product(request.vendor, product, variants)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            photo = form.cleaned_data.get("photo")
            if photo:  # taken on this form: kept even if Saleor is down (sent again with the product)
                pictured = actions.add_image(product, ProductImage(image=photo, alt=product.name))
                if outcome.synced:
                    outcome = pictured if not pictured.synced else actions.SyncOutcome(
                        True, "Produit enregistré avec sa photo et publié dans la boutique en ligne.")
            _notify(request, outcome)
            if "encore" in request.POST:
                return redirect("vendors:product_create")
            return redirect("vendors:product_edit", product_pk=product.pk)
    return render(request, "vendors/product_form.html", {
        "form": form, "formset": formset, "product": product if product.pk else None,
        "image_form": ImageForm(prefix="img"), "errors": _error_summary(form, formset),
    })


def _error_summary(form, formset) -> list[tuple[str, str, str]]:
    """Every error of the page as (field id, field label, message), for the summary at its top."""
    found = []
    for f in [form, *formset.forms]:
        if not f.is_bound:
            continue
        for name, messages_ in f.errors.items():
            field = f[name] if name != "__all__" else None
            for message in messages_:
                found.append((field.id_for_label if field else "", field.label if field else "", message))
    found += [("", "", message) for message in formset.non_form_errors()]
    return found


@vendor_required
@require_POST
def product_image_add(request, product_pk):
    """Add a photo (upload or URL) to one of the vendor's products."""
    product = selectors.product_of(request.vendor, product_pk)
    form = ImageForm(request.POST, request.FILES, prefix="img")
    if form.is_valid():
        try:
            _notify(request, actions.add_image(product, form.save(commit=False)))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Photo refusée : " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("vendors:product_edit", product_pk=product.pk)


@vendor_required
@require_POST
def product_push(request, product_pk):
    """Send a product to Saleor again after a failure."""
    product = selectors.product_of(request.vendor, product_pk)
    _notify(request, actions.retry_push(product))
    return redirect("vendors:product_edit", product_pk=product.pk)


@vendor_required
@require_http_methods(["GET", "POST"])
def stock(request):
    """Every variant's stock on one page; the changed ones are saved and pushed to Saleor."""
    variants = list(selectors.variants_of(request.vendor))
    errors = {}
    if request.method == "POST":
        quantities = {}
        for variant in variants:
            raw = request.POST.get(f"stock-{variant.pk}", "").strip()
            if raw == "":
                continue
            try:
                quantities[variant.pk] = int(raw)
                if quantities[variant.pk] < 0:
                    raise ValueError
            except ValueError:
                errors[variant.pk] = f"« {raw} » n'est pas un nombre entier positif."
        if not errors:
            _notify(request, actions.update_stock(request.vendor, quantities))
            return redirect("vendors:stock")
        messages.error(request, "Rien n'a été enregistré : corrigez les quantités signalées.")
    live = selectors.live_stock(request.vendor)
    rows = [(v, errors.get(v.pk), request.POST.get(f"stock-{v.pk}", v.stock),
             live.get(v.saleor_variant_id) if live else None) for v in variants]
    return render(request, "vendors/stock.html", {"rows": rows, "live_unavailable": live is None})


def product_image_file(request, image_pk):
    """Serve an uploaded product photo (public: photos are shown in the storefront and sent to Saleor)."""
    image = get_object_or_404(ProductImage.objects.select_related("product"), pk=image_pk)
    if not image.image:
        raise Http404("Photo sans fichier.")
    if not image.product.published and selectors.vendor_for_user(request.user) != image.product.vendor:
        raise Http404("Photo introuvable.")
    return FileResponse(image.image.open("rb"))
