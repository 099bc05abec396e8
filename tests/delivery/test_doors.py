"""One stop per door (issue 13, finding 9): the rules of delivery/doors.py, on plain values."""

from types import SimpleNamespace

from delivery import doors
from delivery.routing.plan import Visit
from delivery.routing.problem import Load, Quantity

H = 3600


def _task(pk, kind="home", address="3 rue Pasteur, 59530 Jolimetz", lon=3.68, lat=50.23, windows=((9 * H, 12 * H),),
          key="", chilled=0):
    return SimpleNamespace(pk=pk, kind=kind, address=address, lon=lon, lat=lat, windows=[list(w) for w in windows],
                           day_id=1, shipment_key=key,
                           loads=lambda: {"ambient": (1000, 2000), "chilled": (chilled, chilled), "frozen": (0, 0)})


def _load(task):
    return Load(ambient=Quantity(*task.loads()["ambient"]), chilled=Quantity(*task.loads()["chilled"]))


def _visits(tasks, start=9 * H, step=600, service=120):
    out, t = [], start
    total = Load()
    for task in tasks:
        total = total + _load(task)
    for task in tasks:
        total = total - _load(task) if task.kind != "collect" else total
        out.append(Visit(f"task-{task.pk}", t, t, t + service, total))
        t += step
    return out


def test_the_same_address_day_and_window_is_one_door_and_anything_else_is_not():
    a, b = _task(1), _task(2, address="  3 RUE Pasteur,   59530 Jolimetz")
    other_window, relay = _task(3, windows=((14 * H, 17 * H),)), _task(4, kind="relay")
    assert doors.door_key(a) == doors.door_key(b)
    assert doors.door_key(other_window) != doors.door_key(a) and doors.door_key(relay) is None
    assert doors.door_sizes([a, b, other_window, relay]) == {1: 2, 2: 2, 3: 1}
    assert doors.shared_service_s(300, 2) == 150 and doors.shared_service_s(300, 1) == 300
    assert doors.shared_service_s(300, 10) == doors.MIN_PARCEL_S


def test_mates_left_apart_are_brought_next_to_the_first_and_the_stops_between_move_later():
    a, x, y, b = _task(1), _task(2, address="elsewhere", lon=3.7), _task(3, address="far", lon=3.75), _task(4)
    tasks = {f"task-{t.pk}": t for t in (a, x, y, b)}
    visits = _visits([a, x, y, b])

    out = doors.gather(visits, tasks, _load)

    assert [v.stop_id for v in out] == ["task-1", "task-4", "task-2", "task-3"]
    assert out[1].start_s == out[0].departure_s  # one arrival at the door
    assert out[2].start_s == visits[1].start_s + 120 and out[3].start_s == visits[2].start_s + 120
    assert [[v.stop_id for v in g] for g in doors.consecutive(out, lambda v: tasks[v.stop_id])] == [
        ["task-1", "task-4"], ["task-2"], ["task-3"]]


def test_a_mate_whose_collect_comes_later_or_a_window_that_would_break_keeps_its_place():
    a, collect, b = _task(1), _task(2, kind="collect", address="ferme", key="s"), _task(3, key="s")
    tasks = {f"task-{t.pk}": t for t in (a, collect, b)}
    visits = _visits([a, collect, b])
    assert [v.stop_id for v in doors.gather(visits, tasks, _load)] == ["task-1", "task-2", "task-3"]

    tight = _task(5, address="pressé", windows=((9 * H, 9 * H + 600),))
    a2, b2 = _task(6), _task(7)
    tasks = {f"task-{t.pk}": t for t in (a2, tight, b2)}
    visits = _visits([a2, tight, b2])  # the tight stop starts at 9h10, the end of its window
    assert [v.stop_id for v in doors.gather(visits, tasks, _load)] == ["task-6", "task-5", "task-7"]


def test_a_door_left_in_two_stops_or_two_vans_is_named_for_staff_with_every_stop_number():
    a, b, c = _task(1), _task(2), _task(3)
    elsewhere = _task(4, address="8 place Verte, 59570 Bavay", lon=3.79)
    stop = lambda number, task: SimpleNamespace(number=number, task=task)  # noqa: E731
    rounds = [("Camionnette 1", [stop(1, a), stop(2, elsewhere), stop(3, b)]), ("Camionnette 2", [stop(1, c)])]

    split = doors.split_doors(rounds)

    assert split == [{"address": a.address,
                      "stops": [("Camionnette 1", 1), ("Camionnette 1", 3), ("Camionnette 2", 1)]}]
    assert doors.split_doors([("Camionnette 1", [stop(1, a), stop(2, elsewhere)])]) == []
    relay_twice = [("Camionnette 1", [stop(1, _task(5, kind="relay")), stop(2, _task(6, kind="relay"))])]
    assert doors.split_doors(relay_twice) == []  # a relay point is a place, not a door
