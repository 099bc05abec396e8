"""The stand-in's store reads only what an operation needs, however large the catalogue grows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorValidationError
from marketplace.saleor.models import StandInDocument


@contextmanager
def rows_read() -> Iterator[list[int]]:
    """Count the stand-in rows SELECT statements return inside the block."""
    counted: list[int] = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("SELECT") and "standindocument" in sql:
            counted.append(max(context["cursor"].rowcount, 0))
        return result

    with connection.execute_wrapper(wrapper):
        yield counted


def _add_products(saleor, market, count: int, prefix: str) -> None:
    for i in range(count):
        product = saleor.catalogue.create_product(
            port.ProductInput(
                f"{prefix} {i}", market["product_type"].id, market["category"].id, "martin"
            )
        )
        saleor.catalogue.create_variant(
            product.id,
            port.VariantInput(
                f"{prefix}-{i}", Decimal("3.10"), stocks=(port.StockLevel(market["martin"].id, 4),)
            ),
        )


def _import_one(saleor, market, sku: str) -> int:
    """Rows read to create, price, stock and look up one product with one variant."""
    with rows_read() as counted:
        product = saleor.catalogue.create_product(
            port.ProductInput(
                f"Brioche {sku}", market["product_type"].id, market["category"].id, "martin"
            )
        )
        saleor.catalogue.create_variant(
            product.id,
            port.VariantInput(
                sku, Decimal("4.50"), stocks=(port.StockLevel(market["martin"].id, 9),)
            ),
        )
        assert saleor.catalogue.get_product(slug=product.slug).variants[0].sku == sku
    return sum(counted)


def test_creating_a_product_reads_as_many_rows_with_40_more_products_in_the_store(saleor, market):
    # given a small catalogue, then the same catalogue with 40 more products and variants
    small = _import_one(saleor, market, "BRI-1")
    _add_products(saleor, market, 40, "Pain")
    # when one more product is created and read back
    large = _import_one(saleor, market, "BRI-2")
    # then the store read no more rows than before: lookups go by key, slug, SKU and parent
    assert large == small


def test_a_listing_page_reads_the_page_not_the_catalogue(saleor, market):
    # given 30 more published products
    _add_products(saleor, market, 30, "Galette")
    # when the storefront asks for the first page of 4, sorted by name
    with rows_read() as counted:
        page = saleor.catalogue.list_products(port.ProductQuery(first=4))
    # then the page is right, and at most the page's documents and variants were decoded
    names = sorted([f"Galette {i}" for i in range(30)] + ["Baguette tradition", "Oeufs fermiers x6"])
    assert [p.name for p in page.products] == names[:4] and page.total_count == 32
    assert page.products[1].variants[0].sku == "Galette-0"
    # one (key, name) row per candidate, then 4 products and their 4 variants (+ set-up kinds)
    assert sum(counted) < 32 + 4 + 4 + 12


def test_listing_filters_combined_in_postgresql_match_the_stand_in_rules(saleor, market):
    # given products of two vendors, one with extra metadata, one unpublished
    _add_products(saleor, market, 3, "Tarte")
    saleor.catalogue.update_metadata(market["eggs"].id, {"mormal.origin": "ferme"})
    saleor.catalogue.set_product_published(market["bread"].id, False)
    # when listings combine vendor, warehouse, metadata, search and publication
    by_meta = saleor.catalogue.list_products(
        port.ProductQuery(metadata={"mormal.origin": "ferme"}, vendor_slugs=["dupont"])
    )
    by_wh = saleor.catalogue.list_products(
        port.ProductQuery(warehouse_ids=[market["martin"].id], search="tarte")
    )
    hidden = saleor.catalogue.list_products(port.ProductQuery(vendor_slugs=["martin"], search="bavay"))
    unknown_vendor = saleor.catalogue.list_products(port.ProductQuery(vendor_slugs=["personne"]))
    everything = saleor.catalogue.list_products(port.ProductQuery(only_published=False, first=100))
    # then each answers what the rules say
    assert [p.name for p in by_meta.products] == ["Oeufs fermiers x6"]
    assert [p.name for p in by_wh.products] == ["Tarte 0", "Tarte 1", "Tarte 2"]
    assert hidden.total_count == 0  # the bread matches "bavay" but is unpublished
    assert unknown_vendor.total_count == 0
    assert everything.total_count == 5


def test_indexed_columns_follow_the_documents(saleor, market):
    # when a variant's SKU changes
    saleor.catalogue.update_variant(market["bread_v"].id, port.VariantInput("MAR-BAG-2", Decimal("1.30")))
    # then the row's lookup columns say the same as its JSON
    for row in StandInDocument.objects.filter(kind__in=["Product", "ProductVariant"]):
        assert row.slug == (row.data.get("slug") or None)
        assert row.sku == (row.data.get("sku") or None)
        assert row.parent == (row.data.get("product") if row.kind == "ProductVariant" else None)
    # and the old SKU is free again while the new one is taken
    with pytest.raises(SaleorValidationError):
        saleor.catalogue.create_variant(market["eggs"].id, port.VariantInput("MAR-BAG-2", Decimal("1")))
    saleor.catalogue.create_variant(market["eggs"].id, port.VariantInput("MAR-BAG", Decimal("1")))
