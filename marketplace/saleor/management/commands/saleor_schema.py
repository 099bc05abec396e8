"""Refresh the repository's copy of Saleor's GraphQL schema from a running Saleor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from marketplace.saleor.errors import SaleorError
from marketplace.saleor.introspection import introspect, write_snapshot
from marketplace.saleor.schema import NOTE_FILE, SCHEMA_FILE


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date {value!r} is not a date like 2026-03-31.") from exc


class Command(BaseCommand):
    """``manage.py saleor_schema --from URL [--token T] [--date D]``."""

    help = (
        "Introspect a running Saleor, drop descriptions, sort, and write its schema and the "
        "note on its version into marketplace/saleor/sdl/."
    )
    requires_system_checks: list[str] = []  # reads no database and no Saleor setting

    def add_arguments(self, parser):
        """Declare ``--from``, ``--token``, ``--date`` and the output paths."""
        parser.add_argument("--from", dest="api_url", required=True, metavar="URL",
                            help="Saleor's GraphQL endpoint, e.g. http://127.0.0.1:8000/graphql/")
        parser.add_argument("--token", default="",
                            help="app or staff token, only to read the exact Saleor release")
        parser.add_argument("--date", default="", metavar="YYYY-MM-DD",
                            help="day written in the note (default: today)")
        parser.add_argument("--schema-file", type=Path, default=SCHEMA_FILE,
                            help="where to write the schema (default: the repository's)")
        parser.add_argument("--note-file", type=Path, default=NOTE_FILE,
                            help="where to write the note (default: the repository's)")

    def handle(self, *args, **options):
        """Introspect, write both files, and say what was written."""
        day = _day(options["date"]) if options["date"] else timezone.localdate()
        try:
            snapshot = introspect(options["api_url"], options["token"])
        except (SaleorError, ValueError) as exc:
            raise CommandError(f"Could not read the schema of {options['api_url']}: {exc}") from exc
        write_snapshot(snapshot, day, schema_file=options["schema_file"],
                       note_file=options["note_file"])
        version = snapshot.version or "unknown version"
        if snapshot.version and not snapshot.exact_version:
            version += " (minor version only: pass --token for the release)"
        self.stdout.write(
            f"Wrote {options['schema_file']} ({snapshot.sdl.count(chr(10))} lines) and "
            f"{options['note_file']}: Saleor {version}, {day.isoformat()}."
        )
