"""Sign-in throttling for every login form (django-axes), with the French lock-out page.

Every form that signs people in (``/compte/connexion/``, the admin) goes through
``django.contrib.auth.authenticate(request, ...)``, where :class:`SignInThrottle` refuses an
account locked after ``AXES_FAILURE_LIMIT`` failures from one address, for ``AXES_COOLOFF_TIME``.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class SignInThrottle(AxesStandaloneBackend):
    """Axes' lock-out check, applied to requests coming through a sign-in form.

    ``authenticate()`` without a request is not a sign-in form (the test client's ``login()``,
    a shell); there is no address to count failures against, so it is let through to the next
    backend, which checks the password as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refuse a locked-out account (raises ``AxesBackendPermissionDenied``); never signs in."""
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The French page (HTTP 429) shown instead of the sign-in form while an account is locked."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)


def username_of(request, credentials=None) -> str | None:
    """The account a sign-in attempt names, whichever form sent it.

    Django's and the admin's forms send ``username``; the shoppers' allauth form sends ``login``
    and authenticates with ``username`` or ``email``: without this, every e-mail sign-in from one
    address would share one failure count.
    """
    credentials = credentials or {}
    for value in (credentials.get("username"), credentials.get("email"),
                  request.POST.get("login") if request is not None and request.method == "POST" else None,
                  request.POST.get("username") if request is not None and request.method == "POST" else None):
        if value:
            return str(value).strip().lower()
    return None
