"""The cold chain is one rule: unknown goods ride chilled, frozen goods never wait at a relay point."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from delivery import coldchain
from delivery.actions import upsert_tasks
from delivery.error_codes import DeliveryErrorCode
from delivery.failures import resolve_failed
from delivery.models import DeliveryTask

H = 3600


def test_an_unstated_class_rides_and_waits_as_chilled_never_as_ambient():
    assert coldchain.compartment_for(coldchain.UNKNOWN) == coldchain.compartment_for("") == coldchain.CHILLED
    assert coldchain.max_in_van_s([coldchain.UNKNOWN]) == coldchain.MAX_IN_VAN_S[coldchain.CHILLED]
    assert coldchain.max_in_van_s([coldchain.AMBIENT, coldchain.FROZEN]) == 3600
    assert coldchain.max_in_van_s([coldchain.AMBIENT]) is None
    assert not coldchain.may_wait_at(coldchain.UNKNOWN, fridge=False, freezer=False)
    assert coldchain.may_wait_at(coldchain.AMBIENT, fridge=False, freezer=False)
    assert not coldchain.may_wait_at(coldchain.FROZEN, fridge=True, freezer=False)
    with pytest.raises(ValueError, match="'tiède'"):
        coldchain.compartment_for("tiède")


def test_an_item_weighs_its_weight_else_its_kilos_else_the_default():
    assert coldchain.item_mass_g("0.75", "unit", "1") == 750
    assert coldchain.item_mass_g(None, "kg", "0.25") == 250  # a 250 g cheese priced by the kg
    assert coldchain.item_mass_g(None, "unit", "6") == coldchain.DEFAULT_ITEM_G
    assert coldchain.volume_ml(500) == 1000 and coldchain.volume_ml(500, known_ml=330) == 330


def _failed(day, spec):
    [task] = upsert_tasks(day, [spec])
    DeliveryTask.objects.filter(pk=task.pk).update(status=DeliveryTask.Status.FAILED, fail_reason="absent")
    return DeliveryTask.objects.get(pk=task.pk)


def test_failed_frozen_goods_are_never_sent_to_a_relay_fridge(day, specs):
    # given a failed home delivery carrying frozen goods
    home = _failed(day, dataclasses.replace(specs[1], source="test:frozen", loads={"frozen": (2000, 4000)}))

    # when staff choose "relay point today", the choice is refused with the reason
    with pytest.raises(ValidationError) as refused:
        resolve_failed(home, "relay_today", "agent", now_s=10 * H)
    assert refused.value.code == DeliveryErrorCode.RELAY_FROZEN
    home.refresh_from_db()
    assert home.resolution == "" and home.follow_up is None

    # and a new attempt in the next round is still possible
    assert resolve_failed(home, "retry_next", "agent", now_s=10 * H).kind == "home"


def test_failed_chilled_goods_go_to_the_nearest_relay_whose_fridge_has_room(day, specs):
    from delivery.failures import nearest_open_relay
    from delivery.routing.straightline import great_circle_m
    from marketplace.territory.models import RelayPoint

    home = _failed(day, dataclasses.replace(specs[1], source="test:cold", loads={"chilled": (3000, 9000)}))
    by_distance = sorted(RelayPoint.objects.all(), key=lambda r: great_circle_m(home.lon, home.lat, r.lon, r.lat))
    nearest, second = by_distance[0], by_distance[1]
    assert nearest_open_relay(home, 10 * H)[0] == nearest

    # given the nearest fridge already promised in full that day
    full = dataclasses.replace(specs[-1], source="test:fills-fridge", relay_point_id=nearest.pk, name=nearest.name,
                               loads={"chilled": (1000, nearest.fridge_capacity_l * 1000)})
    upsert_tasks(day, [full])

    follow = resolve_failed(home, "relay_today", "agent", now_s=10 * H)
    assert follow.relay_point == second and follow.chilled_ml == 9000
