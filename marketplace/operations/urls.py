"""Staff URLs for operations."""

from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("taches-en-echec/", views.dead_letters, name="dead_letters"),
    path("taches-en-echec/<int:pk>/", views.dead_letter_action, name="dead_letter_action"),
]
