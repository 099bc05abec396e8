"""Rebuild the bundled commune outlines (``territory/data/ccpm_communes.geojson``) from a source file."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.boundaries import (
    COMMUNES_CSV,
    GEOJSON_FILE,
    SIMPLIFY_M,
    build_layer,
    csv_communes,
    write_layer,
)


class Command(BaseCommand):
    """``manage.py build_commune_map SOURCE [--tolerance-m 25] [--output PATH]``."""

    help = (
        "Cut the 52 communes of ccpm_communes.csv out of a GeoJSON of French communes "
        "(properties code and nom, e.g. france-geojson's communes-59-nord.geojson), simplify "
        "them and write marketplace/territory/data/ccpm_communes.geojson. Update SOURCES.md beside it."
    )
    requires_system_checks: list[str] = []  # reads no database

    def add_arguments(self, parser):
        """Declare the source file, the tolerance and the output path."""
        parser.add_argument("source", type=Path, help="GeoJSON FeatureCollection of communes (WGS 84)")
        parser.add_argument("--tolerance-m", type=float, default=SIMPLIFY_M,
                            help=f"simplification tolerance in metres (default {SIMPLIFY_M:g})")
        parser.add_argument("--output", type=Path, default=GEOJSON_FILE)

    def handle(self, *args, source: Path, tolerance_m: float, output: Path, **options):
        """Read, cut, simplify, write; say how many communes and bytes."""
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            layer = build_layer(data, csv_communes(COMMUNES_CSV), tolerance_m=tolerance_m)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{source}: {exc}") from exc
        write_layer(layer, output)
        self.stdout.write(f"{len(layer['features'])} communes written to {output} ({output.stat().st_size} bytes).")
