"""Making room after the search: a left-out stop goes in by moving another van's stop elsewhere."""

from delivery.routing import Compartment, DeliveryModel, Load, TimeWindow
from delivery.routing.diagnose import precheck
from delivery.routing.initial_routes import read_initial_routes
from delivery.routing.reinsert import reinsert
from delivery.routing.solver import FIRST_SOLUTIONS, _build, _params
from delivery.routing.solver import solve as or_tools_solve
from delivery.scenarios.mormal_day import mormal_day
from tests.routing.conftest import H, finish


def two_vans_one_morning(dry_from_h: int = 7) -> DeliveryModel:
    """Two 09:00-09:10 stops 12 km apart (20 min): one van cannot serve both.

    Only the ``cold`` van carries frozen goods; the ``dry`` van takes ambient goods only and
    starts at ``dry_from_h`` o'clock.
    """
    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("cold", "Camion frigorifique", depot, Load.of(Compartment.FROZEN, 10**6, 10**6)
                  + Load.of(Compartment.AMBIENT, 10**6, 10**6), TimeWindow(7 * H, 18 * H),
                  cost_per_km_c=35)
    m.add_vehicle("dry", "Camion sec", depot, Load.of(Compartment.AMBIENT, 10**6, 10**6),
                  TimeWindow(dry_from_h * H, 18 * H), cost_per_km_c=35)
    window = (TimeWindow(9 * H, 9 * H + 600),)
    m.add_stop("surgele", "Client surgelé", 6.0, 0.0, windows=window, service_s=300,
               load=Load.of(Compartment.FROZEN, 2_000, 4_000))
    m.add_stop("sec", "Client épicerie", -6.0, 0.0, windows=window, service_s=300,
               load=Load.of(Compartment.AMBIENT, 2_000, 4_000))
    return finish(m)


def route_ids(built, solution, problem, van: int) -> list[str]:
    out, index = [], solution.Value(built.routing.NextVar(built.routing.Start(van)))
    while not built.routing.IsEnd(index):
        node = built.layout.nodes[built.manager.IndexToNode(index)]
        if node.stop >= 0:
            out.append(problem.stops[node.stop].id)
        index = solution.Value(built.routing.NextVar(index))
    return out


def test_a_left_out_stop_goes_in_by_moving_the_stop_in_its_way_to_another_van():
    # given a plan where the frozen van serves the ambient stop, so the frozen one is left out
    problem = two_vans_one_morning().problem()
    built = _build(problem, precheck(problem).kept)
    built.routing.CloseModelWithParameters(_params(FIRST_SOLUTIONS[0], 1.0, None, True))
    start, _ = read_initial_routes(problem, built, {"cold": ["sec"], "dry": []}, {})
    # when the left-out stops are put back
    solution, inserted = reinsert(problem, built, start)
    # then the ambient stop moved to the dry van to make room: both served, each in time
    assert inserted == 1
    assert route_ids(built, solution, problem, 0) == ["surgele"]
    assert route_ids(built, solution, problem, 1) == ["sec"]


def test_no_room_is_made_when_the_ejected_stop_fits_nowhere_else():
    # given the same morning, but the dry van's shift starts too late for the 09:00 stops
    problem = two_vans_one_morning(dry_from_h=12).problem()
    built = _build(problem, precheck(problem).kept)
    built.routing.CloseModelWithParameters(_params(FIRST_SOLUTIONS[0], 1.0, None, True))
    start, _ = read_initial_routes(problem, built, {"cold": ["sec"], "dry": []}, {})
    # when the left-out stops are put back
    solution, inserted = reinsert(problem, built, start)
    # then nothing moves: swapping the two stops would not serve more
    assert inserted == 0
    assert route_ids(built, solution, problem, 0) == ["sec"]


def test_a_solve_that_makes_room_gives_the_same_routes_for_the_same_seed_and_work_budget():
    # given a generated day (50 stops, 2 vans) where the search leaves mandatory stops out
    # that no plain insertion puts back (the two-van morning above is no such day for a whole
    # solve: OR-Tools' relocate-and-make-active move fixes it before any reinsertion)
    problem = mormal_day(stops=50, vans=2, seed=2).problem()
    # when it is solved twice with the same seed and work budget, the clock far away (a cap)
    plans = [or_tools_solve(problem, time_limit_s=120, seed=2, work_budget=2_000)
             for _ in range(2)]
    # then both solves made room by ejection, the work budget ended the search, not the clock
    for plan in plans:
        assert plan.solver_stats["made_room"] > 0
        put_back = plan.solver_stats["reinserted_first"] + plan.solver_stats["reinserted"]
        assert put_back >= plan.solver_stats["made_room"]
        assert plan.solver_stats["stopped_by"] == "work budget"
    # and the routes are the same, visit for visit
    first, second = plans
    assert first.routes and first.to_json(stats=False) == second.to_json(stats=False)
    assert first.solver_stats["made_room"] == second.solver_stats["made_room"]
