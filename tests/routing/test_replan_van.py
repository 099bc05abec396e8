"""The last left-out stops go in by re-planning a whole van from scratch, or nothing changes."""

from delivery.routing import Compartment, DeliveryModel, Load, TimeWindow
from delivery.routing.diagnose import precheck
from delivery.routing.initial_routes import read_initial_routes
from delivery.routing.replan_van import _INSIDE, replan_last
from delivery.routing.solver import FIRST_SOLUTIONS, _build, _params
from tests.routing.conftest import H, finish


def five_parcels(reloads: int):
    """One van whose chilled compartment holds 4 of 5 parcels of 10 kg, ``reloads`` allowed."""
    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("van", "Camion frigorifique", depot, Load.of(Compartment.CHILLED, 40_000, 10**6),
                  TimeWindow(7 * H, 18 * H), cost_per_km_c=35, max_reloads=reloads, reload_s=1200)
    for k in range(5):
        m.add_stop(f"c{k}", f"Client {k}", 3.0 + k, 2.0, service_s=300,
                   load=Load.of(Compartment.CHILLED, 10_000, 20_000))
    problem = finish(m).problem()
    built = _build(problem, precheck(problem).kept)
    built.routing.CloseModelWithParameters(_params(FIRST_SOLUTIONS[0], 1.0, None, True))
    start, _ = read_initial_routes(problem, built, {"van": ["c0", "c1", "c2", "c3"]}, {})
    return problem, built, start


def visits(problem, built, solution) -> list[str]:
    out, index = [], solution.Value(built.routing.NextVar(built.routing.Start(0)))
    while not built.routing.IsEnd(index):
        node = built.layout.nodes[built.manager.IndexToNode(index)]
        if node.leg != "load":
            out.append(node.leg or problem.stops[node.stop].id)
        index = solution.Value(built.routing.NextVar(index))
    return out


def test_a_left_out_parcel_goes_in_when_the_van_is_re_planned_with_a_reload():
    # given a plan serving 4 parcels in one loop and leaving the fifth out
    problem, built, start = five_parcels(reloads=1)
    assert sorted(visits(problem, built, start)) == ["c0", "c1", "c2", "c3"]
    stats = {"seed": 1}
    # when the last left-out units are put in by re-planning
    solution = replan_last(problem, built, start, None, stats)
    # then the van was planned anew: all five parcels, in two loops
    route = visits(problem, built, solution)
    assert sorted(s for s in route if s != "reload") == ["c0", "c1", "c2", "c3", "c4"]
    assert route.count("reload") == 1
    assert stats["replanned"] == 1 and stats["replans"] == 1


def test_nothing_changes_when_the_van_cannot_take_the_unit_even_re_planned():
    # given the same plan but no reload allowed: 5 parcels never fit in the compartment
    problem, built, start = five_parcels(reloads=0)
    stats = {"seed": 1}
    # when the last left-out units are put in by re-planning
    solution = replan_last(problem, built, start, None, stats)
    # then one re-plan was tried, nothing went in, the plan is the one given
    assert solution is start
    assert stats["replanned"] == 0 and stats["replans"] == 1


def test_a_re_plans_own_solve_does_not_re_plan():
    problem, built, start = five_parcels(reloads=1)
    stats = {"seed": 1}
    token = _INSIDE.set(True)
    try:
        solution = replan_last(problem, built, start, None, stats)
    finally:
        _INSIDE.reset(token)
    assert solution is start and stats["replans"] == 0
