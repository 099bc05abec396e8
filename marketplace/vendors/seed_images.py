"""Illustrations for the demo catalogue: a 480 × 320 card with the product's name (no photos offline)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from .models import Product

SIZE = (480, 320)
#: Background per temperature class: dark enough for white text (contrast above 4.5:1).
COLOURS = {"ambient": (96, 64, 32), "chilled": (0, 74, 124), "frozen": (59, 42, 143)}
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default()


def illustration(product: Product) -> ContentFile:
    """A PNG card: product name, vendor and temperature class, on a colour for that class."""
    image = Image.new("RGB", SIZE, COLOURS.get(product.temperature, COLOURS["ambient"]))
    draw = ImageDraw.Draw(image)
    y = 60
    for line in textwrap.wrap(product.name, width=18)[:3]:
        draw.text((30, y), line, fill="white", font=_font(38, bold=True))
        y += 50
    draw.text((30, 250), product.vendor.name, fill="white", font=_font(22))
    draw.text((30, 282), product.get_temperature_display(), fill="white", font=_font(18))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{product.slug}.png")
