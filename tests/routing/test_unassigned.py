"""Every stop not served comes back with its reason; mandatory ones never sink the plan."""

from delivery.routing import UNREACHABLE, Compartment, Load, Quantity, StopKind, TimeWindow
from tests.routing.checks import assert_feasible
from tests.routing.conftest import H, big_load, finish, grid_matrices


def _van(day, **kw):
    return day.add_vehicle("van", "Camion", day.depots[0], kw.pop("capacity", big_load()),
                           TimeWindow(8 * H, 17 * H), cost_per_km_c=30, **kw)


def _reasons(plan):
    return {u.stop_id: u.reason.value for u in plan.unassigned}


def test_mandatory_stop_with_an_impossible_window_is_reported_and_the_rest_planned(day):
    # given a mandatory stop open only at 06:00-06:30 while the van works 08:00-17:00
    _van(day)
    day.add_stop("early", "Boulangerie", 2.0, 0.0, windows=(TimeWindow(6 * H, 6 * H + 1800),))
    day.add_stop("ok", "Client", 3.0, 0.0)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then
    assert _reasons(plan) == {"early": "WINDOW_IMPOSSIBLE"}
    assert plan.routes[0].stop_ids() == ["ok"]
    assert plan.unassigned[0].detail


def test_window_too_late_to_get_back_before_the_shift_ends(day):
    # given a window 16:55-17:30, 30 km away, with a van due back at 17:00
    _van(day)
    day.add_stop("late", "Ferme", 30.0, 0.0, windows=(TimeWindow(16 * H + 3300, 17 * H + 1800),))
    finish(day)
    # when / then
    assert _reasons(day.solve(time_limit_s=1, seed=1)) == {"late": "WINDOW_IMPOSSIBLE"}


def test_relay_closed_during_the_stop_window_is_window_impossible(day):
    # given a relay open 14:00-16:00 and a parcel whose own window is 09:00-10:00
    _van(day)
    relay = day.add_relay_point("r", "Mairie", 2.0, 2.0, opening=(TimeWindow(14 * H, 16 * H),),
                                fridge_volume_ml=10_000)
    day.add_stop("p", "Colis", relay=relay, windows=(TimeWindow(9 * H, 10 * H),))
    finish(day)
    # when / then
    assert _reasons(day.solve(time_limit_s=1, seed=1)) == {"p": "WINDOW_IMPOSSIBLE"}


def test_load_larger_than_every_van_is_over_capacity(day):
    # given a frozen parcel of 30 L and a van with a 20 L freezer
    _van(day, capacity=Load(frozen=Quantity(100_000, 20_000), ambient=Quantity(10**6, 10**6)))
    day.add_stop("big", "Client", 2.0, 0.0, load=Load.of(Compartment.FROZEN, 5_000, 30_000))
    day.add_stop("small", "Client", 2.0, 1.0, load=Load.of(Compartment.AMBIENT, 5_000, 30_000))
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then
    assert _reasons(plan) == {"big": "OVER_CAPACITY"}
    assert_feasible(day, plan)


def test_stop_without_a_road_is_unreachable(day):
    # given a matrix where nothing leads to stop "island"
    _van(day)
    day.add_stop("island", "Île", 5.0, 5.0)
    day.add_stop("ok", "Client", 1.0, 0.0)
    dur, dist = grid_matrices(day.locations())
    for k in range(3):
        if k != 1:
            dur[k][1] = dist[k][1] = UNREACHABLE
    day.set_matrices(dur, dist)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then
    assert _reasons(plan) == {"island": "UNREACHABLE"}
    assert plan.routes[0].stop_ids() == ["ok"]


def test_shipment_too_far_for_the_cold_chain_limit_is_cold_chain(day):
    # given frozen goods allowed 1 h aboard, picked up 40 km (> 1 h at 36 km/h) from the client
    _van(day)
    day.set_max_in_van(Compartment.FROZEN, H)
    day.add_shipment("far", pickup=dict(name="Glacier", lon=0.0, lat=20.0),
                     delivery=dict(name="Client", lon=0.0, lat=-20.0),
                     load=Load.of(Compartment.FROZEN, 1_000, 1_000))
    day.add_shipment("near", pickup=dict(name="Glacier", lon=0.0, lat=2.0),
                     delivery=dict(name="Client", lon=0.0, lat=-2.0),
                     load=Load.of(Compartment.FROZEN, 1_000, 1_000))
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then both sides of the far shipment are COLD_CHAIN; the near one is served
    assert _reasons(plan) == {"far/pickup": "COLD_CHAIN", "far/delivery": "COLD_CHAIN"}
    assert_feasible(day, plan)


def test_depot_loaded_frozen_goods_too_far_from_the_depot_are_cold_chain(day):
    # given frozen goods loaded at the depot for a client 40 km away, limit 1 h
    _van(day)
    day.set_max_in_van(Compartment.FROZEN, H)
    day.add_stop("far", "Client", 40.0, 0.0, load=Load.of(Compartment.FROZEN, 1_000, 1_000))
    finish(day)
    # when / then
    assert _reasons(day.solve(time_limit_s=1, seed=1)) == {"far": "COLD_CHAIN"}


def test_relay_fridge_too_small_for_a_parcel_is_relay_full(day):
    # given a 5 L relay fridge and a 6 L chilled parcel (ambient parcels do not use the fridge)
    _van(day)
    relay = day.add_relay_point("r", "Tabac", 2.0, 2.0, opening=(TimeWindow(8 * H, 18 * H),),
                                fridge_volume_ml=5_000)
    day.add_stop("cold", "Colis", relay=relay, load=Load.of(Compartment.CHILLED, 1_000, 6_000))
    day.add_stop("dry", "Colis", relay=relay, load=Load.of(Compartment.AMBIENT, 1_000, 60_000))
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then
    assert _reasons(plan) == {"cold": "RELAY_FULL"}
    assert plan.routes[0].stop_ids() == ["dry"]


def test_optional_stop_cheaper_to_skip_is_no_room_and_its_penalty_counted(day):
    # given an optional stop 50 km away worth 1 EUR, and a nearby one worth 100 EUR
    _van(day)
    day.add_stop("far", "Hameau", 50.0, 0.0, penalty_c=100)
    day.add_stop("near", "Client", 1.0, 0.0, penalty_c=10_000)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then
    assert _reasons(plan) == {"far": "NO_ROOM"}
    assert plan.penalty_c == 100


def test_optional_shipment_is_left_out_whole(day):
    # given an optional shipment far away with a small penalty
    _van(day)
    day.add_shipment("sh", pickup=dict(name="Ferme", lon=40.0, lat=0.0),
                     delivery=dict(name="Client", lon=-40.0, lat=0.0),
                     load=Load.of(Compartment.AMBIENT, 1_000, 1_000), penalty_c=500)
    day.add_stop("near", "Client", 1.0, 0.0)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then both sides are out, the penalty counted once
    assert _reasons(plan) == {"sh/pickup": "NO_ROOM", "sh/delivery": "NO_ROOM"}
    assert plan.penalty_c == 500


def test_mandatory_stops_that_do_not_all_fit_come_back_as_no_room(day):
    # given one van working 08:00-17:00 and twelve mandatory 1 h visits
    _van(day)
    for k in range(12):
        day.add_stop(f"s{k}", "Client", 1.0, 0.1 * k, service_s=H, kind=StopKind.DELIVERY)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then as many as fit are served, the others are listed, none is lost
    assert len(plan.routes[0].visits) == 8
    assert set(_reasons(plan).values()) == {"NO_ROOM"} and len(plan.unassigned) == 4
    assert "obligatoire" in plan.unassigned[0].detail
    assert_feasible(day, plan)
