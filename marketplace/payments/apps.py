from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Cash and cheques through Saleor's Transactions API; refunds when an order is cancelled."""

    name = "marketplace.payments"
    label = "payments"
    verbose_name = "Paiements"

    def ready(self) -> None:
        """Answer Saleor's payment webhooks, and release or refund the payment of a cancelled order."""
        from . import app, cancellation, checks, demo_card, gift_card  # noqa: F401  (checks and gift_card's task register themselves)

        app.connect()
        demo_card.connect()
        cancellation.connect()
