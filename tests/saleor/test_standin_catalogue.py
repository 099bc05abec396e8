"""Service tests of the port over the stand-in: warehouses, products, variants, stock, media, listing."""

from decimal import Decimal

import pytest

from marketplace.saleor import port
from marketplace.saleor.errors import SaleorNotFoundError, SaleorValidationError


def test_vendor_warehouse_keeps_click_and_collect_privacy_and_metadata(saleor, market):
    warehouse = saleor.warehouses.get(market["martin"].id)
    assert warehouse.click_and_collect is port.ClickAndCollect.LOCAL
    assert warehouse.is_private is False
    assert warehouse.metadata[port.VENDOR_METADATA_KEY] == "martin"
    assert warehouse.address.city == "LE QUESNOY"  # Saleor normalises French city names


def test_update_warehouse_turns_pickups_off(saleor, market):
    data = port.WarehouseInput(
        "Boulangerie Martin", market["home"], click_and_collect=port.ClickAndCollect.DISABLED
    )
    updated = saleor.warehouses.update(market["martin"].id, data)
    assert updated.click_and_collect is port.ClickAndCollect.DISABLED
    assert updated.is_private is True
    assert updated.address.street_address_1 == "3 rue Haute"


def test_warehouse_without_address_fields_is_refused_with_saleor_codes(saleor, db):
    with pytest.raises(SaleorValidationError) as error:
        saleor.warehouses.create(port.WarehouseInput("Sans adresse", port.Address("", "", "")))
    assert error.value.codes == {"REQUIRED"}
    assert error.value.errors[0].field == "address"


def test_product_carries_vendor_attribute_metadata_category_and_price(saleor, market):
    product = saleor.catalogue.get_product(market["bread"].id)
    assert product.vendor_slug == "martin"
    assert product.attributes[port.VENDOR_ATTRIBUTE_SLUG] == "martin"
    assert product.category.slug == "boulangerie"
    assert product.description == "Farine de Bavay"
    assert product.is_published and product.is_available_for_purchase
    (variant,) = product.variants
    assert variant.price == port.Money(Decimal("1.20"), "EUR")
    assert variant.stocks == (port.StockLevel(market["martin"].id, 30, 0),)


def test_extra_attributes_are_created_and_assigned_to_the_type(saleor, market):
    data = port.ProductInput(
        "Maroilles AOP",
        market["product_type"].id,
        market["category"].id,
        "dupont",
        attributes={"temperature": "chilled", "origin": "farm"},
    )
    product = saleor.catalogue.create_product(data)
    assert product.attributes == {"vendor": "dupont", "temperature": "chilled", "origin": "farm"}
    # a second product reuses the attribute values and the assignment
    again = saleor.catalogue.create_product(data.__class__(**{**data.__dict__, "name": "Maroilles fermier"}))
    assert again.attributes["temperature"] == "chilled"


def test_duplicate_sku_is_a_validation_error(saleor, market):
    with pytest.raises(SaleorValidationError) as error:
        saleor.catalogue.create_variant(market["eggs"].id, port.VariantInput("MAR-BAG", Decimal("1")))
    assert error.value.codes == {"UNIQUE"}


def test_stock_update_sets_quantity_and_emits_stock_webhook(saleor, market):
    from marketplace.saleor.models import WebhookEvent

    variant = saleor.catalogue.set_variant_stocks(
        market["eggs_v"].id, [port.StockLevel(market["dupont"].id, 12)]
    )
    assert variant.quantity_available == 12
    event = WebhookEvent.objects.get(event_type="PRODUCT_VARIANT_STOCK_UPDATED")
    assert event.payload["productVariant"]["stocks"][0]["quantity"] == 12
    assert event.payload["warehouse"]["id"] == market["dupont"].id


def test_update_variant_changes_price_and_weight(saleor, market):
    variant = saleor.catalogue.update_variant(
        market["eggs_v"].id,
        port.VariantInput(
            "DUP-OEU6", Decimal("2.90"), name="Boîte de 6", weight_kg=Decimal("0.45")
        ),
    )
    assert variant.price.amount == Decimal("2.90")
    assert variant.weight_kg == Decimal("0.45")
    assert variant.name == "Boîte de 6"


def test_media_by_url_becomes_the_thumbnail(saleor, market):
    media = saleor.catalogue.add_product_media(
        market["bread"].id, "https://images.example/baguette.jpg", "Baguette dorée"
    )
    product = saleor.catalogue.get_product(market["bread"].id)
    assert product.media == (media,)
    assert product.thumbnail_url == "https://images.example/baguette.jpg"


def test_listing_filters_by_vendor_category_warehouse_and_search(saleor, market):
    by_vendor = saleor.catalogue.list_products(port.ProductQuery(vendor_slugs=["dupont"]))
    assert [p.name for p in by_vendor.products] == ["Oeufs fermiers x6"]
    by_wh = saleor.catalogue.list_products(port.ProductQuery(warehouse_ids=[market["martin"].id]))
    assert [p.name for p in by_wh.products] == ["Baguette tradition"]
    by_cat = saleor.catalogue.list_products(port.ProductQuery(category_ids=[market["category"].id]))
    assert by_cat.total_count == 2
    assert [p.name for p in saleor.catalogue.list_products(port.ProductQuery(search="bavay")).products] == [
        "Baguette tradition"
    ]
    assert saleor.catalogue.list_products(port.ProductQuery(search="DUP-OEU6")).total_count == 1


def test_unpublished_products_leave_the_storefront_listing(saleor, market):
    saleor.catalogue.set_product_published(market["eggs"].id, False)
    assert [p.name for p in saleor.catalogue.list_products(port.ProductQuery()).products] == [
        "Baguette tradition"
    ]
    assert saleor.catalogue.list_products(port.ProductQuery(only_published=False)).total_count == 2


def test_pagination_walks_every_product_once(saleor, market):
    for i in range(5):
        saleor.catalogue.create_product(
            port.ProductInput(
                f"Pain {i}", market["product_type"].id, market["category"].id, "martin"
            )
        )
    seen, after = [], None
    while True:
        page = saleor.catalogue.list_products(port.ProductQuery(first=3, after=after))
        seen += [p.name for p in page.products]
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert len(seen) == 7 == len(set(seen)) == page.total_count


def test_delete_product_and_unknown_ids(saleor, market):
    saleor.catalogue.delete_product(market["eggs"].id)
    assert saleor.catalogue.get_product(market["eggs"].id) is None
    with pytest.raises(SaleorNotFoundError):
        saleor.catalogue.delete_product(market["eggs"].id)
    assert saleor.warehouses.get("not-a-global-id") is None


def test_metadata_merges(saleor, market):
    saleor.catalogue.update_metadata(market["bread"].id, {"mormal.origin": "shop"})
    saleor.catalogue.update_metadata(market["bread"].id, {"mormal.unit": "piece"})
    meta = saleor.catalogue.get_product(market["bread"].id).metadata
    assert meta["mormal.origin"] == "shop" and meta["mormal.unit"] == "piece"
    assert meta[port.VENDOR_METADATA_KEY] == "martin"


def test_stand_in_state_lives_in_postgresql(saleor, market):
    # a second gateway (as in another process) sees the same catalogue
    from marketplace.saleor.gateway import SaleorGateway
    from marketplace.saleor.standin.transport import StandInTransport

    other = SaleorGateway(StandInTransport())
    assert other.catalogue.get_product(market["bread"].id).name == "Baguette tradition"


def test_get_saleor_returns_the_stand_in_without_api_url(settings, db):
    settings.SALEOR_API_URL = ""
    assert port.get_saleor().is_stand_in is True
    assert isinstance(port.get_saleor(), port.SaleorPort)
