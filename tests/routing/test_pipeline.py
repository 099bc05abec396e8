"""The one pipeline behind DeliveryModel.solve: PyVRP warm start, then OR-Tools."""

from delivery.bench.instances import read_solomon
from delivery.bench.translate import build_model
from delivery.routing import DeliveryModel
from delivery.routing.pipeline import COLD_CHAIN_SHARE, split
from delivery.routing.solver import solve as or_tools_solve
from tests.bench.conftest import DATA
from tests.routing.checks import assert_feasible
from tests.routing.conftest import mixed_day


def solomon_25() -> DeliveryModel:
    return build_model(read_solomon(DATA / "R101_25.txt"))[0]


def test_solve_warm_starts_or_tools_from_pyvrp_unless_switched_off():
    # given a 25-customer Solomon day (the relaxation is the problem itself)
    model = solomon_25()
    # when the product's solve runs, with and without the warm start
    full = model.solve(time_limit_s=4, seed=1)
    alone = model.solve(time_limit_s=4, seed=1, warm_start=False)
    # then the first went through PyVRP, whose routes OR-Tools accepted whole; the second did not
    assert full.solver_stats["pipeline"] == "pyvrp+ortools"
    assert full.solver_stats["warm_start"].startswith("used (")
    assert full.solver_stats["warm_iterations"] > 0
    assert alone.solver_stats["pipeline"] == "ortools" and "warm_start" not in alone.solver_stats
    assert not full.unassigned and not alone.unassigned
    assert_feasible(model, full)


def test_same_seed_gives_the_same_plan_through_the_whole_pipeline():
    # given a day the warm start has 85 % of the time for, solved twice from JSON copies
    model = solomon_25()
    first = model.solve(time_limit_s=6, seed=2, work_budget=20_000)
    second = DeliveryModel.from_json(model.to_json()).solve(time_limit_s=6, seed=2,
                                                            work_budget=20_000)
    # then both phases stopped on their work budgets and the plans are identical
    for plan in (first, second):
        assert plan.solver_stats["warm_stopped_by"] == "iterations"
        assert plan.solver_stats["stopped_by"] == "work budget"
    assert first.to_json(stats=False) == second.to_json(stats=False)


def test_a_warm_start_breaking_the_cold_chain_is_repaired_and_every_stop_still_accounted_for():
    # given a day with cold goods, and an OR-Tools plan of it
    model = mixed_day(30, seed=5)
    problem = model.problem()
    plan = or_tools_solve(problem, time_limit_s=1, seed=1)
    routes = {r.vehicle_id: r.stop_ids() for r in plan.routes}
    # when one route is handed over reversed (late stops first: windows and time in van break)
    van = max(routes, key=lambda v: len(routes[v]))
    routes[van] = routes[van][::-1]
    again = or_tools_solve(problem, time_limit_s=2, seed=1, initial_routes=routes)
    # then the start was repaired rather than thrown away, and the plan is feasible
    assert "used after repair" in again.solver_stats["warm_start"]
    assert_feasible(model, again)


def test_the_cold_chain_leaves_or_tools_the_time_its_own_first_solution_needs():
    # given a day whose goods have time-in-van limits PyVRP cannot express
    problem = mixed_day(40, seed=3).problem()
    # when 30 s are shared
    shares = split(problem, len(problem.stops), 30.0)
    # then OR-Tools keeps its cold-chain share; without the limits PyVRP gets most of it
    assert shares.or_tools_s >= 30.0 * COLD_CHAIN_SHARE
    warm = mixed_day(40, seed=3)
    warm.max_in_van_s.clear()
    assert split(warm.problem(), 40, 30.0).warm_s > 15.0  # breaks and relays: OR-Tools keeps 40 %
    assert split(problem, 40, 30.0, warm_start=False).warm_s == 0.0
