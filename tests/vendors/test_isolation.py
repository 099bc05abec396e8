"""Isolation: every vendor-scoped URL, walked as another vendor's user, anonymously, and as a member.

The URL patterns are read from the resolver, so a page added later is covered without editing
this test. Object ids in the URL are filled with vendor A's objects.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from marketplace.vendors import actions
from marketplace.vendors.models import ProductImage
from marketplace.vendors.urls import PUBLIC_URL_NAMES

from .conftest import PASSWORD
from .test_orders import order_of


def vendor_url_names() -> list[tuple[str, list[str]]]:
    """(name, kwarg names) of every pattern in the ``vendors`` namespace."""
    resolver = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "vendors")
    found = []
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern), "nested includes are not walked: flatten them or extend this test"
        found.append((pattern.name, list(pattern.pattern.converters)))
    return found


@pytest.fixture
def world(client, maroilles, bakery, make_member, make_product, settings, tmp_path):
    """Vendor A (the cheese shop) with a product, a photo, an order; B (the bakery) with its own."""
    settings.MEDIA_ROOT = tmp_path
    a_product = make_product(maroilles, "Maroilles secret-A", variants=(("Quart A", "4.90", "0.18", 20),))
    b_product = make_product(bakery, "Baguette", temperature="ambient", variants=(("250 g", "1.30", "1", 60),))
    a_image = ProductImage(product=a_product, alt="photo A")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    a_image.image.save("a.png", ContentFile(buffer.getvalue()))
    order = order_of([(a_product.variants.get(), 2, maroilles.saleor_warehouse_id)], number="A-9001", oid="order-a")
    (a_share,) = actions.record_order(order)
    (b_share,) = actions.record_order(order_of([(b_product.variants.get(), 1, bakery.saleor_warehouse_id)], number="B-5005",
                                               oid="order-b", customer=("Marcel", "Leroy")))
    return {
        "a_user": make_member(maroilles, "fromager"), "b_user": make_member(bakery, "boulanger"),
        "kwargs": {"product_pk": a_product.pk, "order_pk": a_share.pk, "image_pk": a_image.pk,
                   "vendor_pk": maroilles.pk, "year": order.created.year, "month": order.created.month},
        "a_markers": ["secret-A", "Quart A", "A-9001", "Jeanne Dupont"],
        "a_variant_pk": a_product.variants.get().pk,
    }


def _urls(world):
    for name, kwarg_names in vendor_url_names():
        missing = [k for k in kwarg_names if k not in world["kwargs"]]
        assert not missing, f"URL {name!r} takes {missing}: add a vendor-A object for it to the isolation fixture"
        yield name, kwarg_names, reverse(f"vendors:{name}", kwargs={k: world["kwargs"][k] for k in kwarg_names})


def test_the_walk_covers_the_dashboard(world):
    names = {name for name, _, _ in _urls(world)}
    assert {"product_edit", "order_detail", "order_prepare", "pick_list_pdf", "statement_csv", "stock"} <= names


def test_another_vendor_cannot_see_or_change_anything_of_vendor_a(client, world):
    client.login(username=world["b_user"].username, password=PASSWORD)
    for name, kwarg_names, url in _urls(world):
        if name in PUBLIC_URL_NAMES:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"prepared": [1, 2, 3], f"stock-{world['a_variant_pk']}": "0"})
            object_scoped = any(k.endswith("_pk") for k in kwarg_names)
            if method == "get" and response.status_code == 405:
                # a POST-only action refuses every GET the same way, whoever owns the id: nothing leaks
                assert response["Allow"] == "POST", url
            elif object_scoped or name.startswith("staff_"):
                assert response.status_code in (403, 404), f"{method.upper()} {url} gave {response.status_code}"
            else:
                # pages without ids show B's own data: A's data must not appear anywhere
                assert response.status_code in (200, 302, 405), f"{method.upper()} {url} gave {response.status_code}"
                body = response.content.decode("utf-8", "replace") if not response.get("Content-Type", "").startswith("application/pdf") else ""
                for marker in world["a_markers"]:
                    assert marker not in body, f"{method.upper()} {url} leaks {marker!r}"
    # and nothing of A's changed
    from marketplace.vendors.models import ProductVariant, VendorOrderLine

    assert ProductVariant.objects.get(product_id=world["kwargs"]["product_pk"]).stock == 20
    assert not VendorOrderLine.objects.filter(order_id=world["kwargs"]["order_pk"], prepared_at__isnull=False).exists()


def test_b_pdf_and_csv_exports_hold_none_of_a(client, world):
    from pypdf import PdfReader

    client.login(username=world["b_user"].username, password=PASSWORD)
    pdf = client.get(reverse("vendors:pick_list_pdf")).content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Baguette" in text and "B-5005" in text and not any(m in text for m in world["a_markers"])
    csv_body = client.get(reverse("vendors:statement_csv", kwargs={"year": world["kwargs"]["year"], "month": world["kwargs"]["month"]})).content.decode()
    assert "B-5005" in csv_body and "A-9001" not in csv_body


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for name, _, url in _urls(world):
        if name in PUBLIC_URL_NAMES:
            continue
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/compte/connexion/?next="), f"{url}: {response.status_code}"


def test_the_owner_reaches_every_page(client, world):
    client.login(username=world["a_user"].username, password=PASSWORD)
    for name, _, url in _urls(world):
        if name.startswith("staff_"):
            assert client.get(url).status_code == 403
            continue
        response = client.get(url)
        assert response.status_code in (200, 405), f"{url}: {response.status_code}"


def test_staff_only_pages_refuse_vendor_members_but_serve_staff(client, world, admin_user):
    client.force_login(admin_user)
    for name, _, url in _urls(world):
        if name.startswith("staff_"):
            assert client.get(url).status_code in (200, 405), url


def test_the_login_exemption_covers_only_photos_of_products_on_sale(client, world):
    from marketplace.vendors.models import Product

    # the exempt names are real URLs of the namespace (a renamed view cannot keep an exemption)
    urls = {name: url for name, _, url in _urls(world)}
    assert PUBLIC_URL_NAMES and PUBLIC_URL_NAMES <= set(urls)
    # given A's photo, fetched by a visitor who is not signed in
    photo = urls["product_image_file"]
    response = client.get(photo)
    # then it is served, and it is an image, nothing else
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    # but once A takes the product off sale its photo is no longer public
    Product.objects.filter(pk=world["kwargs"]["product_pk"]).update(published=False)
    assert client.get(photo).status_code == 404
    client.login(username=world["b_user"].username, password=PASSWORD)
    assert client.get(photo).status_code == 404
    client.login(username=world["a_user"].username, password=PASSWORD)
    assert client.get(photo).status_code == 200


def test_a_forged_variant_id_in_the_product_form_cannot_touch_another_vendors_variant(client, world, bakery):
    from marketplace.vendors.models import ProductVariant

    # given B editing its own product but posting A's variant id in the variant form
    theirs = ProductVariant.objects.get(pk=world["a_variant_pk"])
    own = ProductVariant.objects.filter(product__vendor=bakery).first()
    client.login(username=world["b_user"].username, password=PASSWORD)
    response = client.post(reverse("vendors:product_edit", kwargs={"product_pk": own.product_id}), {
        "p-name": "Baguette", "p-category": "boulangerie", "p-temperature": "ambient", "p-origin": "shop",
        "p-unit": "unit", "p-vat_rate": "5.50", "v-TOTAL_FORMS": "1", "v-INITIAL_FORMS": "1", "v-MIN_NUM_FORMS": "1",
        "v-MAX_NUM_FORMS": "1000", "v-0-id": str(theirs.pk), "v-0-product": str(own.product_id), "v-0-name": "pris",
        "v-0-sku": theirs.sku, "v-0-price": "0.01", "v-0-unit_quantity": "1", "v-0-stock": "0",
    })
    # then the form is refused and A's variant is untouched
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert (theirs.name, theirs.price, theirs.stock, theirs.product_id) == (
        "Quart A", Decimal("4.90"), 20, world["kwargs"]["product_pk"])


def test_a_shopper_gets_403_and_staff_are_sent_to_their_vendor_list(client, world, admin_user, django_user_model):
    django_user_model.objects.create_user(username="client", password=PASSWORD)
    client.login(username="client", password=PASSWORD)
    assert client.get(reverse("vendors:dashboard")).status_code == 403
    assert client.get(reverse("vendors:order_detail", kwargs={"order_pk": world["kwargs"]["order_pk"]})).status_code == 403
    client.force_login(admin_user)
    response = client.get(reverse("vendors:order_detail", kwargs={"order_pk": world["kwargs"]["order_pk"]}))
    assert response.status_code == 302 and response.url == reverse("vendors:staff_vendor_list")
