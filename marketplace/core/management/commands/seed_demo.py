"""Seed the sample territory (idempotent: run at every demo start)."""

from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from marketplace.core.seeding import DEMO_ACCOUNTS, SEEDERS


class Command(BaseCommand):
    """``manage.py seed_demo``: seed the sample territory, or list the demo accounts."""

    help = "Seed the Pays de Mormal demo data; safe to run repeatedly."

    def add_arguments(self, parser):
        """Add ``--accounts``."""
        parser.add_argument("--accounts", action="store_true", help="Only print the demo accounts.")

    def handle(self, *args, accounts=False, **options):
        """Run every seeder in ``SEEDERS`` (unless ``--accounts``), then print the demo accounts."""
        if not accounts:
            # Against a real Saleor each seeder commits as it goes: Saleor calls back into this
            # app while we seed (it downloads product photos from our URLs and asks our shipping
            # webhook for the van's methods) and must find those rows already committed.
            # Seeders are idempotent, so a run that stops half-way is simply run again.
            atomic = nullcontext if settings.SALEOR_API_URL else transaction.atomic
            for dotted in SEEDERS:
                with atomic():
                    import_string(dotted)(self.stdout)
        width = max((len(role) for role, _login, _password in DEMO_ACCOUNTS), default=0)
        for role, login, password in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<{width}}  {login:<14} {password}")
