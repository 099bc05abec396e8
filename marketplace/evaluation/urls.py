"""URLs of the evaluation (namespace ``evaluation``): the vendors' and shoppers' pages, the staff's."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("vendeur/formations/", views.vendor_trainings, name="vendor_trainings"),
    path("vendeur/formations/<int:session_pk>/inscription/", views.training_register, name="training_register"),
    path("vendeur/formations/<int:session_pk>/desinscription/", views.training_unregister, name="training_unregister"),
    path("vendeur/avis/", views.vendor_survey, name="vendor_survey"),
    path("boutique/commandes/<str:number>/avis/", views.order_survey, name="order_survey"),
    path("boutique/commandes/suivi/<str:signed>/avis/", views.order_survey_by_link, name="order_survey_by_link"),
    path("pilotage/formations/", views.staff_sessions, name="staff_sessions"),
    path("pilotage/formations/<int:session_pk>/", views.staff_session, name="staff_session"),
]
