"""The shopper's e-voucher pages, mounted under ``/boutique/cheques-cadeaux/``."""

from django.urls import path

from . import shop_views

app_name = "voucher_shop"

urlpatterns = [
    path("", shop_views.buy, name="buy"),
    path("achat/<int:pk>/payer/", shop_views.pay, name="pay"),
    path("achat/<int:pk>/", shop_views.purchase_page, name="purchase"),
    path("achat/<int:pk>/cheques.pdf", shop_views.purchase_pdf, name="pdf"),
]
