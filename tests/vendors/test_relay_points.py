"""Relay points become collection-point warehouses (click & collect ALL) in Saleor, once each."""

from marketplace.saleor.port import ClickAndCollect
from marketplace.vendors import actions


def test_relay_points_are_public_collection_points(relay, saleor):
    warehouse = saleor.warehouses.get(relay.saleor_warehouse_id)
    assert warehouse.name == "Mairie de Landrecies"
    assert warehouse.click_and_collect == ClickAndCollect.ALL and not warehouse.is_private
    assert warehouse.metadata["mormal.role"] == "relay" and warehouse.address.postal_code == "59550"


def test_syncing_again_updates_instead_of_duplicating(relay, saleor):
    before = len(saleor.warehouses.find())
    relay.active = False
    relay.save()
    actions.sync_relay_points()
    relay.refresh_from_db()
    assert len(saleor.warehouses.find()) == before
    assert saleor.warehouses.get(relay.saleor_warehouse_id).click_and_collect == ClickAndCollect.DISABLED


def test_staff_button_pushes_relay_points(client, admin_user, relay, saleor):
    client.force_login(admin_user)
    response = client.post("/vendeur/gestion/points-relais/", follow=True)
    assert "1 point(s) relais à jour" in response.content.decode()
