"""Staff URLs for operations."""

from django.urls import path

from . import dashboard, views

app_name = "operations"

urlpatterns = [
    path("taches-en-echec/", views.dead_letters, name="dead_letters"),
    path("taches-en-echec/<int:pk>/", views.dead_letter_action, name="dead_letter_action"),
    path("tableau-de-bord/<slug:page>/", dashboard.entry, name="dashboard_entry"),
]
