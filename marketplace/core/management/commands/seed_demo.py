"""Seed the sample territory (idempotent: run at every demo start)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from marketplace.core.seeding import DEMO_ACCOUNTS, SEEDERS


class Command(BaseCommand):
    help = "Seed the Pays de Mormal demo data; safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", action="store_true", help="Only print the demo accounts.")

    def handle(self, *args, accounts=False, **options):
        if not accounts:
            for dotted in SEEDERS:
                with transaction.atomic():
                    import_string(dotted)(self.stdout)
        for role, login, password in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<28} {login:<22} {password}")
