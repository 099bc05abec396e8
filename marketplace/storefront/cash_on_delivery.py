"""Pay on delivery: once the driver hands over an order and takes the money, Saleor charges it.

The storefront had our payment app authorise the amount when the order was placed; the delivery
stop that carries the payment (``payment_method`` set) is marked delivered on the phone, and this
records the collection and asks Saleor to charge (``transactionRequestAction``), so the order
becomes fully paid in Saleor. Safe to run twice.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from delivery.models import DeliveryTask
from marketplace.payments import actions as payments
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorNetworkError

from .models import ShopOrder


def charge_collected(order_pk: int, saleor: port.SaleorPort | None = None) -> bool:
    """Record that the money was collected, then ask Saleor to charge it; True if charged now.

    The collection is committed before Saleor is asked, because Saleor asks our payment app
    (TRANSACTION_CHARGE_REQUESTED) and the app charges only money it knows was collected. Safe
    to run twice, and to retry after Saleor was unreachable: Saleor's amounts are read first.
    """
    with transaction.atomic():
        order = ShopOrder.objects.select_for_update().get(pk=order_pk)
        if not order.transaction_id or order.payment == ShopOrder.Payment.CARD:
            return False
        if order.collected_at is None:
            order.collected_at = timezone.now()
            order.save(update_fields=["collected_at"])
            payments.record_collection(order.transaction_id, order.collected_at)
    return payments.charge_collected(saleor or port.get_saleor(), order.transaction_id) is not None


def shop_payment(saleor_order_id: str, vendor_slug: str) -> ShopOrder | None:
    """The click & collect order of ``vendor_slug`` that is paid by hand at its shop, if any."""
    return (ShopOrder.objects.filter(saleor_order_id=saleor_order_id, mode=ShopOrder.Mode.COLLECT,
                                     collect_vendor_slug=vendor_slug)
            .exclude(payment=ShopOrder.Payment.CARD).exclude(transaction_id="").first())


def collected_at_shop(saleor_order_id: str, vendor_slug: str, saleor: port.SaleorPort | None = None) -> bool:
    """The shop took the money of its click & collect order: record it and have Saleor charge it.

    Raises
    ------
    ValueError
        When the order is not this vendor's click & collect order paid at the shop.
    """
    order = shop_payment(saleor_order_id, vendor_slug)
    if order is None:
        raise ValueError("Cette commande ne se règle pas dans votre boutique.")
    return charge_collected(order.pk, saleor)


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
