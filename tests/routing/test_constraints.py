"""Each hard constraint on a small instance where it binds: the plan must respect it."""

from dataclasses import replace

from delivery.routing import Break, Compartment, Load, Quantity, StopKind, TimeWindow
from tests.routing.checks import assert_feasible, held_seconds
from tests.routing.conftest import H, big_load, finish


def test_capacity_per_compartment_forces_a_second_van(day):
    # given two vans whose chilled compartment holds 10 L, and three chilled parcels of 4 L
    # that a single van would carry if it only had to respect its (huge) ambient compartment
    depot = day.depots[0]
    cap = Load(ambient=Quantity(10**6, 10**6), chilled=Quantity(50_000, 10_000))
    for k in (1, 2):
        day.add_vehicle(f"van{k}", "Camion", depot, cap, TimeWindow(7 * H, 18 * H),
                        fixed_cost_c=100, cost_per_km_c=50)
    for k, x in enumerate((3.0, 3.5, 4.0)):
        day.add_stop(f"c{k}", "Client", x, 1.0, load=Load.of(Compartment.CHILLED, 2_000, 4_000),
                     service_s=120)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then all are delivered, by both vans, never over 10 L chilled
    assert not plan.unassigned
    assert len(plan.routes) == 2
    assert max(r.start_load.chilled.volume_ml for r in plan.routes) == 8_000
    assert_feasible(day, plan)


def test_mass_limit_of_frozen_compartment_binds_on_pickups(day):
    # given one van with 5 kg of frozen room and two frozen pickups of 3 kg each (goods go
    # back to the depot), both optional with a high penalty
    depot = day.depots[0]
    cap = Load(frozen=Quantity(5_000, 10**6))
    day.add_vehicle("van", "Camion", depot, cap, TimeWindow(7 * H, 18 * H), cost_per_km_c=10)
    for k in range(2):
        day.add_stop(f"p{k}", "Ferme", 2.0 + k, 0.0, kind=StopKind.PICKUP,
                     load=Load.of(Compartment.FROZEN, 3_000, 1_000), penalty_c=100_000)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then only one fits; the other is NO_ROOM, and the load is never above 5 kg
    assert [u.reason.value for u in plan.unassigned] == ["NO_ROOM"]
    assert plan.routes[0].visits[-1].load_after.frozen.mass_g == 3_000
    assert_feasible(day, plan)


def test_several_time_windows_serve_in_a_later_window_not_the_gap(day):
    # given a stop open 07:00-07:10 and 11:00-11:30, and a van that cannot reach it before 08:00
    depot = day.depots[0]
    day.add_vehicle("van", "Camion", depot, big_load(), TimeWindow(8 * H, 18 * H), cost_per_km_c=10)
    day.add_stop("s", "Mairie", 6.0, 0.0, windows=(TimeWindow(7 * H, 7 * H + 600),
                                                   TimeWindow(11 * H, 11 * H + 1800)))
    day.add_stop("t", "Boulangerie", 1.0, 0.0, windows=(TimeWindow(8 * H, 9 * H),))
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then "s" starts inside 11:00-11:30 (it is reached at 08:10, in the gap, so the van waits)
    _, visit = plan.visit_of("s")
    assert 11 * H <= visit.start_s <= 11 * H + 1800
    assert plan.routes[0].stop_ids() == ["t", "s"]
    assert visit.arrival_s < 11 * H <= visit.start_s
    assert_feasible(day, plan)


def test_pickup_precedes_delivery_in_the_same_van(day):
    # given deliveries next to the depot and their pickups far away: delivering "on the way
    # out" would be shortest but is forbidden
    depot = day.depots[0]
    for k in (1, 2):
        day.add_vehicle(f"van{k}", "Camion", depot, big_load(), TimeWindow(7 * H, 18 * H),
                        cost_per_km_c=30)
    for k in range(3):
        day.add_shipment(f"sh{k}", pickup=dict(name="Ferme", lon=10.0 + k, lat=2.0),
                         delivery=dict(name="Client", lon=1.0, lat=0.5 * k),
                         load=Load.of(Compartment.AMBIENT, 1_000, 1_000))
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then each pickup is before its delivery, in the same route
    assert not plan.unassigned
    for k in range(3):
        (rp, vp), (rd, vd) = plan.visit_of(f"sh{k}/pickup"), plan.visit_of(f"sh{k}/delivery")
        assert rp.vehicle_id == rd.vehicle_id
        assert rp.stop_ids().index(vp.stop_id) < rd.stop_ids().index(vd.stop_id)
    assert_feasible(day, plan)


def _cold_chain_day(day, limit_s):
    # a frozen shipment P -> D and a long ambient stop X in between; X can only start 08:20-08:40
    depot = day.depots[0]
    for k in (1, 2):
        day.add_vehicle(f"van{k}", "Camion", depot, big_load(), TimeWindow(7 * H, 18 * H),
                        fixed_cost_c=5_000, cost_per_km_c=30)
    day.add_shipment("glace", pickup=dict(name="Glacier", lon=3.0, lat=0.0, service_s=300,
                                          windows=(TimeWindow(8 * H, 8 * H + 900),)),
                     delivery=dict(name="Client", lon=5.0, lat=0.0, service_s=300,
                                   windows=(TimeWindow(9 * H, 12 * H),)),
                     load=Load.of(Compartment.FROZEN, 2_000, 3_000))
    day.add_stop("x", "Marché", 4.0, 0.0, kind=StopKind.PICKUP, service_s=H,
                 windows=(TimeWindow(8 * H + 1200, 8 * H + 2400),),
                 load=Load.of(Compartment.AMBIENT, 10_000, 20_000))
    if limit_s:
        day.set_max_in_van(Compartment.FROZEN, limit_s)
    return finish(day)


def test_max_time_in_van_is_hard_even_when_the_cheap_route_breaks_it(day):
    # given the instance without a limit, the cheapest plan carries the ice cream > 1 h
    free = _cold_chain_day(day, None)
    cheap = free.solve(time_limit_s=1, seed=1)
    assert len(cheap.routes) == 1 and held_seconds(free, cheap, "glace/delivery") > H
    # when frozen goods may spend at most 1 h in the van
    from delivery.routing import DeliveryModel

    strict = DeliveryModel.from_json(free.to_json())
    strict.set_max_in_van(Compartment.FROZEN, H)
    plan = strict.solve(time_limit_s=1, seed=1)
    # then everything is still served, with two vans, and the ice cream spends <= 1 h aboard
    assert not plan.unassigned
    assert len(plan.routes) == 2
    assert held_seconds(strict, plan, "glace/delivery") <= H
    assert_feasible(strict, plan)


def test_goods_loaded_at_the_depot_count_from_departure(day):
    # given a chilled delivery loaded at the depot, allowed 1 h in the van, whose window
    # opens at 11:00, and an ambient stop at 08:00 on the same side
    depot = day.depots[0]
    for k in (1, 2):
        day.add_vehicle(f"van{k}", "Camion", depot, big_load(), TimeWindow(7 * H, 18 * H),
                        fixed_cost_c=2_000, cost_per_km_c=30)
    day.add_stop("a", "Pharmacie", 6.0, 0.0, windows=(TimeWindow(8 * H, 8 * H + 900),))
    day.add_stop("f", "Client", 6.5, 0.0, windows=(TimeWindow(11 * H, 11 * H + 900),),
                 service_s=300, load=Load.of(Compartment.CHILLED, 1_000, 2_000))
    day.set_max_in_van(Compartment.CHILLED, H)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then the chilled parcel leaves the depot late enough (its van does not do 08:00 then wait)
    assert not plan.unassigned
    assert held_seconds(day, plan, "f") <= H
    assert plan.visit_of("f")[0].start_s >= 10 * H
    assert_feasible(day, plan)


def test_relay_opening_hours_and_shared_fridge_across_vans(day):
    # given a relay open 14:00-16:00 with a 10 L fridge, five chilled parcels of 3 L for it
    # (mandatory ones first), carried by two vans
    depot = day.depots[0]
    for k in (1, 2):
        day.add_vehicle(f"van{k}", "Camion", depot, Load(chilled=Quantity(10**6, 6_000)),
                        TimeWindow(7 * H, 18 * H), cost_per_km_c=30)
    relay = day.add_relay_point("mairie", "Mairie de Locquignol", 4.0, 4.0,
                                opening=(TimeWindow(14 * H, 16 * H),), fridge_volume_ml=10_000)
    for k in range(5):
        day.add_stop(f"r{k}", "Colis", relay=relay, service_s=60,
                     load=Load.of(Compartment.CHILLED, 500, 3_000),
                     penalty_c=None if k < 2 else 1_000 * k)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then 3 parcels (9 L) go in, within opening hours; the two cheapest optional are RELAY_FULL
    full = sorted(u.stop_id for u in plan.unassigned)
    assert full == ["r2", "r3"]
    assert {u.reason.value for u in plan.unassigned} == {"RELAY_FULL"}
    for k in (0, 1, 4):
        assert 14 * H <= plan.visit_of(f"r{k}")[1].start_s <= 16 * H
    assert_feasible(day, plan)


def test_driver_break_is_taken_inside_its_window_between_visits(day):
    # given a van whose driver must pause 45 min starting 12:00-12:30, and stops all day long
    depot = day.depots[0]
    brk = Break(TimeWindow(12 * H, 12 * H + 1800), 2700)
    day.add_vehicle("van", "Camion", depot, big_load(), TimeWindow(8 * H, 17 * H), brk,
                    cost_per_km_c=30)
    for k in range(8):
        day.add_stop(f"s{k}", "Client", 1.0 + k, (k % 3) * 1.0, service_s=1_800,
                     windows=(TimeWindow(8 * H + k * 3_000, 8 * H + k * 3_000 + 3_600),))
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then the break happens within 12:00-12:30, overlapping no visit
    route = plan.routes[0]
    assert not plan.unassigned
    assert route.break_start_s is not None and route.start_s < route.break_start_s < route.end_s
    assert_feasible(day, plan)


def test_shift_end_cuts_the_round(day):
    # given a van working 08:00-10:00 and four optional stops of 40 min service each
    depot = day.depots[0]
    day.add_vehicle("van", "Camion", depot, big_load(), TimeWindow(8 * H, 10 * H), cost_per_km_c=30)
    for k in range(4):
        day.add_stop(f"s{k}", "Client", 1.0, 0.2 * k, service_s=2_400, penalty_c=50_000)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then only two fit before 10:00, the rest is NO_ROOM
    assert len(plan.routes[0].visits) == 2
    assert plan.routes[0].end_s <= 10 * H
    assert [u.reason.value for u in plan.unassigned] == ["NO_ROOM", "NO_ROOM"]
    assert_feasible(day, plan)


def test_costs_match_the_solver_objective_with_two_depots():
    # given two depots and one van each, with per-km and fixed costs
    from delivery.routing import DeliveryModel

    m = DeliveryModel()
    a = m.add_depot("A", "Bavay", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    b = m.add_depot("B", "Le Quesnoy", 30.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("va", "Camion A", a, big_load(), TimeWindow(7 * H, 18 * H), fixed_cost_c=10,
                  cost_per_km_c=30)
    m.add_vehicle("vb", "Camion B", b, big_load(), TimeWindow(7 * H, 18 * H), fixed_cost_c=20,
                  cost_per_km_c=35)
    for k in range(6):
        m.add_stop(f"s{k}", "Client", 1.0 + 5.5 * k, 1.0)
    finish(m)
    # when
    plan = m.solve(time_limit_s=1, seed=1)
    # then both vans work, and costs recomputed from each van's own depot row of the matrix
    # equal the solver's objective (so solver nodes map to the right depots and stops)
    assert {r.vehicle_id for r in plan.routes} == {"va", "vb"}
    exact_mc = sum(r.distance_m * (30 if r.vehicle_id == "va" else 35)
                   + 1000 * (10 if r.vehicle_id == "va" else 20) for r in plan.routes)
    assert plan.solver_stats["objective"] == exact_mc
    assert_feasible(m, plan)
    assert replace(plan, solver_stats={}) == plan  # stats do not take part in equality


def test_cold_goods_brought_back_to_the_depot_are_back_in_time(day):
    # given frozen returns picked up at two farms (goods go back to the depot, max 1 h aboard),
    # one of them open only early, and an ambient stop far away open only late
    depot = day.depots[0]
    for k in (1, 2):
        day.add_vehicle(f"van{k}", "Camion", depot, big_load(), TimeWindow(7 * H, 18 * H),
                        fixed_cost_c=3_000, cost_per_km_c=30)
    day.add_stop("ret", "Ferme", 5.0, 0.0, kind=StopKind.PICKUP, service_s=300,
                 windows=(TimeWindow(8 * H, 8 * H + 900),),
                 load=Load.of(Compartment.FROZEN, 2_000, 2_000))
    day.add_stop("far", "Hameau", 9.0, 0.0, service_s=300,
                 windows=(TimeWindow(10 * H, 10 * H + 900),))
    day.set_max_in_van(Compartment.FROZEN, H)
    finish(day)
    # when
    plan = day.solve(time_limit_s=1, seed=1)
    # then the van with the frozen return is home within the hour (not after the 10:00 visit)
    route, visit = plan.visit_of("ret")
    assert route.end_s - visit.start_s <= H
    assert "far" not in route.stop_ids()
    assert_feasible(day, plan)


def test_cold_chain_from_departure_with_two_depots():
    # given two depots (depot legs are not used then) and a chilled delivery loaded at the
    # depot for 11:00, after an 08:00 stop, limit 1 h
    from delivery.routing import DeliveryModel

    m = DeliveryModel()
    a = m.add_depot("A", "Bavay", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    b = m.add_depot("B", "Landrecies", 0.0, 30.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("va1", "Camion A1", a, big_load(), TimeWindow(7 * H, 18 * H),
                  fixed_cost_c=2_000, cost_per_km_c=30)
    m.add_vehicle("va2", "Camion A2", a, big_load(), TimeWindow(7 * H, 18 * H),
                  fixed_cost_c=2_000, cost_per_km_c=30)
    m.add_vehicle("vb", "Camion B", b, big_load(), TimeWindow(7 * H, 18 * H),
                  fixed_cost_c=2_000, cost_per_km_c=30)
    m.add_stop("a", "Pharmacie", 6.0, 0.0, windows=(TimeWindow(8 * H, 8 * H + 900),))
    m.add_stop("f", "Client", 6.5, 0.0, windows=(TimeWindow(11 * H, 11 * H + 900),),
               service_s=300, load=Load.of(Compartment.CHILLED, 1_000, 2_000))
    m.set_max_in_van(Compartment.CHILLED, H)
    finish(m)
    # when
    plan = m.solve(time_limit_s=1, seed=1)
    # then
    assert not plan.unassigned
    assert held_seconds(m, plan, "f") <= H
    assert_feasible(m, plan)
