import pytest

from delivery.bench.check import check_routes
from delivery.bench.instances import read_cvrplib, read_lilim, read_solomon
from delivery.bench.solutions import read_solution


def test_c101_bks_is_feasible_with_exact_distance_828_94(public):
    inst = read_solomon(public / "solomon" / "C101.txt")
    result = check_routes(inst, read_solution(public / "solomon" / "C101.sol").routes)
    assert result.feasible, result.errors
    assert result.distance == pytest.approx(828.94, abs=0.01)
    assert result.vehicles == 10


@pytest.mark.parametrize(("name", "vehicles", "distance"), [
    ("lc101", 10, 828.9369), ("lr101", 19, 1650.7992), ("lrc201", 4, 1406.9401),  # SINTEF TOP table
])
def test_lilim_sintef_bks_are_feasible_with_the_tabled_vehicles_and_distance(public, name, vehicles, distance):
    inst = read_lilim(public / "lilim" / f"{name}.txt")
    result = check_routes(inst, read_solution(public / "lilim" / f"{name}.sintef.sol").routes)
    assert result.feasible, result.errors
    assert result.vehicles == vehicles and result.distance == pytest.approx(distance, abs=1e-4)


def test_x_bks_cost_is_reproduced_with_rounded_arcs(public):
    inst = read_cvrplib(public / "x" / "X-n101-k25.vrp")
    sol = read_solution(public / "x" / "X-n101-k25.sol")
    result = check_routes(inst, sol.routes)
    assert result.feasible and result.distance == sol.cost == 27591


def test_truncated_dimacs_bks_that_is_late_in_exact_time_is_caught(public):
    # R102's CVRPLIB routes are feasible only with distances truncated to one decimal.
    inst = read_solomon(public / "solomon" / "R102.txt")
    result = check_routes(inst, read_solution(public / "solomon" / "R102.sol").routes)
    assert not result.feasible
    assert any("customer 14" in e and "> due 42" in e for e in result.errors)
    assert 0 < result.max_lateness < 0.1


def test_a_reversed_route_misses_its_windows(public):
    inst = read_solomon(public / "solomon" / "C101.txt")
    routes = [list(r) for r in read_solution(public / "solomon" / "C101.sol").routes]
    routes[0].reverse()
    result = check_routes(inst, routes)
    assert not result.feasible and any("> due" in e for e in result.errors)


def test_missing_duplicate_and_unknown_customers_are_reported(public):
    inst = read_solomon(public / "solomon" / "C101.txt")
    routes = [list(r) for r in read_solution(public / "solomon" / "C101.sol").routes]
    dropped = routes[1].pop()
    routes[2].append(routes[3][0])
    routes[4].append(999)
    errors = " | ".join(check_routes(inst, routes).errors)
    assert "1 customers unserved" in errors and str(dropped) in errors
    assert f"customer {routes[3][0]} is visited twice" in errors
    assert "999 is not a customer" in errors


def test_overloaded_route_and_too_many_vehicles_are_reported(public):
    inst = read_solomon(public / "solomon" / "C101.txt")
    routes = [list(r) for r in read_solution(public / "solomon" / "C101.sol").routes]
    merged = [[c for r in routes[:3] for c in r]] + routes[3:]
    assert any("carries" in e for e in check_routes(inst, merged).errors)
    singles = [[c] for r in routes for c in r]
    assert any("vehicles used, only 25" in e for e in check_routes(inst, singles).errors)


def test_split_and_reversed_pairs_are_reported(public):
    inst = read_lilim(public / "lilim" / "lc101.txt")
    routes = [list(r) for r in read_solution(public / "lilim" / "lc101.sintef.sol").routes]
    p, d = next((p, d) for p, d in inst.pairs if p in routes[0] and d in routes[0])
    swapped = [list(r) for r in routes]
    i, j = swapped[0].index(p), swapped[0].index(d)
    swapped[0][i], swapped[0][j] = d, p
    assert any(f"delivery {d} comes before its pickup {p}" in e for e in check_routes(inst, swapped).errors)
    split = [list(r) for r in routes]
    split[0].remove(d)
    split.append([d])
    assert any("on different routes" in e for e in check_routes(inst, split).errors)
