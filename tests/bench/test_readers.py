import pytest

from delivery.bench.instances import Format, read_cvrplib, read_instance, read_lilim, read_solomon
from delivery.bench.solutions import read_solution


def test_every_public_solomon_instance_reads_with_depot_first_and_100_customers(public):
    files = sorted((public / "solomon").glob("*.txt"))
    assert len(files) >= 6
    for path in files:
        inst = read_solomon(path)
        assert inst.size == 101, path
        assert (inst.vehicles, inst.capacity) == (25, 200) or inst.capacity > 0
        assert inst.demand[0] == 0 and (inst.demand[1:] > 0).all()
        assert (inst.due >= inst.ready).all()
        assert inst.labels == tuple(range(101))


def test_c101_header_and_first_customer_are_read_exactly(public):
    inst = read_solomon(public / "solomon" / "C101.txt")
    assert inst.name == "C101" and inst.vehicles == 25 and inst.capacity == 200
    assert list(inst.xy[1]) == [45.0, 68.0]
    assert (inst.demand[1], inst.ready[1], inst.due[1], inst.service[1]) == (10, 912, 967, 90)
    assert inst.due[0] == 1236


@pytest.mark.parametrize("name", ["lc101", "lr101", "lrc201"])
def test_lilim_pairs_link_a_pickup_to_a_delivery_of_opposite_demand(public, name):
    for path in [public / "lilim" / f"{name}.txt"]:
        inst = read_lilim(path)
        assert inst.pairs, path
        nodes = [i for pair in inst.pairs for i in pair]
        assert sorted(nodes) == list(range(1, inst.size)), "every customer is in exactly one pair"
        for p, d in inst.pairs:
            assert inst.demand[p] > 0 and inst.demand[d] == -inst.demand[p]


def test_lc101_first_pair_matches_the_file(public):
    inst = read_lilim(public / "lilim" / "lc101.txt")
    assert (inst.vehicles, inst.capacity) == (25, 200)
    assert (11, 1) in inst.pairs  # node 1 is the delivery of pickup 11


def test_cvrplib_x_instance_puts_depot_first_and_numbers_like_the_sol_files(public):
    inst = read_cvrplib(public / "x" / "X-n101-k25.vrp")
    assert inst.size == 101 and inst.capacity == 206 and inst.min_vehicles == 25
    assert list(inst.xy[0]) == [365.0, 689.0]
    assert inst.labels[0] == 0 and inst.labels[1:] == tuple(range(1, 101))
    assert inst.vehicles is None and inst.fleet_size() >= 26
    assert inst.arc_lengths()[0, 1] == round(((365 - 146) ** 2 + (689 - 180) ** 2) ** 0.5)


def test_read_instance_dispatches_on_format_and_rejects_unknown_ones(public):
    assert read_instance(public / "solomon" / "C101.txt", "solomon").format is Format.SOLOMON
    with pytest.raises(ValueError, match="unknown format"):
        read_instance(public / "solomon" / "C101.txt", "tsplib")


def test_a_malformed_solomon_row_names_the_file_and_line(tmp_path, data):
    lines = (data / "R101_25.txt").read_text().splitlines()
    bad_at = next(i for i, line in enumerate(lines) if line.split()[:1] == ["3"])
    lines[bad_at] = "    3      55         45         13    x67        107          10"
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(lines))
    with pytest.raises(ValueError, match=rf"broken\.txt, line {bad_at + 1}: not a number"):
        read_solomon(path)


def test_a_lilim_pair_that_does_not_point_back_is_rejected_with_its_line(tmp_path, data):
    lines = (data / "lr101_12pairs.txt").read_text().splitlines()
    fields = lines[2].split("\t")  # node 1
    fields[7] = "2" if fields[7] != "2" else "3"
    lines[2] = "\t".join(fields)
    path = tmp_path / "pairs.txt"
    path.write_text("\n".join(lines))
    with pytest.raises(ValueError, match=r"pairs\.txt, line \d+"):
        read_lilim(path)


def test_cvrplib_without_depot_section_is_rejected(tmp_path, public):
    text = (public / "x" / "X-n101-k25.vrp").read_text()
    path = tmp_path / "nodepot.vrp"
    path.write_text(text.split("DEPOT_SECTION")[0])
    with pytest.raises(ValueError, match="nodepot.vrp: missing DEPOT_SECTION"):
        read_cvrplib(path)


def test_missing_file_is_a_value_error_naming_it(tmp_path):
    with pytest.raises(ValueError, match="nowhere.txt: cannot read"):
        read_solomon(tmp_path / "nowhere.txt")


def test_cvrplib_and_sintef_solutions_read_routes_and_cost(public):
    sol = read_solution(public / "solomon" / "C101.sol")
    assert len(sol.routes) == 10 and sol.routes[0][:3] == (5, 3, 7) and sol.cost == 827.3
    sintef = read_solution(public / "lilim" / "lc101.sintef.sol")
    assert len(sintef.routes) == 10 and sintef.cost is None
    assert sintef.routes[0][:3] == (81, 78, 104)


def test_solution_with_a_bad_stop_names_the_line(tmp_path):
    path = tmp_path / "bad.sol"
    path.write_text("Route #1: 1 2 x\n")
    with pytest.raises(ValueError, match=r"bad\.sol, line 1"):
        read_solution(path)
