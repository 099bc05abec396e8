"""Requests the site refuses before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .views import error_page

NUL = "\x00"


class RefuseNulBytes:
    """Answer 400 (the French page) to an address or form value holding a NUL byte.

    PostgreSQL text cannot hold NUL: such a value reaching a query raised ``DataError``, a 500,
    from any search box, filter or path parameter (``/boutique/?q=%00``). No person types one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """The 400 page for a NUL byte in the path, the query or a form; otherwise the view's answer."""
        forms = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            forms.append(request.POST)
        if NUL in request.path or any(_holds_nul(form) for form in forms):
            return error_page(request, 400)
        return self.get_response(request)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(form) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in form.lists())


class DashboardFraming:
    """Let the Saleor Dashboard (and only it) frame the staff pages it opened.

    For the Dashboard's entry page, and for every page of a session opened from the Dashboard
    (:mod:`marketplace.core.staff_rights`), the answer says ``Content-Security-Policy:
    frame-ancestors 'self' <Dashboard origins>`` instead of ``X-Frame-Options: DENY``. Other
    pages and sessions keep ``DENY``. Without configured origins nothing changes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """The view's answer, framable by the Dashboard when it opened it."""
        from django.conf import settings

        from .staff_rights import SESSION_KEY

        response = self.get_response(request)
        origins = settings.SALEOR_DASHBOARD_ORIGINS
        match = getattr(request, "resolver_match", None)
        opened_there = (match is not None and match.view_name == "operations:dashboard_entry") or (
            hasattr(request, "session") and SESSION_KEY in request.session)
        if origins and opened_there:
            response.xframe_options_exempt = True  # type: ignore[attr-defined]
            response["Content-Security-Policy"] = "frame-ancestors 'self' " + " ".join(origins)
        return response
