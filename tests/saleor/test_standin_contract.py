"""The stand-in cannot answer with a shape Saleor would never send: graphql-core checks every answer."""

import pytest

from marketplace.saleor.standin.events import StandInContractError, subscription_payload


def test_a_payload_missing_a_non_null_field_is_refused(db):
    # an order without its required fields (status, lines, total...) cannot go out as ORDER_CREATED
    with pytest.raises(StandInContractError) as error:
        subscription_payload(
            "ORDER_CREATED",
            {"__typename": "OrderCreated", "order": {"id": "T3JkZXI6MQ==", "number": "1"}},
        )
    assert "non-nullable" in str(error.value)


def test_a_value_outside_an_enum_is_refused(db):
    variant = {
        "id": "UHJvZHVjdFZhcmlhbnQ6MQ==",
        "sku": "X",
        "name": "X",
        "trackInventory": True,
        "quantityAvailable": 1,
        "weight": {"unit": "STONES", "value": 1.0},
        "product": {"id": "UHJvZHVjdDox"},
        "channelListings": [],
        "stocks": [],
        "metadata": [],
    }
    root = {
        "__typename": "ProductVariantStockUpdated",
        "productVariant": variant,
        "warehouse": None,
    }
    with pytest.raises(StandInContractError) as error:
        subscription_payload("PRODUCT_VARIANT_STOCK_UPDATED", root)
    assert "WeightUnitsEnum" in str(error.value)
    # the same variant with a real unit goes through
    variant["weight"]["unit"] = "KG"
    assert (
        subscription_payload("PRODUCT_VARIANT_STOCK_UPDATED", root)["productVariant"]["weight"][
            "unit"
        ]
        == "KG"
    )


def test_the_stand_in_answers_saleor_types_for_a_whole_flow(saleor, market):
    # every call of the market fixture went through graphql-core execution; spot-check typenames
    payload = saleor.transport.execute("warehouse", {"id": market["relay"].id})
    assert payload["warehouse"]["clickAndCollectOption"] == "ALL"
    assert payload["warehouse"]["address"]["country"] == {"code": "FR"}
