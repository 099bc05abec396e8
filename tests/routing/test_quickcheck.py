"""The quick route check refuses only routes the OR-Tools model refuses too, and most of them."""

import dataclasses

from delivery.routing import Compartment, DeliveryModel, Load, TimeWindow
from delivery.routing.diagnose import precheck
from delivery.routing.initial_routes import _with_legs
from delivery.routing.quickcheck import RouteCheck
from delivery.routing.reinsert import _candidates, _orders, _paired, _times
from delivery.routing.solver import FIRST_SOLUTIONS, _build, _params
from delivery.scenarios.mormal_day import mormal_day
from tests.routing.conftest import H, finish


def built_model(problem):
    built = _build(problem, precheck(problem).kept)
    built.routing.CloseModelWithParameters(_params(FIRST_SOLUTIONS[0], 1.0, None, True))
    return built


def model_reads(built, v: int, order) -> bool:
    routes = [[] for _ in range(built.routing.vehicles())]
    routes[v] = _with_legs(built, order)
    return built.routing.ReadAssignmentFromRoutes(routes, True) is not None


def one_chilled_van() -> DeliveryModel:
    """A van holding 10 kg chilled, one reload (20 min); parcels of 6 kg 9 km from the depot."""
    m = DeliveryModel()
    depot = m.add_depot("depot", "Dépôt", 0.0, 0.0, TimeWindow(6 * H, 20 * H))
    m.add_vehicle("van", "Camion frigorifique", depot, Load.of(Compartment.CHILLED, 10_000, 10**6),
                  TimeWindow(7 * H, 18 * H), cost_per_km_c=35, max_reloads=1, reload_s=1200)
    m.set_max_in_van(Compartment.CHILLED, 2 * H)
    for k, (x, y) in enumerate([(9.0, 0.0), (0.0, 9.0), (-9.0, 0.0)]):
        m.add_stop(f"colis-{k}", f"Client {k}", x, y, service_s=300,
                   load=Load.of(Compartment.CHILLED, 6_000, 1_000))
    return finish(m)


def test_a_loop_carrying_more_than_the_van_holds_is_refused_and_a_reload_makes_it_fit():
    built = built_model(one_chilled_van().problem())
    check = RouteCheck(built)
    nodes = built.layout.nodes
    a, b = (n for n, node in enumerate(nodes) if node.stop >= 0 and node.stop < 2)
    reload = next(n for n, node in enumerate(nodes) if node.leg == "reload")
    # 12 kg in one loop: over the 10 kg; with a reload between, 6 kg per loop
    assert not check.may_fit(0, [a, b]) and not model_reads(built, 0, [a, b])
    assert check.may_fit(0, [a, reload, b]) and model_reads(built, 0, [a, reload, b])


def test_a_parcel_kept_cold_too_long_or_served_after_its_window_is_refused():
    model = one_chilled_van()
    model.stops[2] = dataclasses.replace(model.stops[2], windows=(TimeWindow(7 * H, 7 * H + 1800),))
    built = built_model(finish(model).problem())
    check = RouteCheck(built)
    nodes = built.layout.nodes
    a, _b, c = (n for n, node in enumerate(nodes) if node.stop >= 0)
    reload = next(n for n, node in enumerate(nodes) if node.leg == "reload")
    # c (07:00-07:30) after a: past its window; alone first it is in time
    assert not check.may_fit(0, [a, reload, c]) and not model_reads(built, 0, [a, reload, c])
    assert check.may_fit(0, [c, reload, a]) and model_reads(built, 0, [c, reload, a])


def test_on_a_real_day_no_route_the_model_accepts_is_refused():
    # given a generated Mormal day (cold chain, shipments, relays, breaks, reloads) and a
    # first solution of it
    problem = mormal_day(stops=60, vans=2, seed=2, reloads=2).problem()
    built = built_model(problem)
    solution = built.routing.SolveWithParameters(_params(FIRST_SOLUTIONS[0], 30.0, 1, False))
    assert solution is not None
    orders, times, paired = _orders(built, solution), _times(built, solution), _paired(built)
    check = RouteCheck(built)
    nodes = built.layout.nodes
    # when each of the first units of every van is taken out and tried back at the
    # candidate places of every van (as the reinsertion would)
    seen = {(True, True): 0, (True, False): 0, (False, False): 0, (False, True): 0}
    for v, order in enumerate(orders):
        units = []
        for n in order:
            unit = paired.get(n, (n,))
            if nodes[n].stop >= 0 and unit not in units:
                units.append(unit)
        for unit in units[:6]:
            reduced = [n for n in order if n not in unit]
            for w in range(len(orders)):
                base = reduced if w == v else orders[w]
                spare = [n for n, node in enumerate(nodes)
                         if node.leg == "reload" and node.vehicle == w and n not in base]
                for _rank, seq in _candidates(built, w, base, times, unit, spare, 24):
                    seen[(check.may_fit(w, seq), model_reads(built, w, seq))] += 1
    # then the check never refused a route the model accepts, and it refused most of those
    # the model refuses (it is worth its place)
    assert seen[(False, True)] == 0
    assert seen[(True, True)] > 0
    assert seen[(False, False)] > 4 * seen[(True, False)]
