"""URLs of delivery, mounted under ``/livraison/``."""

from django.urls import include, path

from .views import phone, staff

app_name = "delivery"

urlpatterns = [
    path("", staff.day_list, name="days"),
    path("jour/<int:day_id>/", staff.day_detail, name="day"),
    path("jour/<int:day_id>/planifier/", staff.day_plan, name="day_plan"),
    path("jour/<int:day_id>/replanifier/", staff.day_replan, name="day_replan"),
    path("tache/<int:task_id>/choix/", staff.task_resolve, name="task_resolve"),
    path("commande/", staff.order_delivery, name="order_delivery"),
    path("tournee/<int:round_id>/feuille.pdf", staff.round_pdf, name="round_pdf"),
    path("tournee/<int:round_id>/trace.gpx", staff.round_gpx, name="round_gpx"),
    path("", include("delivery.views.planning_page")),  # staff planning page, map, moves
    path("tel/sw.js", phone.phone_service_worker, name="phone_sw"),
    path("tel/<str:signed>/", phone.phone_round, name="phone"),
    path("tel/<str:signed>/etat/", phone.phone_state, name="phone_state"),
    path("tel/<str:signed>/carte.png", phone.phone_map, name="phone_map"),
    path("tel/<str:signed>/evenements/", phone.phone_events, name="phone_events"),
]
