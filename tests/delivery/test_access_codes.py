"""Key-box and door codes reach the driver's phone, and never the printed sheet or the GPX."""

from delivery.models import DeliveryTask
from delivery.selectors import round_stops, sheet_for_round
from delivery.sheets.data import notes_for_paper
from delivery.sheets.gpx import route_gpx
from delivery.sheets.pdf import render_route_sheet
from tests.delivery.test_sheets import pdf_text


def _with_codes(current_round):
    homes = [s.task for s in round_stops(current_round) if s.task.kind == DeliveryTask.Kind.HOME]
    homes[0].access_codes = "Boîte à clés 4817"
    homes[0].doorstep_notes = "Portail vert"
    homes[1].doorstep_notes = "Digicode B2907, 2e étage"  # a code typed into the notes anyway
    for task in homes[:2]:
        task.save()
    return homes[0], homes[1]


def test_the_phone_view_shows_the_codes(client, current_round, phone_url):
    coded, _ = _with_codes(current_round)
    page = client.get(phone_url).content.decode()
    assert "Codes d'accès : <strong>Boîte à clés 4817</strong>" in page
    assert coded.name in page


def test_the_paper_sheets_and_the_gpx_never_carry_a_code(current_round):
    coded, typed = _with_codes(current_round)
    sheet = sheet_for_round(current_round, lambda task_id: f"https://exemple.fr/tel/x#arret-{task_id}")
    for large_print in (False, True):
        text = pdf_text(render_route_sheet(sheet, large_print=large_print))
        assert coded.name in text and "Portail vert" in text
        assert "4817" not in text
        assert "2907" not in text and "Digicode ••••, 2e étage (code sur le téléphone)" in text
    gpx = route_gpx(sheet).decode()
    assert "4817" not in gpx and "2907" not in gpx


def test_notes_for_paper_masks_only_what_looks_like_a_code():
    assert notes_for_paper("Sonner deux fois") == "Sonner deux fois"
    assert notes_for_paper("Au 2e, porte 3") == "Au 2e, porte 3"
    assert notes_for_paper("boîte à clés code 1944") == "boîte à clés code •••• (code sur le téléphone)"
    assert notes_for_paper("Portail A19B4X7") == "Portail •••• (code sur le téléphone)"
