"""The one pipeline behind DeliveryModel.solve: PyVRP warm start, then OR-Tools."""

from delivery.bench.instances import read_solomon
from delivery.bench.translate import build_model
from delivery.routing import DeliveryModel
from delivery.routing.pipeline import COLD_CHAIN_SHARE, COLD_SKIP_SHARE, cold_share, split
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
    # given a day with a few cold stops (a time-in-van limit PyVRP cannot express)
    model = mixed_day(40, seed=3)
    problem = _with_cold_share(model, 0.2).problem()
    assert 0 < cold_share(problem) < COLD_SKIP_SHARE
    # when 30 s are shared
    shares = split(problem, len(problem.stops), 30.0)
    # then OR-Tools keeps its cold-chain share; without the limits PyVRP gets most of it
    assert shares.warm_s > 0 and shares.or_tools_s >= 30.0 * COLD_CHAIN_SHARE
    warm = mixed_day(40, seed=3)
    warm.max_in_van_s.clear()
    assert split(warm.problem(), 40, 30.0).warm_s > 15.0  # breaks and relays: OR-Tools keeps 40 %
    assert split(problem, 40, 30.0, warm_start=False).warm_s == 0.0


def test_a_day_of_mostly_cold_goods_is_planned_without_the_warm_start_it_would_reject():
    # given the generated day, where about 60 % of the stops carry chilled or frozen goods
    model = mixed_day(40, seed=3)
    problem = model.problem()
    assert cold_share(problem) >= COLD_SKIP_SHARE
    # when the product's solve plans it
    plan = model.solve(time_limit_s=3, seed=1)
    # then OR-Tools had the whole limit, and says why PyVRP did not run
    assert split(problem, 40, 30.0).warm_s == 0.0
    assert plan.solver_stats["pipeline"] == "ortools"
    assert plan.solver_stats["warm_start"].startswith("skipped: ")
    assert "warm_s" not in plan.solver_stats
    assert_feasible(model, plan)


def _with_cold_share(model: DeliveryModel, share: float) -> DeliveryModel:
    """``model`` with its cold goods moved to the ambient compartment until ``share`` is left."""
    import dataclasses

    from delivery.routing.problem import Load

    cold = [k for k, s in enumerate(model.stops)
            if not (s.load.chilled.is_zero() and s.load.frozen.is_zero())]
    keep = int(share * len(model.stops))
    for k in cold[keep:]:
        s = model.stops[k]
        ambient = s.load.ambient + s.load.chilled + s.load.frozen
        model.stops[k] = dataclasses.replace(s, load=Load(ambient=ambient))
    return model
