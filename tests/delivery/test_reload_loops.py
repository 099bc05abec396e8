"""A van that goes back to the depot cold room: the plan, the route sheet and the phone show each loop."""

import pytest

from delivery.selectors import driver_stops, sheet_for_round
from delivery.sheets.pdf import render_route_sheet
from tests.delivery.test_sheets import pdf_text


@pytest.fixture
def small_fridge_day(day, specs):
    """The small day with a chilled compartment of 7 kg: 11 kg of chilled parcels leave the depot."""
    from delivery.actions import upsert_tasks

    van = day.shifts.get().van
    van.chilled_kg, van.max_reloads, van.reload_min = 7, 1, 15
    van.save()
    upsert_tasks(day, specs)
    return day


def depot_chilled_g(loop) -> int:
    return sum(line.mass_g for stop in loop.stops for line in stop.goods
               if line.action == "deliver" and line.from_depot and line.compartment == "chilled")


def test_the_day_is_planned_in_two_loops_each_within_the_chilled_compartment(small_fridge_day):
    from delivery.day_planning import plan_day
    from delivery.models import Round

    # when the day is planned for a van allowed one reload
    stored = plan_day(small_fridge_day, time_limit_s=4)
    rnd = Round.objects.get(plan=stored)
    # then every task is served, in two loops, and no loop leaves with more than 7 kg chilled
    assert stored.unassigned.count() == 0
    assert len(rnd.reloads) == 1
    loops = sheet_for_round(rnd).loops()
    assert [loop.number for loop in loops] == [1, 2]
    assert all(depot_chilled_g(loop) <= 7000 for loop in loops)
    assert sum(depot_chilled_g(loop) for loop in loops) == 11000
    assert loops[1].departure_s == rnd.reloads[0]["departure_s"] > rnd.reloads[0]["start_s"]
    # the drawn path passes through the depot between the loops
    depot = (rnd.shift.van.depot.lon, rnd.shift.van.depot.lat)
    assert [round(p[0], 5) for p in rnd.path].count(round(depot[0], 5)) >= 3


def test_the_sheet_and_the_phone_give_each_loop_its_own_loading_plan(small_fridge_day, client):
    from delivery.day_planning import plan_day
    from delivery.models import Round
    from delivery.views.access import phone_path

    rnd = Round.objects.get(plan=plan_day(small_fridge_day, time_limit_s=4))
    sheet = sheet_for_round(rnd)
    second = sheet.loops()[1]
    text = pdf_text(render_route_sheet(sheet))
    # the printed sheet: one loading table per loop, and the stops under their loop
    assert "Boucle 1 — départ" in text and "Boucle 2 — rechargement au dépôt" in text
    assert text.count("Boucle 2 — rechargement au dépôt") == 2  # loading plan and stop list
    crates = [c for _, items in second.loading_plan().items() for c, _ in items]
    assert crates and all(c in text for c in crates)
    # the phone: the first stop of loop 2 says to go back and what to load
    items = {i["task_id"]: i for i in driver_stops(rnd)}
    opener = items[second.stops[0].task_id]
    assert opener["loop"] == 2 and opener["reload"] is not None
    body = client.get(phone_path(rnd.shift)).content.decode()
    assert "Boucle 2 : retour au dépôt, rechargement à" in body
    assert all(f"{c} (arrêt" in body for c in crates)
