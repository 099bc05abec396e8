"""Staff URLs for the indicators."""

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapport/<int:year>.pdf", views.annual_report, name="report"),
]
