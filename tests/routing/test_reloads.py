"""One van, several loops: reloads at the depot reset the compartments and the cold-chain clock."""

from delivery.routing import Compartment, DeliveryModel, Load, Plan, TimeWindow
from delivery.routing.plan import RELOAD
from delivery.routing.solver import solve as or_tools_solve
from tests.routing.checks import assert_feasible, held_seconds
from tests.routing.conftest import H, finish


def one_van_day(reloads: int, parcels: int = 8, room_for: int = 4) -> DeliveryModel:
    """``parcels`` chilled deliveries of 10 kg; the van's chilled compartment holds ``room_for``."""
    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("van", "Camion frigorifique", depot,
                  Load.of(Compartment.CHILLED, 10_000 * room_for, 20_000 * room_for),
                  TimeWindow(7 * H, 18 * H), cost_per_km_c=35, max_reloads=reloads, reload_s=1200)
    for k in range(parcels):
        m.add_stop(f"c{k}", f"Client {k}", 3.0 + k % 4, 2.0 * (k // 4), service_s=300,
                   load=Load.of(Compartment.CHILLED, 10_000, 20_000))
    return finish(m)


def test_without_reloads_the_compartment_caps_the_day():
    plan = one_van_day(reloads=0).solve(time_limit_s=1, seed=1)
    assert len(plan.routes[0].visits) == 4
    assert {u.reason.value for u in plan.unassigned} == {"NO_ROOM"} and len(plan.unassigned) == 4


def test_one_reload_serves_a_second_loop_with_the_compartment_refilled():
    # given one van whose chilled compartment holds 4 of the 8 parcels, allowed one reload
    model = one_van_day(reloads=1)
    # when planned
    plan = model.solve(time_limit_s=2, seed=1)
    # then every parcel is served in two loops of at most 4, each loaded at the depot
    assert not plan.unassigned
    route = plan.routes[0]
    assert len(route.reloads) == 1
    loops = route.loops()
    assert [len(lp.visits) for lp in loops] == [4, 4]
    assert all(lp.loaded == Load.of(Compartment.CHILLED, 40_000, 80_000) for lp in loops)
    assert route.reloads[0].departure_s - route.reloads[0].start_s == 1200
    assert_feasible(model, plan)


def test_time_in_the_van_counts_from_the_departure_of_each_loop():
    # given chilled parcels (1 h in the van at most) wanted at 8-9 h and at 15-16 h
    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("van", "Camion", depot, Load.of(Compartment.CHILLED, 10**6, 10**6),
                  TimeWindow(7 * H, 18 * H), cost_per_km_c=35, max_reloads=2, reload_s=900)
    m.set_max_in_van(Compartment.CHILLED, H)
    for k, start in enumerate((8 * H, 8 * H, 15 * H, 15 * H)):
        m.add_stop(f"c{k}", f"Client {k}", 2.0 + k, 1.0, service_s=300,
                   windows=(TimeWindow(start, start + H),),
                   load=Load.of(Compartment.CHILLED, 2_000, 4_000))
    finish(m)
    # when planned with reloads allowed, and without
    plan = m.solve(time_limit_s=2, seed=1)
    single = DeliveryModel.from_json(m.to_json())
    single.vehicles = [v.__class__(**{**v.__dict__, "max_reloads": 0}) for v in single.vehicles]
    # then a second loop starts in the afternoon and every parcel stays under an hour aboard
    assert not plan.unassigned
    assert len(plan.routes[0].reloads) == 1
    assert all(held_seconds(m, plan, f"c{k}") <= H for k in range(4))
    assert_feasible(m, plan)
    # while one loop cannot keep both the morning and the afternoon parcels cold
    assert len(single.solve(time_limit_s=2, seed=1).unassigned) == 2


def test_reloads_survive_json_and_read_back_as_a_warm_start():
    model = one_van_day(reloads=1)
    plan = model.solve(time_limit_s=2, seed=1)
    again = Plan.from_json(plan.to_json())
    assert again == plan and again.routes[0].reloads == plan.routes[0].reloads
    sequence = plan.routes[0].sequence()
    assert sequence.count(RELOAD) == 1
    replay = or_tools_solve(model.problem(), time_limit_s=1, seed=1,
                            initial_routes={"van": sequence})
    assert replay.solver_stats["warm_start"].startswith("used (")
    assert not replay.unassigned
    assert "2 boucles" in plan.summary()


def test_the_reload_takes_its_time_before_the_next_loop_leaves():
    # given a chilled parcel (1 h aboard at most) at 8:00-8:10, 10 km east, and another at
    # 8:55-9:00, 10 km west: no single loop keeps both cold, and a 30 min reload between
    # them ends too late for the second (8:21:40 back, 8:51:40 out, 9:08:20 there)
    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("van", "Camion", depot, Load.of(Compartment.CHILLED, 10**6, 10**6),
                  TimeWindow(7 * H, 18 * H), cost_per_km_c=35, max_reloads=1, reload_s=1800)
    m.set_max_in_van(Compartment.CHILLED, H)
    for k, (x, start, end) in enumerate(((10.0, 8 * H, 8 * H + 600), (-10.0, 8 * H + 3300, 9 * H))):
        m.add_stop(f"c{k}", f"Client {k}", x, 0.0, service_s=300, windows=(TimeWindow(start, end),),
                   load=Load.of(Compartment.CHILLED, 2_000, 4_000))
    finish(m)
    # when planned
    plan = m.solve(time_limit_s=2, seed=1)
    # then one parcel is left out rather than reached before the reload is over
    assert_feasible(m, plan)
    assert len(plan.unassigned) == 1 and plan.unassigned[0].reason.value == "NO_ROOM"


def test_a_left_out_afternoon_parcel_is_put_back_in_a_new_loop():
    # given a day planned without its afternoon chilled parcel (1 h aboard at most)
    from delivery.routing.diagnose import precheck
    from delivery.routing.initial_routes import read_initial_routes
    from delivery.routing.reinsert import reinsert
    from delivery.routing.solver import FIRST_SOLUTIONS, _build, _params

    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("van", "Camion", depot, Load.of(Compartment.CHILLED, 10**6, 10**6),
                  TimeWindow(7 * H, 18 * H), cost_per_km_c=35, max_reloads=1, reload_s=1200)
    m.set_max_in_van(Compartment.CHILLED, H)
    for k, start in enumerate((8 * H, 8 * H + 1800, 15 * H)):
        m.add_stop(f"c{k}", f"Client {k}", 2.0 + k, 1.0, service_s=300,
                   windows=(TimeWindow(start, start + H),),
                   load=Load.of(Compartment.CHILLED, 2_000, 4_000))
    problem = finish(m).problem()
    built = _build(problem, precheck(problem).kept)
    built.routing.CloseModelWithParameters(_params(FIRST_SOLUTIONS[0], 1.0, None, True))
    start, _ = read_initial_routes(problem, built, {"van": ["c0", "c1"]}, {})
    # when the left-out stops are put back
    solution, inserted = reinsert(problem, built, start)
    # then the afternoon parcel rides in a second loop, loaded after a reload
    assert inserted == 1
    route, index = [], solution.Value(built.routing.NextVar(built.routing.Start(0)))
    while not built.routing.IsEnd(index):
        node = built.layout.nodes[built.manager.IndexToNode(index)]
        route.append(node.leg or problem.stops[node.stop].id)
        index = solution.Value(built.routing.NextVar(index))
    assert route == ["load", "load", "c0", "c1", "reload", "load", "c2"]


def test_putting_stops_back_keeps_the_plan_reproducible():
    # given a 40-stop Mormal day for one van allowed two reloads
    from delivery.scenarios.mormal_day import mormal_day

    model = mormal_day(stops=40, vans=1, seed=1, reloads=2)
    # when solved twice with the same seed and work budget, once from a JSON copy
    first = model.solve(time_limit_s=6, seed=1, work_budget=60_000)
    second = DeliveryModel.from_json(model.to_json()).solve(time_limit_s=6, seed=1,
                                                            work_budget=60_000)
    # then stops were put back (before or after the search), and both plans are the same
    # and feasible
    assert first.solver_stats["reinserted_first"] + first.solver_stats["reinserted"] > 0
    assert first.solver_stats["stopped_by"] == second.solver_stats["stopped_by"] == "work budget"
    assert first.to_json(stats=False) == second.to_json(stats=False)
    assert_feasible(model, first)


def test_stops_the_first_solution_leaves_out_are_put_back_before_the_search():
    # given a 40-stop Mormal day for one van allowed two reloads, whose first solution leaves
    # mandatory stops out
    from delivery.routing.solver import solve as or_tools_solve
    from delivery.scenarios.mormal_day import mormal_day

    model = mormal_day(stops=40, vans=1, seed=1, reloads=2)
    # when it is solved with a work budget that leaves the search nothing to do
    plan = or_tools_solve(model.problem(), time_limit_s=6, seed=1, work_budget=1)
    # then the stops went back in before the search (some by making room), none is left out,
    # and the plan is feasible
    assert plan.solver_stats["stopped_by"] == "work budget"
    assert plan.solver_stats["reinserted_first"] == 4 and plan.solver_stats["reinserted"] == 0
    assert plan.solver_stats["made_room"] > 0
    assert not plan.unassigned
    assert_feasible(model, plan)
