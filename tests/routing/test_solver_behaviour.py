"""Determinism, time limit, warm starts and JSON in and out."""

import time

import pytest

from delivery.routing import DeliveryModel, Plan, TimeWindow
from delivery.routing.solver import solve
from tests.routing.checks import assert_feasible
from tests.routing.conftest import H, big_load, finish, mixed_day


def test_same_input_and_seed_give_the_same_plan():
    # given a 40-stop day with every kind of constraint
    model = mixed_day(40)
    # when solved twice with the same seed and work budget, once from a JSON copy of the
    # model (the budget is small next to the time limit, so a busy machine cannot cut it)
    first = model.solve(time_limit_s=6, seed=3, work_budget=60_000)
    second = DeliveryModel.from_json(model.to_json()).solve(time_limit_s=6, seed=3,
                                                            work_budget=60_000)
    # then the plans are identical (solver statistics such as wall time aside)
    assert first.solver_stats["stopped_by"] == second.solver_stats["stopped_by"] == "work budget"
    assert first.to_json(stats=False) == second.to_json(stats=False)
    assert first.routes and first == second
    assert_feasible(model, first)


def test_the_default_work_budget_follows_the_time_limit():
    from delivery.routing.solver import CHECKS_PER_SECOND

    plan = mixed_day(12, seed=2).solve(time_limit_s=0.5, seed=1)
    assert plan.solver_stats["work_budget"] == CHECKS_PER_SECOND // 2
    assert mixed_day(12, seed=2).solve(time_limit_s=0.5, deterministic=False
                                       ).solver_stats["work_budget"] is None


def test_without_the_work_budget_the_clock_ends_the_search():
    # given a 150-stop day
    model = mixed_day(150, seed=11, vans=6)
    # when solved with the whole 2 s limit (no deterministic work cap)
    plan = model.solve(time_limit_s=2, seed=1, deterministic=False)
    # then the solver reports that its time limit, not a work budget, ended the search (how
    # close to the limit it returns is measured by benchmarks/scaling.py, not asserted here),
    # with a feasible plan accounting for every stop
    assert plan.solver_stats.get("work_budget") is None
    assert plan.solver_stats["stopped_by"] == "time"
    assert plan.routes
    assert_feasible(model, plan)


def test_in_deterministic_mode_the_clock_still_caps_a_budget_too_big_for_the_limit():
    # given a work budget no machine gets through in 1.5 s
    model = mixed_day(150, seed=12, vans=6)
    # when solved in deterministic mode
    plan = model.solve(time_limit_s=1.5, seed=1, work_budget=10**12)
    # then the wall clock, the safety cap, is what stopped the search
    assert plan.solver_stats["work_budget"] == 10**12
    assert plan.solver_stats["stopped_by"] == "time"
    assert_feasible(model, plan)


def test_a_small_work_budget_ends_the_search_long_before_a_generous_time_limit():
    plan = mixed_day(40, seed=4).solve(time_limit_s=60, seed=1, work_budget=2_000)
    assert plan.solver_stats["work_budget"] == 2_000
    assert plan.solver_stats["stopped_by"] == "work budget"


def test_a_time_limit_the_caller_already_spent_gives_every_stop_back_with_its_reason():
    # given a caller whose 2 s started 10 s ago (say, a slow travel-time matrix)
    model = mixed_day(30, seed=6)
    problem = model.problem()
    # when the solver is handed what is left of it
    plan = solve(problem, time_limit_s=2, seed=1, started_at=time.monotonic() - 10)
    # then it does not search at all, and no stop is dropped silently
    assert plan.solver_stats["stopped_by"] == "time"
    assert plan.solver_stats["status"] == "no solution within the time limit"
    assert plan.routes == []
    assert sorted(u.stop_id for u in plan.unassigned) == sorted(s.id for s in problem.stops)
    timed_out = [u for u in plan.unassigned if u.reason == "NO_ROOM"]
    assert timed_out and all("temps imparti" in u.detail for u in timed_out)


def test_warm_start_routes_are_used_and_never_worsened():
    # given a plan, and its routes fed back as the initial solution
    model = mixed_day(30, seed=5)
    plan = model.solve(time_limit_s=1, seed=1)
    initial = {r.vehicle_id: r.stop_ids() for r in plan.routes}
    # when
    again = model.solve(time_limit_s=1, seed=1, initial_routes=initial)
    # then the warm start is accepted and the result is no worse
    assert again.solver_stats["warm_start"].startswith("used")
    assert again.cost_c + again.penalty_c <= plan.cost_c + plan.penalty_c
    assert_feasible(model, again)


def test_infeasible_warm_start_falls_back_to_a_fresh_solve(day):
    # given a shipment, and initial routes delivering before picking up, plus unknown ids
    day.add_vehicle("van", "Camion", day.depots[0], big_load(), TimeWindow(7 * H, 18 * H),
                    cost_per_km_c=30)
    day.add_shipment("sh", pickup=dict(name="Ferme", lon=5.0, lat=0.0),
                     delivery=dict(name="Client", lon=1.0, lat=0.0), load=big_load().__sub__(big_load()))
    finish(day)
    bad = {"van": ["sh/delivery", "sh/pickup"], "ghost-van": ["nowhere"]}
    # when
    plan = day.solve(time_limit_s=1, seed=1, initial_routes=bad)
    # then it is solved from scratch, pickup first
    assert plan.solver_stats["warm_start"].startswith("rejected")
    assert plan.routes[0].stop_ids() == ["sh/pickup", "sh/delivery"]


def test_model_and_plan_round_trip_through_json():
    # given a model with relays, breaks, shipments and cold-chain limits, and its plan
    model = mixed_day(25, seed=9)
    plan = model.solve(time_limit_s=1, seed=2)
    # when
    model2 = DeliveryModel.from_json(model.to_json())
    plan2 = Plan.from_json(plan.to_json())
    # then nothing is lost
    assert model2.to_json() == model.to_json()
    assert model2.problem() == model.problem()
    assert plan2 == plan and plan2.solver_stats == plan.solver_stats
    assert plan2.to_json() == plan.to_json()


def test_summary_names_every_route_and_every_unassigned_stop():
    model = mixed_day(30, seed=4, vans=2)
    plan = model.solve(time_limit_s=1, seed=1)
    text = plan.summary()
    assert all(r.vehicle_id in text for r in plan.routes)
    assert all(u.stop_id in text and u.reason.value in text for u in plan.unassigned)
    assert "plan euclidien" in text


@pytest.mark.parametrize("text", ["", "[]", '{"format": "other"}',
                                  '{"format": "mormal-delivery-model/1"}'])
def test_bad_model_json_is_a_clear_error(text):
    with pytest.raises(ValueError, match="model JSON"):
        DeliveryModel.from_json(text)


def test_bad_plan_json_is_a_clear_error():
    with pytest.raises(ValueError, match="not a plan JSON"):
        Plan.from_json('{"routes": []}')


def test_a_time_limit_too_short_for_any_plan_still_accounts_for_every_stop():
    # given 150 stops and 50 ms, not enough to even build a first solution
    model = mixed_day(150, seed=11, vans=6)
    # when
    plan = model.solve(time_limit_s=0.05, seed=1)
    # then nothing is routed, and every stop comes back with a reason and a hint
    assert plan.routes == []
    assert len(plan.unassigned) == len(model.stops)
    timed_out = [u for u in plan.unassigned if u.reason.value == "NO_ROOM"]
    assert timed_out and all("temps imparti" in u.detail for u in timed_out)
