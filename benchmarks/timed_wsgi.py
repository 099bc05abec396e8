"""WSGI app for benchmarks: Django plus a ``Server-Timing`` header splitting our time from Saleor's.

Every Saleor call goes through ``SaleorSession.run`` (the gateway's one door to the transport); this wrapper times those calls per request
(thread-local) and reports ``Server-Timing: total;dur=<ms>, saleor;dur=<ms>``. The site's URLs get
one more, ``/banc/pair/``: the trivial view the benchmarks measure as a peer. Benchmarks only.
"""

import threading
import time

from django.conf import settings

from marketplace.saleor.gateway.session import SaleorSession
from marketplace.wsgi import application as django_app

settings.ROOT_URLCONF = "benchmarks.peer_urls"  # read at the first request, after setup

_local = threading.local()
_original_run = SaleorSession.run


def _timed_run(self, name, **variables):
    started = time.perf_counter()
    try:
        return _original_run(self, name, **variables)
    finally:
        _local.saleor = getattr(_local, "saleor", 0.0) + time.perf_counter() - started


SaleorSession.run = _timed_run


def application(environ, start_response):
    """Run Django and add the timing header."""
    _local.saleor = 0.0
    started = time.perf_counter()

    def timed_start(status, headers, exc_info=None):
        total = (time.perf_counter() - started) * 1000
        headers = list(headers) + [("Server-Timing", f"total;dur={total:.2f}, saleor;dur={_local.saleor * 1000:.2f}")]
        return start_response(status, headers, exc_info)

    return django_app(environ, timed_start)
