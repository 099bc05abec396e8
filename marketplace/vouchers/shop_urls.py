"""The shopper's e-voucher pages, mounted under ``/boutique/cheques-cadeaux/``."""

from django.urls import path

from . import shop_views

app_name = "voucher_shop"

urlpatterns = [
    path("", shop_views.buy, name="buy"),
    path("achat/<int:pk>/payer/", shop_views.pay, name="pay"),
    path("achat/<int:pk>/carte-bancaire/", shop_views.card_pay, name="card_pay"),
    path("achat/<int:pk>/carte-bancaire/retour/", shop_views.card_return, name="card_return"),
    path("achat/<int:pk>/", shop_views.purchase_page, name="purchase"),
    path("achat/<int:pk>/cheques.pdf", shop_views.purchase_pdf, name="pdf"),
]
