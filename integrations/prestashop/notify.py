"""Tell a bridged merchant, by e-mail, what to prepare for an order placed on our marketplace.

We do not create the order in PrestaShop (see docs/prestashop-mapping.md, "Orders"); the
merchant learns of it here and in the vendor dashboard, and PrestaShop's stock is decremented.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail

from marketplace.saleor import port

from .models import IdMapping


def notify_merchants(order: port.Order) -> int:
    """E-mail each vendor whose PrestaShop products were ordered; return how many were told.

    Vendors without an e-mail address are left to the dashboard.
    """
    from marketplace.vendors.models import Vendor

    variant_ids = [line.variant_id for line in order.lines if line.variant_id]
    bridged = set(IdMapping.objects.filter(resource=IdMapping.Resource.VARIANT, saleor_id__in=variant_ids)
                  .values_list("saleor_id", flat=True))
    lines_by_vendor: dict[str, list[port.OrderLine]] = defaultdict(list)
    for line in order.lines:
        if line.variant_id in bridged and line.vendor_slug:
            lines_by_vendor[line.vendor_slug].append(line)
    told = 0
    for vendor in Vendor.objects.filter(slug__in=list(lines_by_vendor)).exclude(email=""):
        items = "\n".join(f"- {line.quantity} × {line.product_name} ({line.variant_name})" for line in lines_by_vendor[vendor.slug])
        send_mail(
            subject=f"Commande n° {order.number} à préparer — Marché du Pays de Mormal",
            message=(f"Bonjour,\n\nUne commande passée sur le Marché du Pays de Mormal contient vos produits "
                     f"issus de votre boutique PrestaShop :\n\n{items}\n\nLe stock de votre boutique PrestaShop "
                     f"a été diminué d'autant. Retrouvez la commande dans votre espace vendeur.\n"),
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[vendor.email], fail_silently=False,
        )
        told += 1
    return told


def on_order_created(event) -> None:
    """Saleor ORDER_CREATED handler."""
    if event.order is not None:
        notify_merchants(event.order)
