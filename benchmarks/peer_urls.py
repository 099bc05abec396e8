"""The site's URLs plus the benchmarks' peer: a trivial Django view served through the same stack."""

from django.http import HttpResponse
from django.urls import path

from marketplace.urls import urlpatterns as site_urlpatterns


def peer(request):
    """A constant page: what the server, WSGI and every middleware cost before any work of ours."""
    return HttpResponse("<!doctype html><title>pair</title><p>pair</p>", content_type="text/html; charset=utf-8")


urlpatterns = [*site_urlpatterns, path("banc/pair/", peer)]
