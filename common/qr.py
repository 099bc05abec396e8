"""QR codes for printed pages (route sheets, vouchers): one PNG ``data:`` URI, pure Python (``qrcode``)."""

import base64
import io

import qrcode
import qrcode.constants


def qr_data_uri(text: str, box_size: int = 6) -> str:
    """A QR code of ``text`` as a PNG ``data:`` URI, error correction M (WeasyPrint draws PNG far faster than SVG)."""
    image = qrcode.make(text, box_size=box_size, border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
