"""Staff URLs of the vouchers, mounted under ``/pilotage/cheques-cadeaux/``."""

from django.urls import path

from . import views

app_name = "vouchers"

urlpatterns = [
    path("", views.staff_page, name="staff"),
    path("soldes/", views.refresh, name="refresh"),
    path("lot/<int:pk>/cheques.pdf", views.batch_pdf, name="batch_pdf"),
    path("achat/<int:pk>/rembourser/", views.refund_purchase, name="refund_purchase"),
]
