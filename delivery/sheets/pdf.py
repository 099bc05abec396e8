"""The printed route sheet: A4, French, normal or large print, rendered by WeasyPrint."""

import base64
import logging
from html import escape

from weasyprint import HTML

from common import money
from common.qr import qr_data_uri

from .data import (
    COMPARTMENT_LABELS,
    COMPARTMENT_MARKS,
    PAYMENT_LABELS,
    RouteSheet,
    StopSheet,
    duration,
    euros,
    geo_link,
    hm,
    kg,
    km,
    notes_for_paper,
    osm_link,
)
from .overview_map import draw_overview

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step

CSS = """
@page { size: A4; margin: 12mm 12mm 14mm 12mm;
  @bottom-left { content: "%(footer)s"; font-size: 8pt; color: #444; font-family: "DejaVu Sans", sans-serif; }
  @bottom-right { content: "Page " counter(page) " / " counter(pages); font-size: 8pt; font-family: "DejaVu Sans", sans-serif; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: %(base)s; color: #000; }
h1 { font-size: 1.6em; margin: 0 0 2mm 0; }
h2 { font-size: 1.2em; margin: 4mm 0 2mm 0; border-bottom: 2px solid #000; }
table { border-collapse: collapse; width: 100%%; }
th, td { border: 1px solid #555; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
.summary td { border: none; padding: 0.5mm 2mm 0.5mm 0; }
.label { font-weight: bold; white-space: nowrap; }
.warning { border: 2px solid #000; padding: 2mm; margin: 2mm 0; font-weight: bold; }
.map { display: block; max-width: 100%%; max-height: %(map_h)s; margin: 3mm auto 0 auto; }
.stop { border: 2px solid #000; margin: 0 0 4mm 0; padding: 2mm; page-break-inside: avoid; }
.stop-head { display: flex; justify-content: space-between; }
.seq { font-size: 2em; font-weight: bold; border: 2px solid #000; border-radius: 2mm; padding: 0 2mm;
  margin-right: 3mm; min-width: 10mm; text-align: center; align-self: flex-start; }
.who { flex: 1; }
.name { font-weight: bold; font-size: 1.15em; }
.when { font-weight: bold; }
.qr { width: %(qr)s; margin-left: 3mm; text-align: center; font-size: 0.7em; flex-shrink: 0; }
.qr img { width: %(qr)s; height: %(qr)s; image-rendering: pixelated; }
.goods { margin: 1.5mm 0; }
.cold { font-weight: bold; border: 1.5px solid #000; padding: 0 1mm; }
.pay { font-weight: bold; }
.notes { font-style: italic; }
.sign { display: flex; gap: 3mm; margin-top: 2mm; }
.box { border: 1px solid #000; height: %(sign)s; flex: 1; font-size: 0.75em; padding: 1mm; }
.links { font-size: 0.85em; }
"""


def _goods_html(stop: StopSheet) -> str:
    """Collect and deliver lines of a stop, with crate numbers and cold marks."""
    rows = []
    for line in stop.goods:
        verb = "À COLLECTER" if line.action == "collect" else "À LIVRER"
        mark = COMPARTMENT_MARKS[line.compartment]
        crates = ", ".join(line.crates) if line.crates else "sans caisse"
        cold = f' <span class="cold">{escape(mark)}</span>' if mark else ""
        origin = "" if line.action == "collect" or line.from_depot else " (collecté en route)"
        rows.append(f"<li><b>{verb}</b>{cold} — caisses {escape(crates)} — {kg(line.mass_g)}, "
                    f"{money.format_number(line.volume_ml / 1000)} L{origin}</li>")
    return f'<ul class="goods">{"".join(rows)}</ul>' if rows else ""


def _stop_html(stop: StopSheet) -> str:
    """One stop block: number, window, who, goods, payment, notes, QR, links, signature box."""
    phone = f"<div>Tél. {escape(stop.phone)}</div>" if stop.phone else ""
    pay = ""
    if stop.payment_method:
        label = PAYMENT_LABELS.get(stop.payment_method, stop.payment_method)
        pay = f'<div class="pay">À ENCAISSER : {escape(label)} {euros(stop.payment_cents)}</div>'
    if stop.parcels:  # one stop per door: list every order's parcel and its amount
        rows = "".join(
            f"<li>{escape(p.name)} — caisses {escape(', '.join(p.crates) or 'sans caisse')} — "
            + (f"<b>à encaisser : {escape(PAYMENT_LABELS.get(p.payment_method, p.payment_method))} "
               f"{euros(p.payment_cents)}</b>" if p.payment_method else "rien à encaisser") + "</li>"
            for p in stop.parcels)
        total = f" — {euros(stop.payment_cents)} au total" if stop.payment_cents else ""
        pay = f'<div class="pay">{len(stop.parcels)} COLIS À CETTE PORTE{total}</div><ul class="goods">{rows}</ul>'
    notes = (f'<div class="notes">Consignes : {escape(notes_for_paper(stop.doorstep_notes))}</div>'
             if stop.doorstep_notes else "")
    qr = ""
    if stop.phone_view_url:
        qr = (f'<div class="qr"><img src="{qr_data_uri(stop.phone_view_url)}" alt="QR code de l\'arrêt">'
              f"<div>téléphone</div></div>")
    return f"""
<div class="stop">
  <div class="stop-head">
    <div class="seq">{stop.sequence}</div>
    <div class="who">
      <div class="when">Arrêt {stop.sequence} — arrivée prévue {hm(stop.arrival_s)} — créneau {hm(stop.window[0])}–{hm(stop.window[1])}</div>
      <div>{escape(stop.kind_label)}</div>
      <div class="name">{escape(stop.name)}</div>
      <div>{escape(stop.address)}</div>
      {phone}
    </div>
    {qr}
  </div>
  {_goods_html(stop)}
  {pay}
  {notes}
  <div class="links">Navigation : <a href="{escape(geo_link(stop.lon, stop.lat))}">GPS (geo:)</a> ·
    <a href="{escape(osm_link(stop.lon, stop.lat))}">OpenStreetMap</a> · {stop.lat:.5f}, {stop.lon:.5f}</div>
  <div class="sign"><div class="box">Signature du client</div><div class="box">Heure / remarque</div></div>
</div>"""


def _loading_html(sheet: RouteSheet) -> str:
    """The loading plan of each loop: one row per compartment, crates in reverse stop order."""
    loops = sheet.loops()
    parts = ['<h2>Plan de chargement</h2><p>Charger dans cet ordre : la caisse du dernier arrêt d\'abord, '
             'celle du premier arrêt en dernier (près de la porte).</p>']
    for loop in loops:
        plan = loop.loading_plan()
        rows = []
        for compartment, label in COMPARTMENT_LABELS.items():
            items = plan[compartment]
            cell = " ; ".join(f"{escape(crate)} (arrêt {stop.sequence})" for crate, stop in items) or "—"
            rows.append(f"<tr><th>{label}</th><td>{cell}</td></tr>")
        if len(loops) > 1:
            parts.append(f"<h3>{escape(_loop_title(loop))}</h3>")
        parts.append(f"<table>{''.join(rows)}</table>")
    return "".join(parts)


def _loop_title(loop) -> str:
    """``Boucle 2 — rechargement au dépôt 11h40, départ 12h00 (arrêts 9 à 15)``."""
    first, last = loop.stops[0].sequence if loop.stops else 0, loop.stops[-1].sequence if loop.stops else 0
    if loop.reload is None:
        return f"Boucle {loop.number} — départ {hm(loop.departure_s)} (arrêts {first} à {last})"
    return (f"Boucle {loop.number} — rechargement au dépôt {hm(loop.reload.start_s)}, départ "
            f"{hm(loop.departure_s)} (arrêts {first} à {last})")


def _summary_html(sheet: RouteSheet, large_print: bool) -> str:
    """The header facts: two per row, or one per row in large print."""
    items = [("Camionnette", sheet.van_name), ("Chauffeur", sheet.driver_name or "—"),
             ("Départ", f"{hm(sheet.departure_s)} de {sheet.depot_name}"), ("Retour prévu", hm(sheet.return_s)),
             ("Distance totale", km(sheet.distance_m)), ("Durée totale", duration(sheet.duration_s)),
             ("Arrêts", str(len(sheet.stops))), ("Temps de trajet", sheet.travel_label)]
    if sheet.reloads:
        items.append(("Boucles", f"{len(sheet.loops())} (rechargements au dépôt : "
                      + ", ".join(hm(r.start_s) for r in sheet.reloads) + ")"))
    cells = [f'<td class="label">{label}</td><td>{escape(value)}</td>' for label, value in items]
    per_row = 1 if large_print else 2
    rows = ["".join(cells[i:i + per_row]) for i in range(0, len(cells), per_row)]
    return '<table class="summary">' + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def route_sheet_html(sheet: RouteSheet, *, large_print: bool = False) -> str:
    """The sheet as an HTML document (what WeasyPrint renders)."""
    css = CSS % {"base": "15pt" if large_print else "9.5pt", "qr": "34mm" if large_print else "24mm",
                 "sign": "18mm" if large_print else "11mm", "map_h": "230mm" if large_print else "160mm",
                 "footer": f"{sheet.van_name} — {sheet.date_label}".replace('"', "'")}
    # drawn at about the size it is printed, so the commune names and numbers keep their point size
    # (the large-print map has a page of its own)
    png = draw_overview(sheet, width_in=7.0 if large_print else 6.3, large=large_print)
    map_uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    unassigned = ""
    if sheet.unassigned_count:
        unassigned = (f'<div class="warning">{sheet.unassigned_count} tâche(s) du jour non planifiée(s) : '
                      "voir l'équipe.</div>")
    loops = sheet.loops()
    if len(loops) > 1:  # each loop under its own heading, the reload between them
        stops = "".join(f'<h3 class="loop">{escape(_loop_title(loop))}</h3>' + "".join(_stop_html(s) for s in loop.stops)
                        for loop in loops)
    else:
        stops = "".join(_stop_html(s) for s in sheet.stops) or "<p>Aucun arrêt pour cette tournée.</p>"
    title = "Feuille de route (gros caractères)" if large_print else "Feuille de route"
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>{css}</style>
<title>{title} {escape(sheet.van_name)} {escape(sheet.date_label)}</title></head><body>
<h1>{title} — {escape(sheet.date_label)}</h1>
{_summary_html(sheet, large_print)}
{unassigned}
{_loading_html(sheet)}
<img class="map" src="{map_uri}" alt="Carte de la tournée">
<h2 style="page-break-before: always">Arrêts dans l'ordre</h2>
{stops}
</body></html>"""


def render_route_sheet(sheet: RouteSheet, *, large_print: bool = False) -> bytes:
    """Render the route sheet to PDF bytes (A4).

    Parameters
    ----------
    sheet
        The round, as plain data.
    large_print
        Use the large-print layout (15 pt text, bigger QR codes and signature boxes).
    """
    return HTML(string=route_sheet_html(sheet, large_print=large_print)).write_pdf()
