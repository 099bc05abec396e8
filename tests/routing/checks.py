"""Independent checks that a Plan obeys its Problem (used by every routing test)."""

from delivery.routing import Compartment, DeliveryModel, Load, Plan, StopKind
from delivery.routing.diagnose import effective_windows


def held_seconds(model: DeliveryModel, plan: Plan, stop_id: str) -> int:
    """Time the goods of a delivery spent in the van: loading start (or departure) to unloading end."""
    problem = model.problem()
    stop = next(s for s in problem.stops if s.id == stop_id)
    route, visit = plan.visit_of(stop_id)
    if stop.shipment_id is None:  # loaded at the depot for this visit's loop
        loop = next(lp for lp in route.loops() if visit in lp.visits)
        return visit.departure_s - loop.departure_s
    pickup = next(s for s in problem.stops if s.shipment_id == stop.shipment_id and s.kind == StopKind.PICKUP)
    _, p_visit = plan.visit_of(pickup.id)
    return visit.departure_s - p_visit.start_s


def assert_feasible(model: DeliveryModel, plan: Plan) -> None:
    """Assert every hard constraint of the model holds in the plan."""
    problem = model.problem()
    stops = {s.id: s for s in problem.stops}
    index = {s.id: k for k, s in enumerate(problem.stops)}
    nd = len(problem.depots)
    served = [v.stop_id for r in plan.routes for v in r.visits]
    assert len(served) == len(set(served)), "a stop is served twice"
    assert sorted(served + [u.stop_id for u in plan.unassigned]) == sorted(stops), "a stop is missing"
    for r in plan.routes:
        van = next(v for v in problem.vehicles if v.id == r.vehicle_id)
        depot_k = next(k for k, d in enumerate(problem.depots) if d.id == van.depot_id)
        depot = problem.depots[depot_k]
        assert van.shift.start_s <= r.start_s and r.end_s <= van.shift.end_s, "outside shift"
        assert depot.window.start_s <= r.start_s and r.end_s <= depot.window.end_s
        load = r.start_load
        assert load.fits(van.capacity), "over capacity at departure"
        prev, prev_dep = depot_k, r.start_s
        busy = []
        reloads = {x.after_visits: x for x in r.reloads}
        assert len(reloads) == len(r.reloads) <= van.max_reloads, "too many reloads"
        loops = r.loops()
        for k, v in enumerate(r.visits):
            s = stops[v.stop_id]
            node = nd + index[s.id]
            if k in reloads:  # back to the depot: unload what came back, load the next loop
                x = reloads[k]
                brk = van.break_.duration_s if van.break_ and r.break_start_s is not None and prev_dep <= r.break_start_s < x.start_s else 0
                assert x.start_s >= prev_dep + problem.durations_s[prev][depot_k] + brk, "reload reached too early"
                assert depot.window.start_s <= x.start_s and x.departure_s == x.start_s + van.reload_s
                loop = next(lp for lp in loops if lp.visits and lp.visits[0] is v)
                depot_goods = Load()
                for w in loop.visits:
                    t = stops[w.stop_id]
                    if t.kind == StopKind.DELIVERY and t.shipment_id is None:
                        depot_goods = depot_goods + t.load
                assert x.loaded == depot_goods, "the loop's depot parcels are not what is loaded"
                load = load - x.unloaded + x.loaded
                assert x.load_after == load and load.fits(van.capacity), "over capacity after a reload"
                busy.append((x.start_s, x.departure_s))
                prev, prev_dep = depot_k, x.departure_s
            brk = van.break_.duration_s if van.break_ and r.break_start_s is not None and prev_dep <= r.break_start_s < v.start_s else 0
            assert v.start_s >= prev_dep + problem.durations_s[prev][node] + brk, f"{s.id} reached too early"
            assert any(w.start_s <= v.start_s <= w.end_s for w in effective_windows(problem, s)), f"{s.id} outside its windows"
            assert v.departure_s == v.start_s + s.service_s
            load = load + s.load if s.kind == StopKind.PICKUP else load - s.load
            assert v.load_after == load
            assert all(q.mass_g >= 0 and q.volume_ml >= 0 for q in (load.ambient, load.chilled, load.frozen))
            assert load.fits(van.capacity), f"over capacity after {s.id}"
            busy.append((v.start_s, v.departure_s))
            prev, prev_dep = node, v.departure_s
        assert r.end_s >= prev_dep + problem.durations_s[prev][depot_k], "returns too early"
        assert load == Load() or all(stops[v.stop_id].kind == StopKind.PICKUP for v in r.visits if stops[v.stop_id].shipment_id is None)
        if van.break_ is not None and r.break_start_s is not None:
            b0, b1 = r.break_start_s, r.break_start_s + van.break_.duration_s
            assert van.break_.window.start_s <= b0 <= van.break_.window.end_s
            assert all(b1 <= a or b0 >= e for a, e in busy), "break overlaps a visit"
    by_shipment = {}
    for s in problem.stops:
        if s.shipment_id:
            by_shipment.setdefault(s.shipment_id, {})[s.kind] = s.id
    for pair in by_shipment.values():
        p, d = plan.visit_of(pair[StopKind.PICKUP]), plan.visit_of(pair[StopKind.DELIVERY])
        assert (p is None) == (d is None), "only one side of a shipment is served"
        if p is not None:
            assert p[0].vehicle_id == d[0].vehicle_id, "pickup and delivery in different vans"
            assert p[1].departure_s <= d[1].start_s, "delivery before pickup"
    limits = dict(problem.max_in_van_s)
    for s in problem.stops:
        if plan.visit_of(s.id) is None:
            continue
        used = [limits[c] for c in Compartment if c in limits and not s.load.get(c).is_zero()]
        if used and s.kind == StopKind.DELIVERY:
            assert held_seconds(model, plan, s.id) <= min(used), f"cold chain broken for {s.id}"
        if used and s.kind == StopKind.PICKUP and s.shipment_id is None:
            route, visit = plan.visit_of(s.id)
            back = next((x.arrival_s for x in route.reloads
                         if x.after_visits > route.visits.index(visit)), route.end_s)
            assert back - visit.start_s <= min(used), f"cold chain broken for {s.id}"
    for relay in problem.relays:
        cold = sum(stops[v.stop_id].load.cold_volume_ml() for r in plan.routes for v in r.visits
                   if stops[v.stop_id].relay_id == relay.id and stops[v.stop_id].kind == StopKind.DELIVERY)
        assert cold <= relay.fridge_volume_ml, f"relay {relay.id} fridge overfilled"
