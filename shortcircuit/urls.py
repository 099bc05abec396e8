"""URLs of the short circuit, included under ``/circuit-court/``."""

from django.urls import path

from .views import customer, producer, staff

app_name = "shortcircuit"

urlpatterns = [
    path("", customer.home, name="home"),
    path("cycles/<int:pk>/", customer.cycle_page, name="cycle"),
    path("commandes/", customer.my_orders, name="my_orders"),
    path("commandes/<int:pk>/", customer.order_detail, name="order"),
    path("paniers/", customer.baskets, name="baskets"),
    path("paniers/<int:pk>/arreter/", customer.basket_stop, name="basket_stop"),
    path("producteur/cycles/", producer.cycles, name="producer_cycles"),
    path("producteur/cycles/<int:pk>/", producer.cycle_detail, name="producer_cycle"),
    path("producteur/cycles/<int:pk>/totaux.pdf", producer.cycle_pdf, name="producer_cycle_pdf"),
    path("equipe/cycles/", staff.cycles, name="staff_cycles"),
    path("equipe/cycles/<int:pk>/copier/", staff.copy, name="staff_copy"),
    path("equipe/cycles/<int:pk>/clore/", staff.close, name="staff_close"),
    path("equipe/cycles/<int:pk>/colisage/", staff.packing, name="packing"),
]
