"""The printable voucher: French, one A5 landscape page per chèque cadeau, with its code and QR, by WeasyPrint.

The QR holds the code alone (12 characters), so the driver's phone, or any scanner, reads exactly
what a shopper would type. Nothing on the page is secret except the code itself. A voucher bought
online as a gift carries the buyer's message (escaped, cut at :data:`MESSAGE_MOST` characters,
wrapped even inside a long word, so it never pushes the voucher onto a second page).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape

from django.conf import settings
from weasyprint import HTML

from common import money
from common.qr import qr_data_uri

from .actions import date_fr, display_code
from .models import Voucher

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

#: The most characters of the buyer's message printed (the purchase form allows as many).
MESSAGE_MOST = 300

CSS = """
@page { size: A5 landscape; margin: 8mm; }
body { font-family: "DejaVu Sans", sans-serif; color: #1b3a1b; margin: 0; }
.voucher { border: 1.2mm solid #2e6b2e; border-radius: 4mm; height: 128mm; padding: 6mm 8mm; box-sizing: border-box;
  page-break-after: always; display: flex; flex-direction: column; }
.voucher:last-child { page-break-after: auto; }
.top { display: flex; justify-content: space-between; align-items: flex-start; }
.title { font-size: 15pt; font-weight: bold; margin: 0; }
.subtitle { font-size: 9.5pt; margin: 1mm 0 0 0; }
.amount { font-size: 34pt; font-weight: bold; margin: 4mm 0 2mm 0; }
.for { font-size: 10pt; margin: 0; }
.message { font-size: 9pt; font-style: italic; margin: 1.5mm 0 0 0; max-width: 175mm; max-height: 17mm; overflow: hidden;
  white-space: pre-line; overflow-wrap: anywhere; }
.middle { display: flex; justify-content: space-between; align-items: center; margin-top: 3mm; flex: 1; }
.code-label { font-size: 9pt; margin: 0; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 19pt; font-weight: bold; letter-spacing: 0.5mm; margin: 1mm 0 3mm 0; }
.qr { text-align: center; font-size: 7.5pt; }
.qr img { width: 36mm; height: 36mm; image-rendering: pixelated; }
.how { font-size: 8.6pt; margin: 0.8mm 0; }
.rules { font-size: 7.4pt; color: #333; border-top: 0.3mm solid #2e6b2e; padding-top: 1.5mm; margin-top: 2mm; }
.number { font-size: 8pt; text-align: right; }
"""


def _voucher_html(voucher: Voucher, position: int, of: int) -> str:
    expiry = (f"Valable jusqu'au {date_fr(voucher.expiry_date)} inclus."
              if voucher.expiry_date else "Sans date de fin de validité.")
    site = escape(settings.APP_PUBLIC_URL.removeprefix("https://").removeprefix("http://"))
    tag = f'<p class="for">Offert par : <b>{escape(voucher.tag)}</b></p>' if voucher.tag else ""
    keep = " jusqu'à la date de fin" if voucher.expiry_date else ""
    message = _message(voucher)
    if message:
        tag += f'\n  <p class="message">« {escape(message)} »</p>'
    return f"""<section class="voucher">
  <div class="top"><div>
    <p class="title">Chèque cadeau du Pays de Mormal</p>
    <p class="subtitle">À dépenser chez les commerçants, artisans et producteurs des 52 communes du Pays de Mormal</p>
  </div><div class="number">N° {position} / {of}</div></div>
  <p class="amount">{money.format_eur(voucher.initial_amount)}</p>
  {tag}
  <div class="middle"><div>
    <p class="code-label">Code du chèque cadeau :</p>
    <p class="code">{escape(display_code(voucher.code))}</p>
    <p class="how"><b>En ligne</b> : sur {site}, saisissez ce code au moment de payer.</p>
    <p class="how"><b>À la livraison</b> : montrez ce chèque au chauffeur, il scanne le QR code.</p>
    <p class="how"><b>{expiry}</b></p>
  </div>
  <div class="qr"><img src="{qr_data_uri(voucher.code, box_size=8)}" alt="QR code du chèque cadeau"><br>Code à scanner</div></div>
  <p class="rules">Utilisable en plusieurs fois : le solde restant est conservé{keep}.
  Ni remboursable, ni échangeable contre des espèces. Gardez ce chèque jusqu'à ce que son solde soit à 0,00 €.
  Solde et questions : Communauté de Communes du Pays de Mormal.</p>
</section>"""


def _message(voucher: Voucher) -> str:
    """The buyer's message for a voucher bought online, at most :data:`MESSAGE_MOST` characters ("…" when cut)."""
    text = (voucher.purchase.message if voucher.purchase_id and voucher.purchase else "").strip()
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= MESSAGE_MOST else text[:MESSAGE_MOST - 1].rstrip() + "…"


def render_vouchers(vouchers: Sequence[Voucher]) -> bytes:
    """One PDF with a page per voucher, in the order given.

    Raises
    ------
    ValueError
        When there is no voucher to print.
    """
    if not vouchers:
        raise ValueError("Aucun chèque cadeau à imprimer.")
    body = "".join(_voucher_html(v, i, len(vouchers)) for i, v in enumerate(vouchers, start=1))
    html = (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Chèques cadeaux du Pays de '
            f"Mormal</title><style>{CSS}</style></head><body>{body}</body></html>")
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
