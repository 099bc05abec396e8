"""Turn a day's tasks, vans and relay points into a routing model, solve it, store the plan.

The routing core (``delivery.routing``) knows nothing of Django; this module is the bridge.
Stop ids are ``task-<pk>``, vehicle ids ``shift-<pk>``, so a plan maps back to rows directly.
"""

import datetime as dt
import functools
import json
import logging

from django.conf import settings
from django.db import transaction

from delivery.routing.model import DeliveryModel
from delivery.routing.problem import Compartment, Load, Quantity, StopKind, TimeWindow
from marketplace.territory.hours import opening_intervals

from . import coldchain, doors
from .models import (
    COMPARTMENTS,
    DeliveryDay,
    DeliveryTask,
    Round,
    RoundStop,
    Shift,
    StoredPlan,
    UnassignedTask,
    Van,
)

log = logging.getLogger(__name__)

#: The cold chain's time-in-van limits (:mod:`delivery.coldchain`), keyed for the routing model.
MAX_IN_VAN_S = {Compartment(c): seconds for c, seconds in coldchain.MAX_IN_VAN_S.items()}


@functools.lru_cache(maxsize=2)
def _road_network(path: str):
    """Load a road graph once per process (it is read-only afterwards)."""
    from delivery.routing.network import RoadNetwork  # noqa: PLC0415 - osmnx is heavy

    return RoadNetwork.from_file(path, time_factor=getattr(settings, "ROAD_TIME_FACTOR", 1.0))


def travel_model():
    """OSRM when ``ROUTING_ENGINE=osrm``, else the road network from ``ROAD_GRAPH_PATH``, else straight lines."""
    if getattr(settings, "ROUTING_ENGINE", "embedded") == "osrm":
        from delivery.routing.osrm import OsrmTravel  # noqa: PLC0415

        return OsrmTravel(settings.OSRM_URL, max_table_size=settings.OSRM_MAX_TABLE_SIZE,
                          parallel_requests=getattr(settings, "OSRM_PARALLEL_REQUESTS", 2))
    path = getattr(settings, "ROAD_GRAPH_PATH", "")
    if path:
        return _road_network(str(path))
    from delivery.routing.straightline import StraightLineTravel  # noqa: PLC0415

    return StraightLineTravel()


def task_load(task: DeliveryTask) -> Load:
    """The task's goods as a routing ``Load``."""
    return Load(**{c: Quantity(g, ml) for c, (g, ml) in task.loads().items()})


def van_capacity(van: Van) -> Load:
    """The van's capacity as a routing ``Load``."""
    return Load(**{c: Quantity(g, ml) for c, (g, ml) in van.capacity().items()})


def task_windows(task: DeliveryTask, not_before_s: int = 0) -> list[TimeWindow]:
    """The task's windows, cut to start no earlier than ``not_before_s`` (gone ones dropped)."""
    out = []
    for start, end in task.windows:
        if end >= not_before_s:
            out.append(TimeWindow(max(int(start), not_before_s), int(end)))
    return out or [TimeWindow(0, 0)]


def relay_opening(relay, date: dt.date) -> list[TimeWindow]:
    """Opening windows of a ``territory.RelayPoint`` on ``date``; ``[0, 0]`` when closed."""
    out = [TimeWindow(a, b) for a, b in opening_intervals(relay.opening_hours, date)]
    return out or [TimeWindow(0, 0)]


def ensure_shifts(day: DeliveryDay) -> list[Shift]:
    """The day's shifts, creating one per active van when the staff has not set any."""
    if not day.shifts.exists():
        for van in Van.objects.filter(active=True):
            Shift.objects.get_or_create(day=day, van=van)
    return list(day.shifts.select_related("van__depot").order_by("van__name"))


class ModelBuilder:
    """Adds Django rows to a :class:`DeliveryModel`, remembering which id is which row."""

    def __init__(self, day: DeliveryDay):
        self.day = day
        self.model = DeliveryModel()
        self.depots: dict[str, object] = {}
        self.relays: dict[int, object] = {}
        self.tasks: dict[str, DeliveryTask] = {}
        self.shifts: dict[str, Shift] = {}
        self.door_size: dict[int, int] = {}  # task id -> parcels at its door (one stop per door)
        for compartment, seconds in MAX_IN_VAN_S.items():
            self.model.set_max_in_van(compartment, seconds)

    def depot(self, key: str, name: str, lon: float, lat: float, window: TimeWindow):
        """Add (once) a depot under ``key``."""
        if key not in self.depots:
            self.depots[key] = self.model.add_depot(key, name, lon, lat, window)
        return self.depots[key]

    def vehicle(self, shift: Shift, depot, start_s: int | None = None, on_board: Load | None = None):
        """Add the van of ``shift`` starting at ``depot``; ``on_board`` goods reduce its room."""
        capacity = van_capacity(shift.van) - (on_board or Load())
        start = max(shift.start_s, start_s or 0)
        key = f"shift-{shift.pk}"
        self.shifts[key] = shift
        return self.model.add_vehicle(key, shift.van.name, depot=depot, capacity=capacity,
                                      shift=TimeWindow(start, max(start, shift.end_s)),
                                      fixed_cost_c=shift.van.fixed_cost_c, cost_per_km_c=shift.van.cost_per_km_c,
                                      # re-planned mid-round, the model's depot is where the van
                                      # stands: no reload there (known limit, see the README)
                                      max_reloads=shift.van.max_reloads if start_s is None else 0,
                                      reload_s=60 * shift.van.reload_min)

    def relay(self, task: DeliveryTask):
        """The routing relay point for a task's relay, added once."""
        rp = task.relay_point
        if rp is None:
            return None
        if rp.pk not in self.relays:
            self.relays[rp.pk] = self.model.add_relay_point(
                f"relay-{rp.pk}", rp.name, rp.lon, rp.lat, relay_opening(rp, self.day.date), rp.fridge_capacity_l * 1000)
        return self.relays[rp.pk]

    def _side(self, task: DeliveryTask, not_before_s: int, latest_s: int | None = None) -> dict:
        windows = task_windows(task, not_before_s)
        if latest_s is not None:
            windows = [w for w in (TimeWindow(w.start_s, min(w.end_s, latest_s)) if w.start_s <= latest_s else None
                                   for w in windows) if w] or [TimeWindow(0, 0)]
        return {"id": f"task-{task.pk}", "name": task.name, "lon": task.lon, "lat": task.lat,
                "windows": windows, "service_s": doors.shared_service_s(task.service_s, self.door_size.get(task.pk, 1)),
                "relay": self.relay(task) if task.kind == DeliveryTask.Kind.RELAY else None}

    def add_tasks(self, tasks: list[DeliveryTask], not_before_s: int = 0, penalty_c: int | None = None,
                  on_board: dict[int, int] | None = None) -> None:
        """Add tasks: collect+deliver pairs become shipments, the rest single stops.

        ``on_board`` maps a delivery task id to the time its goods were collected: the pair's
        collect is done, so it becomes a single delivery whose window ends at the cold-chain limit.
        """
        on_board = on_board or {}
        self.door_size.update(doors.door_sizes(tasks))
        by_key: dict[str, list[DeliveryTask]] = {}
        for task in tasks:
            if task.shipment_key and task.pk not in on_board:
                by_key.setdefault(task.shipment_key, []).append(task)
        paired: set[int] = set()
        for key, group in by_key.items():
            collects = [t for t in group if t.is_collect]
            delivers = [t for t in group if not t.is_collect]
            if len(collects) == 1 and len(delivers) == 1:
                c, d = collects[0], delivers[0]
                pen = penalty_c if penalty_c is not None else d.penalty_c
                self.model.add_shipment(f"ship-{c.pk}-{d.pk}", pickup=self._side(c, not_before_s),
                                        delivery=self._side(d, not_before_s), load=task_load(d), penalty_c=pen)
                self.tasks[f"task-{c.pk}"], self.tasks[f"task-{d.pk}"] = c, d
                paired |= {c.pk, d.pk}
            else:
                log.warning("shipment %s has %d collects and %d delivers; planned as single stops",
                            key, len(collects), len(delivers))
        for task in tasks:
            if task.pk in paired:
                continue
            latest = None
            if task.pk in on_board:
                limits = [s for c, s in MAX_IN_VAN_S.items() if any(task.loads()[c.value])]
                latest = on_board[task.pk] + min(limits) if limits else None
            side = self._side(task, not_before_s, latest)
            kind = StopKind.PICKUP if task.is_collect else StopKind.DELIVERY
            self.model.add_stop(kind=kind, load=task_load(task),
                                penalty_c=penalty_c if penalty_c is not None else task.penalty_c, **side)
            self.tasks[side["id"]] = task


def build_day_model(day: DeliveryDay, travel=None) -> ModelBuilder:
    """A model of the whole day: every planned task, every shift's van from its depot.

    Raises
    ------
    ValueError
        When the day has no van (no shift and no active van).
    """
    shifts = ensure_shifts(day)
    if not shifts:
        raise ValueError(f"day {day}: no van to plan with (add a Van or a Shift)")
    builder = ModelBuilder(day)
    for shift in shifts:
        depot = shift.van.depot
        d = builder.depot(f"depot-{depot.pk}", depot.name, depot.lon, depot.lat, TimeWindow(depot.opens_s, depot.closes_s))
        builder.vehicle(shift, d)
    tasks = list(day.tasks.filter(status=DeliveryTask.Status.PLANNED).select_related("relay_point"))
    builder.add_tasks(tasks)
    builder.model.set_travel(travel or travel_model())
    return builder


def leg_totals(travel, points: list[tuple[float, float]]) -> tuple[int, int]:
    """Total (seconds, metres) of driving through ``points`` in order."""
    if len(points) < 2:
        return 0, 0
    durations, distances = travel.matrices(points)
    secs = sum(int(durations[i][i + 1]) for i in range(len(points) - 1))
    metres = sum(int(distances[i][i + 1]) for i in range(len(points) - 1))
    return secs, metres


def route_path(travel, points: list[tuple[float, float]]) -> tuple[list[list[float]], bool]:
    """Geometry for the map: road geometry when the travel model offers it, else the points."""
    geometry = getattr(travel, "path_geometry", None)
    if callable(geometry):
        try:
            return [list(p) for p in geometry(points)], True
        except (ValueError, KeyError) as exc:  # a gap in the graph: fall back, but say so in logs
            log.warning("road geometry unavailable (%s); drawing straight lines", exc)
    return [list(p) for p in points], False


def _copy_round(rnd: Round, plan: StoredPlan) -> Round:
    """Copy ``rnd`` stop for stop into ``plan`` (a van a re-plan leaves alone)."""
    stops = list(rnd.stops.order_by("sequence"))
    copy = Round.objects.create(plan=plan, shift=rnd.shift, start_s=rnd.start_s, end_s=rnd.end_s,
                                distance_m=rnd.distance_m, duration_s=rnd.duration_s, cost_c=rnd.cost_c,
                                path=rnd.path, path_is_road=rnd.path_is_road)
    RoundStop.objects.bulk_create([RoundStop(round=copy, sequence=s.sequence, task_id=s.task_id, arrival_s=s.arrival_s,
                                             start_s=s.start_s, departure_s=s.departure_s, load_after=s.load_after,
                                             fixed=s.fixed) for s in stops])
    return copy


def _account_for_everything(day: DeliveryDay, previous: StoredPlan | None, stored: StoredPlan) -> list[UnassignedTask]:
    """Make sure no planned task of the day vanished from the new plan; tell staff of stops it left out.

    A planned task that the previous plan held (in a round or left out) and the new one neither
    routes nor lists is listed unassigned (``NO_ROOM``). Stops newly left out by a re-plan (in a
    round before, or new since: a follow-up, an urgent order) are e-mailed to staff with their
    French reason and what to do. Returns the newly left-out rows.
    """
    from .notify import tell_staff  # noqa: PLC0415
    from .reasons import advice_fr, reason_fr  # noqa: PLC0415

    planned = DeliveryTask.Status.PLANNED
    in_new = set(RoundStop.objects.filter(round__plan=stored).values_list("task_id", flat=True))
    in_new |= set(stored.unassigned.values_list("task_id", flat=True))
    if previous is not None:
        before = set(RoundStop.objects.filter(round__plan=previous).values_list("task_id", flat=True))
        before |= set(previous.unassigned.values_list("task_id", flat=True))
        lost = DeliveryTask.objects.filter(pk__in=before - in_new, status=planned, day=day)
        UnassignedTask.objects.bulk_create([UnassignedTask(
            plan=stored, task=t, reason="NO_ROOM", detail="absent du nouveau calcul") for t in lost])
        known = set(previous.unassigned.values_list("task_id", flat=True))
        left_out = list(stored.unassigned.filter(task__status=planned).exclude(task_id__in=known).select_related("task"))
    else:
        left_out = []  # a first plan's left-out stops are on the planning page; nothing changed for anyone
    if left_out:
        lines = [f"- {u.task.name} ({u.task.address}) : {reason_fr(u.reason)}. {advice_fr(u.reason)}" for u in left_out]
        tell_staff(f"Tournées du {day.date:%d/%m/%Y} : {len(left_out)} arrêt(s) ne tiennent plus",
                   f"Le nouveau calcul ({stored.reason}) n'a pas pu garder ces arrêts dans une tournée :\n"
                   + "\n".join(lines) + "\nIls sont listés sur la page de planification du jour.")
    return left_out


@transaction.atomic
def store_plan(day: DeliveryDay, shifts: dict[str, Shift], tasks: dict[str, DeliveryTask], plan, travel,
               reason: str = "initial", fixed: dict[str, list[RoundStop]] | None = None,
               kept: list[Round] | None = None,
               left_out: list[tuple[DeliveryTask, str, str]] | None = None) -> StoredPlan:
    """Save ``plan`` as the day's current plan with its rounds, stops and unassigned tasks.

    ``shifts`` and ``tasks`` map the plan's vehicle and stop ids back to rows; ``fixed`` maps a
    vehicle id to stops already served (kept first, in their order); ``kept`` rounds of the
    previous plan are copied unchanged (vans a re-plan leaves alone); ``left_out`` lists tasks
    offered to no van, as ``(task, reason code, detail)``. No planned task the
    previous plan held goes missing, and staff are told of stops that lost their round.
    """
    fixed = fixed or {}
    DeliveryDay.objects.select_for_update().get(pk=day.pk)
    previous = StoredPlan.objects.filter(day=day, is_current=True).first()
    StoredPlan.objects.filter(day=day, is_current=True).update(is_current=False)
    stored = StoredPlan.objects.create(
        day=day, reason=reason, plan_json=json.loads(plan.to_json()), travel_label=plan.travel_label,
        cost_c=plan.cost_c, summary=plan.summary())
    for vehicle_id, shift in shifts.items():
        route = plan.route_for(vehicle_id)
        served = fixed.get(vehicle_id, [])
        if route is None and not served:
            continue
        depot = shift.van.depot
        if route:  # door-mates gathered within each loop: a reload splits the round
            cuts = sorted({x.after_visits for x in route.reloads})
            bounds = [0, *cuts, len(route.visits)]
            visits = [v for a, b in zip(bounds, bounds[1:], strict=False)
                      for v in doors.gather(route.visits[a:b], tasks, task_load, route.break_start_s)]
        else:
            cuts, visits = [], []
        reload_at = set(cuts)
        points = [(depot.lon, depot.lat)] + [(s.task.lon, s.task.lat) for s in served]
        for k, v in enumerate(visits):  # back through the depot where the van reloads
            points += [(depot.lon, depot.lat)] * (k in reload_at) + [(tasks[v.stop_id].lon, tasks[v.stop_id].lat)]
        points.append((depot.lon, depot.lat))
        if served:  # the solver started from the van's position: measure the whole day's round
            secs, metres = leg_totals(travel, points)
            start_s = served[0].round.start_s
            last = visits[-1].departure_s if visits else served[-1].departure_s
            end_s = last + leg_totals(travel, points[-2:])[0]
            cost = route.cost_c if route else 0
        else:
            start_s, end_s, metres, cost = route.start_s, route.end_s, route.distance_m, route.cost_c
        path, is_road = route_path(travel, points)
        reloads = [{"after_sequence": len(served) + x.after_visits, "arrival_s": x.arrival_s, "start_s": x.start_s,
                    "departure_s": x.departure_s} for x in (route.reloads if route else [])]
        rnd = Round.objects.create(plan=stored, shift=shift, start_s=start_s, end_s=end_s, distance_m=metres,
                                   duration_s=end_s - start_s, cost_c=cost, path=path, path_is_road=is_road,
                                   reloads=reloads)
        seq = 0
        for old in served:
            seq += 1
            RoundStop.objects.create(round=rnd, sequence=seq, task=old.task, arrival_s=old.arrival_s,
                                     start_s=old.start_s, departure_s=old.departure_s, load_after=old.load_after,
                                     fixed=True)
        for visit in visits:
            seq += 1
            load = {c: [getattr(visit.load_after, c).mass_g, getattr(visit.load_after, c).volume_ml] for c in COMPARTMENTS}
            RoundStop.objects.create(round=rnd, sequence=seq, task=tasks[visit.stop_id],
                                     arrival_s=visit.arrival_s, start_s=visit.start_s,
                                     departure_s=visit.departure_s, load_after=load)
    for rnd in kept or []:
        _copy_round(rnd, stored)
    for item in plan.unassigned:
        UnassignedTask.objects.create(plan=stored, task=tasks[item.stop_id], reason=str(item.reason.value),
                                      detail=item.detail[:400])
    UnassignedTask.objects.bulk_create([UnassignedTask(plan=stored, task=t, reason=code, detail=detail[:400])
                                        for t, code, detail in left_out or []])
    _account_for_everything(day, previous, stored)
    day.status = DeliveryDay.Status.PLANNED
    day.planning_error = ""
    day.save(update_fields=["status", "planning_error"])
    return stored


def plan_day(day: DeliveryDay, *, time_limit_s: float | None = None, seed: int = 1, travel=None,
             progress=None) -> StoredPlan:
    """Plan every open task of ``day`` over all its vans and store the result as current.

    ``progress``, when given, is called with a step name (``model``, ``solve``, ``store``).

    Raises
    ------
    ValueError
        When the day cannot be modelled (no van, a broken shipment); the message says why.
    """
    report = progress or (lambda step: None)
    report("model")
    travel = travel or travel_model()
    builder = build_day_model(day, travel)
    report("solve")
    limit = time_limit_s or day.solve_time_limit_s
    plan = builder.model.solve(time_limit_s=limit, seed=seed)
    if str(plan.solver_stats.get("status", "")).startswith("no solution"):  # nothing found in time (busy machine)
        log.warning("day %s: no first solution in %s s, solving again with %s s", day, limit, 3 * limit)
        plan = builder.model.solve(time_limit_s=3 * limit, seed=seed)
    report("store")
    return store_plan(day, builder.shifts, builder.tasks, plan, travel)
