"""JSON in and out for :class:`~delivery.routing.model.DeliveryModel` (plans live in plan.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from delivery.routing.plan import load_from_dict, load_to_dict
from delivery.routing.problem import Break, Compartment, StopKind, TimeWindow

if TYPE_CHECKING:
    from delivery.routing.model import DeliveryModel

FORMAT = "mormal-delivery-model/1"


def _win(w: TimeWindow) -> list[int]:
    return [w.start_s, w.end_s]


def model_to_json(model: DeliveryModel) -> str:
    """Serialise ``model``: entities, cold-chain limits and matrices once known."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "depots": [{"id": d.id, "name": d.name, "lon": d.lon, "lat": d.lat,
                    "window": _win(d.window)} for d in model.depots],
        "vehicles": [{
            "id": v.id, "name": v.name, "depot": v.depot_id, "capacity": load_to_dict(v.capacity),
            "shift": _win(v.shift), "fixed_cost_c": v.fixed_cost_c,
            "cost_per_km_c": v.cost_per_km_c, "cost_per_hour_c": v.cost_per_hour_c,
            "max_reloads": v.max_reloads, "reload_s": v.reload_s,
            "break": None if v.break_ is None else {"window": _win(v.break_.window),
                                                    "duration_s": v.break_.duration_s},
        } for v in model.vehicles],
        "relays": [{"id": r.id, "name": r.name, "lon": r.lon, "lat": r.lat,
                    "opening": [_win(w) for w in r.opening],
                    "fridge_volume_ml": r.fridge_volume_ml} for r in model.relays],
        "stops": [{
            "id": s.id, "name": s.name, "lon": s.lon, "lat": s.lat, "kind": s.kind.value,
            "windows": [_win(w) for w in s.windows], "service_s": s.service_s,
            "load": load_to_dict(s.load), "penalty_c": s.penalty_c, "relay": s.relay_id,
            "shipment": s.shipment_id,
        } for s in model.stops],
        "max_in_van_s": {c.value: s for c, s in sorted(model.max_in_van_s.items(),
                                                       key=lambda kv: kv[0].value)},
        "travel_label": model._label,
        "matrices": None,
    }
    if model._matrices is not None:
        data["matrices"] = {"durations_s": model._matrices[0], "distances_m": model._matrices[1]}
    return json.dumps(data, ensure_ascii=False)


def model_from_json(text: str) -> DeliveryModel:
    """Rebuild a model from :func:`model_to_json` output.

    Raises
    ------
    ValueError
        If the text is not JSON in this format or describes an invalid model.
    """
    from delivery.routing.model import DeliveryModel

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"model JSON is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"model JSON must be an object with format {FORMAT!r}")
    try:
        return _build(DeliveryModel(), data)
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"model JSON is missing or mistypes a field: {exc!r}") from exc


def _build(m: DeliveryModel, data: dict[str, Any]) -> DeliveryModel:
    depots = {}
    for d in data["depots"]:
        depots[d["id"]] = m.add_depot(d["id"], d["name"], d["lon"], d["lat"],
                                      TimeWindow(*d["window"]))
    for v in data["vehicles"]:
        if v["depot"] not in depots:
            raise ValueError(f"vehicle {v['id']!r} refers to unknown depot {v['depot']!r}")
        brk = v.get("break")
        m.add_vehicle(v["id"], v["name"], depots[v["depot"]], load_from_dict(v["capacity"]),
                      TimeWindow(*v["shift"]),
                      None if brk is None else Break(TimeWindow(*brk["window"]), brk["duration_s"]),
                      v["fixed_cost_c"], v["cost_per_km_c"], v.get("cost_per_hour_c", 0),
                      v.get("max_reloads", 0), v.get("reload_s", 0))
    relays = {}
    for r in data["relays"]:
        relays[r["id"]] = m.add_relay_point(r["id"], r["name"], r["lon"], r["lat"],
                                            [TimeWindow(*w) for w in r["opening"]],
                                            r["fridge_volume_ml"])
    for s in data["stops"]:
        if s.get("relay") is not None and s["relay"] not in relays:
            raise ValueError(f"stop {s['id']!r} refers to unknown relay point {s['relay']!r}")
        m.add_stop(s["id"], s["name"], s["lon"], s["lat"], StopKind(s["kind"]),
                   [TimeWindow(*w) for w in s["windows"]], s["service_s"],
                   load_from_dict(s["load"]), s["penalty_c"],
                   relays[s["relay"]] if s.get("relay") else None, s.get("shipment"))
    for c, secs in data.get("max_in_van_s", {}).items():
        m.set_max_in_van(Compartment(c), secs)
    if data.get("matrices"):
        m.set_matrices(data["matrices"]["durations_s"], data["matrices"]["distances_m"],
                       data.get("travel_label", "matrices"))
    else:
        m._label = data.get("travel_label", "")
    return m
