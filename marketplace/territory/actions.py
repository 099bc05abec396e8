"""Writes on the territory: loading the shipped commune facts."""

import csv
from pathlib import Path

from .models import Commune

COMMUNES_CSV = Path(__file__).with_name("data") / "ccpm_communes.csv"


def load_communes(path: Path = COMMUNES_CSV) -> int:
    """Create or update every commune from the INSEE CSV; return how many rows were read.

    Raises
    ------
    ValueError
        If a row lacks a field or carries a non-numeric coordinate; the message names the row.
    """
    count = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                defaults = {
                    "name": row["nom"],
                    "population": int(row["population_municipale"]),
                    "postal_codes": row["codes_postaux"].replace(";", " ").replace("|", " "),
                    "lon": float(row["centroid_lon"]),
                    "lat": float(row["centroid_lat"]),
                    "town_hall_lon": float(row["mairie_lon"]),
                    "town_hall_lat": float(row["mairie_lat"]),
                }
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path.name} line {line_no}: bad commune row {row!r} ({exc})") from exc
            Commune.objects.update_or_create(insee=row["insee"], defaults=defaults)
            count += 1
    return count
