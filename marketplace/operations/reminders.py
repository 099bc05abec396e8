"""Remind vendors, the day before, which orders to have ready when the van comes to collect."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from delivery.calendar import hhmm
from delivery.models import DeliveryTask, RoundStop
from marketplace.storefront.models import ShopOrder
from marketplace.vendors.models import VendorOrder

from .models import VendorReminder


def _collection_times(date: dt.date) -> dict[str, str]:
    """Planned arrival of the van at each collect task of ``date``, by task source."""
    stops = RoundStop.objects.filter(round__plan__is_current=True, round__plan__day__date=date,
                                     task__kind=DeliveryTask.Kind.COLLECT).select_related("task")
    return {s.task.source: hhmm(s.arrival_s) for s in stops}


def due_shares(date: dt.date) -> dict:
    """Vendor shares not yet prepared, for orders the van collects (or shoppers pick up) on ``date``."""
    orders = {o.saleor_order_id: o for o in ShopOrder.objects.filter(date=date)}
    shares = defaultdict(list)
    for share in VendorOrder.objects.filter(saleor_order_id__in=orders, status=VendorOrder.Status.NEW).select_related("vendor"):
        shares[share.vendor].append((share, orders[share.saleor_order_id]))
    return shares


def send_reminders(date: dt.date) -> int:
    """E-mail each vendor with unprepared orders for ``date``, once; return how many were sent."""
    times, sent = _collection_times(date), 0
    for vendor, items in due_shares(date).items():
        if not vendor.email:
            continue
        try:
            with transaction.atomic():
                VendorReminder.objects.create(vendor=vendor, date=date, orders=len(items))
                lines = []
                for share, order in items:
                    when = times.get(f"order:{order.saleor_order_id}:{vendor.slug}:collect")
                    how = ("retrait en boutique par le client" if order.mode == ShopOrder.Mode.COLLECT
                           else f"passage de la camionnette vers {when}" if when else "passage de la camionnette (heure à venir)")
                    lines.append(f"- commande {share.number} : {how}")
                send_mail(f"À préparer pour le {date:%d/%m} — Marché du Pays de Mormal",
                          f"Bonjour,\n\nMerci de préparer ces commandes pour le {date:%d/%m/%Y} :\n" + "\n".join(lines)
                          + "\n\nMarquez-les « préparées » dans votre espace vendeur.\n", settings.DEFAULT_FROM_EMAIL, [vendor.email])
        except IntegrityError:
            continue  # already reminded for that day
        sent += 1
    return sent
