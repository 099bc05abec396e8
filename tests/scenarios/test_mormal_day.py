"""The "Mormal day" generator: deterministic, the right size, every delivery paired and plausible."""

from collections import Counter

import pytest

from delivery.routing import Compartment, StopKind
from delivery.routing.straightline import StraightLineTravel
from delivery.scenarios.mormal_day import (
    COLD_REACH_M,
    RELAY_COMMUNES,
    crow_m,
    mormal_day,
    read_communes,
)


@pytest.fixture(scope="module")
def day():
    return mormal_day(stops=150, vans=3, seed=1)


def test_the_same_seed_gives_the_same_day_byte_for_byte():
    assert mormal_day(seed=7).to_json() == mormal_day(seed=7).to_json()
    assert mormal_day(seed=7).to_json() != mormal_day(seed=8).to_json()


def test_a_day_has_the_requested_stops_vans_and_relays(day):
    assert len(day.stops) == 150
    assert len({s.id for s in day.stops}) == 150
    assert len(day.vehicles) == 3 and len(day.depots) == 1
    assert len(day.relays) == len(RELAY_COMMUNES)
    assert len(mormal_day(stops=60, vans=2).stops) == 60


def test_every_pickup_is_paired_with_one_later_delivery_of_the_same_goods(day):
    # given the stops grouped by shipment
    shipments = {}
    for s in day.stops:
        if s.shipment_id:
            shipments.setdefault(s.shipment_id, []).append(s)
    # then each shipment is exactly one pickup and one delivery with the same load
    assert len(shipments) == 60
    for pair in shipments.values():
        kinds = Counter(s.kind for s in pair)
        assert kinds == Counter({StopKind.PICKUP: 1, StopKind.DELIVERY: 1})
        pickup = next(s for s in pair if s.kind == StopKind.PICKUP)
        delivery = next(s for s in pair if s.kind == StopKind.DELIVERY)
        assert pickup.load == delivery.load and not pickup.load.is_zero()
        assert pickup.relay_id is None
        # and the delivery can end after the pickup can start
        latest = max((w.end_s for w in delivery.windows), default=24 * 3600)
        assert latest > min(w.start_s for w in pickup.windows)
    # and the single-sided stops are parcels loaded at the depot
    singles = [s for s in day.stops if s.shipment_id is None]
    assert singles and all(s.kind == StopKind.DELIVERY for s in singles)


def test_cold_goods_exist_have_limits_and_stay_within_reach(day):
    assert day.max_in_van_s == {Compartment.CHILLED: 7200, Compartment.FROZEN: 3600}
    by_shipment = {}
    for s in day.stops:
        if s.shipment_id:
            by_shipment.setdefault(s.shipment_id, {})[s.kind] = s
    cold = Counter()
    for pair in by_shipment.values():
        p, d = pair[StopKind.PICKUP], pair[StopKind.DELIVERY]
        for compartment in (Compartment.CHILLED, Compartment.FROZEN):
            if not p.load.get(compartment).is_zero():
                cold[compartment] += 1
                assert crow_m((p.lon, p.lat), (d.lon, d.lat)) <= COLD_REACH_M[compartment] + 1_000
    assert cold[Compartment.CHILLED] >= 10 and cold[Compartment.FROZEN] >= 3


def test_relay_deliveries_go_to_town_halls(day):
    communes = {c.name: c for c in read_communes()}
    halls = {(communes[n].town_hall_lon, communes[n].town_hall_lat) for n in RELAY_COMMUNES}
    relay_stops = [s for s in day.stops if s.relay_id]
    assert relay_stops
    assert all((s.lon, s.lat) in halls and s.kind == StopKind.DELIVERY for s in relay_stops)
    assert all(r.fridge_volume_ml > 0 and r.opening for r in day.relays)


def test_all_points_lie_in_the_pays_de_mormal(day):
    communes = read_communes()
    assert len(communes) == 52
    lons = [c.lon for c in communes]
    lats = [c.lat for c in communes]
    for s in [*day.stops, *day.depots]:
        assert min(lons) - 0.03 <= s.lon <= max(lons) + 0.03, s.id
        assert min(lats) - 0.02 <= s.lat <= max(lats) + 0.02, s.id


def test_vans_have_three_compartments_shifts_and_breaks(day):
    for van in day.vehicles:
        assert all(not van.capacity.get(c).is_zero() for c in Compartment)
        assert van.shift.end_s - van.shift.start_s >= 8 * 3600
        assert van.break_ is not None and van.cost_per_km_c > 0


def test_the_default_travel_is_the_labelled_straight_line(day):
    assert day.problem().travel_label == StraightLineTravel().label


def test_a_small_generated_day_is_planned_without_breaking_the_cold_chain():
    # given a small day (24 stops, 2 vans)
    model = mormal_day(stops=24, vans=2, seed=3)
    # when it is planned
    plan = model.solve(time_limit_s=3, seed=1)
    # then nearly everything is served, and no cold parcel outlives its limit
    assert len(plan.unassigned) <= 2
    problem = model.problem()
    stops = {s.id: s for s in problem.stops}
    for route in plan.routes:
        started = {v.stop_id: v.start_s for v in route.visits}
        for visit in route.visits:
            s = stops[visit.stop_id]
            limit = problem.max_in_van_for(s.load)
            if s.kind == StopKind.DELIVERY and limit is not None:
                loaded = started[f"{s.shipment_id}/pickup"] if s.shipment_id else route.start_s
                assert visit.departure_s - loaded <= limit


@pytest.mark.parametrize(("stops", "vans"), [(5, 3), (150, 0), (150, 13)])
def test_nonsense_sizes_are_refused(stops, vans):
    with pytest.raises(ValueError):
        mormal_day(stops=stops, vans=vans)
