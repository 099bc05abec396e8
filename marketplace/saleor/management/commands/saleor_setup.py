"""Prepare Saleor for the marketplace: the channel, its shipping zone, the apps' steps, then the App URLs.

The apps' steps are registered with :func:`marketplace.saleor.registry.register_setup_step` (the
e-voucher gift-card product, from the vouchers app).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.saleor.errors import SaleorError
from marketplace.saleor.manifest import public_url
from marketplace.saleor.port import get_saleor
from marketplace.saleor.registry import setup_steps


class Command(BaseCommand):
    """``manage.py saleor_setup``: idempotent; run once after Saleor's first migrate."""

    help = ("Create the sales channel and its shipping zone in Saleor if missing, then what the other apps need "
            "(the e-voucher product), and print the App manifest URL.")

    def handle(self, *args, **options):
        """Ensure the set-up and report what is used."""
        saleor = get_saleor()
        try:
            channel = saleor.setup.ensure_sales_setup()
        except SaleorError as exc:
            raise CommandError(str(exc)) from exc
        where = (
            "the stand-in (no SALEOR_API_URL)" if saleor.is_stand_in else settings.SALEOR_API_URL
        )
        self.stdout.write(f"Saleor: {where}")
        self.stdout.write(
            f"Channel {channel['slug']} ({channel['currencyCode']}) is ready with a shipping zone for FR."
        )
        for name, step in setup_steps().items():
            try:
                self.stdout.write(step(saleor))
            except SaleorError as exc:
                raise CommandError(f"{name}: {exc}") from exc
        if not saleor.is_stand_in and not saleor.setup.unpaid_orders_fulfillable():
            self.stderr.write(
                "Warning: Saleor refuses to fulfil unpaid orders (shop setting fulfillmentAllowUnpaid "
                "is off), so vendors cannot mark pay-on-delivery orders prepared. Turn on "
                "'Allow unpaid orders fulfillment' in the Saleor Dashboard (Configuration > "
                "Site settings), or shopSettingsUpdate(input: {fulfillmentAllowUnpaid: true})."
            )
        self.stdout.write(
            f"Install the App in the Saleor Dashboard from {public_url('/saleor/api/manifest')}"
        )
