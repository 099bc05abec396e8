"""The printed route sheet and the GPX: read back and checked against the stored plan."""

import io
import re
import xml.etree.ElementTree as ET

from pypdf import PdfReader

from delivery.selectors import round_stops, sheet_for_round
from delivery.sheets.data import hm
from delivery.sheets.gpx import route_gpx
from delivery.sheets.pdf import render_route_sheet


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_lists_the_stops_in_plan_order_with_their_windows(current_round):
    stops = round_stops(current_round)
    sheet = sheet_for_round(current_round, lambda task_id: f"https://exemple.fr/tel/x#arret-{task_id}")

    text = pdf_text(render_route_sheet(sheet))

    assert len(stops) == 7
    positions = []
    for stop in stops:
        start, end = sheet.stops[stop.sequence - 1].window
        line = f"Arrêt {stop.sequence} — arrivée prévue {hm(stop.arrival_s)} — créneau {hm(start)}–{hm(end)}"
        assert line in text, line
        positions.append(text.index(line))
        assert stop.task.name in text
        assert start <= stop.start_s <= end
    assert positions == sorted(positions)
    assert "Feuille de route" in text and "Camionnette frigo 1" in text and "Bernard" in text
    assert "À ENCAISSER : Chèque 23,50 €" in text
    assert "ligne droite" in text  # the sheet says its times are a straight-line estimate


def test_loading_plan_lists_crates_in_reverse_stop_order(current_round):
    sheet = sheet_for_round(current_round)
    text = pdf_text(render_route_sheet(sheet))

    frais = re.search(r"Frais (.*)", text).group(1)
    listed = re.findall(r"(C\d\d) \(arrêt (\d+)\)", frais)
    expected = [c for s in reversed(sheet.stops) for g in s.goods
                if g.action == "deliver" and g.from_depot and g.compartment == "chilled" for c in g.crates]
    assert [c for c, _ in listed] == expected and len(expected) >= 3
    assert [int(n) for _, n in listed] == sorted((int(n) for _, n in listed), reverse=True)
    assert "C01" not in frais  # collected on the way, so not loaded at the depot


def test_large_print_sheet_has_the_same_stops_on_more_pages(current_round):
    sheet = sheet_for_round(current_round)
    normal, large = render_route_sheet(sheet), render_route_sheet(sheet, large_print=True)

    assert "gros caractères" in pdf_text(large)
    assert len(PdfReader(io.BytesIO(large)).pages) > len(PdfReader(io.BytesIO(normal)).pages)
    for stop in sheet.stops:
        assert stop.name in pdf_text(large)


def test_gpx_parses_and_follows_the_round(current_round):
    sheet = sheet_for_round(current_round)
    root = ET.fromstring(route_gpx(sheet))
    ns = {"g": "http://www.topografix.com/GPX/1/1"}

    waypoints = root.findall("g:wpt", ns)
    route_points = root.findall("g:rte/g:rtept", ns)

    assert [w.find("g:name", ns).text for w in waypoints] == [f"{s.sequence:02d} {s.name}" for s in sheet.stops]
    assert len(route_points) == len(sheet.stops) + 2  # from and back to the depot
    assert float(waypoints[0].get("lat")) == round(sheet.stops[0].lat, 6)


def test_staff_download_pdf_and_gpx_but_anonymous_cannot(client, admin_user, current_round):
    pdf_url = f"/livraison/tournee/{current_round.pk}/feuille.pdf"
    assert client.get(pdf_url).status_code == 302  # to the login page

    client.force_login(admin_user)
    response = client.get(pdf_url + "?grand=1")
    gpx = client.get(f"/livraison/tournee/{current_round.pk}/trace.gpx")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "gros caractères" in pdf_text(response.content)
    assert gpx.status_code == 200 and b"<rte>" in gpx.content


def test_the_sheets_package_never_imports_django():
    import ast
    from pathlib import Path

    import delivery.sheets

    for path in Path(delivery.sheets.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in names if m.split(".")[0] in {"django", "marketplace"}], path.name
