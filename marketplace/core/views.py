"""Platform-level views: home and health."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from .health import check_broker, check_database
from .navigation import HOME_LINKS


def health(request):
    """Report database and broker status; HTTP 503 when either is down."""
    report = {"database": check_database(), "broker": check_broker()}
    ok = all(part["ok"] for part in report.values())
    report["status"] = "ok" if ok else "degraded"
    return JsonResponse(report, status=200 if ok else 503)


def home(request):
    """Landing page listing the platform's areas."""
    from .seeding import DEMO_ACCOUNTS

    accounts = DEMO_ACCOUNTS if settings.SHOW_DEMO_ACCOUNTS else []
    return render(request, "core/home.html", {"home_links": HOME_LINKS, "demo_accounts": accounts})
