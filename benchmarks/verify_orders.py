"""Check, after a load run, that every confirmed order exists exactly once (run with the stack's env).

Reads the confirmed ShopOrder ids as JSON on stdin; prints one JSON object of figures.
"""

import json
import os
import sys
import time

import django


def main() -> None:
    drain_s = float(sys.argv[1]) if len(sys.argv) > 1 else 90
    confirmed = json.loads(sys.stdin.read() or "[]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    django.setup()
    from django.db.models import Count

    from delivery.models import DeliveryTask
    from marketplace.saleor.port import OrderQuery, get_saleor
    from marketplace.storefront.models import ShopOrder
    from shortcircuit.models import CycleOrder

    found = list(ShopOrder.objects.filter(pk__in=confirmed))
    van_orders = [o for o in found if o.mode in {"home", "relay"}]
    deadline, missing = time.time() + drain_s, van_orders
    while time.time() < deadline:  # the worker may still be handling the last webhooks
        sources = set(DeliveryTask.objects.filter(source__startswith="order:").values_list("source", flat=True))
        missing = [o for o in van_orders if not any(s.startswith(f"order:{o.saleor_order_id}:") for s in sources)]
        if not missing:
            break
        time.sleep(2)
    saleor_ids = {o.id for o in get_saleor().orders.find(OrderQuery(first=100000))}
    ours = set(ShopOrder.objects.values_list("saleor_order_id", flat=True)) | set(
        CycleOrder.objects.exclude(saleor_order_id="").values_list("saleor_order_id", flat=True))
    print(json.dumps({
        "confirmed": len(confirmed), "confirmed_distinct": len(set(confirmed)), "found": len(found),
        "lost": len(set(confirmed)) - len(found),
        "duplicate_orders": ShopOrder.objects.values("checkout_id").annotate(n=Count("id")).filter(n__gt=1).count(),
        "saleor_orders": len(saleor_ids), "saleor_without_record": len(saleor_ids - ours),
        "van_orders": len(van_orders), "van_orders_without_tasks": len(missing),
        "duplicate_tasks": DeliveryTask.objects.values("source").annotate(n=Count("id")).filter(n__gt=1).count(),
    }))


if __name__ == "__main__":
    main()
