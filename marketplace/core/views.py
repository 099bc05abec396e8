"""Platform-level views: home and health."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from .health import check_broker, check_database
from .navigation import HOME_LINKS


def health(request):
    """``{"status": "ok"}`` (200) or ``{"status": "unavailable"}`` (503) from the database and broker.

    Only signed-in staff also get each part's detail (server versions, error messages): to
    anyone else those say which software to attack and leak internal names.
    """
    parts = {"database": check_database(), "broker": check_broker()}
    ok = all(part["ok"] for part in parts.values())
    report: dict = {"status": "ok" if ok else "unavailable"}
    if request.user.is_authenticated and request.user.is_staff:
        report.update(parts)
    return JsonResponse(report, status=200 if ok else 503)


def home(request):
    """Landing page listing the platform's areas."""
    from .seeding import DEMO_ACCOUNTS

    accounts = DEMO_ACCOUNTS if settings.SHOW_DEMO_ACCOUNTS else []
    return render(request, "core/home.html", {"home_links": HOME_LINKS, "demo_accounts": accounts})
