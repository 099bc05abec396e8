"""URLs of the Saleor App, included under ``/saleor/``."""

from django.urls import path

from marketplace.saleor import views

app_name = "saleor_app"

urlpatterns = [
    path("api/manifest", views.manifest, name="manifest"),
    path("api/register", views.register, name="register"),
    path("api/webhooks/<slug:event_slug>", views.webhook, name="webhook"),
]
