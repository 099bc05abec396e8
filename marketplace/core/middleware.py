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
