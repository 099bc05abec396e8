"""Demo seed for vendors: ten shops, farms and an artisan, their accounts and catalogues in Saleor.

Idempotent: rows are found by slug or SKU; only products not yet in Saleor (or whose last
push failed) are pushed again. Relay points are pushed as collection-point warehouses.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from marketplace.territory.models import Commune

from . import actions
from .models import Product, ProductImage, ProductVariant, Vendor, VendorMembership
from .seed_data import DEMO_PASSWORD, VENDORS
from .seed_images import illustration
from .validators import luhn_ok, vat_key


def luhn_complete(prefix: str) -> str:
    """Append the digit that makes ``prefix`` pass the Luhn checksum."""
    return next(prefix + d for d in "0123456789" if luhn_ok(prefix + d))


def siret_for(siren: str) -> str:
    """A valid SIRET (head office ``0001``) for a SIREN made valid by its last digit."""
    siren = luhn_complete(siren[:8])
    return luhn_complete(siren + "0001")


def demo_accounts() -> list[tuple[str, str, str]]:
    """The vendors' demo logins for ``DEMO_ACCOUNTS``: (role, login, password)."""
    return [(f"Vendeur : {v['name']}", v["login"], DEMO_PASSWORD) for v in VENDORS]


def _vendor(spec: dict) -> Vendor:
    commune = Commune.objects.get(name=spec["commune"])
    siret = siret_for(spec["siren"])
    vendor = Vendor.objects.filter(slug=spec["slug"]).first()
    if vendor is None:
        vendor = Vendor(
            slug=spec["slug"], name=spec["name"], kind=spec["kind"], legal_name=spec["legal_name"], siret=siret,
            vat_number=f"FR{vat_key(siret[:9]):02d}{siret[:9]}", email=f"{spec['login']}@exemple.fr",
            phone="03 27 00 00 00", address=spec["address"],
            commune=commune, lon=commune.town_hall_lon + 0.002, lat=commune.town_hall_lat - 0.001,
            opening_hours=spec["hours"], accepts_click_and_collect=spec["collect"],
            commission_rate=Decimal(spec["commission"]),
        )
    if not vendor.saleor_warehouse_id:
        actions.register_vendor(vendor)
    return vendor


def _member(vendor: Vendor, login: str) -> None:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=login, defaults={"email": f"{login}@exemple.fr", "first_name": "Responsable", "last_name": vendor.name},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    VendorMembership.objects.get_or_create(user=user, defaults={"vendor": vendor, "role": VendorMembership.Role.OWNER})


def _products(vendor: Vendor, specs: list) -> tuple[int, int]:
    pushed = failed = 0
    for name, category, temperature, origin, unit, vat, variants, description in specs:
        product = Product.objects.filter(vendor=vendor, name=name).first() or Product(
            vendor=vendor, name=name, category=category, temperature=temperature, origin=origin, unit=unit,
            vat_rate=vat, description=description,
        )
        if product.pk and product.synced_at and not product.sync_error:
            continue  # already in Saleor
        rows = []
        for i, (label, price, per_item, stock) in enumerate(variants, start=1):
            sku = f"{vendor.slug}-{slugify(name)[:24].strip('-')}-{i}"
            variant = ProductVariant.objects.filter(sku=sku).first() or ProductVariant(sku=sku)
            variant.name, variant.price, variant.unit_quantity, variant.stock = label, Decimal(price), Decimal(per_item), stock
            rows.append(variant)
        outcome = actions.save_product(vendor, product, rows)
        pushed, failed = pushed + outcome.synced, failed + (not outcome.synced)
    for product in Product.objects.filter(vendor=vendor, images__isnull=True):
        image = ProductImage(alt=f"Illustration : {product.name}")
        image.image.save(f"{product.slug}.png", illustration(product), save=False)
        actions.add_image(product, image)
    return pushed, failed


def run(stdout, specs: list[dict] | None = None) -> None:
    """Seed the demo vendors (``specs``, default all of :data:`VENDORS`), accounts, catalogues, relay points."""
    pushed = failed = 0
    for spec in VENDORS if specs is None else specs:
        vendor = _vendor(spec)
        _member(vendor, spec["login"])
        p, f = _products(vendor, spec["products"])
        pushed, failed = pushed + p, failed + f
    relays = actions.sync_relay_points(only_missing=True)
    stdout.write(
        f"vendors: {Vendor.objects.count()} vendors, {Product.objects.count()} products "
        f"({pushed} pushed now, {failed} failed), {relays} relay-point warehouses created"
    )
