"""GPX 1.1 export of a round: one waypoint per stop, the route, and the road track when known."""

import xml.etree.ElementTree as ET

from .data import RouteSheet, hm

GPX_NS = "http://www.topografix.com/GPX/1/1"


def route_gpx(sheet: RouteSheet) -> bytes:
    """Return the round as GPX 1.1 (UTF-8 bytes).

    Waypoints and route points are named ``NN Name`` in stop order, starting and ending at the
    depot; a ``trk`` carries the road geometry when the plan was made on the road network.
    """
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "Marché du Pays de Mormal"})
    meta = ET.SubElement(root, f"{{{GPX_NS}}}metadata")
    ET.SubElement(meta, f"{{{GPX_NS}}}name").text = f"Tournée {sheet.van_name} {sheet.date_label}"
    ET.SubElement(meta, f"{{{GPX_NS}}}desc").text = sheet.travel_label

    def point(tag: str, parent: ET.Element, lon: float, lat: float, name: str, desc: str = "") -> None:
        node = ET.SubElement(parent, f"{{{GPX_NS}}}{tag}", {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
        ET.SubElement(node, f"{{{GPX_NS}}}name").text = name
        if desc:
            ET.SubElement(node, f"{{{GPX_NS}}}desc").text = desc

    for stop in sheet.stops:
        desc = f"{stop.kind_label}, arrivée {hm(stop.arrival_s)}, créneau {hm(stop.window[0])}–{hm(stop.window[1])}"
        point("wpt", root, stop.lon, stop.lat, f"{stop.sequence:02d} {stop.name}", desc)
    rte = ET.SubElement(root, f"{{{GPX_NS}}}rte")
    ET.SubElement(rte, f"{{{GPX_NS}}}name").text = f"{sheet.van_name} {sheet.date_label}"
    point("rtept", rte, sheet.depot_lon, sheet.depot_lat, f"Départ {sheet.depot_name}")
    for stop in sheet.stops:
        point("rtept", rte, stop.lon, stop.lat, f"{stop.sequence:02d} {stop.name}")
    point("rtept", rte, sheet.depot_lon, sheet.depot_lat, f"Retour {sheet.depot_name}")
    if sheet.path_is_road and sheet.path:
        trk = ET.SubElement(root, f"{{{GPX_NS}}}trk")
        ET.SubElement(trk, f"{{{GPX_NS}}}name").text = "Tracé routier"
        seg = ET.SubElement(trk, f"{{{GPX_NS}}}trkseg")
        for lon, lat in sheet.path:
            ET.SubElement(seg, f"{{{GPX_NS}}}trkpt", {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
