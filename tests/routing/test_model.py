"""The builder refuses bad input with a sentence naming the bad value, and keeps the rest."""

import pytest

from delivery.routing import (
    Break,
    Compartment,
    DeliveryModel,
    Load,
    Quantity,
    StopKind,
    TimeWindow,
)
from tests.routing.conftest import H, big_load, finish


def test_time_window_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends .* before it starts"):
        TimeWindow(10 * H, 9 * H)


def test_load_arithmetic_and_fit_per_compartment():
    a = Load.of(Compartment.CHILLED, 1_000, 2_000)
    b = Load(frozen=Quantity(500, 500))
    total = a + b
    assert total.chilled == Quantity(1_000, 2_000) and total.frozen == Quantity(500, 500)
    assert total - b == a
    assert total.cold_volume_ml() == 2_500
    assert total.fits(Load(chilled=Quantity(1_000, 2_000), frozen=Quantity(500, 500)))
    assert not total.fits(Load(chilled=Quantity(999, 10**6), frozen=Quantity(10**6, 10**6)))


def test_duplicate_ids_are_refused_and_the_model_unchanged(day):
    day.add_stop("s1", "Client", 1.0, 1.0)
    with pytest.raises(ValueError, match="stop id 's1' is already used"):
        day.add_stop("s1", "Autre", 2.0, 2.0)
    assert [s.name for s in day.stops] == ["Client"]


def test_shipment_with_a_bad_delivery_side_leaves_no_orphan_pickup(day):
    with pytest.raises(ValueError, match="no coordinates"):
        day.add_shipment("sh", pickup=dict(name="Ferme", lon=1.0, lat=1.0),
                         delivery=dict(name="Client"), load=Load())
    assert day.stops == []


def test_shipment_sides_may_not_set_their_own_load(day):
    with pytest.raises(ValueError, match="set by add_shipment"):
        day.add_shipment("sh", pickup=dict(name="F", lon=1.0, lat=1.0, load=Load()),
                         delivery=dict(name="C", lon=2.0, lat=2.0), load=Load())


def test_vehicle_needs_a_depot_of_this_model_and_a_break_inside_its_shift(day):
    other = DeliveryModel().add_depot("x", "Ailleurs", 0.0, 0.0, TimeWindow(0, 10 * H))
    with pytest.raises(ValueError, match="was not added to this model"):
        day.add_vehicle("v", "Camion", other, big_load(), TimeWindow(8 * H, 17 * H))
    with pytest.raises(ValueError, match="does not fit in the shift"):
        day.add_vehicle("v", "Camion", day.depots[0], big_load(), TimeWindow(8 * H, 12 * H),
                        Break(TimeWindow(13 * H, 14 * H), 1800))


def test_matrices_must_match_the_locations(day):
    day.add_vehicle("v", "Camion", day.depots[0], big_load(), TimeWindow(8 * H, 17 * H))
    day.add_stop("s", "Client", 1.0, 1.0)
    with pytest.raises(ValueError, match="not square"):
        day.set_matrices([[0, 1], [1]], [[0, 1], [1, 0]])
    day.set_matrices([[0]], [[0]])
    with pytest.raises(ValueError, match="the model has 2 locations"):
        day.solve(time_limit_s=1)


def test_solving_without_travel_information_is_a_clear_error(day):
    day.add_vehicle("v", "Camion", day.depots[0], big_load(), TimeWindow(8 * H, 17 * H))
    with pytest.raises(ValueError, match="set_travel\\(\\) or set_matrices\\(\\)"):
        day.solve(time_limit_s=1)


def test_travel_object_supplies_the_matrices_and_its_label(day):
    # given any object with .label and .matrices(points)
    class Planar:
        label = "plan (test)"

        def matrices(self, points):
            from tests.routing.conftest import grid_matrices

            return grid_matrices(points)

    day.add_vehicle("v", "Camion", day.depots[0], big_load(), TimeWindow(8 * H, 17 * H),
                    cost_per_km_c=10)
    day.add_stop("s", "Client", 3.0, 4.0)
    day.set_travel(Planar())
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then it drove there and back: 5 km + 5 km
    assert plan.routes[0].distance_m == 10_000
    assert plan.travel_label == "plan (test)"


def test_require_all_makes_optional_stops_mandatory_and_fleet_is_fixed(day):
    # given three identical vans and optional stops that are not worth a detour
    vans = day.add_vehicles(3, id_prefix="v", depot=day.depots[0], capacity=big_load(),
                            shift=TimeWindow(8 * H, 17 * H), cost_per_km_c=100)
    for k in range(4):
        day.add_stop(f"s{k}", "Hameau", 20.0 + k, 0.0, penalty_c=1, kind=StopKind.DELIVERY)
    finish(day)
    assert [v.id for v in vans] == ["v-1", "v-2", "v-3"]
    assert len(day.solve(time_limit_s=1, seed=1).unassigned) == 4
    # when
    day.require_all()
    plan = day.solve(time_limit_s=1, seed=1)
    # then all are served
    assert not plan.unassigned and plan.penalty_c == 0


def test_windows_past_the_horizon_and_negative_loads_are_refused(day):
    with pytest.raises(ValueError, match="past the 172800 s horizon"):
        TimeWindow(0, 3 * 86_400)
    with pytest.raises(ValueError, match="negative amount"):
        day.add_stop("s", "Client", 1.0, 1.0, load=Load.of(Compartment.AMBIENT, -5, 0))
    with pytest.raises(ValueError, match="negative amount"):
        day.add_vehicle("v", "Camion", day.depots[0], Load(frozen=Quantity(-1, 0)),
                        TimeWindow(8 * H, 17 * H))
    assert day.stops == [] and day.vehicles == []
