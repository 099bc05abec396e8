"""Pay on delivery: once the driver hands over an order and takes the money, Saleor is told.

The storefront authorised the amount when the order was placed; the delivery stop that carries
the payment (``payment_method`` set) is marked delivered on the phone, and this charges the
authorised transaction so the order becomes fully paid in Saleor. Safe to run twice.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from common import money
from delivery.models import DeliveryTask
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorNetworkError

from .models import ShopOrder


def charge_collected(order_pk: int, saleor: port.SaleorPort | None = None) -> bool:
    """Charge the order's authorised transaction once; return True if it was charged now."""
    with transaction.atomic():
        order = ShopOrder.objects.select_for_update().get(pk=order_pk)
        if order.collected_at or not order.transaction_id or order.payment == ShopOrder.Payment.CARD:
            return False
        (saleor or port.get_saleor()).payments.charge(order.transaction_id, money.from_cents(order.total_cents))
        order.collected_at = timezone.now()
        order.save(update_fields=["collected_at"])
    return True


@shared_task(name="storefront.charge_collected", autoretry_for=(SaleorNetworkError,), max_retries=5, retry_backoff=30)
def charge_collected_task(order_pk: int) -> bool:
    """Celery entry point of :func:`charge_collected`."""
    return charge_collected(order_pk)


def on_task_saved(sender, instance: DeliveryTask, **kwargs) -> None:
    """Queue the charge when the stop carrying a pay-on-delivery amount is delivered."""
    if instance.status != DeliveryTask.Status.DELIVERED or not instance.payment_method:
        return
    if not instance.source.startswith("order:"):
        return
    order = ShopOrder.objects.filter(saleor_order_id=instance.source.split(":")[1], collected_at__isnull=True).first()
    if order is not None:
        order_pk = order.pk
        transaction.on_commit(lambda: charge_collected_task.delay(order_pk))


def connect() -> None:
    """Listen to delivery task saves (idempotent)."""
    post_save.connect(on_task_saved, sender=DeliveryTask, dispatch_uid="storefront.charge_on_delivery")
